"""出前講座・出張相談: a group's request (依頼) for a class or for help at its own place
(issue 17, item 3).

A request records the group (自治会, サロン, クラブ…), a contact person (personal
data: the name and phone are validated like an attendee's, guarded against a
マイナンバー, and erased by db.retention like any other), the place, up to three
preferred dates, the expected participants and their devices, the loan phones
needed, the lesson wanted and notes.

The place is a venue flagged ``outreach`` with one room (`PLACE_ROOM`): sessions
can be held there, but db.venues never lists it among the centre's rooms. A group
that asks again picks its place from `list_places`.

Workflow (`TRANSITIONS`), every step in the audit log with codes and counts only:

    受付 received → 調整中 arranging → 決定 decided → 実施 held → 報告 reported
    取り下げ withdrawn, from any step before 実施

決定 creates the session at the place (db.sessions.create_session) and staffs it
with db.volunteers.assign_shift, in one transaction: a refused rule changes nothing.
Withdrawing a decided request cancels its session (db.sessions.cancel_session).

Cities usually ask for 10 or more participants (出前講座の要件, e.g. the notices of
several cities' 出前講座 programmes): fewer is accepted with a warning
(`warnings_for`), never refused.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

import lessons
from db import audit, immediate, sessions, volunteers
from db.clock import JST, now_jst, now_utc_iso, parse_iso, today_jst
from db.errors import EditConflict, IllegalTransition, InvalidInput, NotFound
from db.guard import check_free_text
from db.permissions import Actor, require
from db.text import normalise_name, normalise_phone, to_search_digits
from db.venues import MAX_SEATS
from locales import _

# Codes → labels (msgids, translated where shown).
KINDS = {"lecture": "出前講座", "consult": "出張相談"}
GROUP_KINDS = {
    "neighbourhood": "自治会・町内会",
    "salon": "サロン",
    "seniors_club": "老人クラブ",
    "club": "サークル・クラブ",
    "other": "その他",
}
STATUSES = {
    "received": "受付",
    "arranging": "調整中",
    "decided": "決定",
    "held": "実施",
    "reported": "報告",
    "withdrawn": "取り下げ",
}
# The steps a request may take from each status.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("arranging", "withdrawn"),
    "arranging": ("decided", "withdrawn"),
    "decided": ("held", "withdrawn"),
    "held": ("reported",),
    "reported": (),
    "withdrawn": (),
}
OPEN_STATUSES = ("received", "arranging", "decided", "held")
# A request's details can be corrected until the class takes place (`update_request`).
EDITABLE_STATUSES = ("received", "arranging", "decided")
MAX_PREFERRED_DATES = 3
# Most cities' 出前講座 require a group of 10 or more: fewer is warned about.
USUAL_MINIMUM = 10
MAX_PARTICIPANTS = MAX_SEATS
GROUP_NAME_MAX = 60
PLACE_NAME_MAX = 60
ADDRESS_MAX = 120
NOTES_MAX = 500
REPORT_MAX = 1000
# The one room of an outreach venue (a msgid; the place is the group's hall).
PLACE_ROOM = "会場"
PAGE_SIZE = 50


@dataclass(frozen=True)
class Place:
    """An outreach venue: id, name, address."""

    id: int
    name: str
    address: str


@dataclass(frozen=True)
class Request:
    """A request as staff see it.

    preferred_dates: ISO dates (JST), in the order given. received_on: ISO date
    (JST). session_id: the session made at 決定, else None. session_starts_at:
    its start (aware, JST), else None. contact_name is `db.retention.ERASED_NAME`
    and contact_phone "" once erased.
    """

    id: int
    kind: str
    group_name: str
    group_kind: str
    contact_name: str
    contact_phone: str
    venue_id: int
    place_name: str
    place_address: str
    preferred_dates: tuple[str, ...]
    expected: int
    iphone: int
    android: int
    other_devices: int
    loan_phones: int
    lesson_id: str
    notes: str
    status: str
    session_id: int | None
    session_starts_at: datetime | None
    actual_participants: int | None
    report: str
    withdraw_reason: str
    received_on: str
    contact_erased: bool


def warnings_for(expected: int) -> list[str]:
    """What staff should hear about a request that is accepted anyway: fewer than
    `USUAL_MINIMUM` participants (most cities' 出前講座 ask for 10 or more)."""
    if 1 <= expected < USUAL_MINIMUM:
        return [
            _("参加予定が {n} 人です。出前講座は10人以上を条件にしている自治体が多いので、要件を確かめてください。").format(n=expected)
        ]
    return []


def _count(field: str, value: object, label: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(field, _("{label}は {low}〜{high} で入力してください。").format(label=label, low=low, high=high))
    return value


def _text(field: str, value: str, label: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(field, _("{label}を入力してください。").format(label=label))
    if len(text) > limit:
        raise InvalidInput(field, _("{label}は{n}文字以内にしてください。").format(label=label, n=limit))
    return check_free_text(field, text, label)


def clean_request(
    *,
    kind: str,
    group_name: str,
    group_kind: str,
    contact_name: str,
    contact_phone: str,
    preferred_dates: list[date],
    expected: int,
    iphone: int = 0,
    android: int = 0,
    other_devices: int = 0,
    loan_phones: int = 0,
    lesson_id: str = "",
    notes: str = "",
    today: date | None = None,
    kept_dates: tuple[date, ...] = (),
) -> dict:
    """Validate and normalise a request's fields.

    Args:
        preferred_dates: 0–3 distinct dates after `today` (JST; default today);
            one of `kept_dates` (already on the request being corrected) may
            have passed.
        expected: participants expected, 1–200.
        iphone / android / other_devices: how many bring which phone; together at
            most `expected`. loan_phones: 0–`expected` (貸出機 needed).
        lesson_id: a catalogue lesson, or "" when not yet known.
    Returns:
        the columns to store.
    Raises:
        InvalidInput: a field fails (its `field` names it). MyNumberRejected: the
            contact's name, the group's name or the notes hold a マイナンバー.
    """
    if kind not in KINDS:
        raise InvalidInput("kind", _("依頼の種類を選んでください。"))
    if group_kind not in GROUP_KINDS:
        raise InvalidInput("group_kind", _("団体の種類を選んでください。"))
    group = _text("group_name", group_name, _("団体名"), GROUP_NAME_MAX, required=True)
    name = normalise_name(contact_name, "contact_name")
    phone, digits = normalise_phone(contact_phone)
    today = today or today_jst()
    dates = list(preferred_dates or [])
    if len(dates) > MAX_PREFERRED_DATES:
        raise InvalidInput("preferred_dates", _("希望日は3つまでです。"))
    if len(set(dates)) != len(dates):
        raise InvalidInput("preferred_dates", _("同じ希望日が2回入っています。"))
    if any(d <= today and d not in kept_dates for d in dates):
        raise InvalidInput("preferred_dates", _("希望日は明日以降の日にしてください。"))
    expected = _count("expected", expected, _("参加予定人数"), 1, MAX_PARTICIPANTS)
    counts = {
        "iphone": _count("iphone", iphone, _("iPhoneの人数"), 0, expected),
        "android": _count("android", android, _("Androidの人数"), 0, expected),
        "other_devices": _count("other_devices", other_devices, _("その他の機種の人数"), 0, expected),
    }
    if sum(counts.values()) > expected:
        raise InvalidInput("iphone", _("機種ごとの人数の合計が、参加予定人数（{n} 人）を超えています。").format(n=expected))
    loans = _count("loan_phones", loan_phones, _("貸出機の台数"), 0, expected)
    if lesson_id and lesson_id not in lessons.catalogue():
        raise InvalidInput("lesson_id", _("講座を選んでください。"))
    return {
        "kind": kind,
        "group_name": group,
        "group_kind": group_kind,
        "contact_name": name,
        "contact_phone": phone,
        "contact_phone_digits": digits,
        "preferred_dates": json.dumps([d.isoformat() for d in dates]),
        "expected": expected,
        **counts,
        "loan_phones": loans,
        "lesson_id": lesson_id or "",
        "notes": _text("notes", notes, _("メモ"), NOTES_MAX),
    }


def _new_place(db: Database, actor: Actor, name: str, address: str) -> int:
    name = _text("place_name", name, _("会場の名前"), PLACE_NAME_MAX, required=True)
    address = _text("place_address", address, _("会場の住所"), ADDRESS_MAX, required=True)
    venue_id = db["venues"].insert({"name": name, "address": address, "phone": "", "outreach": 1}).last_pk
    room_id = db["rooms"].insert({"venue_id": venue_id, "name": _(PLACE_ROOM), "seats": MAX_SEATS}).last_pk
    audit.record(db, actor, "create", "venues", venue_id, {"outreach": 1, "room_id": room_id})
    return venue_id


def list_places(db: Database) -> list[Place]:
    """Outreach venues (the places of earlier requests), by name."""
    rows = db.query("select id, name, coalesce(address, '') as address from venues where outreach = 1 order by name, id")
    return [Place(**r) for r in rows]


def create_request(
    db: Database,
    actor: Actor,
    *,
    place_id: int | None = None,
    place_name: str = "",
    place_address: str = "",
    **fields: object,
) -> int:
    """Record a request as 受付 (received).

    Args:
        place_id: an outreach venue from `list_places`; or None with place_name
            and place_address, which become a new outreach venue.
        fields: the keyword arguments of `clean_request` (without `today`).
    Returns:
        the new request id.
    Raises:
        PermissionDenied: not staff. NotFound: place_id is no outreach venue.
        InvalidInput / MyNumberRejected: see `clean_request`; an empty place.
    """
    require(actor, "outreach.manage")
    columns = clean_request(**fields)
    today = today_jst().isoformat()
    with immediate(db):
        if place_id is None:
            venue_id = _new_place(db, actor, place_name, place_address)
        else:
            if not db.execute("select 1 from venues where id = ? and outreach = 1", [place_id]).fetchone():
                raise NotFound(_("会場が見つかりません。"))
            venue_id = place_id
        request_id = db["outreach_requests"].insert(
            {
                **columns,
                "venue_id": venue_id,
                "status": "received",
                "received_on": today,
                "activity_on": today,
                "created_at": now_utc_iso(),
                "created_by": actor.username,
            }
        ).last_pk
        # Codes and counts only: the contact's name and phone stay out of the log.
        audit.record(
            db,
            actor,
            "create",
            "outreach_requests",
            request_id,
            {"kind": columns["kind"], "group_kind": columns["group_kind"], "venue_id": venue_id,
             "expected": columns["expected"], "loan_phones": columns["loan_phones"],
             "preferred_dates": len(json.loads(columns["preferred_dates"]))},
        )
    return request_id


def update_request(
    db: Database,
    actor: Actor,
    request_id: int,
    *,
    place_id: int | None = None,
    place_name: str = "",
    place_address: str = "",
    seen: Request | None = None,
    **fields: object,
) -> list[str]:
    """Correct a request's details after intake, until the class takes place
    (`EDITABLE_STATUSES`): the group, the contact, the preferred dates, the
    participants and their phones, the loan phones, the lesson wanted, the notes
    and the place. From 決定 on, the place and the lesson are the session's and
    stay as they are (change the session on 開催予定, or withdraw the request).

    Args:
        place_id: another outreach venue from `list_places`; or None with
            place_name and place_address for a new one; or None and no name to
            keep the place.
        seen: the request as the form showed it (`get_request`); when given,
            a request changed since then is not overwritten.
        fields: every keyword argument of `clean_request` (without `today`); a
            preferred date already on the request may have passed.
    Returns:
        the names of the columns that changed, [] when nothing did.
    Raises:
        PermissionDenied: not staff. NotFound: no such request, or place_id is
            no outreach venue. IllegalTransition: the request is 実施 or later,
            withdrawn, or its session has begun. EditConflict: it changed since
            `seen`. InvalidInput / MyNumberRejected: see `clean_request`; a new
            place or lesson after 決定; a new place's address without its name.
            Nothing is written then.
    """
    require(actor, "outreach.manage")
    with immediate(db):
        row = next(iter(db.query("select * from outreach_requests where id = ?", [request_id])), None)
        if row is None:
            raise NotFound(_("依頼が見つかりません。"))
        if row["status"] not in EDITABLE_STATUSES:
            raise IllegalTransition(_("「{now}」の依頼は直せません。直せるのは実施の前までです。").format(now=_(STATUSES[row["status"]])))
        if row["session_id"] is not None and parse_iso(
            db.execute("select starts_at from sessions where id = ?", [row["session_id"]]).fetchone()[0]
        ) <= now_jst():
            raise IllegalTransition(_("開催日時を過ぎた依頼は直せません。「実施した」にしてから、報告で参加者数を入れてください。"))
        if seen is not None and get_request(db, actor, request_id) != seen:
            raise EditConflict(_("この依頼は、開いている間にほかの方が変更しました。いまの内容を確かめてから、もう一度直してください。"))
        if place_id is None and not (place_name or "").strip() and (place_address or "").strip():
            raise InvalidInput("place_name", _("{label}を入力してください。").format(label=_("会場の名前")))
        kept = tuple(date.fromisoformat(d) for d in json.loads(row["preferred_dates"] or "[]"))
        columns = clean_request(**fields, kept_dates=kept)
        decided = row["status"] == "decided"
        if decided and (columns["lesson_id"] or "") != (row["lesson_id"] or ""):
            raise InvalidInput("lesson_id", _("決定した依頼の講座は、開催回の講座です。変えるときは「開催予定」で開催回を直してください。"))
        venue_id = row["venue_id"]
        new_place = (place_id is not None and place_id != venue_id) or (place_id is None and bool((place_name or "").strip()))
        if new_place:
            if decided:
                raise InvalidInput("place_id", _("決定した依頼の会場は変えられません。会場が変わるときは、取り下げてから受け付け直してください。"))
            if place_id is None:
                venue_id = _new_place(db, actor, place_name, place_address)
            elif db.execute("select 1 from venues where id = ? and outreach = 1", [place_id]).fetchone():
                venue_id = place_id
            else:
                raise NotFound(_("会場が見つかりません。"))
        changes = {k: v for k, v in {**columns, "venue_id": venue_id}.items() if row[k] != v}
        if changes:
            db["outreach_requests"].update(request_id, {**changes, "activity_on": today_jst().isoformat()})
            # Which columns changed, never their values (the contact is personal data).
            audit.record(db, actor, "update", "outreach_requests", request_id, {"changed": sorted(changes)})
    return sorted(changes)


_REQUEST_SQL = """
select q.id, q.kind, q.group_name, q.group_kind, q.contact_name, coalesce(q.contact_phone, '') as contact_phone,
       q.venue_id, v.name as place_name, coalesce(v.address, '') as place_address, q.preferred_dates, q.expected,
       q.iphone, q.android, q.other_devices, q.loan_phones, coalesce(q.lesson_id, '') as lesson_id,
       coalesce(q.notes, '') as notes, q.status, q.session_id, s.starts_at as session_starts_at, q.actual_participants,
       coalesce(q.report, '') as report, coalesce(q.withdraw_reason, '') as withdraw_reason, q.received_on,
       q.contact_erased_at is not null as contact_erased
from outreach_requests q join venues v on v.id = q.venue_id left join sessions s on s.id = q.session_id
"""


def _request(row: dict) -> Request:
    starts = row["session_starts_at"]
    return Request(
        **{
            **row,
            "preferred_dates": tuple(json.loads(row["preferred_dates"] or "[]")),
            "session_starts_at": parse_iso(starts).astimezone(JST) if starts else None,
            "contact_erased": bool(row["contact_erased"]),
        }
    )


def get_request(db: Database, actor: Actor, request_id: int) -> Request:
    """One request with its contact. Raises PermissionDenied (not staff), NotFound."""
    require(actor, "outreach.read")
    rows = list(db.query(_REQUEST_SQL + " where q.id = ?", [request_id]))
    if not rows:
        raise NotFound(_("依頼が見つかりません。"))
    return _request(rows[0])


def list_requests(
    db: Database, actor: Actor, status: str | None = None, *, text: str = "", limit: int = PAGE_SIZE, offset: int = 0
) -> list[Request]:
    """Requests, newest first, a page at a time.

    Args:
        status: one of `STATUSES`, "open" (`OPEN_STATUSES`), or None for all.
        text: part of the group's name or of the contact's phone digits.
        limit / offset: the page (at most `PAGE_SIZE` rows drawn).
    Raises:
        PermissionDenied: not staff. InvalidInput: an unknown status.
    """
    require(actor, "outreach.read")
    where, params = _filter(status, text)
    rows = db.query(_REQUEST_SQL + where + " order by q.received_on desc, q.id desc limit ? offset ?", [*params, limit, offset])
    return [_request(r) for r in rows]


def count_requests(db: Database, actor: Actor, status: str | None = None, *, text: str = "") -> int:
    """How many requests `list_requests` pages through. Raises as it does."""
    require(actor, "outreach.read")
    where, params = _filter(status, text)
    return db.execute("select count(*) from outreach_requests q" + where, params).fetchone()[0]


def _filter(status: str | None, search: str) -> tuple[str, list[object]]:
    clauses, params = [], []
    if status == "open":
        clauses.append(f"q.status in ({', '.join('?' for _s in OPEN_STATUSES)})")
        params += OPEN_STATUSES
    elif status is not None:
        if status not in STATUSES:
            raise InvalidInput("status", _("状態を選んでください。"))
        clauses.append("q.status = ?")
        params.append(status)
    text = (search or "").strip()
    if text:
        digits = to_search_digits(text)
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # Digits with only hyphens or blanks between them (any width) are a phone number's part.
        if re.fullmatch(r"[0-9\s\-\u2010-\u2015\u2212\u30fc]+", unicodedata.normalize("NFKC", text)) and digits:
            clauses.append("(q.contact_phone_digits like ? or q.group_name like ? escape '\\')")
            params += [f"%{digits}%", like]
        else:
            clauses.append("q.group_name like ? escape '\\'")
            params.append(like)
    return (" where " + " and ".join(clauses)) if clauses else "", params


def _status_of(db: Database, request_id: int) -> tuple[str, int | None]:
    row = db.execute("select status, session_id from outreach_requests where id = ?", [request_id]).fetchone()
    if row is None:
        raise NotFound(_("依頼が見つかりません。"))
    return row[0], row[1]


def _check_step(current: str, wanted: str) -> None:
    """Refuse a step the workflow does not allow, saying why in Japanese."""
    if wanted in TRANSITIONS[current]:
        return
    if wanted == "withdrawn":
        raise IllegalTransition(_("「{now}」の依頼は取り下げられません。取り下げは実施の前までです。").format(now=_(STATUSES[current])))
    if current in ("reported", "withdrawn"):
        raise IllegalTransition(_("この依頼は「{now}」で終わっています。").format(now=_(STATUSES[current])))
    allowed = "・".join(_(STATUSES[s]) for s in TRANSITIONS[current])
    raise IllegalTransition(
        _("「{now}」の依頼を「{to}」にはできません。次にできるのは「{allowed}」です。").format(
            now=_(STATUSES[current]), to=_(STATUSES[wanted]), allowed=allowed
        )
    )


def _move(db: Database, actor: Actor, request_id: int, current: str, wanted: str, changes: dict, detail: dict) -> None:
    db["outreach_requests"].update(request_id, {**changes, "status": wanted, "activity_on": today_jst().isoformat()})
    audit.record(db, actor, "status", "outreach_requests", request_id, {"from": current, "to": wanted, **detail})


def start_arranging(db: Database, actor: Actor, request_id: int) -> None:
    """受付 → 調整中: staff began to agree a date with the group.

    Raises:
        PermissionDenied: not staff. NotFound. IllegalTransition: not 受付.
    """
    require(actor, "outreach.manage")
    with immediate(db):
        current, _session = _status_of(db, request_id)
        _check_step(current, "arranging")
        _move(db, actor, request_id, current, "arranging", {}, {})


def decide(
    db: Database,
    actor: Actor,
    request_id: int,
    *,
    lesson_id: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    lead_id: int | None = None,
    helper_ids: tuple[int, ...] | list[int] = (),
    note: str = "",
) -> int:
    """調整中 → 決定: create the session at the request's place and staff it.

    The session is made by `db.sessions.create_session` (its rules hold: a future
    start, 30–180 minutes, the place's 休館日 and other sessions there) and the
    volunteers are assigned by `db.volunteers.assign_shift` (busy, unavailable or
    at their monthly maximum is refused), all in one transaction.

    Args:
        lesson_id: a catalogue lesson (for 出張相談 too: the topic of the day).
        starts_at / ends_at: aware datetimes. capacity: seats, 1–200.
        lead_id: the 講師, or None to staff it later on ボランティア.
        helper_ids: the 補助.
    Returns:
        the new session id.
    Raises:
        PermissionDenied: not staff. NotFound. IllegalTransition: not 調整中.
        InvalidInput, VenueClosed, RoomTaken, MyNumberRejected: from
        create_session. ShiftConflict: from assign_shift. Nothing is written then.
    """
    require(actor, "outreach.manage")
    helpers = list(dict.fromkeys(helper_ids))
    if lead_id is not None and lead_id in helpers:
        raise InvalidInput("helper_ids", _("講師と同じ方を補助にはできません。"))
    with immediate(db):
        current, _session = _status_of(db, request_id)
        _check_step(current, "decided")
        room_id = db.execute(
            "select r.id from outreach_requests q join rooms r on r.venue_id = q.venue_id where q.id = ? order by r.id limit 1",
            [request_id],
        ).fetchone()[0]
        session_id = sessions.create_session(db, actor, lesson_id, room_id, starts_at, ends_at, capacity, note)
        if lead_id is not None:
            volunteers.assign_shift(db, actor, session_id, lead_id, "lead")
        for helper in helpers:
            volunteers.assign_shift(db, actor, session_id, helper, "helper")
        _move(
            db, actor, request_id, current, "decided", {"session_id": session_id, "lesson_id": lesson_id},
            {"session_id": session_id, "lead": lead_id is not None, "helpers": len(helpers)},
        )
    return session_id


def mark_held(db: Database, actor: Actor, request_id: int) -> None:
    """決定 → 実施: the session took place. Allowed from its start on.

    Raises:
        PermissionDenied: not staff. NotFound. IllegalTransition: not 決定, the
        session has not started yet, or it was cancelled (中止) meanwhile.
    """
    require(actor, "outreach.manage")
    with immediate(db):
        current, session_id = _status_of(db, request_id)
        _check_step(current, "held")
        starts, state = db.execute("select starts_at, status from sessions where id = ?", [session_id]).fetchone()
        if state == "cancelled":
            raise IllegalTransition(_("この依頼の開催回は中止されています。取り下げにしてください。"))
        if parse_iso(starts) > now_jst():
            raise IllegalTransition(_("開催日時の前には「実施」にできません（{when}から）。").format(when=sessions.describe(db, session_id)))
        _move(db, actor, request_id, current, "held", {}, {})


def report(db: Database, actor: Actor, request_id: int, actual_participants: int, text: str) -> None:
    """実施 → 報告: how many came, and a short report (guarded, ≤ 1000 characters).

    Raises:
        PermissionDenied: not staff. NotFound. IllegalTransition: not 実施.
        InvalidInput: participants outside 0–200, an empty or too long report.
        MyNumberRejected: the report holds a マイナンバー.
    """
    require(actor, "outreach.manage")
    actual = _count("actual_participants", actual_participants, _("参加者数"), 0, MAX_PARTICIPANTS)
    body = _text("report", text, _("報告"), REPORT_MAX, required=True)
    with immediate(db):
        current, _session = _status_of(db, request_id)
        _check_step(current, "reported")
        _move(db, actor, request_id, current, "reported", {"actual_participants": actual, "report": body}, {"actual": actual})


def withdraw(db: Database, actor: Actor, request_id: int, reason: str) -> None:
    """Any step before 実施 → 取り下げ. A decided request's session, unless already
    cancelled, is cancelled with the same reason, so any bookings reach the call
    list as usual.

    Raises:
        PermissionDenied: not staff. NotFound. IllegalTransition: 実施 or later.
        InvalidInput: no reason. MyNumberRejected: the reason holds a マイナンバー.
    """
    require(actor, "outreach.manage")
    body = _text("reason", reason, _("取り下げの理由"), NOTES_MAX, required=True)
    with immediate(db):
        current, session_id = _status_of(db, request_id)
        _check_step(current, "withdrawn")
        # A session staff already cancelled on 開催予定 stays as it is.
        cancel = session_id is not None and db["sessions"].count_where("id = ? and status = 'scheduled'", [session_id]) > 0
        if cancel:
            sessions.cancel_session(db, actor, session_id, body)
        _move(db, actor, request_id, current, "withdrawn", {"withdraw_reason": body}, {"session_cancelled": cancel})
