"""Sessions (開催回): one dated, timed class of a lesson in a room."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import jpholiday
from sqlite_utils import Database

import lessons
from db import audit
from db.clock import JST, now_jst, now_utc_iso, parse_iso
from db.errors import InvalidInput, NotFound, RoomTaken, VenueClosed
from db.guard import check_free_text
from db.permissions import Actor, require
from db.settings import get_settings
from db.venues import get_room
from locales import _

MIN_MINUTES, MAX_MINUTES = 30, 180
# Statuses of a booking that hold a seat.
SEAT_STATUSES = ("booked", "offered", "attended", "absent")


@dataclass(frozen=True)
class SessionRow:
    """A session with what the schedule and booking screens need.

    starts_at / ends_at are aware datetimes in JST. seats_taken counts bookings in
    `SEAT_STATUSES`; leads / helpers count assigned shifts by role.
    """

    id: int
    lesson_id: str
    lesson_title: str
    room_id: int
    room_name: str
    venue_id: int
    venue_name: str
    venue_phone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seats_taken: int
    helpers_needed: int
    leads: int
    helpers: int
    status: str
    note: str
    series_id: int | None

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_taken >= self.capacity

    @property
    def understaffed(self) -> bool:
        return self.leads < 1 or self.helpers < self.helpers_needed


def day_note(d: date) -> str:
    """Why a date is not an ordinary working day, or "" (national holiday name per
    jpholiday, or the year-end closure 12/29–1/3 of DESIGN.md §7)."""
    name = jpholiday.is_holiday_name(d)
    if name:
        return name
    if (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3):
        return _("年末年始")
    return ""


def describe(db: Database, session_id: int) -> str:
    """A session as staff recognise it in a message: 「6月10日 10:00〜11:30
    スマホの基本操作」 (JST), or "" when there is no such session."""
    row = db.execute("select lesson_id, starts_at, ends_at from sessions where id = ?", [session_id]).fetchone()
    if row is None:
        return ""
    starts, ends = parse_iso(row[1]).astimezone(JST), parse_iso(row[2]).astimezone(JST)
    return _("{month}月{day}日 {start}〜{end} {lesson}").format(
        month=starts.month, day=starts.day, start=f"{starts:%-H:%M}", end=f"{ends:%-H:%M}",
        lesson=lessons.title_of(row[0]),
    )


def helpers_for(capacity: int, ratio: int) -> int:
    """Helpers (補助) a session needs: one per `ratio` seats, rounded up (DESIGN.md §7)."""
    return math.ceil(capacity / ratio)


def create_session(
    db: Database,
    actor: Actor,
    lesson_id: str,
    room_id: int,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    note: str = "",
) -> int:
    """Schedule one session.

    Args:
        starts_at, ends_at: aware datetimes (stored in JST, +09:00).
        capacity: seats offered, 1 to the room's seats.
    Returns:
        the new session id.
    Raises:
        PermissionDenied: not staff.
        InvalidInput: unknown lesson, naive or past start, end not after start,
            length outside 30–180 min, capacity outside 1..room seats.
        MyNumberRejected: the note holds a マイナンバー.
        NotFound: no such room.
        VenueClosed: the venue has a closure (休館日) that day.
        RoomTaken: another scheduled session overlaps in the room.
    """
    require(actor, "sessions.create")
    if lesson_id not in lessons.catalogue():
        raise InvalidInput("lesson_id", _("講座を選んでください。"))
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidInput("starts_at", _("日時にタイムゾーンがありません。"))
    starts_at, ends_at = starts_at.astimezone(JST), ends_at.astimezone(JST)
    if starts_at <= now_jst():
        raise InvalidInput("starts_at", _("過去の日時には開催回を作れません。"))
    minutes = (ends_at - starts_at) / timedelta(minutes=1)
    if minutes <= 0:
        raise InvalidInput("ends_at", _("終了時刻は開始時刻より後にしてください。"))
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InvalidInput("ends_at", _("開催時間は30分〜3時間にしてください。"))
    note = check_free_text("note", (note or "").strip())
    room = get_room(db, room_id)
    if not 1 <= int(capacity) <= room.seats:
        raise InvalidInput("capacity", _("定員は 1〜{seats} 人（部屋の席数まで）です。").format(seats=room.seats))
    ratio = get_settings(db).helper_ratio
    with db.atomic():
        closure = db.execute(
            "select reason from closures where venue_id = ? and date = ?",
            [room.venue_id, starts_at.date().isoformat()],
        ).fetchone()
        if closure:
            raise VenueClosed(
                _("{date} は休館日です（{reason}）。").format(date=starts_at.date().isoformat(), reason=closure[0] or "")
            )
        clash = db.execute(
            "select id from sessions where room_id = ? and status != 'cancelled' "
            "and starts_at < ? and ends_at > ?",
            [room_id, ends_at.isoformat(), starts_at.isoformat()],
        ).fetchone()
        if clash:
            raise RoomTaken(
                _("{room} はその時間に別の開催回があります（{session}）。").format(room=room.name, session=describe(db, clash[0]))
            )
        session_id = db["sessions"].insert(
            {
                "lesson_id": lesson_id,
                "room_id": room_id,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
                "capacity": int(capacity),
                "helpers_needed": helpers_for(int(capacity), ratio),
                "status": "scheduled",
                "note": note,
                "created_at": now_utc_iso(),
            }
        ).last_pk
        audit.record(
            db,
            actor,
            "create",
            "sessions",
            session_id,
            {"lesson_id": lesson_id, "room_id": room_id, "starts_at": starts_at.isoformat(), "capacity": int(capacity)},
        )
    return session_id


_SESSION_SQL = """
select s.id, s.lesson_id, s.room_id, r.name as room_name, v.id as venue_id, v.name as venue_name,
       coalesce(v.phone, '') as venue_phone, s.starts_at, s.ends_at, s.capacity, s.helpers_needed,
       s.status, coalesce(s.note, '') as note, s.series_id,
       (select count(*) from bookings b where b.session_id = s.id
          and b.status in ('booked', 'offered', 'attended', 'absent')) as seats_taken,
       (select count(*) from shifts h where h.session_id = s.id and h.status = 'assigned' and h.role = 'lead') as leads,
       (select count(*) from shifts h where h.session_id = s.id and h.status = 'assigned' and h.role = 'helper') as helpers
from sessions s join rooms r on r.id = s.room_id join venues v on v.id = r.venue_id
"""


def _row(row: dict) -> SessionRow:
    return SessionRow(
        **{**row, "starts_at": parse_iso(row["starts_at"]).astimezone(JST), "ends_at": parse_iso(row["ends_at"]).astimezone(JST)},
        lesson_title=lessons.title_of(row["lesson_id"]),
    )


def list_sessions(db: Database, since: datetime | None = None, limit: int = 200) -> list[SessionRow]:
    """Sessions ending after `since` (default: now), earliest first, cancelled included.

    A session lasts at most `MAX_MINUTES`, so only sessions starting after
    ``since - MAX_MINUTES`` can still be running: the starts_at index is read from
    there, never through the years of past sessions.

    Args:
        since: aware datetime.
        limit: at most this many rows.
    """
    since = (since or now_jst()).astimezone(JST)
    earliest = since - timedelta(minutes=MAX_MINUTES)
    rows = db.query(
        _SESSION_SQL + " where s.starts_at > ? and s.ends_at > ? order by s.starts_at, s.id limit ?",
        [earliest.isoformat(), since.isoformat(), limit],
    )
    return [_row(r) for r in rows]


def sessions_between(
    db: Database,
    first: date,
    last: date,
    venue_id: int | None = None,
    lesson_id: str | None = None,
    volunteer_id: int | None = None,
    limit: int = 2000,
) -> list[SessionRow]:
    """Sessions starting on JST dates first..last (inclusive), cancelled included,
    earliest first: the month calendar and week list of the schedule.

    Args:
        venue_id / lesson_id / volunteer_id: keep only sessions at that venue, of
            that lesson, or with an assigned shift of that volunteer.
        limit: at most this many rows.
    Raises:
        InvalidInput: last before first.
    """
    if last < first:
        raise InvalidInput("last", _("終わりの日は始まりの日より後にしてください。"))
    where = ["s.starts_at >= ?", "s.starts_at < ?"]
    args: list[object] = [first.isoformat(), (last + timedelta(days=1)).isoformat()]
    if venue_id is not None:
        where.append("v.id = ?")
        args.append(venue_id)
    if lesson_id is not None:
        where.append("s.lesson_id = ?")
        args.append(lesson_id)
    if volunteer_id is not None:
        where.append("exists (select 1 from shifts h where h.session_id = s.id and h.volunteer_id = ? and h.status = 'assigned')")
        args.append(volunteer_id)
    rows = db.query(_SESSION_SQL + " where " + " and ".join(where) + " order by s.starts_at, s.id limit ?", [*args, limit])
    return [_row(r) for r in rows]


def get_session(db: Database, session_id: int) -> SessionRow:
    """One session. Raises NotFound."""
    rows = list(db.query(_SESSION_SQL + " where s.id = ?", [session_id]))
    if not rows:
        raise NotFound(_("開催回が見つかりません。"))
    return _row(rows[0])


def next_session_of(db: Database, session: SessionRow) -> SessionRow | None:
    """The next scheduled session of the same series (連続講座), printed as 「次回」
    in a handout's footer; None for a one-off session or the series' last."""
    if session.series_id is None:
        return None
    rows = list(
        db.query(
            _SESSION_SQL + " where s.series_id = ? and s.starts_at > ? and s.status = 'scheduled' order by s.starts_at limit 1",
            [session.series_id, session.starts_at.isoformat()],
        )
    )
    return _row(rows[0]) if rows else None


def staffed_by(db: Database, volunteer_id: int, since: datetime | None = None) -> list[tuple[SessionRow, str]]:
    """Sessions ending after `since` (default now) where the volunteer has an
    assigned shift, earliest first, with the role ("lead" / "helper")."""
    since = (since or now_jst()).astimezone(JST)
    rows = db.query(
        "select * from (" + _SESSION_SQL + ") x join (select session_id, role as shift_role from shifts "
        "where volunteer_id = ? and status = 'assigned') h on h.session_id = x.id "
        "where x.ends_at > ? and x.status != 'cancelled' order by x.starts_at, x.id",
        [volunteer_id, since.isoformat()],
    )
    result = []
    for r in rows:
        role = r.pop("shift_role")
        r.pop("session_id")
        result.append((_row(r), role))
    return result


def shift_history(db: Database, volunteer_id: int, since: datetime) -> list[tuple[SessionRow, str, str]]:
    """Every shift of a volunteer on sessions starting at or after `since`,
    cancelled sessions and removed shifts included, earliest first.

    Returns:
        (session, role "lead"/"helper", shift status "assigned"/"removed").
    """
    rows = db.query(
        "select x.*, h.role as shift_role, h.status as shift_status from (" + _SESSION_SQL + ") x "
        "join shifts h on h.session_id = x.id where h.volunteer_id = ? and x.starts_at >= ? order by x.starts_at, x.id",
        [volunteer_id, since.astimezone(JST).isoformat()],
    )
    result = []
    for r in rows:
        role, status = r.pop("shift_role"), r.pop("shift_status")
        result.append((_row(r), role, status))
    return result


def understaffed_sessions(db: Database, since: datetime | None = None, limit: int = 100) -> list[SessionRow]:
    """Scheduled sessions starting after `since` (default now) that lack a lead or helpers."""
    since = (since or now_jst()).astimezone(JST)
    rows = db.query(
        "select * from (" + _SESSION_SQL + " where s.starts_at > ? and s.status = 'scheduled') "
        "where leads < 1 or helpers < helpers_needed order by starts_at, id limit ?",
        [since.isoformat(), limit],
    )
    return [_row(r) for r in rows]


def next_session_day(db: Database, after: date, before: date | None = None) -> date | None:
    """The first JST date after `after` (and before `before`, when given) with a
    scheduled session, read from the starts_at index; None when there is none."""
    args: list[object] = [(after + timedelta(days=1)).isoformat()]
    bound = ""
    if before is not None:
        bound, args = " and starts_at < ?", [*args, before.isoformat()]
    row = db.execute(
        f"select substr(starts_at, 1, 10) from sessions where starts_at >= ?{bound} and status = 'scheduled' order by starts_at limit 1",
        args,
    ).fetchone()
    return date.fromisoformat(row[0]) if row else None


def previous_session_day(db: Database, through: date, since: date) -> date | None:
    """The latest JST date from `since` through `through` with a scheduled session,
    read backwards from the starts_at index; None when there is none."""
    row = db.execute(
        "select substr(starts_at, 1, 10) from sessions where starts_at >= ? and starts_at < ? and status = 'scheduled' "
        "order by starts_at desc limit 1",
        [since.isoformat(), (through + timedelta(days=1)).isoformat()],
    ).fetchone()
    return date.fromisoformat(row[0]) if row else None


def find_session(db: Database, session_id: int) -> SessionRow | None:
    """A session, or None when there is no such session (e.g. a stale link)."""
    rows = list(db.query(_SESSION_SQL + " where s.id = ?", [session_id]))
    return _row(rows[0]) if rows else None


def needing_attention(db: Database, first: date, last: date, limit: int = 50) -> list[SessionRow]:
    """Scheduled sessions starting on JST dates first..last (inclusive) that lack a
    lead or helpers, or have fewer than half their seats taken: what the 今日 screen
    asks staff to look at for the coming fortnight. Earliest first."""
    rows = db.query(
        "select * from (" + _SESSION_SQL + " where s.starts_at >= ? and s.starts_at < ? and s.status = 'scheduled') "
        "where leads < 1 or helpers < helpers_needed or seats_taken * 2 < capacity order by starts_at, id limit ?",
        [first.isoformat(), (last + timedelta(days=1)).isoformat(), limit],
    )
    return [_row(r) for r in rows]


def cancel_session(db: Database, actor: Actor, session_id: int, reason: str) -> None:
    """Cancel a session (中止). Its bookings stay, so the call list can tell every
    booked and waiting attendee, and every applicant of a lottery covering it
    who applied before it was cancelled and holds no booking in it (db.calls);
    no further bookings are taken. `cancelled_at` records when (UTC).

    Raises:
        PermissionDenied: not staff. NotFound: no such scheduled session.
        InvalidInput: empty reason. MyNumberRejected: the reason holds a マイナンバー.
    """
    require(actor, "sessions.create")
    reason = check_free_text("reason", (reason or "").strip())
    if not reason:
        raise InvalidInput("reason", _("中止の理由を入力してください。"))
    with db.atomic():
        if not db["sessions"].count_where("id = ? and status = 'scheduled'", [session_id]):
            raise NotFound(_("中止できる開催回が見つかりません。"))
        db["sessions"].update(session_id, {"status": "cancelled", "cancel_reason": reason, "cancelled_at": now_utc_iso()})
        audit.record(db, actor, "cancel", "sessions", session_id, {"changed": ["status", "cancel_reason"]})
