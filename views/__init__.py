"""Views: pure functions that turn db rows into the models printouts and feeds
take (DESIGN.md §5). Called by pages and by serve.py alike; no Streamlit, no SQL."""
