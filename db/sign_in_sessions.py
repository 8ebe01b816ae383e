"""Sign-in sessions (サインイン状態): a signed-in browser, held on the server
behind a cookie (DESIGN.md §7, issue 11).

A session starts when a password is accepted (`start`). The page then hands the
browser a one-time code, valid for 30 s (`issue_code`), which the browser
exchanges at ``POST /auth/session`` (serve.py) for a random 256-bit token in an
HttpOnly, SameSite=Strict cookie (`exchange_code`). Only the token's SHA-256 is
stored, so a copied database file signs nobody in. Every page run finds the
session again, by the id the browser session remembers or by the cookie after a
reload, a new tab or a server restart (`resolve`).

A session ends after `Settings.idle_timeout_min` minutes without a page run
(default 30), 12 hours after it started, at sign-out, and when the account's
password changes or is reset, the account is disabled or its role changes
(`end_for_user`) — all enforced here, not in the browser. An administrator sees
the active sessions and can end any of them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from db import audit, immediate
from db.clock import now_utc, parse_iso, utc_iso
from db.errors import NotFound
from db.permissions import SYSTEM, Actor, require
from db.settings import get_settings
from locales import _

LIFETIME = timedelta(hours=12)
CODE_TTL = timedelta(seconds=30)
# last_seen_at is written at most this often, so page runs stay read-only.
TOUCH_EVERY = timedelta(seconds=30)
# Ended sessions and used codes are kept this long, then housekeeping deletes them.
KEEP_ENDED = timedelta(days=30)
USER_AGENT_CHARS = 200



def digest(secret: str) -> str:
    """SHA-256 hex digest of a token, code or browser id (what is stored)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class SignIn:
    """An active sign-in session: its id and the account acting through it."""

    id: int
    actor: Actor


@dataclass(frozen=True)
class ActiveSession:
    """What an administrator sees of a session (never its token).

    created_at / last_seen_at: aware UTC datetimes.
    """

    id: int
    user_id: int
    username: str
    created_at: datetime
    last_seen_at: datetime
    user_agent: str


def start(db: Database, user_id: int, user_agent: str = "", browser_key: str = "") -> int:
    """Open a sign-in session for an account whose password was just accepted.

    Args:
        user_id: users.id.
        user_agent: the browser's User-Agent header (kept to 200 characters, so
            the account's owner and the admin recognise the device).
        browser_key: the digest of the browser's id cookie
            (`accounts.Client.key`), "" when it sent none; sign-in trusts a
            browser that signed in to the account before.
    Returns:
        the session id (the browser gets its cookie through `issue_code`).
    """
    now = utc_iso(now_utc())
    with immediate(db):
        return db.execute(
            "insert into sign_in_sessions (user_id, created_at, last_seen_at, user_agent, browser_key) values (?, ?, ?, ?, ?)",
            [user_id, now, now, (user_agent or "")[:USER_AGENT_CHARS], browser_key],
        ).lastrowid


def issue_code(db: Database, session_id: int) -> str:
    """A one-time code (256 bits, URL-safe) for the browser to exchange for its
    cookie within 30 s. Only its SHA-256 is stored."""
    code = secrets.token_urlsafe(32)
    with immediate(db):
        db.execute(
            "insert into sign_in_codes (code_sha256, session_id, expires_at) values (?, ?, ?)",
            [digest(code), session_id, utc_iso(now_utc() + CODE_TTL)],
        )
    return code


def exchange_code(db: Database, code: str) -> str | None:
    """Trade a one-time code for the session's cookie token.

    A fresh token is drawn at every exchange (the previous one stops working),
    so a token never travels anywhere before the browser's own cookie.

    Returns:
        the token for the cookie, or None for an unknown, used or expired code or
        an ended session.
    """
    now = now_utc()
    token = secrets.token_urlsafe(32)
    with immediate(db):
        row = db.execute(
            "select c.session_id from sign_in_codes c join sign_in_sessions s on s.id = c.session_id "
            "where c.code_sha256 = ? and c.used_at is null and c.expires_at > ? and s.ended_at is null",
            [digest(code or ""), utc_iso(now)],
        ).fetchone()
        if row is None:
            return None
        db.execute("update sign_in_codes set used_at = ? where code_sha256 = ?", [utc_iso(now), digest(code)])
        db.execute("update sign_in_sessions set token_sha256 = ? where id = ?", [digest(token), row[0]])
    return token


_RESOLVE_SQL = """select s.id, s.created_at, s.last_seen_at, s.ended_at, u.username, u.role, u.volunteer_id, u.active
    from sign_in_sessions s join users u on u.id = s.user_id"""


def _expiry(created_at: datetime, last_seen_at: datetime, now: datetime, idle: timedelta) -> str:
    if now - created_at >= LIFETIME:
        return "expired"
    if now - last_seen_at >= idle:
        return "idle"
    return ""


def resolve(db: Database, session_id: int | None = None, token: str | None = None, touch: bool = True) -> SignIn | None:
    """The active session a page run belongs to, found by its id (what this
    browser tab remembers) or else by the cookie token (after a reload, a new tab
    or a server restart). A session found idle or past its 12 hours is ended on
    the spot.

    Args:
        touch: count this run as activity (a user's click); False for the
            timer that clears an unattended screen.
    Returns:
        SignIn, or None when neither names an active session.
    """
    now = now_utc()
    idle = timedelta(minutes=get_settings(db).idle_timeout_min)
    for clause, value in (("s.id = ?", session_id), ("s.token_sha256 = ?", digest(token) if token else None)):
        if value is None:
            continue
        row = db.execute(f"{_RESOLVE_SQL} where {clause}", [value]).fetchone()
        if row is None or row[3] is not None:
            continue
        sid, created_at, last_seen_at, _ended, username, role, volunteer_id, active = row
        last_seen = parse_iso(last_seen_at)
        reason = "deactivated" if not active else _expiry(parse_iso(created_at), last_seen, now, idle)
        if reason:
            _end(db, "id = ?", reason, now, [sid])
            continue
        if touch and now - last_seen >= TOUCH_EVERY:
            with immediate(db):
                db.execute("update sign_in_sessions set last_seen_at = ? where id = ? and ended_at is null", [utc_iso(now), sid])
        return SignIn(sid, Actor(username, role, volunteer_id))
    return None


def end_reason(db: Database, session_id: int | None = None, token: str | None = None) -> str:
    """Why the session with this id, or else this cookie token, ended: "sign_out",
    "idle", "expired", "password", "deactivated", "role" or "admin"; "" when it
    is active or unknown."""
    if session_id is not None:
        row = db.execute("select end_reason from sign_in_sessions where id = ?", [session_id]).fetchone()
    elif token:
        row = db.execute("select end_reason from sign_in_sessions where token_sha256 = ?", [digest(token)]).fetchone()
    else:
        row = None
    return (row[0] or "") if row else ""


def _end(db: Database, where: str, reason: str, now: datetime, args: list | None = None) -> list[int]:
    """End the active sessions matching `where`; each ending is audited as the
    system actor."""
    with immediate(db):
        ids = [r[0] for r in db.execute(f"select id from sign_in_sessions where ended_at is null and {where}", args or [])]
        for sid in ids:
            db.execute("update sign_in_sessions set ended_at = ?, end_reason = ? where id = ?", [utc_iso(now), reason, sid])
            audit.record(db, SYSTEM, "end_sign_in", "sign_in_sessions", sid, {"reason": reason})
    return ids


def end_for_user(db: Database, user_id: int, reason: str) -> int:
    """End every active session of an account at once: sign-out, a password
    change or reset, deactivation, a role change (DESIGN.md §7). Joins an open
    transaction. Returns how many ended."""
    return len(_end(db, "user_id = ?", reason, now_utc(), [user_id]))


def end_by_token(db: Database, token: str) -> None:
    """End the session a cookie token belongs to (sign-out from the browser)."""
    if token:
        _end(db, "token_sha256 = ?", "sign_out", now_utc(), [digest(token)])


def end_expired(db: Database, now: datetime | None = None) -> int:
    """Housekeeping: end sessions idle past the timeout or older than 12 hours,
    and delete ended sessions and codes older than 30 days.

    Returns:
        how many sessions were ended.
    """
    now = now or now_utc()
    idle = timedelta(minutes=get_settings(db).idle_timeout_min)
    ended = len(_end(db, "created_at <= ?", "expired", now, [utc_iso(now - LIFETIME)]))
    ended += len(_end(db, "last_seen_at <= ?", "idle", now, [utc_iso(now - idle)]))
    with immediate(db):
        db.execute("delete from sign_in_codes where expires_at <= ?", [utc_iso(now - KEEP_ENDED)])
        db.execute(
            "delete from sign_in_codes where session_id in (select id from sign_in_sessions where ended_at <= ?)",
            [utc_iso(now - KEEP_ENDED)],
        )
        db.execute("delete from sign_in_sessions where ended_at <= ?", [utc_iso(now - KEEP_ENDED)])
    return ended


def active_sessions(db: Database, actor: Actor) -> list[ActiveSession]:
    """Every active session, by account then newest first.

    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "accounts.manage")
    rows = db.execute(
        "select s.id, s.user_id, u.username, s.created_at, s.last_seen_at, s.user_agent from sign_in_sessions s "
        "join users u on u.id = s.user_id where s.ended_at is null order by u.username, s.created_at desc"
    ).fetchall()
    return [ActiveSession(r[0], r[1], r[2], parse_iso(r[3]), parse_iso(r[4]), r[5] or "") for r in rows]


def end_session(db: Database, actor: Actor, session_id: int) -> None:
    """An administrator ends one session; that browser is signed out at its next
    page run.

    Raises:
        PermissionDenied: not an admin. NotFound: no such active session.
    """
    require(actor, "accounts.manage")
    with immediate(db):
        if not _end(db, "id = ?", "admin", now_utc(), [session_id]):
            raise NotFound(_("そのサインイン状態はすでに終わっています。"))
        audit.record(db, actor, "end_sign_in", "sign_in_sessions", session_id, {"by": "admin"})
