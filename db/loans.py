"""Loan phones (貸出機, issue 17): a venue's inventory of centre-owned phones, which
attendee borrows which phone in a session, and whether it came back.

Rules:
- A label (「iPhone-3」) names one phone of a venue; labels are compared folded
  (full/half width, case), so 「ｉＰｈｏｎｅ－３」 is the same label.
- A phone is lent only when its status is available (使用可), it is not out
  (未返却 recorded at a past session), and it is not lent in an overlapping
  session of its venue. A loan counts while its booking holds a seat that is not
  marked absent (booked / offered / attended) in a session that is not cancelled;
  cancelling, waitlisting or an absent mark frees the phone by itself.
- Allocation matches the seated attendees with no phone of their own (device
  「なし」, db.attendees.DEVICES: なし（貸出機を用意）) to free phones of the
  session's device focus (or the kind staff chose), all or nothing: when the
  free phones do not cover everyone, nothing is written and the shortfall is named.
- A return is recorded from the time attendance opens (db.bookings.attendance_window)
  with no end: a phone can come back weeks later.

No column here holds personal data: a loan names a person only through its
booking (db.retention KEEP).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from db import audit, immediate
from db.bookings import ATTENDANCE_DAYS_AFTER, attendance_window
from db.clock import JST, now_jst, now_utc_iso, parse_iso
from db.errors import InvalidInput, LoanShortfall, NotFound, PhoneUnavailable
from db.guard import check_free_text
from db.permissions import Actor, require
from db.sessions import MAX_MINUTES, describe
from locales import _

KINDS = ("iPhone", "Android")
# Status code → label (msgids, translated where shown).
STATUSES = {"available": "使用可", "repair": "修理中", "retired": "使用終了"}
# A return as 出欠 records it: code → label (msgids); "" is not recorded yet.
RETURNS = {"returned": "返却済み", "not_returned": "未返却"}
# The device value of an attendee with no phone of their own (db.attendees.DEVICES).
NO_PHONE = "なし"
LABEL_MAX = 20
# Bookings whose loan holds its phone.
LENDING_STATUSES = ("booked", "offered", "attended")
_LENDING = ", ".join(f"'{s}'" for s in LENDING_STATUSES)
# A loan that holds its phone (bookings b, sessions s).
_HOLDS = f"b.status in ({_LENDING}) and s.status != 'cancelled'"
# Loans of the sessions overlapping :starts–:ends, read from those sessions (the
# starts_at index, bounded below by the longest session), so the cost is the same
# whatever the history: CROSS JOIN keeps SQLite from starting at every booking of
# a status.
_OVERLAPPING = f"""select l.phone_id, l.booking_id, s.id as session_id from sessions s
    cross join bookings b on b.session_id = s.id cross join loans l on l.booking_id = b.id
    where s.starts_at < :ends and s.starts_at > :earliest and s.ends_at > :starts and {_HOLDS}"""


@dataclass(frozen=True)
class LoanPhone:
    """A phone of a venue's inventory. out: a past loan is recorded 未返却."""

    id: int
    venue_id: int
    venue_name: str
    kind: str
    label: str
    status: str
    out: bool


@dataclass(frozen=True)
class Loan:
    """The phone a booking borrows; returned is a key of `RETURNS` or ""."""

    booking_id: int
    phone_id: int
    label: str
    kind: str
    returned: str


@dataclass(frozen=True)
class Prepare:
    """What to lay out for a session: `needed` seated attendees without a phone of
    their own; phones allocated per kind (`by_kind`); `unassigned`: those of the
    needed still without a phone. Counts only."""

    needed: int
    by_kind: dict[str, int]
    unassigned: int

    @property
    def phones(self) -> int:
        return sum(self.by_kind.values()) + self.unassigned


@dataclass(frozen=True)
class OutPhone:
    """A loan whose phone is not back: recorded 未返却, or a session of the last 14
    days whose attendee came and whose return is not recorded (`recorded` False).
    starts_at is aware JST; name and phone are the borrower's (staff only)."""

    booking_id: int
    session_id: int
    label: str
    kind: str
    venue_name: str
    starts_at: datetime
    lesson_id: str
    name: str
    phone: str
    recorded: bool


@dataclass(frozen=True)
class LoanCounts:
    """Loans in a window: phones lent to attendees who came, per kind, the distinct
    borrowers, sessions with a loan, and those recorded 未返却."""

    loans: int
    by_kind: dict[str, int]
    borrowers: int
    sessions: int
    not_returned: int


def _label_key(label: str) -> str:
    return unicodedata.normalize("NFKC", label).casefold().replace(" ", "")


def _natural(label: str) -> tuple:
    # 「iPhone-10」 after 「iPhone-9」.
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", _label_key(label)))


def _clean_label(label: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", label or "").split())
    if not text:
        raise InvalidInput("label", _("貸出機の名前（例：iPhone-3）を入力してください。"))
    if len(text) > LABEL_MAX:
        raise InvalidInput("label", _("貸出機の名前は {n} 文字以内にしてください。").format(n=LABEL_MAX))
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise InvalidInput("label", _("貸出機の名前に使えない文字があります。"))
    return check_free_text("label", text)


def add_phone(db: Database, actor: Actor, venue_id: int, kind: str, label: str) -> int:
    """Add a phone to a venue's inventory, available (使用可).

    Args:
        kind: one of `KINDS`. label: 1–20 characters after NFKC, e.g. 「iPhone-3」.
    Returns:
        the new phone id.
    Raises:
        PermissionDenied: not staff. NotFound: no such venue.
        InvalidInput: unknown kind, empty, long or control-character label, or a
            label the venue already has (compared folded). MyNumberRejected.
    """
    require(actor, "loans.manage")
    if kind not in KINDS:
        raise InvalidInput("kind", _("機種は {kinds} から選んでください。").format(kinds="・".join(KINDS)))
    label = _clean_label(label)
    with immediate(db):
        if not db.execute("select 1 from venues where id = ?", [venue_id]).fetchone():
            raise NotFound(_("施設が見つかりません。"))
        if db.execute("select 1 from loan_phones where venue_id = ? and label_key = ?", [venue_id, _label_key(label)]).fetchone():
            raise InvalidInput("label", _("「{label}」はこの施設にもうあります。別の名前にしてください。").format(label=label))
        phone_id = db["loan_phones"].insert(
            {"venue_id": venue_id, "kind": kind, "label": label, "label_key": _label_key(label), "status": "available",
             "created_at": now_utc_iso()}
        ).last_pk
        audit.record(db, actor, "create", "loan_phones", phone_id, {"venue_id": venue_id, "kind": kind, "label": label})
    return phone_id


def _upcoming_loan(db: Database, phone_id: int) -> int | None:
    row = db.execute(
        f"select s.id from loans l cross join bookings b on b.id = l.booking_id cross join sessions s on s.id = b.session_id "
        f"where l.phone_id = ? and {_HOLDS} and s.ends_at > ? order by s.starts_at limit 1",
        [phone_id, now_jst().isoformat()],
    ).fetchone()
    return row[0] if row else None


def set_status(db: Database, actor: Actor, phone_id: int, status: str) -> None:
    """Mark a phone available, in repair (修理中) or retired (使用終了).

    Raises:
        PermissionDenied: not staff. NotFound: no such phone. InvalidInput: unknown
            status, or the phone is allocated in a session not yet over (take the
            loan off first).
    """
    require(actor, "loans.manage")
    if status not in STATUSES:
        raise InvalidInput("status", _("状態は {labels} から選んでください。").format(labels="・".join(_(v) for v in STATUSES.values())))
    with immediate(db):
        row = db.execute("select label, status from loan_phones where id = ?", [phone_id]).fetchone()
        if row is None:
            raise NotFound(_("貸出機が見つかりません。"))
        if row[1] == status:
            return
        if status != "available":
            session_id = _upcoming_loan(db, phone_id)
            if session_id is not None:
                raise InvalidInput(
                    "status",
                    _("「{label}」は {session} で貸し出す予定です。先にその割り当てを外してください。").format(
                        label=row[0], session=describe(db, session_id)
                    ),
                )
        db["loan_phones"].update(phone_id, {"status": status})
        audit.record(db, actor, "update", "loan_phones", phone_id, {"from": row[1], "to": status})


_PHONE_SQL = """
select p.id, p.venue_id, v.name as venue_name, p.kind, p.label, p.status,
       exists(select 1 from loans o where o.phone_id = p.id and o.returned = 'not_returned') as out
from loan_phones p join venues v on v.id = p.venue_id
"""


def _phones(rows) -> list[LoanPhone]:
    found = [LoanPhone(**{**r, "out": bool(r["out"])}) for r in rows]
    return sorted(found, key=lambda p: (p.venue_name, p.venue_id, KINDS.index(p.kind) if p.kind in KINDS else 9, _natural(p.label)))


def list_phones(db: Database, venue_id: int | None = None) -> list[LoanPhone]:
    """A venue's phones (every venue's for None), by venue, kind and label in
    number order (「iPhone-2」 before 「iPhone-10」). No personal data."""
    if venue_id is None:
        return _phones(db.query(_PHONE_SQL))
    return _phones(db.query(_PHONE_SQL + " where p.venue_id = ?", [venue_id]))


def _session(db: Database, session_id: int) -> dict:
    rows = list(
        db.query(
            "select s.id, s.starts_at, s.ends_at, s.status, coalesce(s.device_focus, '') as device_focus, r.venue_id "
            "from sessions s join rooms r on r.id = s.room_id where s.id = ?",
            [session_id],
        )
    )
    if not rows:
        raise NotFound(_("開催回が見つかりません。"))
    return rows[0]


def _window(session: dict) -> dict:
    starts = parse_iso(session["starts_at"])
    return {"starts": session["starts_at"], "ends": session["ends_at"],
            "earliest": (starts - timedelta(minutes=MAX_MINUTES)).isoformat()}


def _free_phones(db: Database, session: dict, kind: str | None = None) -> list[LoanPhone]:
    """Phones of the session's venue that can be lent in it: available, not out,
    and not held by a loan in any overlapping session (this one included)."""
    held = {r[0] for r in db.execute(_OVERLAPPING, _window(session))}
    rows = db.query(_PHONE_SQL + " where p.venue_id = ? and p.status = 'available'", [session["venue_id"]])
    return [p for p in _phones(rows) if not p.out and p.id not in held and (kind is None or p.kind == kind)]


def free_phones(db: Database, session_id: int) -> list[LoanPhone]:
    """The phones that can still be lent in a session (see `_free_phones`), by kind
    and label. Raises NotFound."""
    return _free_phones(db, _session(db, session_id))


def session_kind(db: Database, session_id: int) -> str:
    """The kind a session's loans are by default: its device focus when that is one
    of `KINDS`, else "" (both kinds are taught; staff choose). Raises NotFound."""
    focus = _session(db, session_id)["device_focus"]
    return focus if focus in KINDS else ""


def set_device_focus(db: Database, actor: Actor, session_id: int, focus: str) -> None:
    """Set which phones a session teaches (device focus): "iPhone", "Android" or ""
    (both). Allocation lends phones of this kind.

    Raises:
        PermissionDenied: not staff. NotFound: no such session. InvalidInput: unknown focus.
    """
    require(actor, "loans.manage")
    if focus not in ("", *KINDS):
        raise InvalidInput("device_focus", _("対象の機種は {kinds}・両方 から選んでください。").format(kinds="・".join(KINDS)))
    with immediate(db):
        before = _session(db, session_id)["device_focus"]
        if before == focus:
            return
        db["sessions"].update(session_id, {"device_focus": focus})
        audit.record(db, actor, "update", "sessions", session_id, {"device_focus": focus})


def _needing(db: Database, session_id: int) -> list[int]:
    """Bookings of a session that hold a seat, whose attendee has no phone, and that
    borrow nothing yet, in booking order."""
    return [
        r[0]
        for r in db.execute(
            f"select b.id from bookings b join attendees a on a.id = b.attendee_id "
            f"where b.session_id = ? and b.status in ({_LENDING}) and a.device = ? "
            f"and not exists (select 1 from loans l where l.booking_id = b.id) order by b.queued_at, b.id",
            [session_id, NO_PHONE],
        )
    ]


def _open_for_loans(session: dict) -> None:
    if session["status"] == "cancelled":
        raise PhoneUnavailable(_("中止した開催回には貸出機を割り当てられません。"))
    if parse_iso(session["ends_at"]) <= now_jst():
        raise PhoneUnavailable(_("終わった開催回には貸出機を割り当てられません。"))


def allocate(db: Database, actor: Actor, session_id: int, kind: str = "") -> int:
    """Lend a free phone to every seated attendee of a session who has none of their
    own and borrows nothing yet, in booking order, phones in label order.

    Args:
        kind: one of `KINDS`; "" means the session's device focus (`session_kind`).
    Returns:
        how many phones were allocated (0 when nobody is waiting for one).
    Raises:
        PermissionDenied: not staff. NotFound: no such session.
        InvalidInput: no kind given and the session teaches both.
        PhoneUnavailable: the session is cancelled or over.
        LoanShortfall: fewer free phones of the kind than people; nothing is written.
    """
    require(actor, "loans.manage")
    with immediate(db):
        session = _session(db, session_id)
        _open_for_loans(session)
        kind = kind or (session["device_focus"] if session["device_focus"] in KINDS else "")
        if kind not in KINDS:
            raise InvalidInput("kind", _("この開催回は iPhone と Android の両方です。貸し出す機種を選んでください。"))
        needing = _needing(db, session_id)
        if not needing:
            return 0
        free = _free_phones(db, session, kind)
        if len(free) < len(needing):
            raise LoanShortfall(kind, len(needing) - len(free), len(needing), len(free))
        stamp = now_utc_iso()
        for booking_id, phone in zip(needing, free):
            db["loans"].insert({"booking_id": booking_id, "phone_id": phone.id, "assigned_at": stamp, "assigned_by": actor.username,
                                "returned": ""})
        audit.record(db, actor, "allocate", "sessions", session_id, {"kind": kind, "phones": len(needing)})
    return len(needing)


def _booking(db: Database, booking_id: int) -> tuple[int, str]:
    row = db.execute("select session_id, status from bookings where id = ?", [booking_id]).fetchone()
    if row is None:
        raise NotFound(_("予約が見つかりません。"))
    return row[0], row[1]


def assign(db: Database, actor: Actor, booking_id: int, phone_id: int | None) -> None:
    """Change by hand which phone a booking borrows; None takes the loan off.

    Any seated attendee may borrow (a phone left at home, a broken one), not only
    those recorded with no phone.

    Raises:
        PermissionDenied: not staff. NotFound: no such booking or phone.
        PhoneUnavailable: the booking holds no seat, the session is cancelled or
            over, or the phone is of another venue, not available (修理中・使用終了),
            not back (未返却), or lent in an overlapping session (named).
    """
    require(actor, "loans.manage")
    with immediate(db):
        session_id, status = _booking(db, booking_id)
        session = _session(db, session_id)
        _open_for_loans(session)
        current = db.execute("select phone_id from loans where booking_id = ?", [booking_id]).fetchone()
        if phone_id is None:
            if current:
                db.execute("delete from loans where booking_id = ?", [booking_id])
                audit.record(db, actor, "unlend", "loans", booking_id, {"session_id": session_id})
            return
        if current and current[0] == phone_id:
            return
        if status not in LENDING_STATUSES:
            raise PhoneUnavailable(_("席のある予約にだけ貸出機を割り当てられます。"))
        row = db.execute("select venue_id, label, status from loan_phones where id = ?", [phone_id]).fetchone()
        if row is None:
            raise NotFound(_("貸出機が見つかりません。"))
        venue_id, label, phone_status = row
        if venue_id != session["venue_id"]:
            raise PhoneUnavailable(_("「{label}」はこの開催回の施設の貸出機ではありません。").format(label=label))
        if phone_status != "available":
            raise PhoneUnavailable(_("「{label}」は{status}です。").format(label=label, status=_(STATUSES[phone_status])))
        if db.execute("select 1 from loans where phone_id = ? and returned = 'not_returned'", [phone_id]).fetchone():
            raise PhoneUnavailable(_("「{label}」はまだ返却されていません（未返却）。").format(label=label))
        clash = db.execute(
            f"select session_id from ({_OVERLAPPING}) where phone_id = :phone and booking_id != :booking limit 1",
            {**_window(session), "phone": phone_id, "booking": booking_id},
        ).fetchone()
        if clash:
            where = _("この開催回の別の方") if clash[0] == session_id else describe(db, clash[0])
            raise PhoneUnavailable(_("「{label}」は {where} に貸し出しています。").format(label=label, where=where))
        stamp = {"phone_id": phone_id, "assigned_at": now_utc_iso(), "assigned_by": actor.username, "returned": "",
                 "returned_at": None, "returned_by": None}
        if current:
            db.execute(
                "update loans set phone_id = :phone_id, assigned_at = :assigned_at, assigned_by = :assigned_by, returned = '', "
                "returned_at = null, returned_by = null where booking_id = :booking_id",
                {**stamp, "booking_id": booking_id},
            )
        else:
            db["loans"].insert({"booking_id": booking_id, **stamp})
        audit.record(db, actor, "lend", "loans", booking_id, {"session_id": session_id, "phone_id": phone_id})


def record_return(db: Database, actor: Actor, booking_id: int, returned: str) -> None:
    """Record at 出欠 whether a borrowed phone came back: "returned", "not_returned"
    (the phone is then out: lent to nobody until it is recorded returned), or ""
    (take the record back).

    Raises:
        PermissionDenied: not staff. NotFound: no such booking, or it borrows nothing.
        InvalidInput: unknown value, or the session's attendance is not open yet
            (a return can be recorded from then on, with no end).
    """
    require(actor, "loans.manage")
    if returned not in ("", *RETURNS):
        raise InvalidInput("returned", _("返却は「返却済み」か「未返却」で記録してください。"))
    with immediate(db):
        session_id, _status = _booking(db, booking_id)
        before = db.execute("select returned from loans where booking_id = ?", [booking_id]).fetchone()
        if before is None:
            raise NotFound(_("この方には貸出機を割り当てていません。"))
        opens, _closes = attendance_window(db, session_id)
        if now_jst() < opens:
            raise InvalidInput("returned", _("貸出機の返却は {time} から記録できます。").format(time=f"{opens:%-m/%-d %-H:%M}"))
        if before[0] == returned:
            return
        db.execute(
            "update loans set returned = ?, returned_at = ?, returned_by = ? where booking_id = ?",
            [returned, now_utc_iso() if returned else None, actor.username if returned else None, booking_id],
        )
        audit.record(db, actor, "return", "loans", booking_id, {"session_id": session_id, "to": returned or "unrecorded"})


def session_loans(db: Database, actor: Actor, session_id: int) -> dict[int, Loan]:
    """{booking id: `Loan`} of a session's loans that hold their phone.

    Raises:
        PermissionDenied: not staff.
    """
    require(actor, "bookings.read")
    rows = db.query(
        f"select l.booking_id, l.phone_id, p.label, p.kind, l.returned from sessions s cross join bookings b on b.session_id = s.id "
        f"cross join loans l on l.booking_id = b.id join loan_phones p on p.id = l.phone_id where s.id = ? and {_HOLDS}",
        [session_id],
    )
    return {r["booking_id"]: Loan(**r) for r in rows}


def to_prepare(db: Database, session_ids: list[int]) -> dict[int, Prepare]:
    """{session id: `Prepare`}: how many loan phones to lay out for each session
    (counts only; sessions without any loan or need are included, all zero)."""
    found = {session_id: Prepare(0, {}, 0) for session_id in session_ids}
    if not session_ids:
        return found
    marks = ", ".join("?" * len(session_ids))
    needed = dict(
        db.execute(
            f"select b.session_id, count(*) from bookings b join attendees a on a.id = b.attendee_id "
            f"where b.session_id in ({marks}) and b.status in ({_LENDING}) and a.device = ? group by b.session_id",
            [*session_ids, NO_PHONE],
        ).fetchall()
    )
    lent: dict[int, dict[str, int]] = {}
    lent_to_needing: dict[int, int] = {}
    for session_id, kind, device, count in db.execute(
        f"select b.session_id, p.kind, coalesce(a.device, ''), count(*) from bookings b cross join loans l on l.booking_id = b.id "
        f"join attendees a on a.id = b.attendee_id join loan_phones p on p.id = l.phone_id "
        f"where b.session_id in ({marks}) and b.status in ({_LENDING}) group by 1, 2, 3",
        session_ids,
    ):
        lent.setdefault(session_id, {})
        lent[session_id][kind] = lent[session_id].get(kind, 0) + count
        if device == NO_PHONE:
            lent_to_needing[session_id] = lent_to_needing.get(session_id, 0) + count
    for session_id in session_ids:
        need = needed.get(session_id, 0)
        by_kind = {kind: lent[session_id][kind] for kind in KINDS if lent.get(session_id, {}).get(kind)}
        found[session_id] = Prepare(need, by_kind, need - lent_to_needing.get(session_id, 0))
    return found


def prepare_text(prepare: Prepare) -> str:
    """A session's loan phones in words: 「貸出機 3台（iPhone 2・未割当 1）」, or ""
    when none are needed."""
    if not prepare.phones:
        return ""
    parts = [f"{kind} {n}" for kind, n in prepare.by_kind.items()]
    if prepare.unassigned:
        parts.append(_("未割当 {n}").format(n=prepare.unassigned))
    return _("貸出機 {n}台（{parts}）").format(n=prepare.phones, parts="・".join(parts))


def out_phones(db: Database, actor: Actor, limit: int = 50) -> list[OutPhone]:
    """Phones not back, for staff to chase: loans recorded 未返却 (any age), then
    loans of the last 14 days' sessions, already over, whose attendee came (or is
    not marked yet) and whose return is not recorded; oldest session first.

    Raises:
        PermissionDenied: not staff (the rows hold phone numbers).
    """
    require(actor, "bookings.read")
    now = now_jst()
    since = (now - timedelta(days=ATTENDANCE_DAYS_AFTER)).isoformat()
    columns = (
        "l.booking_id, b.session_id, p.label, p.kind, v.name as venue_name, s.starts_at, s.lesson_id, a.name, "
        "coalesce(a.phone, '') as phone"
    )
    rest = "join loan_phones p on p.id = l.phone_id join venues v on v.id = p.venue_id join attendees a on a.id = b.attendee_id"
    # Phones out are few (a partial index); the unrecorded are read from the last
    # 14 days' sessions, whatever the history.
    recorded = db.query(
        f"select {columns}, 1 as recorded from loans l cross join bookings b on b.id = l.booking_id "
        f"cross join sessions s on s.id = b.session_id {rest} where l.returned = 'not_returned' order by s.starts_at, p.label limit ?",
        [limit],
    )
    pending = db.query(
        f"select {columns}, 0 as recorded from sessions s cross join bookings b on b.session_id = s.id "
        f"cross join loans l on l.booking_id = b.id {rest} where s.starts_at >= ? and s.starts_at <= ? and s.ends_at <= ? "
        f"and l.returned = '' and {_HOLDS} order by s.starts_at, p.label limit ?",
        [since, now.isoformat(), now.isoformat(), limit],
    )
    rows = [*recorded, *pending][:limit]
    return [OutPhone(**{**r, "starts_at": parse_iso(r["starts_at"]).astimezone(JST), "recorded": bool(r["recorded"])}) for r in rows]


def loan_counts(db: Database, start: date, end: date, venue_id: int | None = None) -> LoanCounts:
    """Loans of sessions starting in [start, end) (JST dates), at one venue or all:
    a loan counts when its attendee was marked attended in a session that was not
    cancelled (the phone was in someone's hands). No personal data."""
    # From the window's sessions (the starts_at index), so a year costs the same
    # whatever the history.
    where = (
        "from sessions s cross join rooms r on r.id = s.room_id cross join bookings b on b.session_id = s.id "
        "cross join loans l on l.booking_id = b.id join loan_phones p on p.id = l.phone_id "
        "where s.starts_at >= ? and s.starts_at < ? and s.status != 'cancelled' and b.status = 'attended' "
        "and (? is null or r.venue_id = ?)"
    )
    params = [start.isoformat(), end.isoformat(), venue_id, venue_id]
    # One walk of the window, counted here: a second statement for the kinds
    # doubled the cost (a few thousand loans a year at a city's scale).
    rows = db.execute(f"select b.attendee_id, b.session_id, l.returned = 'not_returned', p.kind {where}", params).fetchall()
    by_kind: dict[str, int] = {}
    for *_who, kind in rows:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    total, not_returned = len(rows), sum(1 for row in rows if row[2])
    borrowers, sessions = len({row[0] for row in rows}), len({row[1] for row in rows})
    return LoanCounts(total, {kind: by_kind.get(kind, 0) for kind in KINDS}, borrowers, sessions, not_returned)
