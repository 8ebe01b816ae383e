"""Venues (会場・施設) and their rooms (部屋)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from db import audit
from db.errors import InvalidInput, NotFound
from db.guard import check_free_text
from db.permissions import Actor, require
from db.text import normalise_phone
from locales import _

MAX_SEATS = 200


@dataclass(frozen=True)
class Room:
    """A room with its venue's name and phone."""

    id: int
    name: str
    seats: int
    venue_id: int
    venue_name: str
    venue_phone: str


def create_venue(db: Database, actor: Actor, name: str, address: str = "", phone: str = "") -> int:
    """Register a venue.

    Returns:
        the new venue id.
    Raises:
        PermissionDenied: not an admin. InvalidInput: empty name or a bad phone number.
    """
    require(actor, "venues.manage")
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name", _("施設名を入力してください。"))
    phone_text = normalise_phone(phone)[0] if phone.strip() else ""
    with db.atomic():
        venue_id = db["venues"].insert({"name": name, "address": address.strip(), "phone": phone_text}).last_pk
        audit.record(db, actor, "create", "venues", venue_id, {"name": name})
    return venue_id


def create_room(db: Database, actor: Actor, venue_id: int, name: str, seats: int) -> int:
    """Add a room to a venue.

    Args:
        seats: chairs for attendees, 1–200.
    Returns:
        the new room id.
    Raises:
        PermissionDenied: not an admin. NotFound: no such venue.
        InvalidInput: empty name or seats out of range.
    """
    require(actor, "venues.manage")
    if not db["venues"].count_where("id = ?", [venue_id]):
        raise NotFound(_("施設が見つかりません。"))
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name", _("部屋の名前を入力してください。"))
    if not 1 <= int(seats) <= MAX_SEATS:
        raise InvalidInput("seats", _("席数は 1〜200 で入力してください。"))
    with db.atomic():
        room_id = db["rooms"].insert({"venue_id": venue_id, "name": name, "seats": int(seats)}).last_pk
        audit.record(db, actor, "create", "rooms", room_id, {"venue_id": venue_id, "name": name, "seats": int(seats)})
    return room_id


_ROOM_SQL = """
select r.id, r.name, r.seats, v.id as venue_id, v.name as venue_name, coalesce(v.phone, '') as venue_phone
from rooms r join venues v on v.id = r.venue_id
"""


def list_rooms(db: Database) -> list[Room]:
    """Every room of the centre's own venues, ordered by venue then room name.

    Outreach venues (a group's place, db.outreach) are left out: their sessions
    are made from a request, never picked as a room."""
    return [Room(**row) for row in db.query(_ROOM_SQL + " where v.outreach = 0 order by v.name, r.name")]


def get_room(db: Database, room_id: int) -> Room:
    """One room. Raises NotFound."""
    rows = list(db.query(_ROOM_SQL + " where r.id = ?", [room_id]))
    if not rows:
        raise NotFound(_("部屋が見つかりません。"))
    return Room(**rows[0])


@dataclass(frozen=True)
class Closure:
    """A date a venue is closed (休館日); date is ISO."""

    id: int
    venue_id: int
    venue_name: str
    date: str
    reason: str


def list_venues(db: Database) -> list[dict]:
    """The centre's own venues as dicts (id, name, address, phone), by name;
    outreach venues (db.outreach) are left out."""
    return list(db.query(
        "select id, name, coalesce(address, '') as address, coalesce(phone, '') as phone from venues where outreach = 0 order by name"
    ))


def add_closure(db: Database, actor: Actor, venue_id: int, day: date, reason: str) -> int:
    """Close a venue on a date. Sessions there that day are refused from then on.

    Raises:
        PermissionDenied: not an admin. NotFound: no such venue.
        InvalidInput: the date is already closed, or sessions are scheduled that day.
        MyNumberRejected: the reason holds a マイナンバー.
    """
    require(actor, "venues.manage")
    reason = check_free_text("reason", (reason or "").strip())
    if not db["venues"].count_where("id = ?", [venue_id]):
        raise NotFound(_("施設が見つかりません。"))
    with db.atomic():
        if db["closures"].count_where("venue_id = ? and date = ?", [venue_id, day.isoformat()]):
            raise InvalidInput("date", _("この日はすでに休館日です。"))
        booked = db.execute(
            "select count(*) from sessions s join rooms r on r.id = s.room_id "
            "where r.venue_id = ? and substr(s.starts_at, 1, 10) = ? and s.status = 'scheduled'",
            [venue_id, day.isoformat()],
        ).fetchone()[0]
        if booked:
            raise InvalidInput("date", _("この日は開催回が {n} 件あります。先に中止か日程変更をしてください。").format(n=booked))
        closure_id = db["closures"].insert({"venue_id": venue_id, "date": day.isoformat(), "reason": reason}).last_pk
        audit.record(db, actor, "create", "closures", closure_id, {"venue_id": venue_id, "date": day.isoformat(), "reason": reason})
    return closure_id


def remove_closure(db: Database, actor: Actor, closure_id: int) -> None:
    """Reopen a closed date. Raises PermissionDenied, NotFound."""
    require(actor, "venues.manage")
    with db.atomic():
        if not db["closures"].count_where("id = ?", [closure_id]):
            raise NotFound(_("休館日が見つかりません。"))
        db["closures"].delete(closure_id)
        audit.record(db, actor, "delete", "closures", closure_id, {})


def list_closures(db: Database, since: date) -> list[Closure]:
    """Closures on or after `since`, by date."""
    rows = db.query(
        "select c.id, c.venue_id, v.name as venue_name, c.date, coalesce(c.reason, '') as reason "
        "from closures c join venues v on v.id = c.venue_id where c.date >= ? order by c.date, v.name",
        [since.isoformat()],
    )
    return [Closure(**r) for r in rows]
