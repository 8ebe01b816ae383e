"""The 相談メモ (consultation memo) of a help-desk case."""

from __future__ import annotations

from db import tickets
from lessons import Lesson
from locales import _
from printouts.consult_memo import ConsultMemo

# Two guides keep a memo with a few lines of text on one A4 page.
MEMO_GUIDES = 2


def memo_guides(chosen: list[Lesson]) -> tuple[tuple[str, str], ...]:
    """The official guides of the chosen lessons' handouts, first seen first, each
    once, at most two: ((title, url), …)."""
    guides, seen = [], set()
    for lesson in chosen:
        for guide in lesson.guides:
            if guide.url not in seen:
                seen.add(guide.url)
                guides.append((guide.title, guide.url))
    return tuple(guides[:MEMO_GUIDES])


def consult_memo(ticket: tickets.Ticket, chosen: list[Lesson], helper_name: str) -> ConsultMemo:
    """The memo model of a case (`db.tickets.get_ticket`): its number, day, the
    resident's name, category, summary, what was done and the next step, the
    chosen lessons' guides, and the helper's family name (the part before the
    first space of `helper_name`, "" for none)."""
    return ConsultMemo(
        number=ticket.number,
        visited_on=ticket.opened_at_jst.date(),
        resident_name=ticket.attendee_name,
        category_label=_(tickets.CATEGORIES[ticket.category]),
        summary=ticket.summary,
        done=ticket.outcome,
        next_step=ticket.next_step,
        guides=memo_guides(chosen),
        helper_name=helper_name.split(" ")[0],
        next_session="",
    )
