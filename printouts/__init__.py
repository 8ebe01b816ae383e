"""Printouts: pure renderers, plain data in, bytes out (DESIGN.md §5, §8).

Nothing here imports Streamlit or touches the database. Modules:

- `model`: the plain data a renderer needs beyond the lesson (centre, session).
- `dates`: Japanese dates (和暦 and 西暦 with the weekday), shared with the UI.
- `layout`: fonts, styles, the 二次元コード flowable, guide blocks and the footer,
  shared by every PDF.
- `handout`: the lesson handout (配布資料).
- `calendar`: calendar files (.ics) for sessions.
"""
