"""Help-desk cases (相談記録, issue 6): intake, workflow, follow-ups, search, figures.

A ticket is one case at the digital help desk (デジタル相談窓口): who came (an
attendee, or an anonymous walk-in known only by 年代 and device), by which channel,
about what (a category aligned with the lesson catalogue), what was done, and how
it ended. Quick intake needs only channel, category and summary; the rest is added
later with `update_ticket`.

Workflow (issue 6)::

    新規 new ──→ 対応中 in_progress ⇄ 保留 on_hold (with a follow-up date)
      │              │                    │
      └──────────────┴────────┬───────────┘
                              ↓
              解決 resolved / 他機関へ案内 referred ──→ 終了 closed
                              ↑ reopen (→ in_progress) from resolved, referred, closed

`TRANSITIONS` is the exact table. 解決 and 他機関へ案内 set ``resolution``; closing
keeps it, reopening clears it (and the referral). Every change writes one
``ticket_events`` row (who, when UTC, from → to, minutes added) and one audit row.

Numbers: ``"{fiscal_year}-{seq:04d}"``, e.g. ``2026-0001``, by the JST fiscal year
(年度, April–March) of ``opened_at``; the sequence restarts each fiscal year.

Times: ``opened_at`` / ``updated_at`` / ``closed_at`` and event times are ISO 8601
UTC; ``follow_up_on`` is a JST date. Free text (summary, notes, OS, outcome, next
step, referral note) passes the My Number guard (DESIGN.md §7, 番号法 第20条), and
never reaches the audit log, so anonymising a resident erases it (db.retention).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlite_utils import Database

import lessons
from db import audit, clock, immediate
from db.attendees import AGE_BANDS, DEVICES
from db.errors import InvalidInput, NotFound
from db.guard import check_free_text, field_labels
from db.permissions import Actor, PermissionDenied, allowed, require
from db.reports import fiscal_year_of
from db.text import kana_key
from locales import _

# Labels are Japanese msgids: pages show them with `_(CHANNELS[code])`.
CHANNELS = {"visit": "来所", "phone": "電話", "after_class": "教室後", "home": "訪問"}
CATEGORIES = {
    "basics": "スマホ基本操作",
    "calls_mail": "電話・メール",
    "line": "LINE",
    "internet": "インターネット",
    "apps": "アプリ",
    "card_application": "マイナンバーカード申請",
    "mynaportal": "マイナポータル・マイナアプリ",
    "hokensho": "マイナ保険証",
    "koukin": "公金受取口座",
    "certificate": "電子証明書",
    "procedures": "行政手続",
    "scams": "詐欺・セキュリティ",
    "cashless": "キャッシュレス",
    "other": "その他",
}
# Lessons (lessons/*.yaml) whose handouts answer a category, most fitting first.
CATEGORY_LESSONS: dict[str, tuple[str, ...]] = {
    "basics": ("phone-basics", "disaster-alerts"),
    "calls_mail": ("calls-camera",),
    "line": ("line-basics",),
    "internet": ("web-search", "maps-app"),
    "apps": ("app-install",),
    "card_application": ("mynumber-card-apply",),
    "mynaportal": ("myna-app", "medical-info"),
    "hokensho": ("myna-hokensho", "medical-info"),
    "koukin": ("koukin-account",),
    "certificate": ("mynumber-card-renewal", "mynumber-card-iphone", "mynumber-card-android"),
    "procedures": ("online-procedures", "online-moving", "e-tax"),
    "scams": ("scams-safety",),
    "cashless": ("cashless-payment",),
    "other": (),
}
STATUSES = {
    "new": "新規",
    "in_progress": "対応中",
    "on_hold": "保留",
    "resolved": "解決",
    "referred": "他機関へ案内",
    "closed": "終了",
}
OPEN_STATUSES = ("new", "in_progress", "on_hold")
# Allowed status changes (issue 6). Closing needs a resolution first, so a case
# never ends without saying whether it was solved or passed on.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("in_progress", "on_hold", "resolved", "referred"),
    "in_progress": ("on_hold", "resolved", "referred"),
    "on_hold": ("in_progress", "resolved", "referred"),
    "resolved": ("closed", "in_progress"),
    "referred": ("closed", "in_progress"),
    "closed": ("in_progress",),
}
REFERRALS = {
    "carrier_shop": "携帯電話ショップ",
    "city_hall": "市役所・区役所の窓口",
    "myna_dial": "マイナンバー総合フリーダイヤル（0120-95-0178）",
    "consumer_centre": "消費生活センター（188）",
    "police": "警察相談専用電話（#9110）",
    "other": "その他",
}

SUMMARY_MAX = 200
TEXT_MAX = 2000
OS_MAX = 50
REFERRAL_NOTE_MAX = 500
MINUTES_MAX = 480
SEARCH_LIMIT = 200
EDITABLE = (
    "channel", "category", "summary", "notes", "os", "device", "age_band", "assignee_id",
    "outcome", "next_step", "attendee_id", "venue_id", "follow_up_on",
)


@dataclass(frozen=True)
class Ticket:
    """A help-desk case as the desk screens show it.

    opened_at / updated_at / closed_at: ISO 8601 UTC ("" when not set).
    follow_up_on: JST date while 保留, else None. minutes: total minutes spent.
    attendee_name: "" for an anonymous walk-in. attendee_phone: staff only, "" for
    volunteers (they see the name alone). assignee: the account's username or "".
    resolution: "resolved", "referred" or "" (kept after closing).
    guides_given: lesson ids whose handouts were printed for the resident.
    """

    id: int
    number: str
    opened_at: str
    venue_id: int | None
    channel: str
    attendee_id: int | None
    attendee_name: str
    attendee_phone: str
    age_band: str
    device: str
    os: str
    category: str
    summary: str
    notes: str
    status: str
    follow_up_on: date | None
    assignee_id: int | None
    assignee: str
    minutes: int
    outcome: str
    next_step: str
    referral_to: str
    referral_note: str
    resolution: str
    guides_given: tuple[str, ...]
    created_by: str
    updated_at: str
    closed_at: str

    @property
    def opened_at_jst(self) -> datetime:
        """When the case was opened, as an aware datetime in JST."""
        return clock.parse_iso(self.opened_at).astimezone(clock.JST)


@dataclass(frozen=True)
class TicketEvent:
    """One line of a ticket's history.

    at: ISO 8601 UTC. user: the account that acted. from_status: "" for the
    opening. A change of status has from_status != to_status; a time entry
    (`add_minutes`) has both equal. minutes: minutes added with this entry.
    """

    id: int
    at: str
    user: str
    from_status: str
    to_status: str
    minutes: int


def _free_text(field: str, value: object, limit: int, required: bool = False) -> str:
    text = check_free_text(field, str(value or "").strip())
    if required and not text:
        raise InvalidInput(field, _("{label}を入力してください。").format(label=field_labels()[field]))
    if len(text) > limit:
        raise InvalidInput(field, _("{label}は{limit}文字以内にしてください。").format(label=field_labels()[field], limit=limit))
    return text


def _code(field: str, value: str, codes: dict[str, str]) -> str:
    if value not in codes:
        messages = {
            "channel": _("受付方法を選んでください。"),
            "category": _("相談の分類を選んでください。"),
            "referral_to": _("他機関へ案内するときは、案内先を選んでください。"),
        }
        raise InvalidInput(field, messages[field])
    return value


def _age_band(value: str) -> str:
    if value not in ("", *AGE_BANDS):
        raise InvalidInput("age_band", _("年代は {bands} から選んでください。").format(bands="・".join(AGE_BANDS)))
    return value


def _device(value: str) -> str:
    if value not in ("", *DEVICES):
        raise InvalidInput("device", _("機種は {devices} から選んでください。").format(devices="・".join(DEVICES)))
    return value


def _minutes(value: object, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MINUTES_MAX:
        raise InvalidInput("minutes", _("時間は{low}〜{high}分で入力してください。").format(low=low, high=MINUTES_MAX))
    return value


def _follow_up(value: object) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInput("follow_up_on", _("保留にするときは、次に連絡する日（フォローアップ日）を入れてください。"))
    if value < clock.today_jst():
        raise InvalidInput("follow_up_on", _("フォローアップ日は今日以降の日付にしてください。"))
    return value


def _attendee(db: Database, attendee_id: int) -> tuple[str, str]:
    """(age_band, device) of a registered, not anonymised attendee."""
    row = db.execute(
        "select coalesce(age_band, ''), coalesce(device, '') from attendees where id = ? and anonymised_at is null", [attendee_id]
    ).fetchone()
    if row is None:
        raise NotFound(_("受講者が見つかりません。"))
    return row


def _may_link(actor: Actor) -> None:
    """Only staff link a case to a registered resident: linking shows the
    resident's name on the case, and volunteers may not look residents up
    (permission "attendees.read"; issue 13)."""
    if not allowed(actor, "attendees.read"):
        raise PermissionDenied(_("受講者と結びつけられるのは職員だけです。"))


def _check_assignee(db: Database, user_id: int) -> None:
    if not db.execute("select 1 from users where id = ? and active = 1", [user_id]).fetchone():
        raise NotFound(_("担当者のアカウントが見つかりません。"))


def _check_venue(db: Database, venue_id: int) -> None:
    if not db.execute("select 1 from venues where id = ?", [venue_id]).fetchone():
        raise NotFound(_("会場が見つかりません。"))


def _event(db: Database, actor: Actor, ticket_id: int, at: str, from_status: str | None, to_status: str, minutes: int) -> None:
    db.execute(
        "insert into ticket_events (ticket_id, at, user, from_status, to_status, minutes) values (?, ?, ?, ?, ?, ?)",
        [ticket_id, at, actor.username, from_status, to_status, minutes],
    )


def _next_number(db: Database, fiscal_year: int) -> str:
    # Called inside `immediate`, so two desks never read the same maximum.
    last = db.execute(
        "select max(cast(substr(number, 6) as integer)) from tickets where number like ?", [f"{fiscal_year}-%"]
    ).fetchone()[0]
    return f"{fiscal_year}-{(last or 0) + 1:04d}"


def open_ticket(
    db: Database,
    actor: Actor,
    *,
    channel: str,
    category: str,
    summary: str,
    attendee_id: int | None = None,
    age_band: str = "",
    device: str = "",
    os: str = "",
    venue_id: int | None = None,
    assignee_id: int | None = None,
    minutes: int = 0,
    notes: str = "",
    opened_at: datetime | None = None,
) -> int:
    """Record a new case (quick intake: channel, category and summary suffice).

    Args:
        channel: a key of `CHANNELS`. category: a key of `CATEGORIES`.
        summary: the resident's problem, 1–200 characters.
        attendee_id: a registered attendee, or None for an anonymous walk-in.
        age_band / device: entries of db.attendees `AGE_BANDS` / `DEVICES` or "";
            with an attendee, blank ones default to the attendee's.
        os: OS and version as typed (≤ 50 characters). notes: internal notes (≤ 2000).
        venue_id: the venue whose desk took the case. assignee_id: a users.id.
        minutes: minutes already spent, 0–480.
        opened_at: when the case began, an aware datetime not in the future, for a
            case written down afterwards; default now.
    Returns:
        the new ticket id; its number is "{年度}-{連番:04d}" by the JST fiscal
        year of opened_at.
    Raises:
        PermissionDenied: no "tickets.work".
        InvalidInput / MyNumberRejected: a field fails validation.
        NotFound: the attendee (or anonymised), assignee or venue does not exist.
        PermissionDenied: an attendee_id from an actor who may not read
            attendees (volunteers: linking would show them the name).
    """
    require(actor, "tickets.work")
    if attendee_id is not None:
        _may_link(actor)
    channel = _code("channel", channel, CHANNELS)
    category = _code("category", category, CATEGORIES)
    summary = _free_text("summary", summary, SUMMARY_MAX, required=True)
    notes = _free_text("notes", notes, TEXT_MAX)
    os = _free_text("os", os, OS_MAX)
    age_band, device = _age_band(age_band), _device(device)
    minutes = _minutes(minutes, 0)
    now = clock.now_utc_iso()
    if opened_at is None:
        opened = now
    elif opened_at.tzinfo is None or opened_at > clock.now_jst():
        raise InvalidInput("opened_at", _("受付日時は現在より前の日時にしてください。"))
    else:
        opened = opened_at.astimezone(timezone.utc).isoformat(timespec="seconds")
    fiscal_year = fiscal_year_of(clock.parse_iso(opened).astimezone(clock.JST).date())
    with immediate(db):
        if attendee_id is not None:
            known_band, known_device = _attendee(db, attendee_id)
            age_band, device = age_band or known_band, device or known_device
        if assignee_id is not None:
            _check_assignee(db, assignee_id)
        if venue_id is not None:
            _check_venue(db, venue_id)
        number = _next_number(db, fiscal_year)
        ticket_id = db.execute(
            "insert into tickets (number, opened_at, venue_id, channel, attendee_id, age_band, device, os, category, "
            "summary, notes, status, assignee_id, minutes, created_by, updated_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?)",
            [number, opened, venue_id, channel, attendee_id, age_band, device, os, category,
             summary, notes, assignee_id, minutes, actor.username, now],
        ).lastrowid
        _event(db, actor, ticket_id, now, None, "new", minutes)
        audit.record(
            db, actor, "create", "tickets", ticket_id,
            {"number": number, "channel": channel, "category": category, "anonymous": attendee_id is None, "minutes": minutes},
        )
    return ticket_id


def _status(db: Database, ticket_id: int) -> str:
    row = db.execute("select status from tickets where id = ?", [ticket_id]).fetchone()
    if row is None:
        raise NotFound(_("相談記録が見つかりません。"))
    return row[0]


def update_ticket(db: Database, actor: Actor, ticket_id: int, **fields: object) -> None:
    """Add or correct a ticket's details after intake.

    Args:
        fields: any of channel, category (codes), summary (1–200 characters),
            notes, outcome, next_step (≤ 2000 each), os (≤ 50), device, age_band
            (as in `open_ticket`), assignee_id (a users.id or None), attendee_id
            (an attendee or None; blank 年代/device then default from them),
            venue_id, follow_up_on (a JST date, today or later; only while 保留).
    Raises:
        PermissionDenied: no "tickets.work". NotFound: no such ticket, or the
            attendee / assignee / venue named does not exist.
        InvalidInput / MyNumberRejected: a field fails validation, or is not
            one of the above; nothing is written then.
        PermissionDenied: attendee_id given by an actor who may not read
            attendees (volunteers).
    """
    require(actor, "tickets.work")
    if "attendee_id" in fields:
        _may_link(actor)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(sorted(unknown)[0], _("変更できない項目です。"))
    values: dict[str, object] = {}
    for field, value in fields.items():
        if field in ("channel", "category"):
            values[field] = _code(field, str(value), CHANNELS if field == "channel" else CATEGORIES)
        elif field == "summary":
            values[field] = _free_text(field, value, SUMMARY_MAX, required=True)
        elif field in ("notes", "outcome", "next_step"):
            values[field] = _free_text(field, value, TEXT_MAX)
        elif field == "os":
            values[field] = _free_text(field, value, OS_MAX)
        elif field == "age_band":
            values[field] = _age_band(str(value or ""))
        elif field == "device":
            values[field] = _device(str(value or ""))
        elif field == "follow_up_on":
            values[field] = _follow_up(value).isoformat()
        else:
            values[field] = value
    if not values:
        return
    with immediate(db):
        status = _status(db, ticket_id)
        if "follow_up_on" in values and status != "on_hold":
            raise InvalidInput("follow_up_on", _("フォローアップ日は保留中の相談記録にだけ設定できます。"))
        if values.get("assignee_id") is not None:
            _check_assignee(db, values["assignee_id"])
        if values.get("venue_id") is not None:
            _check_venue(db, values["venue_id"])
        if values.get("attendee_id") is not None:
            known_band, known_device = _attendee(db, values["attendee_id"])
            band, device = db.execute("select age_band, device from tickets where id = ?", [ticket_id]).fetchone()
            values["age_band"] = values.get("age_band", band) or known_band
            values["device"] = values.get("device", device) or known_device
        values["updated_at"] = clock.now_utc_iso()
        db.execute(
            f"update tickets set {', '.join(f'{c} = ?' for c in values)} where id = ?", [*values.values(), ticket_id]
        )
        codes = {k: values[k] for k in ("channel", "category", "assignee_id", "venue_id", "follow_up_on") if k in values}
        audit.record(db, actor, "update", "tickets", ticket_id, {"changed": sorted(fields), **codes})


def add_minutes(db: Database, actor: Actor, ticket_id: int, minutes: int) -> None:
    """Log time spent on a case (one entry, 1–480 minutes) and add it to the total.

    Writes a history entry with from_status == to_status (the current status).

    Raises:
        PermissionDenied: no "tickets.work". NotFound. InvalidInput: minutes out of range.
    """
    require(actor, "tickets.work")
    minutes = _minutes(minutes, 1)
    with immediate(db):
        status = _status(db, ticket_id)
        now = clock.now_utc_iso()
        db.execute("update tickets set minutes = minutes + ?, updated_at = ? where id = ?", [minutes, now, ticket_id])
        _event(db, actor, ticket_id, now, status, status, minutes)
        audit.record(db, actor, "minutes", "tickets", ticket_id, {"minutes": minutes})


def change_status(
    db: Database,
    actor: Actor,
    ticket_id: int,
    to_status: str,
    *,
    follow_up_on: date | None = None,
    referral_to: str | None = None,
    referral_note: str = "",
    minutes: int = 0,
) -> None:
    """Move a case along the workflow (`TRANSITIONS`, issue 6).

    Args:
        to_status: a key of `STATUSES`.
        follow_up_on: required for 保留 (on_hold): the JST date to contact the
            resident again, today or later.
        referral_to: required for 他機関へ案内 (referred): a key of `REFERRALS`.
        referral_note: free text on the referral (≤ 500 characters), e.g. the
            shop's name; only with referred.
        minutes: minutes spent in this step, 0–480, added to the total.
    Effects:
        resolved / referred set ``resolution`` (closing keeps it); reopening
        (→ in_progress from resolved, referred or closed) clears it and the
        referral; leaving 保留 clears the follow-up date; closing sets closed_at.
        One ``ticket_events`` row and one audit row per change.
    Raises:
        PermissionDenied: no "tickets.work". NotFound: no such ticket.
        InvalidInput: a change the workflow does not allow (the message names
            both statuses), a missing or past follow-up date, a missing
            destination, or minutes out of range. MyNumberRejected: the
            referral note holds a マイナンバー. Nothing is written then.
    """
    require(actor, "tickets.work")
    if to_status not in STATUSES:
        raise InvalidInput("status", _("状態を選んでください。"))
    minutes = _minutes(minutes, 0)
    with immediate(db):
        from_status = _status(db, ticket_id)
        if to_status not in TRANSITIONS[from_status]:
            raise InvalidInput(
                "status",
                _("「{from_label}」から「{to_label}」には変更できません。変更できるのは {allowed} です。").format(
                    from_label=_(STATUSES[from_status]),
                    to_label=_(STATUSES[to_status]),
                    allowed="・".join(_(STATUSES[s]) for s in TRANSITIONS[from_status]),
                ),
            )
        changes: dict[str, object] = {}
        if to_status == "on_hold":
            changes["follow_up_on"] = _follow_up(follow_up_on).isoformat()
        elif from_status == "on_hold":
            changes["follow_up_on"] = None
        if to_status == "referred":
            changes["referral_to"] = _code("referral_to", referral_to or "", REFERRALS)
            changes["referral_note"] = _free_text("referral_note", referral_note, REFERRAL_NOTE_MAX)
        now = clock.now_utc_iso()
        if to_status in ("resolved", "referred"):
            changes["resolution"] = to_status
        if to_status == "closed":
            changes["closed_at"] = now
        if to_status == "in_progress" and from_status in ("resolved", "referred", "closed"):
            changes.update(resolution="", referral_to="", referral_note="", closed_at=None)
        changes.update(status=to_status, updated_at=now)
        db.execute(
            f"update tickets set minutes = minutes + ?, {', '.join(f'{c} = ?' for c in changes)} where id = ?",
            [minutes, *changes.values(), ticket_id],
        )
        _event(db, actor, ticket_id, now, from_status, to_status, minutes)
        detail: dict[str, object] = {"from": from_status, "to": to_status, "minutes": minutes}
        for key in ("follow_up_on", "referral_to"):
            if changes.get(key):
                detail[key] = changes[key]
        audit.record(db, actor, "status", "tickets", ticket_id, detail)


def record_guides(db: Database, actor: Actor, ticket_id: int, lesson_ids: list[str]) -> tuple[str, ...]:
    """Note that the handouts of these lessons were printed for the resident.

    Args:
        lesson_ids: ids of `lessons.catalogue()`; ones already recorded are skipped.
    Returns:
        guides_given after the change, in the order first given.
    Raises:
        PermissionDenied: no "tickets.work". NotFound: no such ticket.
        InvalidInput: an id not in the catalogue (nothing is written).
    """
    require(actor, "tickets.work")
    catalogue = lessons.catalogue()
    unknown = [i for i in lesson_ids if i not in catalogue]
    if unknown:
        raise InvalidInput("lesson_ids", _("講座が見つかりません：{ids}").format(ids="、".join(unknown)))
    with immediate(db):
        _status(db, ticket_id)
        given = json.loads(db.execute("select guides_given from tickets where id = ?", [ticket_id]).fetchone()[0] or "[]")
        added = [i for i in dict.fromkeys(lesson_ids) if i not in given]
        given.extend(added)
        if added:
            db.execute(
                "update tickets set guides_given = ?, updated_at = ? where id = ?",
                [json.dumps(given), clock.now_utc_iso(), ticket_id],
            )
            audit.record(db, actor, "guides", "tickets", ticket_id, {"added": added})
    return tuple(given)


_SELECT = """
select t.id, t.number, t.opened_at, t.venue_id, t.channel, t.attendee_id,
       coalesce(a.name, '') as attendee_name, coalesce(a.phone, '') as attendee_phone,
       coalesce(t.age_band, '') as age_band, coalesce(t.device, '') as device, coalesce(t.os, '') as os,
       t.category, t.summary, coalesce(t.notes, '') as notes, t.status, t.follow_up_on, t.assignee_id,
       coalesce(u.username, '') as assignee, t.minutes, coalesce(t.outcome, '') as outcome,
       coalesce(t.next_step, '') as next_step, coalesce(t.referral_to, '') as referral_to,
       coalesce(t.referral_note, '') as referral_note, coalesce(t.resolution, '') as resolution,
       coalesce(t.guides_given, '[]') as guides_given, coalesce(t.created_by, '') as created_by,
       coalesce(t.updated_at, '') as updated_at, coalesce(t.closed_at, '') as closed_at
from tickets t
left join attendees a on a.id = t.attendee_id
left join users u on u.id = t.assignee_id
"""


def _tickets(db: Database, actor: Actor, where: str, params: list, order: str, limit: int | None = None) -> list[Ticket]:
    # Phone numbers are staff-only (permission "attendees.read").
    show_phone = allowed(actor, "attendees.read")
    sql = f"{_SELECT} where {where} order by {order}" + (" limit ?" if limit is not None else "")
    rows = db.query(sql, [*params, limit] if limit is not None else params)
    return [
        Ticket(
            **{
                **r,
                "attendee_phone": r["attendee_phone"] if show_phone else "",
                "follow_up_on": date.fromisoformat(r["follow_up_on"]) if r["follow_up_on"] else None,
                "guides_given": tuple(json.loads(r["guides_given"])),
            }
        )
        for r in rows
    ]


def get_ticket(db: Database, actor: Actor, ticket_id: int) -> Ticket:
    """One ticket (phone number only for staff).

    Raises:
        PermissionDenied: no "tickets.read". NotFound.
    """
    require(actor, "tickets.read")
    found = _tickets(db, actor, "t.id = ?", [ticket_id], "t.id")
    if not found:
        raise NotFound(_("相談記録が見つかりません。"))
    return found[0]


def ticket_history(db: Database, actor: Actor, ticket_id: int) -> list[TicketEvent]:
    """A ticket's history, oldest first: the opening, each status change and each
    time entry (see `TicketEvent`).

    Raises:
        PermissionDenied: no "tickets.read". NotFound.
    """
    require(actor, "tickets.read")
    _status(db, ticket_id)
    rows = db.query(
        "select id, at, user, coalesce(from_status, '') as from_status, to_status, minutes "
        "from ticket_events where ticket_id = ? order by at, id",
        [ticket_id],
    )
    return [TicketEvent(**r) for r in rows]


def _utc_start(day: date) -> str:
    """The UTC ISO stamp of 00:00 JST on `day`, comparable with stored opened_at."""
    return datetime.combine(day, time(0), tzinfo=clock.JST).astimezone(timezone.utc).isoformat(timespec="seconds")


def search_tickets(
    db: Database,
    actor: Actor,
    *,
    status: str | None = None,
    category: str | None = None,
    assignee_id: int | None = None,
    opened_from: date | None = None,
    opened_to: date | None = None,
    attendee_id: int | None = None,
    text: str | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[Ticket]:
    """Tickets matching every filter given, newest opened first.

    Args:
        status / category: codes; status "open" means any of `OPEN_STATUSES`.
        opened_from / opened_to: JST dates, both inclusive.
        text: part of the number, summary, notes, outcome or next step, or (for
            staff) of the resident's name or フリガナ (width and hiragana/katakana
            ignored).
        attendee_id: one resident's cases; staff only.
        limit: at most this many (1–200).
    Raises:
        PermissionDenied: no "tickets.read", or attendee_id from a volunteer.
    """
    require(actor, "tickets.read")
    staff = allowed(actor, "attendees.read")
    if attendee_id is not None and not staff:
        raise PermissionDenied(_("受講者ごとの相談記録を見られるのは職員だけです。"))
    clauses, params = ["1 = 1"], []
    if status == "open":
        clauses.append(f"t.status in ({', '.join('?' * len(OPEN_STATUSES))})")
        params.extend(OPEN_STATUSES)
    elif status:
        clauses.append("t.status = ?")
        params.append(status)
    for column, value in (("category", category), ("assignee_id", assignee_id), ("attendee_id", attendee_id)):
        if value is not None and value != "":
            clauses.append(f"t.{column} = ?")
            params.append(value)
    if opened_from:
        clauses.append("t.opened_at >= ?")
        params.append(_utc_start(opened_from))
    if opened_to:
        clauses.append("t.opened_at < ?")
        params.append(_utc_start(date.fromordinal(opened_to.toordinal() + 1)))
    needle = (text or "").strip()
    if needle:
        # For staff, the resident's name or フリガナ (any width or kana script)
        # finds their cases too; volunteers do not look residents up by name.
        kana = kana_key(needle) if staff else ""
        clauses.append(
            "(instr(t.number, ?) or instr(t.summary, ?) or instr(t.notes, ?) or instr(t.outcome, ?) or instr(t.next_step, ?)"
            " or (? and instr(coalesce(a.name, ''), ?)) or (? != '' and instr(coalesce(a.kana_key, ''), ?)))"
        )
        params.extend([needle] * 5 + [int(staff), needle, kana, kana])
    return _tickets(db, actor, " and ".join(clauses), params, "t.opened_at desc, t.id desc", max(1, min(limit, SEARCH_LIMIT)))


_DUE = "t.status = 'on_hold' and t.follow_up_on <= ?"


def follow_up_queue(db: Database, actor: Actor, today: date | None = None, limit: int | None = None) -> list[Ticket]:
    """保留 tickets whose follow-up date has come or passed (≤ `today`, JST), oldest
    follow-up date first, then oldest opened; the first `limit` of them, or all.

    Raises:
        PermissionDenied: no "tickets.read".
    """
    require(actor, "tickets.read")
    day = (today or clock.today_jst()).isoformat()
    return _tickets(db, actor, _DUE, [day], "t.follow_up_on, t.opened_at, t.id", limit)


def follow_up_count(db: Database, actor: Actor, today: date | None = None) -> int:
    """How many tickets `follow_up_queue` holds, without reading them.

    Raises:
        PermissionDenied: no "tickets.read".
    """
    require(actor, "tickets.read")
    day = (today or clock.today_jst()).isoformat()
    return db.execute(f"select count(*) from tickets t where {_DUE}", [day]).fetchone()[0]


def my_open_tickets(db: Database, actor: Actor) -> list[Ticket]:
    """Open tickets (`OPEN_STATUSES`) assigned to the signed-in account, oldest
    opened first; [] for an actor without an account (``system``).

    Raises:
        PermissionDenied: no "tickets.read".
    """
    require(actor, "tickets.read")
    row = db.execute("select id from users where username = ?", [actor.username]).fetchone()
    if row is None:
        return []
    marks = ", ".join("?" * len(OPEN_STATUSES))
    return _tickets(db, actor, f"t.assignee_id = ? and t.status in ({marks})", [row[0], *OPEN_STATUSES], "t.opened_at, t.id")
