"""Local accounts: argon2 password hashes, sign-in with lockout, roles.

Rules (issue "Accounts, roles, audit log…"): passwords of 10+ characters, not on
the common-password list and not containing the username; every attempt is
written to the audit log. Only argon2id hashes (argon2-cffi, RFC 9106 defaults)
are stored, never a password.

Lockout without denial of service (issue 13, after OWASP's "device cookies"):
5 failed sign-ins lock the account for 15 minutes *for the browser that failed*
(its id cookie, or its IP address when it sends none), so nobody can lock another
person out; an administrator can always sign in from their own or a new browser.
Against guessing from many fresh browsers, an IP address with 30 failures in 15
minutes may only sign in from browsers that signed in to that account before.
Changing a password, disabling an account or changing its role ends all of its
sign-in sessions (`db.sign_in_sessions`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlite_utils import Database

from db import audit, immediate, sign_in_sessions
from db.clock import now_utc, now_utc_iso, parse_iso, utc_iso
from db.errors import AccountLocked, AuthFailed, DeskError, InvalidInput, NotFound
from db.permissions import ROLES, SYSTEM, Actor, require
from db.settings import get_settings
from db.sign_in_sessions import digest
from locales import _

MIN_PASSWORD_LENGTH = 10
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
# Failures from one IP address, any account, before unknown browsers are held off.
MAX_FAILED_PER_IP = 30
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
_hasher = PasswordHasher()
# A real hash to verify against when the username is unknown, so a wrong name
# takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0")


@dataclass(frozen=True)
class Client:
    """Who is knocking at sign-in: the browser's id cookie, its IP address and
    its User-Agent header (each "" when unknown, e.g. on the command line)."""

    browser_id: str = ""
    ip: str = ""
    user_agent: str = ""

    @property
    def key(self) -> str:
        """The lockout key: the browser when it has an id cookie, else its IP."""
        return digest("browser:" + self.browser_id) if self.browser_id else digest("ip:" + self.ip)

    @property
    def ip_key(self) -> str:
        return digest("ip:" + self.ip)


@dataclass(frozen=True)
class User:
    """An account as the administrator sees it (never the hash)."""

    id: int
    username: str
    role: str
    volunteer_id: int | None
    email: str
    active: bool
    failed_logins: int
    locked_until: str | None
    last_login_at: str | None


@functools.lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower-case)."""
    path = Path(__file__).with_name("common_passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(l.strip().lower() for l in lines if l.strip() and not l.startswith("#"))


def check_password(password: str, username: str = "") -> None:
    """Validate a new password.

    Raises:
        InvalidInput: shorter than 10 characters, one repeated character, on the
            common-password list, or containing the username.
    """
    text = unicodedata.normalize("NFKC", password or "")
    if len(text) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", _("パスワードは10文字以上にしてください。"))
    if len(set(text)) == 1 or text.lower() in common_passwords():
        raise InvalidInput("password", _("よく使われていて推測されやすいパスワードです。別のものにしてください。"))
    if username and username.lower() in text.lower():
        raise InvalidInput("password", _("パスワードにユーザー名を含めないでください。"))


def _check_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not USERNAME.match(name):
        raise InvalidInput("username", _("ユーザー名は半角英小文字・数字・「.」「_」「-」で3〜32文字にしてください。"))
    return name


def idle_timeout_min(db: Database) -> int:
    """Minutes without activity after which a sign-in session ends (setting)."""
    return get_settings(db).idle_timeout_min


def has_admin(db: Database) -> bool:
    """Whether an active administrator account exists (else the set-up page shows)."""
    return bool(db["users"].count_where("role = 'admin' and active = 1"))


def create_user(
    db: Database, actor: Actor, username: str, password: str, role: str, volunteer_id: int | None = None, email: str = ""
) -> int:
    """Create an account.

    Args:
        role: "admin", "staff" or "volunteer"; a volunteer account needs
            `volunteer_id` (its profile), the others must not have one.
        email: optional, used to match single sign-on (OIDC) users.
    Returns:
        the new user id.
    Raises:
        PermissionDenied: not an admin. InvalidInput: bad username, taken
            username, weak password, unknown role, missing or unknown profile.
    """
    require(actor, "accounts.manage")
    name = _check_username(username)
    check_password(password, name)
    if role not in ROLES:
        raise InvalidInput("role", _("役割を選んでください。"))
    if role == "volunteer":
        if volunteer_id is None or not db["volunteers"].count_where("id = ?", [volunteer_id]):
            raise InvalidInput("volunteer_id", _("ボランティアのアカウントには、ボランティアの登録を結びつけてください。"))
    else:
        volunteer_id = None
    email = (email or "").strip().lower()
    if email and ("@" not in email or " " in email):
        raise InvalidInput("email", _("メールアドレスの形が正しくありません。"))
    with immediate(db):
        if db["users"].count_where("username = ?", [name]):
            raise InvalidInput("username", _("このユーザー名はすでに使われています。"))
        user_id = db["users"].insert(
            {
                "username": name,
                "password_hash": _hasher.hash(password),
                "role": role,
                "volunteer_id": volunteer_id,
                "email": email,
                "active": 1,
                "failed_logins": 0,
                "created_at": now_utc_iso(),
            }
        ).last_pk
        audit.record(db, actor, "create", "users", user_id, {"username": name, "role": role, "volunteer_id": volunteer_id})
    return user_id


def create_first_admin(db: Database, username: str, password: str) -> int:
    """Create the first administrator (set-up page or command line).

    Raises:
        DeskError: an administrator already exists. InvalidInput: as `create_user`.
    """
    if has_admin(db):
        raise DeskError(_("管理者はすでに登録されています。"))
    return create_user(db, SYSTEM, username, password, "admin")


def authenticate(db: Database, username: str, password: str, client: Client | None = None) -> Actor:
    """Sign in.

    Args:
        client: the browser asking (default: an unknown one).
    Returns:
        the Actor of the account.
    Raises:
        AuthFailed: unknown user, inactive account or wrong password.
        AccountLocked: this browser is locked out of the account, or this
            failure locked it (5 in 15 minutes → 15 minutes).
    Every attempt, good or bad, is written to the audit log; a name that is no
    account is logged only as a short digest (it may be a mistyped password).
    """
    name = (username or "").strip().lower()
    client = client or Client()
    now = now_utc()
    refusal: DeskError | None = None
    # The refusal is raised after the commit, so its audit row and counter stay.
    with immediate(db):
        row = db.execute("select id, password_hash, role, volunteer_id, active from users where username = ?", [name]).fetchone()
        who = Actor(name if row else "?", "anonymous")
        until = _locked_until(db, row[0] if row else None, name, client, now)
        if until is not None:
            audit.record(db, who, "login_refused", "users", row[0] if row else None, {"reason": "locked", "client": client.key[:12]})
            refusal = AccountLocked(until)
        elif row is None or not row[4]:
            try:
                _hasher.verify(_DUMMY_HASH, password or "")
            except VerificationError:
                pass
            _record_failure(db, name if row else "", client, now)
            detail = {"reason": "unknown_or_inactive", "client": client.key[:12]}
            if row is None:
                detail["typed"] = audit.pseudonym(name)
            audit.record(db, who, "login_failed", "users", row[0] if row else None, detail)
            refusal = AuthFailed(_("ユーザー名またはパスワードが違います。"))
        else:
            user_id, password_hash, role, volunteer_id, _active = row
            try:
                _hasher.verify(password_hash, password or "")
            except (VerifyMismatchError, InvalidHashError, VerificationError):
                refusal = _failed(db, who, user_id, name, client, now)
            else:
                changes = {"failed_logins": 0, "locked_until": None, "last_login_at": utc_iso(now)}
                if _hasher.check_needs_rehash(password_hash):
                    changes["password_hash"] = _hasher.hash(password)
                db["users"].update(user_id, changes)
                db.execute("delete from sign_in_failures where username = ? and client_key = ?", [name, client.key])
                audit.record(db, Actor(name, role, volunteer_id), "login", "users", user_id, {"client": client.key[:12]})
    if refusal is not None:
        raise refusal
    return Actor(name, row[2], row[3])


def _record_failure(db: Database, username: str, client: Client, now: datetime) -> None:
    db.execute(
        "insert into sign_in_failures (at, username, client_key, ip_key) values (?, ?, ?, ?)",
        [utc_iso(now), username, client.key, client.ip_key],
    )


def _failed(db: Database, who: Actor, user_id: int, name: str, client: Client, now: datetime) -> DeskError:
    """Count a wrong password for this browser; the refusal to raise."""
    _record_failure(db, name, client, now)
    since = utc_iso(now - timedelta(minutes=LOCK_MINUTES))
    failed = db.execute(
        "select count(*) from sign_in_failures where username = ? and client_key = ? and at > ?", [name, client.key, since]
    ).fetchone()[0]
    db["users"].update(user_id, {"failed_logins": failed})
    if failed >= MAX_FAILED_LOGINS:
        until = now + timedelta(minutes=LOCK_MINUTES)
        audit.record(db, who, "locked", "users", user_id, {"failed_logins": failed, "until": utc_iso(until), "client": client.key[:12]})
        return AccountLocked(until)
    audit.record(db, who, "login_failed", "users", user_id, {"failed_logins": failed, "client": client.key[:12]})
    return AuthFailed(_("ユーザー名またはパスワードが違います。"))


def _locked_until(db: Database, user_id: int | None, name: str, client: Client, now: datetime) -> datetime | None:
    """When this browser's lock on the account ends, or None when it may try."""
    since = utc_iso(now - timedelta(minutes=LOCK_MINUTES))
    if user_id is not None:
        recent = db.execute(
            "select count(*), max(at) from sign_in_failures where username = ? and client_key = ? and at > ?",
            [name, client.key, since],
        ).fetchone()
        if recent[0] >= MAX_FAILED_LOGINS:
            return parse_iso(recent[1]) + timedelta(minutes=LOCK_MINUTES)
    from_ip = db.execute("select count(*), max(at) from sign_in_failures where ip_key = ? and at > ?", [client.ip_key, since]).fetchone()
    if from_ip[0] >= MAX_FAILED_PER_IP:
        known = user_id is not None and client.browser_id and db.execute(
            "select 1 from sign_in_sessions where user_id = ? and browser_key = ? limit 1", [user_id, client.key]
        ).fetchone()
        if not known:
            return parse_iso(from_ip[1]) + timedelta(minutes=LOCK_MINUTES)
    return None


def sign_out(db: Database, actor: Actor) -> int:
    """Sign an account out everywhere: every sign-in session of it ends
    (DESIGN.md §7), and the sign-out is in the audit log.

    Returns:
        how many sessions ended.
    """
    with immediate(db):
        user_id = user_id_of(db, actor.username)
        ended = sign_in_sessions.end_for_user(db, user_id, "sign_out") if user_id is not None else 0
        audit.record(db, actor, "sign_out", "users", user_id, {"sessions": ended})
    return ended


@dataclass(frozen=True)
class SignInAttempts:
    """Failed sign-ins of one account in the last 24 hours, for the admin:
    how many, from how many browsers, and how many browsers are locked now."""

    failed: int
    browsers: int
    locked_browsers: int


def recent_failures(db: Database, actor: Actor) -> dict[str, SignInAttempts]:
    """{username: SignInAttempts} for accounts with failures in the last 24 h.

    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "accounts.manage")
    now = now_utc()
    rows = db.execute(
        "select username, client_key, count(*), sum(at > ?) from sign_in_failures "
        "where at > ? and username != '' group by username, client_key",
        [utc_iso(now - timedelta(minutes=LOCK_MINUTES)), utc_iso(now - timedelta(days=1))],
    ).fetchall()
    result: dict[str, SignInAttempts] = {}
    for username, _client, failed, recent in rows:
        before = result.get(username, SignInAttempts(0, 0, 0))
        result[username] = SignInAttempts(
            before.failed + failed, before.browsers + 1, before.locked_browsers + int(recent >= MAX_FAILED_LOGINS)
        )
    return result


def forget_failures(db: Database, older_than: datetime) -> int:
    """Housekeeping: delete failed sign-ins recorded before `older_than` (the audit
    log keeps them). Returns how many were deleted."""
    with immediate(db):
        return db.execute("delete from sign_in_failures where at < ?", [utc_iso(older_than)]).rowcount


_USER_COLUMNS = "id, username, role, volunteer_id, email, active, failed_logins, locked_until, last_login_at"


def list_users(db: Database, actor: Actor) -> list[User]:
    """Every account, by username. Raises PermissionDenied (not an admin)."""
    require(actor, "accounts.manage")
    rows = db.query(f"select {_USER_COLUMNS} from users order by username")
    return [User(**{**r, "active": bool(r["active"])}) for r in rows]


def desk_members(db: Database) -> dict[int, str]:
    """Active accounts a help-desk case can be assigned to: {users.id: label}, the
    label being the linked volunteer's name or else the username, by label.
    No phone numbers or roles: every signed-in role may see this list."""
    rows = db.execute(
        "select u.id, coalesce(v.name, u.username) from users u left join volunteers v on v.id = u.volunteer_id "
        "where u.active = 1 order by 2, u.id"
    )
    return {user_id: label for user_id, label in rows}


def person_name(db: Database, user_id: int) -> str:
    """The name of the volunteer linked to an account (e.g. "田中 美咲"), or "" for
    accounts without one (printed on a 相談メモ as 「担当」)."""
    row = db.execute(
        "select v.name from users u join volunteers v on v.id = u.volunteer_id where u.id = ?", [user_id]
    ).fetchone()
    return row[0] if row else ""


def user_id_of(db: Database, username: str) -> int | None:
    """The users.id of an account name, or None (e.g. ``system``)."""
    row = db.execute("select id from users where username = ?", [username]).fetchone()
    return row[0] if row else None


def _user(db: Database, user_id: int) -> User:
    rows = list(db.query(f"select {_USER_COLUMNS} from users where id = ?", [user_id]))
    if not rows:
        raise NotFound(_("アカウントが見つかりません。"))
    return User(**{**rows[0], "active": bool(rows[0]["active"])})


def unlock(db: Database, actor: Actor, user_id: int) -> None:
    """Lift every browser's lock on an account before its 15 minutes are over.
    Raises PermissionDenied, NotFound."""
    require(actor, "accounts.manage")
    user = _user(db, user_id)
    with immediate(db):
        db.execute("delete from sign_in_failures where username = ?", [user.username])
        db["users"].update(user_id, {"failed_logins": 0, "locked_until": None})
        audit.record(db, actor, "unlock", "users", user_id, {})


def reset_password(db: Database, actor: Actor, user_id: int, new_password: str) -> None:
    """Set a new password for an account (admin); every sign-in session of that
    account ends. Raises PermissionDenied, NotFound, InvalidInput."""
    require(actor, "accounts.manage")
    user = _user(db, user_id)
    check_password(new_password, user.username)
    with immediate(db):
        db["users"].update(user_id, {"password_hash": _hasher.hash(new_password), "failed_logins": 0, "locked_until": None})
        db.execute("delete from sign_in_failures where username = ?", [user.username])
        audit.record(db, actor, "reset_password", "users", user_id, {})
        sign_in_sessions.end_for_user(db, user_id, "password")


def change_own_password(db: Database, actor: Actor, current: str, new_password: str) -> None:
    """Change the signed-in user's own password; every sign-in session of the
    account ends, this one included, so the new password is used at once.

    Raises:
        AuthFailed: the current password is wrong. InvalidInput: weak new password.
    """
    row = db.execute("select id, password_hash from users where username = ? and active = 1", [actor.username]).fetchone()
    if row is None:
        raise NotFound(_("アカウントが見つかりません。"))
    try:
        _hasher.verify(row[1], current or "")
    except VerificationError:
        raise AuthFailed(_("いまのパスワードが違います。")) from None
    check_password(new_password, actor.username)
    with immediate(db):
        db["users"].update(row[0], {"password_hash": _hasher.hash(new_password)})
        audit.record(db, actor, "change_password", "users", row[0], {})
        sign_in_sessions.end_for_user(db, row[0], "password")


def set_active(db: Database, actor: Actor, user_id: int, active: bool) -> None:
    """Enable or disable an account; the last active administrator stays.
    Disabling ends every sign-in session of the account at once.

    Raises:
        PermissionDenied: not an admin. NotFound. InvalidInput: disabling yourself
            or the last active administrator.
    """
    require(actor, "accounts.manage")
    user = _user(db, user_id)
    if not active and user.username == actor.username:
        raise InvalidInput("active", _("ご自身のアカウントは無効にできません。"))
    with immediate(db):
        if not active and user.role == "admin" and db["users"].count_where("role = 'admin' and active = 1") <= 1:
            raise InvalidInput("active", _("最後の管理者は無効にできません。"))
        db["users"].update(user_id, {"active": int(active)})
        audit.record(db, actor, "enable" if active else "disable", "users", user_id, {"active": bool(active)})
        if not active:
            sign_in_sessions.end_for_user(db, user_id, "deactivated")


def set_role(db: Database, actor: Actor, user_id: int, role: str, volunteer_id: int | None = None) -> None:
    """Change an account's role; every sign-in session of it ends, so the new
    role applies from the next sign-in.

    Args:
        role: "admin", "staff" or "volunteer"; a volunteer account needs
            `volunteer_id` (its profile), the others drop theirs.
    Raises:
        PermissionDenied: not an admin. NotFound. InvalidInput: unknown role,
            missing or unknown profile, your own role, or the last active
            administrator.
    """
    require(actor, "accounts.manage")
    user = _user(db, user_id)
    if role not in ROLES:
        raise InvalidInput("role", _("役割を選んでください。"))
    if user.username == actor.username:
        raise InvalidInput("role", _("ご自身の役割は変えられません。"))
    if role == "volunteer":
        if volunteer_id is None or not db["volunteers"].count_where("id = ?", [volunteer_id]):
            raise InvalidInput("volunteer_id", _("ボランティアのアカウントには、ボランティアの登録を結びつけてください。"))
    else:
        volunteer_id = None
    with immediate(db):
        if user.role == "admin" and role != "admin" and db["users"].count_where("role = 'admin' and active = 1") <= 1:
            raise InvalidInput("role", _("最後の管理者の役割は変えられません。"))
        db["users"].update(user_id, {"role": role, "volunteer_id": volunteer_id})
        audit.record(db, actor, "set_role", "users", user_id, {"role": [user.role, role], "volunteer_id": volunteer_id})
        sign_in_sessions.end_for_user(db, user_id, "role")


def actor_for_email(db: Database, email: str) -> Actor | None:
    """The active account whose e-mail matches (single sign-on), or None."""
    address = (email or "").strip().lower()
    if not address:
        return None
    row = db.execute("select username, role, volunteer_id from users where email = ? and active = 1", [address]).fetchone()
    return Actor(*row) if row else None
