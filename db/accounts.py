"""Local accounts: argon2 password hashes, sign-in with lockout, roles.

Rules (issue "Accounts, roles, audit log…"): passwords of 10+ characters, not on
the common-password list and not containing the username; 5 failed sign-ins lock
the account for 15 minutes, and every attempt is written to the audit log. Only
argon2id hashes (argon2-cffi, RFC 9106 defaults) are stored, never a password.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlite_utils import Database

from db import audit, immediate
from db.clock import now_utc_iso, parse_iso
from db.errors import DeskError, InvalidInput, NotFound
from db.permissions import ROLES, SYSTEM, Actor, require
from locales import _

MIN_PASSWORD_LENGTH = 10
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
_hasher = PasswordHasher()
# A real hash to verify against when the username is unknown, so a wrong name
# takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0")


class AuthFailed(DeskError):
    """Wrong username or password (deliberately not saying which)."""


class AccountLocked(DeskError):
    """Too many failed sign-ins; `until` is when the lock ends (UTC)."""

    def __init__(self, until: datetime):
        minutes = max(1, int((until - datetime.now(timezone.utc)).total_seconds() // 60) + 1)
        super().__init__(
            _("サインインに続けて失敗したため、このアカウントは一時的にロックされています。約{minutes}分後にもう一度お試しください。").format(
                minutes=minutes
            )
        )
        self.until = until


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


def authenticate(db: Database, username: str, password: str) -> Actor:
    """Sign in.

    Returns:
        the Actor of the account.
    Raises:
        AuthFailed: unknown user, inactive account or wrong password.
        AccountLocked: the account is locked, or this failure locked it
            (5 in a row → 15 minutes).
    Every attempt, good or bad, is written to the audit log.
    """
    name = (username or "").strip().lower()
    now = datetime.now(timezone.utc)
    who = Actor(name or "?", "anonymous")
    refusal: DeskError | None = None
    # The refusal is raised after the commit, so its audit row and counter stay.
    with immediate(db):
        row = db.execute(
            "select id, password_hash, role, volunteer_id, active, failed_logins, locked_until from users where username = ?",
            [name],
        ).fetchone()
        if row is None or not row[4]:
            try:
                _hasher.verify(_DUMMY_HASH, password or "")
            except VerificationError:
                pass
            # What was typed may be a resident's name or a password in the wrong box:
            # only a pseudonym of an unknown name goes into the log.
            typed = who if row else Actor(audit.pseudonym(name), "anonymous")
            audit.record(db, typed, "login_failed", "users", row[0] if row else None, {"reason": "unknown_or_inactive"})
            refusal = AuthFailed(_("ユーザー名またはパスワードが違います。"))
        else:
            refusal = _check(db, who, row, password, now)
            if refusal is None:
                user_id, password_hash, role, volunteer_id = row[:4]
                changes = {"failed_logins": 0, "locked_until": None, "last_login_at": now_utc_iso()}
                if _hasher.check_needs_rehash(password_hash):
                    changes["password_hash"] = _hasher.hash(password)
                db["users"].update(user_id, changes)
                audit.record(db, Actor(name, role, volunteer_id), "login", "users", user_id, {})
    if refusal is not None:
        raise refusal
    return Actor(name, row[2], row[3])


def _check(db: Database, who: Actor, row: tuple, password: str, now: datetime) -> DeskError | None:
    """The refusal for a known, active account, or None when the password is right."""
    user_id, password_hash, _role, _volunteer, _active, failed, locked_until = row
    if locked_until and parse_iso(locked_until) > now:
        audit.record(db, who, "login_refused", "users", user_id, {"reason": "locked"})
        return AccountLocked(parse_iso(locked_until))
    try:
        _hasher.verify(password_hash, password or "")
        return None
    except (VerifyMismatchError, InvalidHashError, VerificationError):
        failed += 1
    if failed >= MAX_FAILED_LOGINS:
        until = now + timedelta(minutes=LOCK_MINUTES)
        db["users"].update(user_id, {"failed_logins": 0, "locked_until": until.isoformat(timespec="seconds")})
        audit.record(db, who, "locked", "users", user_id, {"failed_logins": failed, "until": until.isoformat(timespec="seconds")})
        return AccountLocked(until)
    db["users"].update(user_id, {"failed_logins": failed})
    audit.record(db, who, "login_failed", "users", user_id, {"failed_logins": failed})
    return AuthFailed(_("ユーザー名またはパスワードが違います。"))


def record_sign_out(db: Database, actor: Actor, reason: str = "sign_out") -> None:
    """Log a sign-out ("sign_out" or "idle_timeout") in the audit log."""
    with db.atomic():
        audit.record(db, actor, reason, "users", None, {})


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
    """Lift a lock before its 15 minutes are over. Raises PermissionDenied, NotFound."""
    require(actor, "accounts.manage")
    _user(db, user_id)
    with db.atomic():
        db["users"].update(user_id, {"failed_logins": 0, "locked_until": None})
        audit.record(db, actor, "unlock", "users", user_id, {})


def reset_password(db: Database, actor: Actor, user_id: int, new_password: str) -> None:
    """Set a new password for an account (admin). Raises PermissionDenied, NotFound, InvalidInput."""
    require(actor, "accounts.manage")
    user = _user(db, user_id)
    check_password(new_password, user.username)
    with db.atomic():
        db["users"].update(user_id, {"password_hash": _hasher.hash(new_password), "failed_logins": 0, "locked_until": None})
        audit.record(db, actor, "reset_password", "users", user_id, {})


def change_own_password(db: Database, actor: Actor, current: str, new_password: str) -> None:
    """Change the signed-in user's own password.

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
    with db.atomic():
        db["users"].update(row[0], {"password_hash": _hasher.hash(new_password)})
        audit.record(db, actor, "change_password", "users", row[0], {})


def set_active(db: Database, actor: Actor, user_id: int, active: bool) -> None:
    """Enable or disable an account; the last active administrator stays.

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


def actor_for_email(db: Database, email: str) -> Actor | None:
    """The active account whose e-mail matches (single sign-on), or None."""
    address = (email or "").strip().lower()
    if not address:
        return None
    row = db.execute("select username, role, volunteer_id from users where email = ? and active = 1", [address]).fetchone()
    return Actor(*row) if row else None
