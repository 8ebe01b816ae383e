"""Bookings (予約), the waitlist (キャンセル待ち), offers (繰り上げ連絡) and attendance (出欠).

Rules (DESIGN.md §7): first come, first served. A full session takes further
bookings as waitlisted, ordered by when they asked. A freed seat (a cancellation,
a declined or expired offer, a raised capacity) becomes an offer to the first
waiting attendee, held while staff phone them until the desk closes on the 2nd
open day after it (`db.opening.offer_deadline`, never later than an hour before
the start); accepted → booked, declined or no answer by the deadline → the next
in line. Overdue offers pass on by themselves: housekeeping runs `expire_offers`
every 15 minutes. When no desk hour is left to phone before the session, no offer
is made and staff decide (`seat_from_waitlist`).

Every change runs inside one ``BEGIN IMMEDIATE`` transaction that ends by filling
the session's free seats from the waitlist (`_fill_seats`), so seats taken never
exceed capacity (unless staff overbook on purpose, with a reason), and no seat is
free while someone waits. Read-then-insert without the write lock oversold
(stack_notes.md). Every transition is in the audit log with who and when.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlite_utils import Database

from db import audit, immediate, lottery, opening
from db.clock import JST, now_jst, now_utc, now_utc_iso, parse_iso, utc_iso
from db.errors import AlreadyBooked, AttendanceClosed, InvalidInput, NotFound, SessionFull, SessionNotOpen
from db.guard import check_free_text
from db.permissions import Actor, PermissionDenied, require
from db.sessions import SEAT_STATUSES
from db.settings import get_settings
from locales import _

ACTIVE_STATUSES = SEAT_STATUSES + ("waitlisted",)
STATUS_LABELS = {
    "booked": "予約",
    "waitlisted": "キャンセル待ち",
    "offered": "繰り上げ連絡中",
    "cancelled": "取消",
    "attended": "出席",
    "absent": "欠席",
}
MARKS = {"attended": "出席", "late": "遅刻", "absent": "欠席"}
DECLINED = "繰り上げを辞退"
EXPIRED = "繰り上げの期限切れ"
# Attendance can be corrected for two weeks after a class (DESIGN.md §7).
ATTENDANCE_DAYS_AFTER = 14


@dataclass(frozen=True)
class BookingRow:
    """A booking with the attendee details the front desk needs.

    queued_at / offered_until: ISO UTC strings ("" when not set).
    """

    id: int
    attendee_id: int
    name: str
    name_kana: str
    phone: str
    device: str
    status: str
    queued_at: str
    offered_until: str
    late: bool
    marked_by: str
    needs: tuple[str, ...]


def _marks(values: tuple[str, ...]) -> str:
    return ",".join("?" * len(values))


def _seats_taken(db: Database, session_id: int) -> int:
    return db.execute(
        f"select count(*) from bookings where session_id = ? and status in ({_marks(SEAT_STATUSES)})",
        [session_id, *SEAT_STATUSES],
    ).fetchone()[0]


def _expire_offers(db: Database, actor: Actor, session_id: int, now: datetime) -> int:
    expired = db.execute(
        "select id from bookings where session_id = ? and status = 'offered' and offered_until <= ?",
        [session_id, utc_iso(now)],
    ).fetchall()
    for (booking_id,) in expired:
        db["bookings"].update(booking_id, {"status": "cancelled", "cancelled_at": utc_iso(now), "cancel_reason": EXPIRED})
        audit.record(db, actor, "offer_expired", "bookings", booking_id, {"from": "offered", "to": "cancelled"})
    return len(expired)


def _free_seats(db: Database, session_id: int) -> tuple[int, str, datetime, int]:
    """(free seats, session status, start, venue id) of a session."""
    capacity, status, starts_at, venue_id = db.execute(
        "select s.capacity, s.status, s.starts_at, r.venue_id from sessions s join rooms r on r.id = s.room_id where s.id = ?",
        [session_id],
    ).fetchone()
    return capacity - _seats_taken(db, session_id), status, parse_iso(starts_at), venue_id


def _offer_deadline(db: Database, venue_id: int, now: datetime, starts_at: datetime) -> datetime | None:
    calendar = opening.open_days(db, venue_id, now.astimezone(JST).date())
    return opening.offer_deadline(calendar, get_settings(db), now, starts_at)


def _fill_seats(db: Database, actor: Actor, session_id: int, now: datetime | None = None) -> int:
    """Expire overdue offers, then offer every free seat to the next waiting
    attendee, unless no call fits before the session. Returns how many offers
    expired."""
    now = now or now_utc()
    expired = _expire_offers(db, actor, session_id, now)
    if not db.execute("select 1 from bookings where session_id = ? and status = 'waitlisted' limit 1", [session_id]).fetchone():
        return expired
    free, status, starts_at, venue_id = _free_seats(db, session_id)
    if status != "scheduled" or free <= 0:
        return expired
    deadline = _offer_deadline(db, venue_id, now, starts_at)
    if deadline is None:
        return expired
    until = utc_iso(deadline)
    waiting = db.execute(
        "select id from bookings where session_id = ? and status = 'waitlisted' order by queued_at, id limit ?",
        [session_id, free],
    ).fetchall()
    for (booking_id,) in waiting:
        db["bookings"].update(booking_id, {"status": "offered", "offered_until": until, "offered_at": utc_iso(now)})
        audit.record(db, actor, "offer", "bookings", booking_id, {"from": "waitlisted", "to": "offered", "offered_until": until})
    return expired


@dataclass(frozen=True)
class NewOffer:
    """A seat just offered to a waiting attendee: whom to phone, and by when
    (`deadline`, aware UTC)."""

    booking_id: int
    name: str
    phone: str
    deadline: datetime


def _offered_ids(db: Database, session_id: int) -> set[int]:
    return {r[0] for r in db.execute("select id from bookings where session_id = ? and status = 'offered'", [session_id])}


def _new_offers(db: Database, session_id: int, before: set[int]) -> list[NewOffer]:
    rows = db.execute(
        "select b.id, a.name, coalesce(a.phone, ''), b.offered_until from bookings b join attendees a on a.id = b.attendee_id "
        "where b.session_id = ? and b.status = 'offered' order by b.queued_at, b.id",
        [session_id],
    ).fetchall()
    return [NewOffer(r[0], r[1], r[2], parse_iso(r[3])) for r in rows if r[0] not in before]


def _open_session(db: Database, session_id: int) -> tuple[int, str]:
    row = db.execute("select capacity, status, starts_at from sessions where id = ?", [session_id]).fetchone()
    if row is None:
        raise NotFound(_("開催回が見つかりません。"))
    capacity, status, starts_at = row
    if status != "scheduled" or parse_iso(starts_at) <= now_jst():
        raise SessionNotOpen(_("この開催回は予約を受け付けていません（中止または開始済み）。"))
    return capacity, starts_at


def book(
    db: Database, actor: Actor, session_id: int, attendee_id: int, *, waitlist: bool = False, overbook_reason: str = ""
) -> int:
    """Give an attendee a seat, or a place on the waitlist.

    Args:
        waitlist: when the session is full, queue the attendee (キャンセル待ち)
            instead of refusing.
        overbook_reason: when full, seat the attendee beyond capacity on purpose
            (staff decision, recorded with the reason).
    Returns:
        the booking id (a cancelled booking of the same pair is reused); its
        status is "booked" or "waitlisted" (`status_of`).
    Raises:
        PermissionDenied: not staff.
        NotFound: no such session or attendee.
        SessionNotOpen: the session is cancelled or has started, or awaits
            its lottery's draw (db.lottery).
        AlreadyBooked: the attendee already holds a place (or waits) in it.
        SessionFull: full, and neither waitlist nor overbook asked; nothing is written.
        MyNumberRejected: the overbook reason holds a マイナンバー.
    """
    require(actor, "bookings.book")
    overbook_reason = check_free_text("overbook_reason", (overbook_reason or "").strip())
    with immediate(db):
        capacity, _starts = _open_session(db, session_id)
        if lottery.awaiting_draw(db, session_id):
            raise SessionNotOpen(_("この開催回は抽選です。抽選までは予約ではなく申込として受け付けてください。"))
        if not db.execute("select 1 from attendees where id = ? and anonymised_at is null", [attendee_id]).fetchone():
            raise NotFound(_("受講者が見つかりません。"))
        existing = db.execute(
            "select id, status from bookings where session_id = ? and attendee_id = ?", [session_id, attendee_id]
        ).fetchone()
        if existing and existing[1] in ACTIVE_STATUSES:
            if existing[1] == "waitlisted":
                raise AlreadyBooked(_("この方はすでにキャンセル待ちに入っています。"))
            raise AlreadyBooked(_("この方はすでにこの開催回を予約しています。"))
        _fill_seats(db, actor, session_id)
        # An open offer holds its own seat; a free seat only goes to a newcomer
        # when nobody is still waiting for one.
        waiting = db.execute(
            "select count(*) from bookings where session_id = ? and status = 'waitlisted'", [session_id]
        ).fetchone()[0]
        if _seats_taken(db, session_id) < capacity and not waiting:
            status = "booked"
        elif overbook_reason:
            status = "booked"
        elif waitlist:
            status = "waitlisted"
        else:
            raise SessionFull(_("満席です（定員 {capacity} 人）。予約は登録していません。").format(capacity=capacity))
        row = {
            "status": status,
            "queued_at": now_utc_iso(),
            "created_by": actor.username,
            "cancelled_at": None,
            "cancel_reason": None,
            "offered_until": None,
            "offered_at": None,
            "late": 0,
            "overbook_reason": overbook_reason if status == "booked" and overbook_reason else None,
        }
        if existing:
            booking_id = existing[0]
            db["bookings"].update(booking_id, row)
        else:
            columns = {"session_id": session_id, "attendee_id": attendee_id, **row}
            booking_id = db.execute(
                f"insert into bookings ({', '.join(columns)}) values ({_marks(tuple(columns))})", list(columns.values())
            ).lastrowid
        db.execute("update attendees set last_seen_on = ? where id = ?", [now_jst().date().isoformat(), attendee_id])
        detail = {"session_id": session_id, "attendee_id": attendee_id, "to": status}
        if row["overbook_reason"]:
            detail["overbooked"] = True
        audit.record(db, actor, "waitlist" if status == "waitlisted" else "book", "bookings", booking_id, detail)
    return booking_id


def status_of(db: Database, booking_id: int) -> str:
    """A booking's status (see `STATUS_LABELS`). Raises NotFound."""
    row = db.execute("select status from bookings where id = ?", [booking_id]).fetchone()
    if row is None:
        raise NotFound(_("予約が見つかりません。"))
    return row[0]


def _session_of(db: Database, booking_id: int) -> tuple[int, str]:
    row = db.execute("select session_id, status from bookings where id = ?", [booking_id]).fetchone()
    if row is None:
        raise NotFound(_("予約が見つかりません。"))
    return row


def cancel_booking(db: Database, actor: Actor, booking_id: int, reason: str) -> list[NewOffer]:
    """Cancel a booking (or take someone off the waitlist); a freed seat is offered
    to the next waiting attendee.

    Returns:
        the offers this made (whom staff now phone), [] for none.

    Args:
        reason: why (e.g. 体調不良), required.
    Raises:
        PermissionDenied: not staff.
        NotFound: no such active booking.
        InvalidInput: empty reason. MyNumberRejected: the reason holds a マイナンバー.
    """
    require(actor, "bookings.cancel")
    reason = check_free_text("reason", (reason or "").strip())
    if not reason:
        raise InvalidInput("reason", _("キャンセルの理由を入力してください。"))
    with immediate(db):
        row = db.execute("select status, session_id from bookings where id = ?", [booking_id]).fetchone()
        if row is None or row[0] not in ACTIVE_STATUSES:
            raise NotFound(_("取り消せる予約が見つかりません。"))
        db["bookings"].update(booking_id, {"status": "cancelled", "cancelled_at": now_utc_iso(), "cancel_reason": reason})
        # The reason is free text and may name people: the log keeps only that it changed.
        audit.record(db, actor, "cancel", "bookings", booking_id, {"from": row[0], "to": "cancelled", "changed": ["cancel_reason"]})
        before = _offered_ids(db, row[1])
        _fill_seats(db, actor, row[1])
        return _new_offers(db, row[1], before)


def record_offer_outcome(db: Database, actor: Actor, booking_id: int, accepted: bool) -> list[NewOffer]:
    """Record the phone call of an offer: accepted → booked; declined → the seat
    goes to the next in line.

    Returns:
        the offers this made (after a decline), [] for none.

    Raises:
        PermissionDenied: not staff. NotFound: no open offer (perhaps it expired;
            the deadline passes to the next person by itself).
    """
    require(actor, "bookings.book")
    with immediate(db):
        session_id, _status = _session_of(db, booking_id)
        _expire_offers(db, actor, session_id, now_utc())
        if status_of(db, booking_id) != "offered":
            raise NotFound(_("この方への繰り上げ連絡はありません（期限切れの可能性があります）。"))
        if accepted:
            db["bookings"].update(booking_id, {"status": "booked", "offered_until": None})
            audit.record(db, actor, "offer_accepted", "bookings", booking_id, {"from": "offered", "to": "booked"})
        else:
            db["bookings"].update(booking_id, {"status": "cancelled", "cancelled_at": now_utc_iso(), "cancel_reason": DECLINED})
            audit.record(db, actor, "offer_declined", "bookings", booking_id, {"from": "offered", "to": "cancelled"})
        before = _offered_ids(db, session_id)
        _fill_seats(db, actor, session_id)
        return _new_offers(db, session_id, before)


def expire_offers(db: Database, actor: Actor, now: datetime | None = None) -> int:
    """Pass every overdue offer on to the next in line, in every session
    (housekeeping runs this every 15 minutes as the system actor).

    Args:
        now: aware datetime (default: `db.clock`'s now).
    Returns:
        how many offers expired.
    Raises:
        PermissionDenied: not staff.
    """
    require(actor, "bookings.book")
    now = now or now_utc()
    with immediate(db):
        # "+session_id": read the few lapsed offers by deadline, not every
        # booking in session order to find them.
        sessions = [
            r[0]
            for r in db.execute(
                "select distinct +session_id from bookings where status = 'offered' and offered_until <= ?", [utc_iso(now)]
            )
        ]
        return sum(_fill_seats(db, actor, session_id, now) for session_id in sessions)


def no_call_fits(db: Database, session_id: int, now: datetime | None = None) -> bool:
    """Whether a seat of a scheduled session is free while attendees wait, and no
    desk hour is left to phone them before it starts: staff decide then
    (`seat_from_waitlist`)."""
    now = now or now_utc()
    if not db.execute("select 1 from bookings where session_id = ? and status = 'waitlisted' limit 1", [session_id]).fetchone():
        return False
    free, status, starts_at, venue_id = _free_seats(db, session_id)
    return status == "scheduled" and free > 0 and starts_at > now and _offer_deadline(db, venue_id, now, starts_at) is None


def seat_from_waitlist(db: Database, actor: Actor, booking_id: int) -> None:
    """Give a free seat to a waiting attendee directly, when staff reached them
    although no offer could be made in time (`no_call_fits`).

    Raises:
        PermissionDenied: not staff. NotFound: not a waiting booking.
        SessionNotOpen: cancelled or started. SessionFull: no free seat.
    """
    require(actor, "bookings.book")
    with immediate(db):
        session_id, status = _session_of(db, booking_id)
        if status != "waitlisted":
            raise NotFound(_("キャンセル待ちの予約が見つかりません。"))
        capacity, _starts = _open_session(db, session_id)
        if _seats_taken(db, session_id) >= capacity:
            raise SessionFull(_("満席です（定員 {capacity} 人）。予約は登録していません。").format(capacity=capacity))
        db["bookings"].update(booking_id, {"status": "booked", "offered_until": None})
        audit.record(db, actor, "seat_from_waitlist", "bookings", booking_id, {"from": "waitlisted", "to": "booked"})


def change_capacity(db: Database, actor: Actor, session_id: int, capacity: int) -> list[NewOffer]:
    """Change a session's capacity; new seats go to the waitlist as offers.

    Returns:
        the offers this made, [] for none.

    Raises:
        PermissionDenied: not staff. NotFound. SessionNotOpen.
        InvalidInput: below the seats already taken, or above the room's seats.
    """
    require(actor, "bookings.book")
    with immediate(db):
        _open_session(db, session_id)
        seats = db.execute("select r.seats from sessions s join rooms r on r.id = s.room_id where s.id = ?", [session_id]).fetchone()[0]
        taken = _seats_taken(db, session_id)
        if not max(taken, 1) <= int(capacity) <= seats:
            raise InvalidInput(
                "capacity", _("定員は {low}〜{high} 人で指定してください（予約済み {taken} 人、部屋の席数 {high}）。").format(low=max(taken, 1), high=seats, taken=taken)
            )
        before = db.execute("select capacity from sessions where id = ?", [session_id]).fetchone()[0]
        db["sessions"].update(session_id, {"capacity": int(capacity)})
        audit.record(db, actor, "update", "sessions", session_id, {"capacity": [before, int(capacity)]})
        offered = _offered_ids(db, session_id)
        _fill_seats(db, actor, session_id)
        return _new_offers(db, session_id, offered)


def attendance_window_minutes(db: Database) -> int:
    """Minutes before a start from which attendance can be marked (setting)."""
    return get_settings(db).attendance_opens_min


def attendance_window(db: Database, session_id: int) -> tuple[datetime, datetime]:
    """When a session's attendance can be marked: from `attendance_opens_min`
    (setting, default 30) minutes before its start until 14 days after it
    (DESIGN.md §7), as aware JST datetimes."""
    row = db.execute("select starts_at from sessions where id = ?", [session_id]).fetchone()
    if row is None:
        raise NotFound(_("開催回が見つかりません。"))
    starts_at = parse_iso(row[0]).astimezone(JST)
    opens = starts_at - timedelta(minutes=get_settings(db).attendance_opens_min)
    return opens, starts_at + timedelta(days=ATTENDANCE_DAYS_AFTER)


def mark_attendance(db: Database, actor: Actor, booking_id: int, mark: str) -> None:
    """Record attendance (出欠) for a seated booking: "attended", "late" or
    "absent"; "" clears a mark. Correctable within `attendance_window`: the
    newest mark wins, and each is logged with who and when.

    Raises:
        PermissionDenied: not staff. NotFound: not a seated booking.
        InvalidInput: an unknown mark.
        AttendanceClosed: before the window opens or after it closes.
    """
    require(actor, "bookings.book")
    if mark not in ("", *MARKS):
        raise InvalidInput("mark", _("出欠は 出席・遅刻・欠席 から選んでください。"))
    with immediate(db):
        session_id, status = _session_of(db, booking_id)
        if status not in ("booked", "attended", "absent"):
            raise NotFound(_("出欠をつけられる予約ではありません。"))
        opens, closes = attendance_window(db, session_id)
        now = now_jst()
        if now < opens:
            raise AttendanceClosed(
                _("出欠は開始の{minutes}分前（{month}月{day}日 {time}）からつけられます。").format(
                    minutes=get_settings(db).attendance_opens_min, month=opens.month, day=opens.day, time=f"{opens:%-H:%M}"
                )
            )
        if now > closes:
            raise AttendanceClosed(_("開催から{days}日を過ぎたため、出欠は変えられません。").format(days=ATTENDANCE_DAYS_AFTER))
        to = {"": "booked", "attended": "attended", "late": "attended", "absent": "absent"}[mark]
        db["bookings"].update(
            booking_id,
            {"status": to, "late": int(mark == "late"), "marked_by": actor.username if mark else None, "attended_at": now_utc_iso() if mark else None},
        )
        audit.record(db, actor, "attendance", "bookings", booking_id, {"from": status, "to": to, "mark": mark})


def book_series(db: Database, actor: Actor, series_id: int, attendee_id: int) -> list[tuple[int, str]]:
    """Book one attendee into every upcoming session of a series (連続講座) at once;
    full sessions put them on the waitlist.

    Returns:
        [(session id, "booked" / "waitlisted" / "already")] in date order.
    Raises:
        PermissionDenied: not staff. NotFound: no upcoming session in the series.
    """
    require(actor, "bookings.book")
    ids = [
        r[0]
        for r in db.execute(
            "select id from sessions where series_id = ? and status = 'scheduled' and starts_at > ? order by starts_at",
            [series_id, now_jst().isoformat()],
        )
    ]
    if not ids:
        raise NotFound(_("この連続講座にこれからの開催回はありません。"))
    outcomes = []
    for session_id in ids:
        try:
            booking_id = book(db, actor, session_id, attendee_id, waitlist=True)
            outcomes.append((session_id, status_of(db, booking_id)))
        except AlreadyBooked:
            outcomes.append((session_id, "already"))
    return outcomes


_ROW_COLUMNS = """b.id, b.attendee_id, a.name, a.name_kana, coalesce(a.phone, '') as phone,
       coalesce(a.device, '') as device, b.status, b.queued_at, coalesce(b.offered_until, '') as offered_until,
       b.late, coalesce(b.marked_by, '') as marked_by, coalesce(a.needs, '') as needs"""
_ROW_SQL = f"select {_ROW_COLUMNS} from bookings b join attendees a on a.id = b.attendee_id"


def _booking_row(row: dict) -> BookingRow:
    needs = tuple(json.loads(row["needs"])) if row["needs"].startswith("[") else ()
    return BookingRow(**{**row, "late": bool(row["late"]), "needs": needs})


def list_bookings(db: Database, actor: Actor, session_id: int) -> list[BookingRow]:
    """Seated bookings of a session by フリガナ (the sign-in order), with phone
    numbers. Raises PermissionDenied (not staff)."""
    require(actor, "bookings.read")
    rows = db.query(
        _ROW_SQL + f" where b.session_id = ? and b.status in ({_marks(SEAT_STATUSES)}) order by a.kana_key, a.id",
        [session_id, *SEAT_STATUSES],
    )
    return [_booking_row(r) for r in rows]


def waitlist(db: Database, actor: Actor, session_id: int) -> list[BookingRow]:
    """The waitlist of a session in queue order (open offers first, then waiting).
    Raises PermissionDenied (not staff)."""
    require(actor, "bookings.read")
    rows = db.query(
        _ROW_SQL + " where b.session_id = ? and b.status in ('offered', 'waitlisted') "
        "order by case b.status when 'offered' then 0 else 1 end, b.queued_at, b.id",
        [session_id],
    )
    return [_booking_row(r) for r in rows]


def queue_counts(db: Database, session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{session id: (open offers, still waiting)} for the given sessions (no
    personal data: counts only)."""
    found = {session_id: (0, 0) for session_id in session_ids}
    if not session_ids:
        return found
    rows = db.execute(
        f"select session_id, sum(status = 'offered'), sum(status = 'waitlisted') from bookings "
        f"where session_id in ({_marks(tuple(session_ids))}) and status in ('offered', 'waitlisted') group by session_id",
        session_ids,
    )
    for session_id, offered, waiting in rows:
        found[session_id] = (offered, waiting)
    return found


@dataclass(frozen=True)
class DueOffer:
    """An open offer whose deadline falls on a given day: the booking, and its
    session's id, lesson and start (aware JST)."""

    booking: BookingRow
    session_id: int
    lesson_id: str
    starts_at: datetime


def offers_due(db: Database, actor: Actor, day: date) -> list[DueOffer]:
    """Open offers (繰り上げ連絡中) whose deadline is on `day` (JST), earliest
    deadline first: whom to chase before the desk closes.

    Raises:
        PermissionDenied: not staff (the rows hold phone numbers).
    """
    require(actor, "bookings.read")
    start = datetime.combine(day, time(0), tzinfo=JST)
    rows = db.query(
        f"select {_ROW_COLUMNS}, b.session_id as due_session, s.lesson_id as due_lesson, s.starts_at as due_starts "
        "from bookings b join attendees a on a.id = b.attendee_id join sessions s on s.id = b.session_id "
        "where b.status = 'offered' and b.offered_until >= ? and b.offered_until < ? order by b.offered_until, b.id",
        [utc_iso(start), utc_iso(start + timedelta(days=1))],
    )
    due = []
    for r in rows:
        session_id, lesson_id, starts = r.pop("due_session"), r.pop("due_lesson"), r.pop("due_starts")
        due.append(DueOffer(_booking_row(r), session_id, lesson_id, parse_iso(starts).astimezone(JST)))
    return due


@dataclass(frozen=True)
class RosterRow:
    """What a volunteer may see of an attendee: name, フリガナ and device, no phone."""

    name: str
    name_kana: str
    device: str


def roster(db: Database, actor: Actor, session_id: int) -> list[RosterRow]:
    """Names and devices of the attendees holding a seat, by フリガナ.

    Raises:
        PermissionDenied: a volunteer without an assigned shift in this session.
    """
    require(actor, "roster.read")
    if not actor.is_staff:
        if actor.volunteer_id is None or not db.execute(
            "select 1 from shifts where session_id = ? and volunteer_id = ? and status = 'assigned'",
            [session_id, actor.volunteer_id],
        ).fetchone():
            raise PermissionDenied(_("担当している開催回の名簿だけを見られます。"))
    marks = ",".join("?" * len(SEAT_STATUSES))
    rows = db.query(
        f"""select a.name, a.name_kana, coalesce(a.device, '') as device
            from bookings b join attendees a on a.id = b.attendee_id
            where b.session_id = ? and b.status in ({marks}) order by a.kana_key, a.id""",
        [session_id, *SEAT_STATUSES],
    )
    return [RosterRow(**r) for r in rows]


@dataclass(frozen=True)
class HistoryRow:
    """One session in an attendee's history; starts_at is aware JST."""

    session_id: int
    lesson_id: str
    starts_at: datetime
    session_status: str
    status: str
    late: bool


def history(db: Database, actor: Actor, attendee_id: int) -> list[HistoryRow]:
    """Every booking of an attendee, newest session first (attended, no-shows,
    waiting, cancelled). Raises PermissionDenied (not staff)."""
    require(actor, "bookings.read")
    rows = db.query(
        "select s.id as session_id, s.lesson_id, s.starts_at, s.status as session_status, b.status, b.late "
        "from bookings b join sessions s on s.id = b.session_id where b.attendee_id = ? order by s.starts_at desc",
        [attendee_id],
    )
    return [
        HistoryRow(**{**r, "starts_at": parse_iso(r["starts_at"]).astimezone(JST), "late": bool(r["late"])}) for r in rows
    ]
