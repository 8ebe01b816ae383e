"""Personal calendar subscriptions (カレンダー購読, issue 5).

A volunteer gets a secret URL that calendar apps poll; it always shows their
current shifts. The URL holds a random token (secrets.token_urlsafe, 256 bits);
only its SHA-256 is stored, so a copied database opens no feed. Issuing a new URL
revokes the old one; revoking stops the feed at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from db import audit, immediate, sessions
from db.clock import JST, now_jst, now_utc_iso, parse_iso
from db.errors import NotFound
from db.permissions import Actor, PermissionDenied, require
from locales import _

# How far back a feed reaches: calendar apps keep older events themselves.
PAST_DAYS = 90


@dataclass(frozen=True)
class FeedShift:
    """One event of a volunteer's feed: the session, the role ("lead" / "helper"),
    and whether the event is off (session cancelled or the shift removed)."""

    session: sessions.SessionRow
    role: str
    cancelled: bool


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _may_manage(actor: Actor, volunteer_id: int) -> None:
    require(actor, "feeds.manage")
    if not actor.is_staff and actor.volunteer_id != volunteer_id:
        raise PermissionDenied(_("ご自身のカレンダー購読だけを管理できます。"))


def issue_token(db: Database, actor: Actor, volunteer_id: int) -> str:
    """Issue a new subscription token for a volunteer, revoking any earlier one.

    Returns:
        the token (43 URL-safe characters). It is shown once: only its SHA-256
        is stored.
    Raises:
        PermissionDenied: a volunteer issuing for someone else.
        NotFound: no such active volunteer.
    """
    _may_manage(actor, volunteer_id)
    token = secrets.token_urlsafe(32)
    with immediate(db):
        if not db.execute("select 1 from volunteers where id = ? and active = 1", [volunteer_id]).fetchone():
            raise NotFound(_("ボランティアが見つかりません。"))
        stamp = now_utc_iso()
        db.execute(
            "update feed_tokens set revoked_at = ? where volunteer_id = ? and revoked_at is null", [stamp, volunteer_id]
        )
        token_id = db["feed_tokens"].insert(
            {"volunteer_id": volunteer_id, "token_sha256": _digest(token), "created_at": stamp, "created_by": actor.username}
        ).last_pk
        audit.record(db, actor, "issue", "feed_tokens", token_id, {"volunteer_id": volunteer_id})
    return token


def revoke_tokens(db: Database, actor: Actor, volunteer_id: int) -> int:
    """Stop a volunteer's subscription URL.

    Returns:
        how many active tokens were revoked (0 or 1).
    Raises:
        PermissionDenied: a volunteer revoking someone else's.
    """
    _may_manage(actor, volunteer_id)
    with immediate(db):
        revoked = db.execute(
            "update feed_tokens set revoked_at = ? where volunteer_id = ? and revoked_at is null",
            [now_utc_iso(), volunteer_id],
        ).rowcount
        if revoked:
            audit.record(db, actor, "revoke", "feed_tokens", volunteer_id, {"revoked": revoked})
    return revoked


def active_since(db: Database, actor: Actor, volunteer_id: int) -> datetime | None:
    """When the volunteer's current subscription URL was issued (JST), or None.

    Raises:
        PermissionDenied: a volunteer asking about someone else's.
    """
    _may_manage(actor, volunteer_id)
    row = db.execute(
        "select created_at from feed_tokens where volunteer_id = ? and revoked_at is null order by id desc limit 1",
        [volunteer_id],
    ).fetchone()
    return parse_iso(row[0]).astimezone(JST) if row else None


def volunteer_for_token(db: Database, token: str) -> int | None:
    """The volunteer a token belongs to, or None for an unknown or revoked token
    or an inactive volunteer. The token itself is the credential (no actor)."""
    if not token or len(token) > 100:
        return None
    row = db.execute(
        "select t.volunteer_id from feed_tokens t join volunteers v on v.id = t.volunteer_id "
        "where t.token_sha256 = ? and t.revoked_at is null and v.active = 1",
        [_digest(token)],
    ).fetchone()
    return row[0] if row else None


def feed_shifts(db: Database, volunteer_id: int, now: datetime | None = None) -> list[FeedShift]:
    """A volunteer's shifts for their feed: sessions from `PAST_DAYS` days ago on,
    earliest first. Cancelled sessions and removed shifts stay in the feed as
    cancelled events, so calendar apps drop them instead of keeping a stale copy.

    Args:
        now: aware datetime (default: now in JST).
    """
    since = (now or now_jst()).astimezone(JST) - timedelta(days=PAST_DAYS)
    return [
        FeedShift(session, role, session.status == "cancelled" or status != "assigned")
        for session, role, status in sessions.shift_history(db, volunteer_id, since)
    ]
