"""Retention (個人情報保護法 art. 22: erase personal data no longer needed) and
erasure on request (本人からの削除請求, art. 35).

Anonymising keeps the attendee's row, 年代 and device, and every booking and
help-desk ticket, so the reports still add up; it erases name, フリガナ, phone
number, needs and notes, and the free text of the resident's tickets (summary,
notes, outcome, next step, referral note) while keeping their category, channel,
status, resolution, minutes and dates. The audit log records that it happened,
never the erased values. Connections run with
``secure_delete`` on and the WAL is truncated afterwards, so the erased text is not
left behind in free pages or the write-ahead log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from db import audit, immediate
from db.clock import now_utc_iso, today_jst
from db.errors import InvalidInput, NotFound
from db.permissions import Actor, require
from locales import _

ERASED_NAME = "（削除済み）"
# A ticket's summary is required; after erasure it reads as this.
ERASED_TEXT = "（削除済み）"
REASONS = {"retention": "保存期間の経過", "request": "本人からの削除請求", "reapply": "復元後の再削除"}

# The last date anything happened with a resident: registration, a booking or
# attendance, the session a booking is for (a future session counts), or the
# last change of a help-desk ticket about them (its JST date).
_LAST_ACTIVITY = """
select a.id, a.name, a.name_kana, coalesce(a.phone, '') as phone, coalesce(a.age_band, '') as age_band,
       max(substr(a.created_at, 1, 10), coalesce(a.last_seen_on, ''),
           coalesce((select max(max(substr(b.queued_at, 1, 10)), coalesce(substr(b.attended_at, 1, 10), ''),
                                substr(s.starts_at, 1, 10))
                     from bookings b join sessions s on s.id = b.session_id
                     where b.attendee_id = a.id), ''),
           coalesce((select max(date(coalesce(t.updated_at, t.opened_at), '+9 hours'))
                     from tickets t where t.attendee_id = a.id), '')) as last_activity
from attendees a
where a.anonymised_at is null
"""


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


def candidates(db: Database, actor: Actor, years: int, today: date | None = None) -> list[Candidate]:
    """Residents with no registration, booking, attendance or help-desk ticket in
    the last `years` years.

    Returns:
        candidates ordered by last activity, oldest first.
    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "retention.anonymise")
    cutoff = cutoff_for(years, today).isoformat()
    rows = db.query(f"select * from ({_LAST_ACTIVITY}) where last_activity < ? order by last_activity, id", [cutoff])
    return [Candidate(**r) for r in rows]


def anonymise(db: Database, actor: Actor, attendee_ids: list[int], reason: str) -> int:
    """Erase the personal data of the given residents and the free text of their
    help-desk tickets, in one transaction.

    Args:
        reason: "retention" (listed by `candidates`) or "request" (本人からの削除請求).
    Returns:
        how many residents were anonymised.
    Raises:
        PermissionDenied: not an admin. InvalidInput: unknown reason or no ids.
        NotFound: an id that does not exist or is already anonymised (nothing
            is changed then).
    """
    require(actor, "retention.anonymise")
    if reason not in REASONS:
        raise InvalidInput("reason", _("理由を選んでください。"))
    ids = sorted(set(attendee_ids))
    if not ids:
        raise InvalidInput("attendee_ids", _("対象の方を選んでください。"))
    now = now_utc_iso()
    with immediate(db):
        for attendee_id in ids:
            row = db.execute("select anonymised_at from attendees where id = ?", [attendee_id]).fetchone()
            if row is None or row[0]:
                raise NotFound(_("対象の方が見つからないか、すでに削除済みです（No.{id}）。").format(id=attendee_id))
            db.execute(
                "update attendees set name = ?, name_kana = '', kana_key = '', phone = null, phone_digits = null, "
                "needs = '', note = '', anonymised_at = ? where id = ?",
                [ERASED_NAME, now, attendee_id],
            )
            db.execute("update bookings set cancel_reason = null where attendee_id = ?", [attendee_id])
            db.execute(
                "update tickets set summary = ?, notes = '', outcome = '', next_step = '', referral_note = '' "
                "where attendee_id = ?",
                [ERASED_TEXT, attendee_id],
            )
            audit.record(db, actor, "anonymise", "attendees", attendee_id, {"reason": reason})
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return len(ids)
