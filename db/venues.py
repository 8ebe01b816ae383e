"""Venues (会場・施設) and their rooms (部屋)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from db import audit
from db.errors import InvalidInput, NotFound
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


def create_venue(db: Database, actor: str, name: str, address: str = "", phone: str = "") -> int:
    """Register a venue.

    Returns:
        the new venue id.
    Raises:
        InvalidInput: empty name or a bad phone number.
    """
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name", _("施設名を入力してください。"))
    phone_text = normalise_phone(phone)[0] if phone.strip() else ""
    with db.atomic():
        venue_id = db["venues"].insert({"name": name, "address": address.strip(), "phone": phone_text}).last_pk
        audit.record(db, actor, "create", "venues", venue_id, {"name": name})
    return venue_id


def create_room(db: Database, actor: str, venue_id: int, name: str, seats: int) -> int:
    """Add a room to a venue.

    Args:
        seats: chairs for attendees, 1–200.
    Returns:
        the new room id.
    Raises:
        NotFound: no such venue. InvalidInput: empty name or seats out of range.
    """
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
    """Every room, ordered by venue then room name."""
    return [Room(**row) for row in db.query(_ROOM_SQL + " order by v.name, r.name")]


def get_room(db: Database, room_id: int) -> Room:
    """One room. Raises NotFound."""
    rows = list(db.query(_ROOM_SQL + " where r.id = ?", [room_id]))
    if not rows:
        raise NotFound(_("部屋が見つかりません。"))
    return Room(**rows[0])
