"""Attendees (受講者): residents known to the centre, found by phone or フリガナ.

There is no My Number field, ever (My Number Act art. 20).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from db import audit
from db.clock import now_utc_iso, today_jst
from db.errors import DuplicateAttendee, InvalidInput, NotFound
from db.guard import check_free_text
from db.permissions import Actor, require
from db.text import kana_key, normalise_kana, normalise_name, normalise_phone, to_search_digits
from locales import _

SEARCH_LIMIT = 50
# 年代 (issue "Booking desk"): stored as shown.
AGE_BANDS = ("〜59", "60代", "70代", "80代", "90代〜")
# Devices; "なし" means the centre lends a phone (貸出機). "" is not yet known.
DEVICES = ("iPhone", "Android", "らくらくスマホ", "携帯電話", "なし")
# Needs the centre prepares for (a JSON list in the needs column).
# 「やさしい日本語」: the session pack prints this attendee's handout and slip in
# やさしい日本語 with ふりがな (issue 14).
NEEDS = ("大きな文字", "聞こえ", "歩行・車いす", "日本語以外", "やさしい日本語")
EASY_JAPANESE = "やさしい日本語"
NOTE_MAX = 500


@dataclass(frozen=True)
class Attendee:
    """An attendee as shown to staff. needs is a tuple of `NEEDS` entries."""

    id: int
    name: str
    name_kana: str
    phone: str
    age_band: str
    device: str
    needs: tuple[str, ...]
    note: str
    consent_on: str


def clean_fields(name: str, name_kana: str, phone: str, age_band: str = "", device: str = "", needs=(), note: str = "") -> dict:
    """Validate and normalise an attendee's fields (registration, edits and imports).

    Returns:
        the columns to store: name, name_kana, kana_key, phone, phone_digits,
        age_band, device, needs (JSON list), note.
    Raises:
        InvalidInput: a field fails validation (its `field` names it).
        MyNumberRejected: the note holds a マイナンバー (DESIGN.md §7).
    """
    name = normalise_name(name)
    name_kana = normalise_kana(name_kana)
    phone_text, digits = normalise_phone(phone)
    if age_band not in ("", *AGE_BANDS):
        raise InvalidInput("age_band", _("年代は {bands} から選んでください。").format(bands="・".join(AGE_BANDS)))
    if device not in ("", *DEVICES):
        raise InvalidInput("device", _("機種は {devices} から選んでください。").format(devices="・".join(DEVICES)))
    unknown = [n for n in needs if n not in NEEDS]
    if unknown:
        raise InvalidInput("needs", _("配慮の項目が正しくありません：{needs}").format(needs="、".join(unknown)))
    note = check_free_text("note", (note or "").strip())
    if len(note) > NOTE_MAX:
        raise InvalidInput("note", _("メモは500文字以内にしてください。"))
    return {
        "name": name,
        "name_kana": name_kana,
        "kana_key": kana_key(name_kana),
        "phone": phone_text,
        "phone_digits": digits,
        "age_band": age_band,
        "device": device,
        "needs": json.dumps([n for n in NEEDS if n in needs], ensure_ascii=False),
        "note": note,
    }


_COLUMNS = (
    "id, name, name_kana, coalesce(phone, '') as phone, coalesce(age_band, '') as age_band, coalesce(device, '') as device, "
    "coalesce(needs, '') as needs, coalesce(note, '') as note, coalesce(consent_on, '') as consent_on"
)


def _attendee(row: dict) -> Attendee:
    needs = row["needs"]
    return Attendee(**{**row, "needs": tuple(json.loads(needs)) if needs.startswith("[") else ()})


def likely_duplicates(db: Database, fields: dict) -> list[Attendee]:
    """Registered attendees with the same phone digits, or the same name and フリガナ."""
    rows = db.query(
        f"select {_COLUMNS} from attendees where anonymised_at is null and "
        "(phone_digits = ? or (kana_key = ? and replace(name, '　', '') = replace(?, '　', ''))) order by id",
        [fields["phone_digits"], fields["kana_key"], fields["name"]],
    )
    return [_attendee(r) for r in rows]


def register_attendee(
    db: Database,
    actor: Actor,
    name: str,
    name_kana: str,
    phone: str,
    consent: bool,
    *,
    age_band: str = "",
    device: str = "",
    needs=(),
    note: str = "",
    allow_duplicate: bool = False,
) -> int:
    """Register a resident.

    Args:
        name: 氏名. name_kana: フリガナ (hiragana or katakana, any width).
        phone: Japanese phone number, any width or punctuation.
        consent: the resident agreed to the stated purpose of use; its date is
            recorded (個人情報保護法 art. 17–21: purpose stated, consent kept).
        age_band, device, needs, note: see `AGE_BANDS`, `DEVICES`, `NEEDS`.
        allow_duplicate: staff confirmed this is a different person from the
            likely duplicates.
    Returns:
        the new attendee id.
    Raises:
        PermissionDenied: not staff.
        InvalidInput / MyNumberRejected: a field fails validation, or no consent.
        DuplicateAttendee: likely registered already (and not confirmed).
    """
    require(actor, "attendees.register")
    fields = clean_fields(name, name_kana, phone, age_band, device, needs, note)
    if not consent:
        raise InvalidInput("consent", _("個人情報の利用目的を説明し、同意を得てから登録してください。"))
    with db.atomic():
        same = likely_duplicates(db, fields)
        if same and not allow_duplicate:
            raise DuplicateAttendee(same)
        attendee_id = db["attendees"].insert(
            {**fields, "consent_on": today_jst().isoformat(), "created_at": now_utc_iso()}
        ).last_pk
        # Names and phones stay out of the audit log so erasure can remove them.
        audit.record(db, actor, "create", "attendees", attendee_id, {"consent_on": today_jst().isoformat(), "fields": sorted(fields)})
    return attendee_id


def update_attendee(db: Database, actor: Actor, attendee_id: int, **changes: object) -> None:
    """Correct an attendee's fields (any of name, name_kana, phone, age_band,
    device, needs, note), validated as at registration.

    Raises:
        PermissionDenied: not staff. NotFound. InvalidInput / MyNumberRejected.
    """
    require(actor, "attendees.register")
    current = get_attendee(db, actor, attendee_id)
    merged = {
        "name": current.name, "name_kana": current.name_kana, "phone": current.phone, "age_band": current.age_band,
        "device": current.device, "needs": current.needs, "note": current.note,
    }
    unknown = set(changes) - set(merged)
    if unknown:
        raise InvalidInput(sorted(unknown)[0], _("変更できない項目です。"))
    merged.update(changes)
    fields = clean_fields(**merged)
    with db.atomic():
        db["attendees"].update(attendee_id, fields)
        audit.record(db, actor, "update", "attendees", attendee_id, {"changed": sorted(changes)})


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
        f"select {_COLUMNS} from attendees where anonymised_at is null and ({' or '.join(clauses)}) "
        "order by kana_key, id limit ?",
        [*params, limit],
    )
    return [_attendee(r) for r in rows]


def get_attendee(db: Database, actor: Actor, attendee_id: int) -> Attendee:
    """One attendee. Raises PermissionDenied (not staff), NotFound."""
    require(actor, "attendees.read")
    rows = list(db.query(f"select {_COLUMNS} from attendees where id = ?", [attendee_id]))
    if not rows:
        raise NotFound(_("受講者が見つかりません。"))
    return _attendee(rows[0])
