"""The lottery's drawn result (db.lottery.Notice) as the notice-board printout's
model (printouts.lottery_notice.LotteryNotice). No Streamlit, no SQL."""

from __future__ import annotations

from db.lottery import Notice
from printouts.lottery_notice import LotteryNotice


def notice_model(notice: Notice) -> LotteryNotice:
    """The printout model of a drawn lottery: 受付番号 only, never names."""
    return LotteryNotice(
        lesson_title=notice.lesson_title,
        dates=notice.dates,
        place=f"{notice.venue} {notice.room}",
        applicants=notice.applicants,
        seats=notice.seats,
        winners=notice.winners,
        waiting=notice.waiting,
        drawn_at=notice.drawn_at,
    )
