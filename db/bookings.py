"""Bookings (予約): an attendee's place in a session.

Capacity is enforced inside one ``BEGIN IMMEDIATE`` transaction (count, then
insert), so any number of processes racing for the last seats book exactly the
capacity and refuse the rest (stack_notes.md: read-then-insert without the write
lock oversold).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from db import audit, immediate
from db.clock import now_jst, now_utc_iso, parse_iso
from db.errors import AlreadyBooked, InvalidInput, NotFound, SessionFull, SessionNotOpen
from db.guard import check_free_text
from db.permissions import Actor, PermissionDenied, require
from db.sessions import SEAT_STATUSES
from locales import _

ACTIVE_STATUSES = SEAT_STATUSES + ("waitlisted",)


@dataclass(frozen=True)
class BookingRow:
    """A booking with the attendee details the front desk needs."""

    id: int
    attendee_id: int
    name: str
    name_kana: str
    phone: str
    device: str
    status: str
    queued_at: str


def book(db: Database, actor: Actor, session_id: int, attendee_id: int) -> int:
    """Give an attendee a seat in a session.

    Returns:
        the booking id (a cancelled booking of the same pair is reused).
    Raises:
        PermissionDenied: not staff.
        NotFound: no such session or attendee.
        SessionNotOpen: the session is cancelled or has started.
        AlreadyBooked: the attendee already holds a place in it.
        SessionFull: every seat is taken; nothing is written.
    """
    require(actor, "bookings.book")
    with immediate(db):
        session = db.execute("select capacity, status, starts_at from sessions where id = ?", [session_id]).fetchone()
        if session is None:
            raise NotFound(_("開催回が見つかりません。"))
        capacity, status, starts_at = session
        if status != "scheduled" or parse_iso(starts_at) <= now_jst():
            raise SessionNotOpen(_("この開催回は予約を受け付けていません（中止または開始済み）。"))
        if not db.execute("select 1 from attendees where id = ?", [attendee_id]).fetchone():
            raise NotFound(_("受講者が見つかりません。"))
        existing = db.execute(
            "select id, status from bookings where session_id = ? and attendee_id = ?", [session_id, attendee_id]
        ).fetchone()
        if existing and existing[1] in ACTIVE_STATUSES:
            raise AlreadyBooked(_("この方はすでにこの開催回を予約しています。"))
        marks = ",".join("?" * len(SEAT_STATUSES))
        taken = db.execute(
            f"select count(*) from bookings where session_id = ? and status in ({marks})", [session_id, *SEAT_STATUSES]
        ).fetchone()[0]
        if taken >= capacity:
            raise SessionFull(_("満席です（定員 {capacity} 人）。予約は登録していません。").format(capacity=capacity))
        row = {
            "status": "booked",
            "queued_at": now_utc_iso(),
            "created_by": actor.username,
            "cancelled_at": None,
            "cancel_reason": None,
        }
        if existing:
            booking_id = existing[0]
            db["bookings"].update(booking_id, row)
        else:
            booking_id = db["bookings"].insert({"session_id": session_id, "attendee_id": attendee_id, **row}).last_pk
        db.execute("update attendees set last_seen_on = ? where id = ?", [now_jst().date().isoformat(), attendee_id])
        audit.record(db, actor, "book", "bookings", booking_id, {"session_id": session_id, "attendee_id": attendee_id})
    return booking_id


def cancel_booking(db: Database, actor: Actor, booking_id: int, reason: str) -> None:
    """Cancel a booking and free its seat.

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
        row = db.execute("select status from bookings where id = ?", [booking_id]).fetchone()
        if row is None or row[0] not in ACTIVE_STATUSES:
            raise NotFound(_("取り消せる予約が見つかりません。"))
        db["bookings"].update(booking_id, {"status": "cancelled", "cancelled_at": now_utc_iso(), "cancel_reason": reason})
        # The reason is free text and may name people: the log keeps only that it changed.
        audit.record(db, actor, "cancel", "bookings", booking_id, {"from": row[0], "changed": ["status", "cancel_reason"]})


def list_bookings(db: Database, actor: Actor, session_id: int) -> list[BookingRow]:
    """Active bookings of a session ordered by フリガナ (the sign-in order), with phone
    numbers. Raises PermissionDenied (not staff)."""
    require(actor, "bookings.read")
    marks = ",".join("?" * len(ACTIVE_STATUSES))
    rows = db.query(
        f"""select b.id, b.attendee_id, a.name, a.name_kana, coalesce(a.phone, '') as phone,
               coalesce(a.device, '') as device, b.status, b.queued_at
            from bookings b join attendees a on a.id = b.attendee_id
            where b.session_id = ? and b.status in ({marks})
            order by a.kana_key, a.id""",
        [session_id, *ACTIVE_STATUSES],
    )
    return [BookingRow(**r) for r in rows]


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
