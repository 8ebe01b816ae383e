"""Retention (個人情報保護法 art. 22: erase personal data no longer needed) and
erasure on request (本人からの削除請求, art. 35).

Anonymising keeps the attendee's row, 年代 and device, and every booking and
help-desk ticket, so the reports still add up; it erases every free-text column
tied to the resident, as `ERASE` lists them: name, フリガナ, phone number, needs
and notes; the reasons given for their cancellations and for seating them beyond
capacity; and the free text of their tickets (summary, notes, OS, outcome, next
step, referral note) while keeping category, channel, status, resolution, minutes
and dates; and the comment of every 受講後アンケート they signed with their name,
keeping its 理解度, 満足度 and wishes (unsigned answers name nobody). `KEEP` lists every other text column of the schema and why it stays;
tests/test_retention.py fails when a column is in neither.

The audit log records that it happened, never the erased values (and never a file
name or a typed user name: db.importer, db.accounts). Connections run with
``secure_delete`` on, and the write-ahead log is checkpointed and truncated until
it no longer holds the erased text (`clear_wal`).

Backups keep erased data until they rotate out (db.backup, README "Protecting
residents' data"); a restore erases again whoever had been erased since.

Candidates are read from ``attendees.activity_on``, which triggers keep equal to
`db.schema.ACTIVITY_OF_A`, through a partial index: counting and each page cost
the same at 100,000 residents as at 100.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from db import BUSY_TIMEOUT_S, audit, immediate
from db.clock import now_utc_iso, today_jst
from db.errors import InvalidInput, NotFound, WalNotCleared
from db.permissions import Actor, require
from locales import _

ERASED_NAME = "（削除済み）"
# A ticket's summary is required; after erasure it reads as this.
ERASED_TEXT = "（削除済み）"
REASONS = {"retention": "保存期間の経過", "request": "本人からの削除請求", "reapply": "復元後の再削除"}
PAGE_SIZE = 50
BATCH_SIZE = 500
MAX_BATCH = 1000
WAL_WAIT_S = 30.0

# Table → (the column naming the resident, {erased column: value it is set to}).
ERASE: dict[str, tuple[str, dict[str, object]]] = {
    "attendees": ("id", {"name": ERASED_NAME, "name_kana": "", "kana_key": "", "phone": None, "phone_digits": None,
                         "needs": "", "note": ""}),
    "bookings": ("attendee_id", {"cancel_reason": None, "overbook_reason": None}),
    "tickets": ("attendee_id", {"summary": ERASED_TEXT, "notes": "", "os": "", "outcome": "", "next_step": "",
                                "referral_note": ""}),
    # 受講後アンケート: the comment of an answer the resident signed (issue 17).
    "surveys": ("attendee_id", {"comment": ""}),
}
# Every other text column, by table, and why it stays after an erasure.
KEEP: dict[str, tuple[str, ...]] = {
    # Codes and dates the reports count (年代, device, consent and activity dates; the first class
    # attended splits new from returning attendees in 実績報告).
    "attendees": ("age_band", "device", "consent_on", "created_at", "last_seen_on", "anonymised_at", "activity_on",
                  "first_attended_on"),
    # Status codes, times, and the user names of staff who acted.
    "bookings": ("status", "queued_at", "offered_until", "offered_at", "attended_at", "marked_by", "created_by", "cancelled_at"),
    "tickets": ("number", "opened_at", "channel", "age_band", "device", "category", "status", "follow_up_on", "referral_to",
                "resolution", "guides_given", "created_by", "updated_at", "closed_at"),
    "ticket_events": ("at", "user", "from_status", "to_status"),
    # Never holds personal data: counts, codes and pseudonyms only (db.audit).
    "audit_log": ("at", "user", "action", "entity", "entity_id", "detail", "prev_hash", "hash"),
    # The centre's own data, not a resident's.
    "settings": ("key", "value"),
    "venues": ("name", "address", "phone"),
    "rooms": ("name",),
    "closures": ("date", "reason"),
    "sessions": ("lesson_id", "starts_at", "ends_at", "device_focus", "status", "note", "created_at", "cancel_reason",
                 "cancelled_at"),
    "series": ("lesson_id", "rule", "starts", "ends", "first_date", "last_date", "note", "created_at"),
    "targets": ("metric", "updated_at", "updated_by"),
    "_sqlite_migrations": ("migration_set", "name", "applied_at"),
    # Staff and volunteers, who are not residents: their accounts and profiles end
    # by deactivation (db.accounts, db.volunteers), not by this erasure.
    "users": ("username", "password_hash", "role", "email", "locked_until", "created_at", "last_login_at"),
    "volunteers": ("name", "name_kana", "phone", "email", "kind", "skills", "appointed_until"),
    "shifts": ("role", "status"),
    "availability": ("starts", "ends"),
    "availability_exceptions": ("date", "note"),
    "feed_tokens": ("token_sha256", "created_at", "created_by", "revoked_at"),
    # Sign-ins of staff and volunteers: digests, times and the browser's name only.
    "sign_in_sessions": ("token_sha256", "created_at", "last_seen_at", "user_agent", "browser_key", "ended_at", "end_reason"),
    "sign_in_codes": ("code_sha256", "expires_at", "used_at"),
    "sign_in_failures": ("at", "username", "client_key", "ip_key"),
    # Codes and times of calls made (no text).
    "call_outcomes": ("kind", "outcome", "at", "user"),
    # Loan phones (貸出機): the centre's phones, and codes, times and staff user names of loans.
    "loan_phones": ("kind", "label", "label_key", "status", "created_at"),
    "loans": ("assigned_at", "assigned_by", "returned", "returned_at", "returned_by"),
    # 出前講座・出張相談 requests: the group, its place (a venue), codes, dates and the
    # staff's report of the day, which the reports count; the contact is in ERASE_CONTACTS.
    "outreach_requests": ("kind", "group_name", "group_kind", "preferred_dates", "lesson_id", "status", "report",
                          "received_on", "activity_on", "created_at", "created_by", "contact_erased_at"),
    # 受講後アンケート: when and by whom a sheet was keyed, and the lessons ticked (codes).
    "surveys": ("entered_at", "entered_by"),
    "survey_wishes": ("lesson_id",),
    # 抽選 (issue 17): a lottery's window, seed and who drew it; an application's
    # times and result codes. No free text; the resident is a link to attendees.
    "lotteries": ("opens_at", "closes_at", "first_starts_at", "seed", "drawn_at", "drawn_by", "created_at", "created_by"),
    "applications": ("applied_at", "created_by", "withdrawn_at", "result"),
    # 実績報告's tallies (issue 12): codes, months and times, and copies of the
    # attendee's kept 年代, device and first attended day.
    "report_people": ("lesson_id", "month", "first_attended_at", "age_band", "device", "first_attended_on"),
}
# The contact person of an outreach request (db.outreach) is a resident who need not
# be an attendee: erased by request id (`erase_contacts`), by the same retention
# period counted from the request's last step. Column → value it is set to.
ERASE_CONTACTS: dict[str, dict[str, object]] = {
    "outreach_requests": {"contact_name": ERASED_NAME, "contact_phone": None, "contact_phone_digits": None, "notes": "",
                          "withdraw_reason": None},
}


@dataclass(frozen=True)
class Candidate:
    """A resident listed for anonymisation; last_activity is an ISO date."""

    id: int
    name: str
    name_kana: str
    phone: str
    age_band: str
    last_activity: str


def cutoff_for(years: int, today: date | None = None) -> date:
    """The date `years` years before `today` (JST); 29 February falls back to the 28th."""
    today = today or today_jst()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


_CANDIDATES = "from attendees where anonymised_at is null and activity_on < ?"


def count_candidates(db: Database, actor: Actor, years: int, today: date | None = None) -> int:
    """How many residents have had no registration, booking, attendance or
    help-desk case in the last `years` years (one range of a partial index).

    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "retention.anonymise")
    return db.execute(f"select count(*) {_CANDIDATES}", [cutoff_for(years, today).isoformat()]).fetchone()[0]


def candidates(
    db: Database,
    actor: Actor,
    years: int,
    today: date | None = None,
    *,
    after: tuple[str, int] | None = None,
    limit: int | None = None,
) -> list[Candidate]:
    """Residents with no registration, booking, attendance or help-desk ticket in
    the last `years` years, oldest activity first, a page at a time.

    Args:
        after: (last_activity, id) of the last candidate of the page before.
        limit: at most this many; None for all.
    Returns:
        candidates ordered by (last activity, id).
    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "retention.anonymise")
    where, params = _CANDIDATES, [cutoff_for(years, today).isoformat()]
    if after is not None:
        where += " and (activity_on > ? or (activity_on = ? and id > ?))"
        params += [after[0], after[0], after[1]]
    rows = db.query(
        "select id, name, name_kana, coalesce(phone, '') as phone, coalesce(age_band, '') as age_band, "
        f"activity_on as last_activity {where} order by activity_on, id" + (" limit ?" if limit is not None else ""),
        params + ([limit] if limit is not None else []),
    )
    return [Candidate(**r) for r in rows]


def _erase(db: Database, attendee_id: int) -> None:
    for table, (key, columns) in ERASE.items():
        db.execute(
            f"update {table} set {', '.join(f'{c} = ?' for c in columns)} where {key} = ?",
            [*columns.values(), attendee_id],
        )


def anonymise(db: Database, actor: Actor, attendee_ids: list[int], reason: str) -> int:
    """Erase the personal data of the given residents (every column of `ERASE`)
    in one transaction, then clear the write-ahead log of it.

    Args:
        attendee_ids: 1–`MAX_BATCH` residents (the page erases long lists in
            batches of `BATCH_SIZE`).
        reason: "retention" (listed by `candidates`), "request" (本人からの削除請求)
            or "reapply" (erased again after a restore).
    Returns:
        how many residents were anonymised.
    Raises:
        PermissionDenied: not an admin. InvalidInput: unknown reason, no ids or
            too many. NotFound: an id that does not exist or is already
            anonymised (nothing is changed then). WalNotCleared: erased, but a
            long read kept the erased text in the -wal file (see `clear_wal`).
    """
    require(actor, "retention.anonymise")
    if reason not in REASONS:
        raise InvalidInput("reason", _("理由を選んでください。"))
    ids = sorted(set(attendee_ids))
    if not ids:
        raise InvalidInput("attendee_ids", _("対象の方を選んでください。"))
    if len(ids) > MAX_BATCH:
        raise InvalidInput("attendee_ids", _("一度に削除できるのは {n} 人までです。").format(n=MAX_BATCH))
    now = now_utc_iso()
    with immediate(db):
        for attendee_id in ids:
            row = db.execute("select anonymised_at from attendees where id = ?", [attendee_id]).fetchone()
            if row is None or row[0]:
                raise NotFound(_("対象の方が見つからないか、すでに削除済みです（No.{id}）。").format(id=attendee_id))
            _erase(db, attendee_id)
            db.execute("update attendees set anonymised_at = ? where id = ?", [now, attendee_id])
            audit.record(db, actor, "anonymise", "attendees", attendee_id, {"reason": reason})
    if not _checkpoint(db, WAL_WAIT_S):
        raise WalNotCleared(len(ids))
    return len(ids)


def _checkpoint(db: Database, wait_s: float) -> bool:
    """Checkpoint and truncate the -wal file, waiting while readers hold old pages.

    ``PRAGMA wal_checkpoint(TRUNCATE)`` reports busy = 1 when another connection's
    read transaction still needs frames of the log; until it ends, the erased text
    stays in the -wal. The checkpoint waits for readers through the busy handler,
    so the busy timeout is set to what is left of `wait_s` for each try.

    Returns:
        True once the log is truncated (busy 0, no frames left).
    """
    deadline = time.monotonic() + wait_s
    try:
        while True:
            left_ms = max(1, int((deadline - time.monotonic()) * 1000))
            db.execute(f"PRAGMA busy_timeout = {left_ms}")
            busy, frames, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy == 0 and frames in (0, -1):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def clear_wal(db: Database, actor: Actor, wait_s: float = WAL_WAIT_S) -> bool:
    """Try again to clear the write-ahead log after `WalNotCleared`.

    Returns:
        True when the -wal file no longer holds anything.
    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "retention.anonymise")
    return _checkpoint(db, wait_s)


# Closed requests (報告 / 取り下げ) whose contact is kept, by their last step (a
# partial index, db.schema m016).
_CONTACTS_DUE = (
    "from outreach_requests where contact_erased_at is null and status in ('reported', 'withdrawn') and activity_on < ?"
)


def count_contacts_due(db: Database, actor: Actor, years: int, today: date | None = None) -> int:
    """How many closed outreach requests (報告 or 取り下げ) had their last step
    more than `years` years ago and still hold their contact.

    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "retention.anonymise")
    return db.execute(f"select count(*) {_CONTACTS_DUE}", [cutoff_for(years, today).isoformat()]).fetchone()[0]


def contacts_due(db: Database, actor: Actor, years: int, today: date | None = None, limit: int = BATCH_SIZE) -> list[int]:
    """Ids of the requests `count_contacts_due` counts, oldest first, at most `limit`.

    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "retention.anonymise")
    rows = db.execute(f"select id {_CONTACTS_DUE} order by activity_on, id limit ?", [cutoff_for(years, today).isoformat(), limit])
    return [r[0] for r in rows]


def erase_contacts(db: Database, actor: Actor, request_ids: list[int], reason: str) -> int:
    """Erase the contact of the given outreach requests (every column of
    `ERASE_CONTACTS`: name, phone, notes, the reason for withdrawing) in one
    transaction, then clear the write-ahead log of it. The group, place, dates,
    counts and report stay, so the reports still add up.

    Args:
        request_ids: 1–`MAX_BATCH` requests. reason: a key of `REASONS`.
    Returns:
        how many contacts were erased.
    Raises:
        PermissionDenied: not an admin. InvalidInput: unknown reason, no ids or
            too many. NotFound: a request that does not exist or whose contact
            is already erased (nothing is changed then). WalNotCleared.
    """
    require(actor, "retention.anonymise")
    if reason not in REASONS:
        raise InvalidInput("reason", _("理由を選んでください。"))
    ids = sorted(set(request_ids))
    if not ids:
        raise InvalidInput("request_ids", _("対象の依頼を選んでください。"))
    if len(ids) > MAX_BATCH:
        raise InvalidInput("request_ids", _("一度に削除できるのは {n} 件までです。").format(n=MAX_BATCH))
    now = now_utc_iso()
    with immediate(db):
        for request_id in ids:
            row = db.execute("select contact_erased_at from outreach_requests where id = ?", [request_id]).fetchone()
            if row is None or row[0]:
                raise NotFound(_("対象の依頼が見つからないか、連絡先はすでに削除済みです（No.{id}）。").format(id=request_id))
            for table, columns in ERASE_CONTACTS.items():
                db.execute(
                    f"update {table} set {', '.join(f'{c} = ?' for c in columns)}, contact_erased_at = ? where id = ?",
                    [*columns.values(), now, request_id],
                )
            audit.record(db, actor, "anonymise", "outreach_requests", request_id, {"reason": reason})
    if not _checkpoint(db, WAL_WAIT_S):
        raise WalNotCleared(len(ids))
    return len(ids)
