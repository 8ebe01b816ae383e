"""Attendees (受講者): residents known to the centre, found by phone or フリガナ.

There is no My Number field, ever (My Number Act art. 20).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from db import audit
from db.clock import now_utc_iso, today_jst
from db.errors import InvalidInput, NotFound
from db.permissions import Actor, require
from db.text import kana_key, normalise_kana, normalise_name, normalise_phone, to_search_digits
from locales import _

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Attendee:
    """An attendee as shown to staff."""

    id: int
    name: str
    name_kana: str
    phone: str
    device: str
    consent_on: str


class DuplicateAttendee(InvalidInput):
    """Someone with the same phone number and フリガナ is already registered."""

    def __init__(self, existing: Attendee):
        super().__init__(
            "phone",
            _("同じ電話番号とフリガナの方がすでに登録されています（{name} さん）。").format(name=existing.name),
        )
        self.existing = existing


_COLUMNS = "id, name, name_kana, coalesce(phone, '') as phone, coalesce(device, '') as device, coalesce(consent_on, '') as consent_on"


def register_attendee(db: Database, actor: Actor, name: str, name_kana: str, phone: str, consent: bool) -> int:
    """Register a resident.

    Args:
        name: 氏名. name_kana: フリガナ (hiragana or katakana, any width).
        phone: Japanese phone number, any width or punctuation.
        consent: the resident agreed to the stated purpose of use; its date is
            recorded (個人情報保護法 art. 17–21: purpose stated, consent kept).
    Returns:
        the new attendee id.
    Raises:
        PermissionDenied: not staff.
        InvalidInput: a field fails validation or consent is missing.
        DuplicateAttendee: same phone and フリガナ already registered.
    """
    require(actor, "attendees.register")
    name = normalise_name(name)
    name_kana = normalise_kana(name_kana)
    phone_text, digits = normalise_phone(phone)
    if not consent:
        raise InvalidInput("consent", _("個人情報の利用目的を説明し、同意を得てから登録してください。"))
    key = kana_key(name_kana)
    with db.atomic():
        same = list(db.query(f"select {_COLUMNS} from attendees where phone_digits = ? and kana_key = ?", [digits, key]))
        if same:
            raise DuplicateAttendee(Attendee(**same[0]))
        attendee_id = db["attendees"].insert(
            {
                "name": name,
                "name_kana": name_kana,
                "kana_key": key,
                "phone": phone_text,
                "phone_digits": digits,
                "consent_on": today_jst().isoformat(),
                "created_at": now_utc_iso(),
            }
        ).last_pk
        # Names and phones stay out of the audit log so erasure can remove them.
        audit.record(db, actor, "create", "attendees", attendee_id, {"consent_on": today_jst().isoformat()})
    return attendee_id


def find_attendees(db: Database, actor: Actor, query: str, limit: int = SEARCH_LIMIT) -> list[Attendee]:
    """Find attendees by part of a phone number or of the フリガナ, or by name.

    Tolerant of full/half width, hiragana/katakana and spaces: "０００ー１２",
    "やまだ" and "ﾔﾏﾀﾞ" all match 山田 (ヤマダ, 090-0000-0012).

    Returns:
        up to `limit` attendees ordered by フリガナ; [] for a blank query.
    Raises:
        PermissionDenied: not staff (phone numbers are staff-only).
    """
    require(actor, "attendees.read")
    text = (query or "").strip()
    if not text:
        return []
    clauses, params = [], []
    digits = to_search_digits(text)
    if digits and len(digits) >= 2:
        clauses.append("phone_digits like ?")
        params.append(f"%{digits}%")
    key = kana_key(text)
    if key:
        clauses.append("kana_key like ?")
        params.append(f"%{key}%")
        clauses.append("replace(replace(name, ' ', ''), '　', '') like ?")
        params.append(f"%{key}%")
    if not clauses:
        return []
    rows = db.query(
        f"select {_COLUMNS} from attendees where {' or '.join(clauses)} order by kana_key, id limit ?",
        [*params, limit],
    )
    return [Attendee(**r) for r in rows]


def get_attendee(db: Database, actor: Actor, attendee_id: int) -> Attendee:
    """One attendee. Raises PermissionDenied (not staff), NotFound."""
    require(actor, "attendees.read")
    rows = list(db.query(f"select {_COLUMNS} from attendees where id = ?", [attendee_id]))
    if not rows:
        raise NotFound(_("受講者が見つかりません。"))
    return Attendee(**rows[0])
