"""The printouts of one session and of a month (DESIGN.md §3 "session pack"):
handout, sign-in sheet, booking slips, 受講後アンケート sheets, calendar entry, call
list, flyer and volunteer roster models from db rows."""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterable

from db import attendees
from db.bookings import BookingRow
from db.calls import CallTarget
from db.loans import Loan, Prepare, prepare_text
from db.sessions import SessionRow
from db.volunteers import Shift
from lessons import Lesson
from locales import _
from printouts.booking_slip import SlipItem
from printouts.calendar import CalendarEntry
from printouts.call_list import CallEntry, default_script, spoken_time
from printouts.dates import format_time_range
from printouts.flyer import FlyerEntry
from printouts.model import SessionInfo
from printouts.roster import RosterSession
from printouts.signin_sheet import SigninRow
from printouts.survey_sheet import SurveySheet
from views import surveys


def session_info(session: SessionRow) -> SessionInfo:
    """When and where a session is, as every printout prints it."""
    return SessionInfo(starts_at=session.starts_at, ends_at=session.ends_at, room=session.room_name, venue=session.venue_name)


def register_of(booking: BookingRow) -> str:
    """The printout register a person needs: "easy" (やさしい日本語) when they asked
    for it (`db.attendees.EASY_JAPANESE`), else "standard"."""
    return "easy" if attendees.EASY_JAPANESE in booking.needs else "standard"


def signin_rows(seated: Iterable[BookingRow], lent: dict[int, Loan] | None = None) -> list[SigninRow]:
    """The 受付名簿's rows: name, フリガナ, device, needs and status (no phone), and
    the loan phone's label and kind where `lent` ({booking id: Loan},
    `db.loans.session_loans`) has one."""
    lent = lent or {}
    return [
        SigninRow(
            name=b.name, name_kana=b.name_kana, device=b.device, needs="、".join(b.needs), status=b.status,
            loan=lent[b.id].label if b.id in lent else "", loan_kind=lent[b.id].kind if b.id in lent else "",
        )
        for b in seated
    ]


def slip_items(lesson: Lesson, session: SessionRow, seated: Iterable[BookingRow]) -> list[SlipItem]:
    """One 予約票 per booked person, in the register each needs."""
    return [SlipItem(lesson, session_info(session), b.name, register_of(b)) for b in seated]


def handout_items(lesson: Lesson, session: SessionRow, seated: Iterable[BookingRow]) -> list[tuple[Lesson, SessionInfo, str]]:
    """One handout per booked person, in the register each needs."""
    return [(lesson, session_info(session), register_of(b)) for b in seated]


def calendar_entry(lesson: Lesson, session: SessionRow, stamp: datetime) -> CalendarEntry:
    """A session as one calendar event, its 持ち物 in the description."""
    return CalendarEntry(
        session_id=session.id,
        title=f"{lesson.title}（{session.venue_name}）",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=f"{session.venue_name} {session.room_name}",
        description=_("持ち物：") + "、".join(lesson.bring),
        stamp=stamp,
    )


def call_entries(targets: Iterable[CallTarget]) -> list[CallEntry]:
    """The call list's entries, each with what to say (`default_script`)."""
    return [
        CallEntry(
            kind=t.kind,
            name=t.name,
            name_kana=t.name_kana,
            phone=t.phone,
            session_label=f"{t.lesson_title}　{format_time_range(t.starts_at, t.ends_at)}　{t.room}",
            deadline=t.deadline,
            script=default_script(
                t.kind, t.lesson_title, spoken_time(t.starts_at), spoken_time(t.deadline) if t.deadline else "", receipt=t.receipt
            ),
        )
        for t in targets
    ]


def flyer_entries(
    in_month: list[SessionRow], catalogue: dict[str, Lesson], with_summary: bool, register: str = "standard"
) -> list[FlyerEntry]:
    """The month's sessions for the flyer (チラシ), full and cancelled ones marked;
    titles and summaries in `register` ("standard" or "en", the flyer's language)."""
    texts = {s.lesson_id: catalogue[s.lesson_id].text(register) for s in in_month if s.lesson_id in catalogue}
    return [
        FlyerEntry(
            title=texts[s.lesson_id].title if s.lesson_id in texts else s.lesson_title,
            level=catalogue[s.lesson_id].level if s.lesson_id in catalogue else "",
            summary=texts[s.lesson_id].summary if with_summary and s.lesson_id in texts else "",
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            venue=s.venue_name,
            room=s.room_name,
            seats_left=s.seats_left,
            status="cancelled" if s.status == "cancelled" else "full" if s.is_full else "scheduled",
        )
        for s in in_month
    ]


def roster_sessions(
    in_month: list[SessionRow], shifts_of: Callable[[int], list[Shift]], prepare: dict[int, Prepare] | None = None
) -> list[RosterSession]:
    """The month's sessions for the volunteer roster (担当表), each with its lead
    and helpers; `shifts_of(session id)` reads a session's shifts; `prepare`
    ({session id: Prepare}, `db.loans.to_prepare`) adds the loan phones to lay out."""
    prepare = prepare or {}
    rows = []
    for s in in_month:
        shifts = shifts_of(s.id)
        rows.append(
            RosterSession(
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                lesson_title=s.lesson_title,
                venue=s.venue_name,
                room=s.room_name,
                lead=next((h.name for h in shifts if h.role == "lead"), ""),
                helpers=tuple(h.name for h in shifts if h.role == "helper"),
                helpers_needed=s.helpers_needed,
                status=s.status,
                loan_phones=prepare_text(prepare[s.id]) if s.id in prepare and s.status != "cancelled" else "",
            )
        )
    return rows


def survey_sheets(lesson: Lesson, session: SessionRow, seated: Iterable[BookingRow]) -> list[SurveySheet]:
    """One 受講後アンケート sheet per booked person, in the register each needs;
    no name is printed (the answers are anonymous unless the attendee writes one)."""
    return [surveys.sheet(lesson, session_info(session), register_of(b)) for b in seated]
