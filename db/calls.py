"""Whom to phone (電話連絡リスト): tomorrow's reminders, open waitlist offers with
their deadlines, and notices for cancelled sessions (DESIGN.md §7: residents are
phoned, most have no e-mail)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlite_utils import Database

import lessons
from db.clock import JST, parse_iso, today_jst
from db.permissions import Actor, require


@dataclass(frozen=True)
class CallTarget:
    """One call: kind "reminder" / "offer" / "cancelled", who, which session.

    starts_at / ends_at: aware JST. deadline: an offer's deadline (aware UTC) or None.
    """

    kind: str
    booking_id: int
    name: str
    name_kana: str
    phone: str
    lesson_title: str
    starts_at: datetime
    ends_at: datetime
    room: str
    deadline: datetime | None


_SQL = """
select b.id as booking_id, a.name, a.name_kana, coalesce(a.phone, '') as phone, s.lesson_id,
       s.starts_at, s.ends_at, r.name as room, b.offered_until, b.status, s.status as session_status
from bookings b join attendees a on a.id = b.attendee_id join sessions s on s.id = b.session_id
join rooms r on r.id = s.room_id
where a.anonymised_at is null and a.phone is not null
"""


def call_list(db: Database, actor: Actor, today: date | None = None) -> list[CallTarget]:
    """Today's calls, ordered by kind then session time then フリガナ.

    - reminder: seated bookings of scheduled sessions tomorrow (JST);
    - offer: every open offer, with its deadline;
    - cancelled: booked, offered or waiting attendees of cancelled sessions from
      today on.

    Raises:
        PermissionDenied: not staff (the list holds phone numbers).
    """
    require(actor, "bookings.read")
    today = today or today_jst()
    tomorrow = (today + timedelta(days=1)).isoformat()
    rows = list(
        db.query(
            _SQL
            + """ and ((s.status = 'scheduled' and b.status = 'booked' and substr(s.starts_at, 1, 10) = ?)
                  or (s.status = 'scheduled' and b.status = 'offered')
                  or (s.status = 'cancelled' and b.status in ('booked', 'offered', 'waitlisted') and substr(s.starts_at, 1, 10) >= ?))
                order by s.starts_at, a.kana_key""",
            [tomorrow, today.isoformat()],
        )
    )
    catalogue = lessons.catalogue()
    targets = []
    for r in rows:
        if r["session_status"] == "cancelled":
            kind = "cancelled"
        elif r["status"] == "offered":
            kind = "offer"
        else:
            kind = "reminder"
        lesson = catalogue.get(r["lesson_id"])
        targets.append(
            CallTarget(
                kind=kind,
                booking_id=r["booking_id"],
                name=r["name"],
                name_kana=r["name_kana"],
                phone=r["phone"],
                lesson_title=lesson.title if lesson else r["lesson_id"],
                starts_at=parse_iso(r["starts_at"]).astimezone(JST),
                ends_at=parse_iso(r["ends_at"]).astimezone(JST),
                room=r["room"],
                deadline=parse_iso(r["offered_until"]) if kind == "offer" and r["offered_until"] else None,
            )
        )
    order = {"cancelled": 0, "offer": 1, "reminder": 2}
    return sorted(targets, key=lambda t: order[t.kind])
