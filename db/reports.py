"""The numbers reported to the centre and the 推進委員会, computed in SQL (issue 7).

Fiscal years (年度) run from 1 April to 31 March. A report covers a window of JST
dates: a fiscal year, or one month of it, for every venue or one (sessions through
their room's venue, tickets through their own venue). Every figure is an SQL
aggregate; no table is loaded into Python.

One pass (issue 12): a report first copies the fiscal year's facts, every venue,
into small temporary tables on its own connection (`_facts`: the year's sessions,
their shifts and tickets), and every figure is then an aggregate over those,
filtered by month and venue. The classes read no booking at all: triggers keep
each session's bookings counted by status (``session_tallies``) and each
attendee's bookings per fiscal year, lesson, month and room (``report_people``,
with the attendee's 年代, device and first attended day), db/schema.py m020. So
a year costs the same whatever the history, and whoever came is counted from
the year's rows alone.

Session times are stored with +09:00 (DESIGN.md §6), so a session's JST date is the
first ten characters of ``starts_at``, and comparing ``starts_at`` with a date string
or a JST ISO time compares the same instants while the ``starts_at`` index still
serves. Ticket stamps are UTC and are turned into JST dates in SQL.

Counts are ints; rates are floats, None when their denominator is 0.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Iterator

from sqlite_utils import Database

import lessons
from db import audit, immediate
from db.attendees import AGE_BANDS, DEVICES
from db.clock import JST, now_jst, now_utc_iso
from db.errors import InvalidInput
from db.loans import LoanCounts, loan_counts
from db.permissions import Actor, require
from db.sessions import SEAT_STATUSES
from db.outreach import KINDS as OUTREACH_KINDS
from db.volunteers import KINDS
from locales import _

# Label of the bucket for attendees whose 年代 or device was never recorded (a msgid).
NOT_GIVEN = "未記入"

# Yearly outcome targets (成果目標) an admin may set: metric → label (msgids,
# translated where shown). Each metric's actual is the centre-wide figure of the
# same name in the fiscal year's reports (see `progress`).
TARGET_METRICS = {
    "sessions_held": "開催回数",
    "attendances": "延べ参加者数",
    "unique_attendees": "実参加者数",
    "new_attendees": "新規参加者数",
    "tickets": "相談件数",
    "active_volunteers": "活動ボランティア数",
}
TARGET_MAX = 9_999_999
FISCAL_YEARS = range(2000, 2101)

_SEATS = ", ".join(f"'{s}'" for s in SEAT_STATUSES)

# The fiscal year's facts, every venue (see `_facts`). day: JST date of the
# session (or of a ticket's opening); venue: its venue.
_FACT_TABLES = {
    "report_sessions": """
        select s.id, r.venue_id as venue, substr(s.starts_at, 1, 10) as day, s.lesson_id as lesson,
               s.status != 'cancelled' as open, s.status != 'cancelled' and s.starts_at < :now as held,
               s.capacity, coalesce(s.helpers_needed, 0) as helpers_needed,
               cast(round((julianday(s.ends_at) - julianday(s.starts_at)) * 1440) as integer) as length,
               v.outreach
        from sessions s join rooms r on r.id = s.room_id join venues v on v.id = r.venue_id
        where s.starts_at >= :year_start and s.starts_at < :year_end""",
    # Assigned shifts of held sessions; minutes: the shift's, or the session's length.
    "report_shifts": """
        select w.id as session, w.venue, w.day, f.volunteer_id as volunteer, f.role, coalesce(f.minutes, w.length) as minutes
        from report_sessions w cross join shifts f on f.session_id = w.id where w.held and f.status = 'assigned'""",
    # Tickets by their opening day in JST. The text range a day wider on each side
    # lets the opened_at index pick the rows; the date() test decides.
    "report_tickets": """
        select venue_id as venue, date(opened_at, '+9 hours') as day, category, channel, resolution,
               coalesce(referral_to, '') as referral, minutes
        from tickets
        where opened_at >= :wide_start and opened_at < :wide_end
          and date(opened_at, '+9 hours') >= :year_start and date(opened_at, '+9 hours') < :year_end""",
}
# Rows of a fact table inside the window (:start ≤ day < :end) at :venue (NULL: every venue).
_IN = "day >= :start and day < :end and (:venue is null or venue = :venue)"


@dataclass(frozen=True)
class LessonDemand:
    """Requests for one lesson in the window: seated + waitlisted bookings in sessions
    that were not cancelled. title: the catalogue title, or the id of a lesson no
    longer in the catalogue."""

    lesson_id: str
    title: str
    requests: int
    seated: int
    waitlisted: int


@dataclass(frozen=True)
class ClassReport:
    """The classes (教室) of a window; start / end: half-open JST dates. Sessions at
    an outreach venue (出前講座・出張相談) are counted in `OutreachReport` instead.

    sessions_held: sessions not cancelled that started before now.
    sessions_upcoming: sessions not cancelled that start at or after now.
    sessions_cancelled: cancelled (中止) sessions.
    seats_offered: sum of the capacity of held sessions.
    seats_filled: bookings holding a seat (booked, offered, attended, absent) in
        held sessions; a booking never marked still filled its seat.
    fill_rate: seats_filled ÷ seats_offered (above 1 when staff overbooked).
    attendances: attended marks (延べ参加者数) in held sessions, late ones included.
    late: attended marks flagged late (遅刻). absences: absent marks (欠席).
    no_show_rate: absences ÷ (attendances + absences).
    unique_attendees: distinct attendees with an attended mark (実参加者数).
    new_attendees: of those, whose first attended session ever (any venue) is in
        the window; returning_attendees: who attended before the window began.
    by_age_band / by_device: unique attendees by 年代 and device, in the order of
        `AGE_BANDS` / `DEVICES` with zeros, then any other stored value, then
        `NOT_GIVEN` for "". Anonymised attendees keep both values and count.
    waitlist_demand: distinct attendees who waited for a session of the window
        (status waitlisted, or an offer that was declined, expired or cancelled
        while open: cancelled with offered_until set) and hold no seat in any
        session of the same lesson in the window. Cancelled sessions count for
        neither. Someone taken off the waitlist by staff leaves only a cancelled
        booking, indistinguishable from a cancelled seat, and is not counted.
    top_lessons: the most requested lessons, most requests first (`LessonDemand`).
    """

    start: date
    end: date
    venue_id: int | None
    sessions_held: int
    sessions_upcoming: int
    sessions_cancelled: int
    seats_offered: int
    seats_filled: int
    fill_rate: float | None
    attendances: int
    late: int
    absences: int
    no_show_rate: float | None
    unique_attendees: int
    new_attendees: int
    returning_attendees: int
    by_age_band: dict[str, int]
    by_device: dict[str, int]
    waitlist_demand: int
    top_lessons: tuple[LessonDemand, ...]


@dataclass(frozen=True)
class DeskReport:
    """The help desk (相談窓口) of a window: tickets opened in it (JST day of
    opened_at); start / end: half-open JST dates.

    by_category / by_channel / referrals: code → tickets, most first, then by code
    (codes of db.tickets; only codes that occur).
    resolved / referred: tickets whose resolution is "resolved" / "referred" (kept
    after closing). resolution_rate: resolved ÷ tickets.
    median_minutes: median of minutes over tickets with minutes > 0.
    referrals: referred tickets by referral_to.
    open_follow_ups: tickets on hold (保留) now, whenever opened (window ignored,
        venue filter kept).
    """

    start: date
    end: date
    venue_id: int | None
    tickets: int
    by_category: dict[str, int]
    by_channel: dict[str, int]
    resolved: int
    referred: int
    resolution_rate: float | None
    median_minutes: float | None
    referrals: dict[str, int]
    open_follow_ups: int


@dataclass(frozen=True)
class VolunteerReport:
    """Volunteers (ボランティア) in a window; start / end: half-open JST dates.

    registered_by_kind: volunteers with the active flag now, by kind (order of
        `db.volunteers.KINDS`, zeros kept); the window and venue do not apply.
    active_by_kind: volunteers with at least one assigned shift in a held session
        of the window, by kind (same order), whether still active or not.
    shifts: assigned shifts (担当) in held sessions.
    minutes: their minutes; a shift's minutes, or the session's length when NULL.
    understaffed: held sessions with no lead or fewer helpers than helpers_needed
        (the rule of `db.sessions.SessionRow.understaffed`).
    """

    start: date
    end: date
    venue_id: int | None
    registered_by_kind: dict[str, int]
    active_by_kind: dict[str, int]
    shifts: int
    minutes: int
    understaffed: int

    @property
    def hours(self) -> float:
        """minutes in hours."""
        return self.minutes / 60


@dataclass(frozen=True)
class MonthRow:
    """One calendar month of a fiscal year, for charts: held sessions, attended
    marks, distinct attendees with one, and tickets opened (JST)."""

    year: int
    month: int
    sessions_held: int
    attendances: int
    unique_attendees: int
    tickets: int


@dataclass(frozen=True)
class Progress:
    """An outcome target (成果目標) against the year's actual; ratio = actual ÷ target."""

    metric: str
    target: int
    actual: int
    ratio: float | None


@dataclass(frozen=True)
class OutreachReport:
    """出前講座・出張相談 (db.outreach) of a window; start / end: half-open JST dates.
    Centre-wide: they happen at the groups' places, not at a venue of the centre.

    requests: requests received in the window (received_on); by_kind: of those,
        by kind (order of `db.outreach.KINDS`, zeros kept); withdrawn: of those,
        withdrawn (取り下げ) since.
    held: requests marked 実施 or 報告 whose session's JST day is in the window.
    participants: the actual participants reported (報告) for those;
    awaiting_report: of `held`, those not reported yet (their participants are
        not counted).
    upcoming: decided (決定) requests whose session is in the window, not held yet.
    """

    start: date
    end: date
    requests: int
    by_kind: dict[str, int]
    withdrawn: int
    held: int
    participants: int
    awaiting_report: int
    upcoming: int


@dataclass(frozen=True)
class YearReport:
    """Everything the reports page shows for one window, plus the centre-wide
    progress against the fiscal year's targets (in `TARGET_METRICS` order)."""

    fiscal_year: int
    month: int | None
    venue_id: int | None
    # Each part is None when `year_report` was not asked for it.
    classes: ClassReport | None
    desk: DeskReport | None
    volunteers: VolunteerReport | None
    months: tuple[MonthRow, ...] | None
    progress: tuple[Progress, ...] | None
    # Loan phones (貸出機) lent in the window (issue 17), with the classes.
    loans: LoanCounts | None = None
    # Outreach of the window when no venue is chosen and the classes were read.
    outreach: OutreachReport | None = None


def fiscal_year_of(d: date) -> int:
    """The fiscal year (年度) a date belongs to: 2026-03-31 → 2025, 2026-04-01 → 2026."""
    return d.year if d.month >= 4 else d.year - 1


def _check_year(fiscal_year: int) -> int:
    if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int) or fiscal_year not in FISCAL_YEARS:
        raise InvalidInput("fiscal_year", _("年度が正しくありません。"))
    return fiscal_year


def fiscal_year_window(fiscal_year: int, month: int | None = None) -> tuple[date, date]:
    """The JST dates of a fiscal year, or of one month of it, as a half-open range.

    Args:
        fiscal_year: e.g. 2025 for 2025-04-01 … 2026-03-31 (2000–2100).
        month: 1–12; April–December fall in `fiscal_year`, January–March in the next.
    Returns:
        (first day, day after the last): (2025-04-01, 2026-04-01); month 3 →
        (2026-03-01, 2026-04-01).
    Raises:
        InvalidInput: a year outside 2000–2100, or a month outside 1–12.
    """
    _check_year(fiscal_year)
    if month is None:
        return date(fiscal_year, 4, 1), date(fiscal_year + 1, 4, 1)
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise InvalidInput("month", _("月は1〜12で指定してください。"))
    year = fiscal_year if month >= 4 else fiscal_year + 1
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), following


def _params(fiscal_year: int, month: int | None, venue_id: int | None, now: datetime | None) -> dict:
    start, end = fiscal_year_window(fiscal_year, month)
    year_start, year_end = fiscal_year_window(fiscal_year)
    moment = (now or now_jst()).astimezone(JST).isoformat(timespec="seconds")
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "year_start": year_start.isoformat(),
        "year_end": year_end.isoformat(),
        "wide_start": (year_start - timedelta(days=1)).isoformat(),
        "wide_end": (year_end + timedelta(days=1)).isoformat(),
        "venue": venue_id,
        "now": moment,
        "fiscal_year": fiscal_year,
        "start_month": start.isoformat()[:7],
        "end_month": end.isoformat()[:7],
    }


@contextlib.contextmanager
def _facts(db: Database, p: dict, tables: tuple[str, ...] = tuple(_FACT_TABLES)) -> Iterator[None]:
    """Copy the fiscal year's facts of `p` into temporary tables (`_FACT_TABLES`,
    in that order; a later one reads an earlier one) for the figures to aggregate,
    and drop them afterwards. Temporary tables belong to this connection alone."""
    try:
        for name in tables:
            db.execute(f"drop table if exists temp.{name}")
            db.execute(f"create temp table {name} as {_FACT_TABLES[name]}", p)
        yield
    finally:
        for name in tables:
            db.execute(f"drop table if exists temp.{name}")


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _buckets(rows, order: tuple[str, ...]) -> dict[str, int]:
    """Counts keyed by `order` (zeros kept), then any other value, then `NOT_GIVEN`."""
    counts = {(value or NOT_GIVEN): n for value, n in rows}
    keys = [*order, *sorted(k for k in counts if k not in order and k != NOT_GIVEN), NOT_GIVEN]
    return {k: counts.get(k, 0) for k in keys}


def _ranked(db: Database, sql: str, params: dict) -> dict[str, int]:
    return {code: n for code, n in db.execute(sql + " order by 2 desc, 1", params)}


# The rooms whose sessions the classes count: not at an outreach place (出前講座
# count apart, `OutreachReport`), at :venue (NULL: every venue).
_ROOMS = "(select r.id from rooms r join venues v on v.id = r.venue_id where not v.outreach and (:venue is null or r.venue_id = :venue))"
# The window's sessions in those rooms, each with its booking tallies (none
# when it never had a booking): open = not cancelled, held = open and started.
_WINDOW_SESSIONS = f"""(select s.id, s.lesson_id as lesson, substr(s.starts_at, 1, 10) as day, s.capacity,
        s.status != 'cancelled' as open, s.status != 'cancelled' and s.starts_at < :now as held,
        coalesce(t.seated, 0) as seated, coalesce(t.waitlisted, 0) as waitlisted, coalesce(t.attended, 0) as attended,
        coalesce(t.late, 0) as late, coalesce(t.absent, 0) as absent
    from sessions s left join session_tallies t on t.session_id = s.id
    where s.starts_at >= :start and s.starts_at < :end and s.room_id in {_ROOMS})"""
# The window's `report_people` rows (its fiscal year, months and rooms), which
# come in attendee order.
_PEOPLE_IN = f"fiscal_year = :fiscal_year and month >= :start_month and month < :end_month and room_id in {_ROOMS}"


def _class_report(db: Database, p: dict, top: int) -> ClassReport:
    # One walk of the window's sessions, by lesson: the totals are the lessons' sums.
    by_lesson = db.execute(
        f"""select lesson, coalesce(sum(held), 0), coalesce(sum(open and not held), 0), coalesce(sum(not open), 0),
                  coalesce(sum(case when held then capacity end), 0), coalesce(sum(case when held then seated end), 0),
                  coalesce(sum(case when held then attended end), 0), coalesce(sum(case when held then late end), 0),
                  coalesce(sum(case when held then absent end), 0),
                  coalesce(sum(case when open then seated end), 0), coalesce(sum(case when open then waitlisted end), 0)
        from {_WINDOW_SESSIONS} group by lesson""",
        p,
    ).fetchall()
    held, upcoming, cancelled, seats, filled, attendances, late, absences = (
        sum(row[i] for row in by_lesson) for i in range(1, 9)
    )
    # One row per (年代, device, attended before the window) group of those who
    # came to a held session of the window.
    groups = db.execute(
        f"""select coalesce(age_band, ''), coalesce(device, ''), coalesce(first_attended_on < :start, 0), count(*)
        from (select age_band, device, first_attended_on from report_people
              where {_PEOPLE_IN} and first_attended_at < :now group by attendee_id)
        group by 1, 2, 3""",
        p,
    ).fetchall()
    by_age: dict[str, int] = {}
    by_device: dict[str, int] = {}
    for age_band, device, _before, n in groups:
        by_age[age_band] = by_age.get(age_band, 0) + n
        by_device[device] = by_device.get(device, 0) + n
    unique = sum(n for *_key, n in groups)
    returning = sum(n for *_key, before, n in groups if before)
    # Per (attendee, lesson): waited at least once and never held a seat. The
    # waits are few; each is checked against that person's rows of the lesson.
    demand = db.execute(
        f"""select count(distinct w.attendee_id) from report_people w
        where w.fiscal_year = :fiscal_year and w.month >= :start_month and w.month < :end_month and w.room_id in {_ROOMS}
          and w.waited > 0 and not exists (
          select 1 from report_people s where s.fiscal_year = w.fiscal_year and s.attendee_id = w.attendee_id
          and s.lesson_id = w.lesson_id and s.seated > 0 and s.month >= :start_month and s.month < :end_month and s.room_id in {_ROOMS})""",
        p,
    ).fetchone()[0]
    # The most requested first, then by lesson id.
    requested = sorted(
        ((lesson_id, seated + waiting, seated, waiting) for lesson_id, *_n, seated, waiting in by_lesson if seated + waiting),
        key=lambda row: (-row[1], row[0]),
    )
    top_lessons = tuple(
        LessonDemand(lesson_id, lessons.title_of(lesson_id), requests, seated, waiting)
        for lesson_id, requests, seated, waiting in requested[:top]
    )
    return ClassReport(
        start=date.fromisoformat(p["start"]),
        end=date.fromisoformat(p["end"]),
        venue_id=p["venue"],
        sessions_held=held,
        sessions_upcoming=upcoming,
        sessions_cancelled=cancelled,
        seats_offered=seats,
        seats_filled=filled,
        fill_rate=_rate(filled, seats),
        attendances=attendances,
        late=late,
        absences=absences,
        no_show_rate=_rate(absences, attendances + absences),
        unique_attendees=unique,
        new_attendees=unique - returning,
        returning_attendees=returning,
        by_age_band=_buckets(by_age.items(), AGE_BANDS),
        by_device=_buckets(by_device.items(), DEVICES),
        waitlist_demand=demand,
        top_lessons=top_lessons,
    )


def class_report(
    db: Database,
    actor: Actor,
    fiscal_year: int,
    month: int | None = None,
    venue_id: int | None = None,
    *,
    top: int = 5,
    now: datetime | None = None,
) -> ClassReport:
    """Class figures of a fiscal year, or one month of it, for every venue or one.

    Args:
        fiscal_year: e.g. 2025. month: 1–12, or None for the whole year.
        venue_id: one venue, or None for all.
        top: how many lessons `top_lessons` lists.
        now: aware datetime sessions count as held before (default: now).
    Returns:
        `ClassReport` (its docstring defines each figure).
    Raises:
        PermissionDenied: not staff. InvalidInput: see `fiscal_year_window`.
    """
    require(actor, "reports.read")
    return _class_report(db, _params(fiscal_year, month, venue_id, now), top)


def _desk_report(db: Database, p: dict) -> DeskReport:
    tickets, resolved, referred = db.execute(
        f"""select count(*), coalesce(sum(resolution = 'resolved'), 0), coalesce(sum(resolution = 'referred'), 0)
        from report_tickets where {_IN}""",
        p,
    ).fetchone()
    # Median: the middle row, or the mean of the two middle rows, of the sorted minutes.
    median = db.execute(
        f"""with m as (select minutes, row_number() over (order by minutes) as n, count(*) over () as total
                       from report_tickets where minutes > 0 and {_IN})
        select avg(minutes) from m where n in ((total + 1) / 2, (total + 2) / 2)""",
        p,
    ).fetchone()[0]
    follow_ups = db.execute(
        "select count(*) from tickets where status = 'on_hold' and (:venue is null or venue_id = :venue)", p
    ).fetchone()[0]
    return DeskReport(
        start=date.fromisoformat(p["start"]),
        end=date.fromisoformat(p["end"]),
        venue_id=p["venue"],
        tickets=tickets,
        by_category=_ranked(db, f"select category, count(*) from report_tickets where {_IN} group by 1", p),
        by_channel=_ranked(db, f"select channel, count(*) from report_tickets where {_IN} group by 1", p),
        resolved=resolved,
        referred=referred,
        resolution_rate=_rate(resolved, tickets),
        median_minutes=None if median is None else float(median),
        referrals=_ranked(db, f"select referral, count(*) from report_tickets where resolution = 'referred' and {_IN} group by 1", p),
        open_follow_ups=follow_ups,
    )


def desk_report(
    db: Database,
    actor: Actor,
    fiscal_year: int,
    month: int | None = None,
    venue_id: int | None = None,
) -> DeskReport:
    """Help-desk figures of a fiscal year, or one month of it, for every venue or one.

    Args:
        as `class_report`. Tickets count by the JST day they were opened;
        follow-ups by their status now.
    Returns:
        `DeskReport` (its docstring defines each figure).
    Raises:
        PermissionDenied: not staff. InvalidInput: see `fiscal_year_window`.
    """
    require(actor, "reports.read")
    p = _params(fiscal_year, month, venue_id, None)
    with _facts(db, p, ("report_tickets",)):
        return _desk_report(db, p)


def _volunteer_report(db: Database, p: dict) -> VolunteerReport:
    registered = db.execute("select kind, count(*) from volunteers where active = 1 group by kind").fetchall()
    active = db.execute(
        f"""select v.kind, count(*) from (select distinct volunteer from report_shifts where {_IN}) x
        join volunteers v on v.id = x.volunteer group by 1""",
        p,
    ).fetchall()
    shifts, minutes = db.execute(f"select count(*), coalesce(sum(minutes), 0) from report_shifts where {_IN}", p).fetchone()
    understaffed = db.execute(
        """select count(*) from (
          select w.helpers_needed, coalesce(sum(f.role = 'lead'), 0) as leads, coalesce(sum(f.role = 'helper'), 0) as helpers
          from report_sessions w left join report_shifts f on f.session = w.id
          where w.held and w.day >= :start and w.day < :end and (:venue is null or w.venue = :venue)
          group by w.id)
        where leads < 1 or helpers < helpers_needed""",
        p,
    ).fetchone()[0]
    return VolunteerReport(
        start=date.fromisoformat(p["start"]),
        end=date.fromisoformat(p["end"]),
        venue_id=p["venue"],
        registered_by_kind=_kinds(registered),
        active_by_kind=_kinds(active),
        shifts=shifts,
        minutes=minutes,
        understaffed=understaffed,
    )


def _kinds(rows) -> dict[str, int]:
    counts = dict(rows)
    return {kind: counts.get(kind, 0) for kind in [*KINDS, *sorted(k for k in counts if k not in KINDS)]}


def volunteer_report(
    db: Database,
    actor: Actor,
    fiscal_year: int,
    month: int | None = None,
    venue_id: int | None = None,
    *,
    now: datetime | None = None,
) -> VolunteerReport:
    """Volunteer figures of a fiscal year, or one month of it, for every venue or one.

    Args:
        as `class_report`.
    Returns:
        `VolunteerReport` (its docstring defines each figure; minutes, not hours).
    Raises:
        PermissionDenied: not staff. InvalidInput: see `fiscal_year_window`.
    """
    require(actor, "reports.read")
    p = _params(fiscal_year, month, venue_id, now)
    with _facts(db, p, ("report_sessions", "report_shifts")):
        return _volunteer_report(db, p)


def _monthly(db: Database, p: dict, fiscal_year: int) -> tuple[MonthRow, ...]:
    year = {**p, "start": p["year_start"], "end": p["year_end"], "start_month": p["year_start"][:7], "end_month": p["year_end"][:7]}
    held = {m: (n, marks) for m, n, marks in db.execute(
        f"select substr(day, 6, 2), count(*), sum(attended) from {_WINDOW_SESSIONS} where held group by 1", year
    )}
    people = dict(db.execute(
        f"""select substr(month, 6, 2), count(distinct attendee_id) from report_people
        where {_PEOPLE_IN} and first_attended_at < :now group by 1""",
        year,
    ).fetchall())
    tickets = dict(db.execute(f"select substr(day, 6, 2), count(*) from report_tickets where {_IN} group by 1", year).fetchall())
    rows = []
    for month in (*range(4, 13), 1, 2, 3):
        key = f"{month:02d}"
        rows.append(
            MonthRow(
                year=fiscal_year if month >= 4 else fiscal_year + 1,
                month=month,
                sessions_held=held.get(key, (0, 0))[0],
                attendances=held.get(key, (0, 0))[1],
                unique_attendees=people.get(key, 0),
                tickets=tickets.get(key, 0),
            )
        )
    return tuple(rows)


def monthly(
    db: Database, actor: Actor, fiscal_year: int, venue_id: int | None = None, *, now: datetime | None = None
) -> tuple[MonthRow, ...]:
    """The twelve months of a fiscal year, April first, for charts.

    Args:
        venue_id: one venue, or None for all. now: as `class_report`.
    Returns:
        12 `MonthRow`s; a month's unique_attendees counts distinct attendees in
        that month, so the months add up to more than the year's.
    Raises:
        PermissionDenied: not staff. InvalidInput: see `fiscal_year_window`.
    """
    require(actor, "reports.read")
    p = _params(fiscal_year, None, venue_id, now)
    with _facts(db, p):
        return _monthly(db, p, fiscal_year)


def _check_metric(metric: str) -> None:
    if metric not in TARGET_METRICS:
        raise InvalidInput("metric", _("目標の項目を選んでください。"))


def set_target(db: Database, actor: Actor, fiscal_year: int, metric: str, value: int) -> None:
    """Set (or replace) a fiscal year's outcome target (成果目標) for one metric.

    Args:
        metric: a key of `TARGET_METRICS`. value: a whole number 0–9,999,999.
    Raises:
        PermissionDenied: not an admin.
        InvalidInput: unknown metric, a year outside 2000–2100, or a value that
            is not a whole number in range.
    """
    require(actor, "targets.set")
    _check_year(fiscal_year)
    _check_metric(metric)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= TARGET_MAX:
        raise InvalidInput("value", _("目標は0以上の整数で入力してください。"))
    with immediate(db):
        before = db.execute(
            "select value from targets where fiscal_year = ? and metric = ?", [fiscal_year, metric]
        ).fetchone()
        db.execute(
            "insert into targets (fiscal_year, metric, value, updated_at, updated_by) values (?, ?, ?, ?, ?) "
            "on conflict (fiscal_year, metric) do update set value = excluded.value, "
            "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            [fiscal_year, metric, value, now_utc_iso(), actor.username],
        )
        audit.record(
            db,
            actor,
            "set_target",
            "targets",
            f"{fiscal_year}:{metric}",
            {"fiscal_year": fiscal_year, "metric": metric, "value": [before[0] if before else None, value]},
        )


def targets(db: Database, actor: Actor, fiscal_year: int) -> dict[str, int]:
    """A fiscal year's targets: metric → value, in `TARGET_METRICS` order, only
    metrics that have one.

    Raises:
        PermissionDenied: not staff. InvalidInput: a year outside 2000–2100.
    """
    require(actor, "reports.read")
    _check_year(fiscal_year)
    stored = dict(db.execute("select metric, value from targets where fiscal_year = ?", [fiscal_year]).fetchall())
    return {m: stored[m] for m in TARGET_METRICS if m in stored}


def _progress(goals: dict[str, int], classes: ClassReport, desk: DeskReport, volunteers: VolunteerReport) -> tuple[Progress, ...]:
    actuals = {
        "sessions_held": classes.sessions_held,
        "attendances": classes.attendances,
        "unique_attendees": classes.unique_attendees,
        "new_attendees": classes.new_attendees,
        "tickets": desk.tickets,
        "active_volunteers": sum(volunteers.active_by_kind.values()),
    }
    return tuple(Progress(m, goal, actuals[m], _rate(actuals[m], goal)) for m, goal in goals.items())


def progress(db: Database, actor: Actor, fiscal_year: int, *, now: datetime | None = None) -> tuple[Progress, ...]:
    """Each target of a fiscal year against the centre-wide actual so far.

    Actuals: sessions_held, attendances, unique_attendees, new_attendees of
    `class_report`; tickets of `desk_report`; active_volunteers = volunteers with
    an assigned shift in a held session (`VolunteerReport.active_by_kind`), all
    over the whole fiscal year and every venue.

    Args:
        now: as `class_report`.
    Returns:
        `Progress` per metric with a target, in `TARGET_METRICS` order; ratio is
        None for a target of 0.
    Raises:
        PermissionDenied: not staff. InvalidInput: a year outside 2000–2100.
    """
    goals = targets(db, actor, fiscal_year)
    if not goals:
        return ()
    p = _params(fiscal_year, None, None, now)
    with _facts(db, p):
        return _progress(goals, _class_report(db, p, 0), _desk_report(db, p), _volunteer_report(db, p))


# What `year_report` can read, each with the fact tables (`_FACT_TABLES`) it needs.
PARTS = {
    "classes": (),
    "desk": ("report_tickets",),
    "volunteers": ("report_sessions", "report_shifts"),
    "months": ("report_tickets",),
    "progress": tuple(_FACT_TABLES),
}


def year_report(
    db: Database,
    actor: Actor,
    fiscal_year: int,
    month: int | None = None,
    venue_id: int | None = None,
    *,
    top: int = 5,
    now: datetime | None = None,
    parts: Iterable[str] = tuple(PARTS),
) -> YearReport:
    """The reports page's figures for one window: class (with loans and, for every
    venue, outreach), desk and volunteer figures, the fiscal year's months (same
    venue filter), and progress against the targets (always the whole year,
    every venue).

    Each part is read only when asked for, with only the fact tables it needs:
    the page shows one section at a time (issue 12), the PDF asks for all.

    Args:
        as `class_report`; parts: any of `PARTS` ("classes", "desk",
            "volunteers", "months", "progress"); all by default.
    Returns:
        `YearReport` with None for the parts not asked for.
    Raises:
        PermissionDenied: not staff. InvalidInput: see `fiscal_year_window`.
        ValueError: an unknown part.
    """
    require(actor, "reports.read")
    wanted = set(parts)
    if wanted - set(PARTS):
        raise ValueError(f"unknown report parts {sorted(wanted - set(PARTS))}; known: {list(PARTS)}")
    p = _params(fiscal_year, month, venue_id, now)
    tables = tuple(t for t in _FACT_TABLES if any(t in PARTS[part] for part in wanted))
    with _facts(db, p, tables):
        classes = _class_report(db, p, top) if "classes" in wanted else None
        desk = _desk_report(db, p) if "desk" in wanted else None
        volunteers = _volunteer_report(db, p) if "volunteers" in wanted else None
        months = _monthly(db, p, fiscal_year) if "months" in wanted else None
        goals_progress = _whole_year_progress(db, actor, fiscal_year, p, now, classes, desk, volunteers) if "progress" in wanted else None
    return YearReport(
        fiscal_year=fiscal_year,
        month=month,
        venue_id=venue_id,
        classes=classes,
        desk=desk,
        volunteers=volunteers,
        months=months,
        progress=goals_progress,
        loans=loan_counts(db, date.fromisoformat(p["start"]), date.fromisoformat(p["end"]), venue_id) if classes else None,
        outreach=_outreach_report(db, p) if classes and venue_id is None else None,
    )


def _whole_year_progress(
    db: Database, actor: Actor, fiscal_year: int, p: dict, now: datetime | None,
    classes: ClassReport | None, desk: DeskReport | None, volunteers: VolunteerReport | None,
) -> tuple[Progress, ...]:
    # Inside `_facts` of the whole fiscal year: the window's own figures serve
    # when the window is the year at every venue and they were read.
    goals = targets(db, actor, fiscal_year)
    if not goals:
        return ()
    if p["venue"] is None and p["start"] == p["year_start"] and p["end"] == p["year_end"] and classes and desk and volunteers:
        return _progress(goals, classes, desk, volunteers)
    whole = _params(fiscal_year, None, None, now)
    return _progress(goals, _class_report(db, whole, 0), _desk_report(db, whole), _volunteer_report(db, whole))


def _outreach_report(db: Database, p: dict) -> OutreachReport:
    received = dict(db.execute(
        "select kind, count(*) from outreach_requests where received_on >= :start and received_on < :end group by 1", p
    ).fetchall())
    withdrawn = db.execute(
        "select count(*) from outreach_requests where received_on >= :start and received_on < :end and status = 'withdrawn'", p
    ).fetchone()[0]
    held, participants, awaiting, upcoming = db.execute(
        """select coalesce(sum(q.status in ('held', 'reported')), 0),
                  coalesce(sum(case when q.status = 'reported' then q.actual_participants end), 0),
                  coalesce(sum(q.status = 'held'), 0), coalesce(sum(q.status = 'decided'), 0)
        from outreach_requests q join sessions s on s.id = q.session_id
        where q.status in ('decided', 'held', 'reported') and s.starts_at >= :start and s.starts_at < :end""",
        p,
    ).fetchone()
    return OutreachReport(
        start=date.fromisoformat(p["start"]),
        end=date.fromisoformat(p["end"]),
        requests=sum(received.values()),
        by_kind={kind: received.get(kind, 0) for kind in OUTREACH_KINDS},
        withdrawn=withdrawn,
        held=held,
        participants=participants,
        awaiting_report=awaiting,
        upcoming=upcoming,
    )


def outreach_report(db: Database, actor: Actor, fiscal_year: int, month: int | None = None) -> OutreachReport:
    """出前講座・出張相談 figures of a fiscal year, or one month of it.

    Returns:
        `OutreachReport` (its docstring defines each figure).
    Raises:
        PermissionDenied: not staff. InvalidInput: see `fiscal_year_window`.
    """
    require(actor, "reports.read")
    return _outreach_report(db, _params(fiscal_year, month, None, None))
