"""Printout figures: one handout (warm), 100 handouts in one PDF, the session
pack for 30 attendees, and their floor, a bare reportlab page in the same font."""

from __future__ import annotations

import io
from datetime import timedelta

from bench.harness import sample

CENTRE_NAME, CENTRE_PHONE = "みどり台コミュニティセンター", "03-0000-0000"


def _centre():
    from printouts.model import Centre

    return Centre(name=CENTRE_NAME, phone=CENTRE_PHONE)


def _info(minutes: int):
    from db.clock import now_jst
    from printouts.model import SessionInfo

    start = now_jst().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=7)
    return SessionInfo(starts_at=start, ends_at=start + timedelta(minutes=minutes), room="第1研修室", venue=CENTRE_NAME)


def bare_page() -> bytes:
    """The floor: one A4 page with one line in BIZ UDPGothic (fonts registered)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from printouts.layout import FONT, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, initialFontName=FONT)
    page.setFont(FONT, 16)
    page.drawString(72, 760, "スマホ教室のご案内")
    page.showPage()
    page.save()
    return buffer.getvalue()


def handout_ms(n: int) -> list[float]:
    """One lesson handout, warm (fonts registered, first render done)."""
    import lessons
    from printouts.handout import render_handout

    lesson = lessons.catalogue()["myna-app"]
    info = _info(lesson.minutes)
    render_handout(lesson, _centre(), info)
    return sample(lambda: render_handout(lesson, _centre(), info), n)


def handouts_100_ms(n: int) -> list[float]:
    """100 handouts (the catalogue, repeated) in one PDF."""
    import lessons
    from printouts.handout import render_handouts

    catalogue = list(lessons.catalogue().values())
    items = [(catalogue[i % len(catalogue)], None) for i in range(100)]
    render_handouts(items[:2], _centre())
    return sample(lambda: render_handouts(items, _centre()), n)


def session_pack_ms(n: int) -> list[float]:
    """The session pack of DESIGN.md §3 for 30 attendees: handout, sign-in sheet
    (受付名簿) and call list (電話連絡リスト)."""
    import lessons
    from db.clock import now_jst
    from printouts.call_list import CallEntry, default_script, render_call_list
    from printouts.handout import render_handout
    from printouts.signin_sheet import SigninRow, render_signin_sheet

    lesson = lessons.catalogue()["phone-basics"]
    info = _info(lesson.minutes)
    rows = [SigninRow(name=f"受講者\u3000{i:02d}", name_kana=f"ジュコウシャ\u3000{i:02d}", device=("iPhone", "Android", "なし")[i % 3])
            for i in range(30)]
    calls = [CallEntry(kind="reminder", name=r.name, name_kana=r.name_kana, phone=f"090-0000-{i:04d}", session_label=lesson.title,
                       deadline=None, script=default_script("reminder", lesson.title, "明日の10時", ""))
             for i, r in enumerate(rows)]

    def pack() -> None:
        render_handout(lesson, _centre(), info)
        render_signin_sheet(info, lesson.title, _centre(), rows)
        render_call_list(_centre(), now_jst(), calls)

    pack()
    return sample(pack, n)


def bare_page_ms(n: int) -> list[float]:
    bare_page()
    return sample(bare_page, n)
