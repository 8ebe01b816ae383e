"""Accounts: password rules, argon2 hashes, lockout and unlock, sign-in audit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import db
from db import accounts
from db.accounts import AccountLocked, AuthFailed
from db.errors import DeskError, InvalidInput
from db.permissions import PermissionDenied
from tests.conftest import ADMIN, STAFF

GOOD = "kawasemi-no-hane-42"


@pytest.mark.parametrize(
    "password, username",
    [("short-pw", ""), ("123456789", ""), ("1234567890", ""), ("Password123", ""), ("aaaaaaaaaaaa", ""), ("my-name-yamada-99", "yamada")],
)
def test_weak_passwords_are_refused(password, username):
    with pytest.raises(InvalidInput):
        accounts.check_password(password, username)


@given(st.text(min_size=10, max_size=40).filter(lambda t: len(set(t)) > 3))
@settings(max_examples=50)
def test_long_uncommon_passwords_are_accepted(password):
    if password.strip().lower() in accounts.common_passwords():
        return
    accounts.check_password(password)


def test_first_admin_only_once_and_hash_is_argon2(database, db_path):
    accounts.create_first_admin(database, "kanri", GOOD)
    assert accounts.has_admin(database)
    with pytest.raises(DeskError):
        accounts.create_first_admin(database, "other", GOOD + "x")
    stored = database.execute("select password_hash from users where username = 'kanri'").fetchone()[0]
    assert stored.startswith("$argon2id$")
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert GOOD.encode() not in raw


def test_sign_in_returns_the_role_and_is_audited(database):
    accounts.create_user(database, ADMIN, "madoguchi", GOOD, "staff")
    who = accounts.authenticate(database, "Madoguchi ", GOOD)
    assert (who.username, who.role) == ("madoguchi", "staff")
    actions = [r["action"] for r in database.query("select action from audit_log where entity = 'users' order by id")]
    assert actions[-1] == "login"


def test_wrong_password_and_unknown_user_say_the_same(database):
    accounts.create_user(database, ADMIN, "madoguchi", GOOD, "staff")
    with pytest.raises(AuthFailed) as wrong:
        accounts.authenticate(database, "madoguchi", "nope-nope-nope")
    with pytest.raises(AuthFailed) as unknown:
        accounts.authenticate(database, "nobody", "nope-nope-nope")
    assert str(wrong.value) == str(unknown.value)


def test_five_failures_lock_for_fifteen_minutes_and_every_attempt_is_logged(database):
    user_id = accounts.create_user(database, ADMIN, "madoguchi", GOOD, "staff")
    for _ in range(4):
        with pytest.raises(AuthFailed):
            accounts.authenticate(database, "madoguchi", "wrong-password-1")
    with pytest.raises(AccountLocked) as locked:
        accounts.authenticate(database, "madoguchi", "wrong-password-1")
    assert timedelta(minutes=14) < locked.value.until - datetime.now(timezone.utc) <= timedelta(minutes=15)
    # Even the right password is refused while locked.
    with pytest.raises(AccountLocked):
        accounts.authenticate(database, "madoguchi", GOOD)
    actions = [r[0] for r in database.execute("select action from audit_log where entity = 'users' and entity_id = ? order by id", [str(user_id)])]
    assert actions[1:] == ["login_failed"] * 4 + ["locked", "login_refused"]


def test_lock_expires_after_fifteen_minutes(database, clock):
    accounts.create_user(database, ADMIN, "madoguchi", GOOD, "staff")
    for _ in range(5):
        with pytest.raises(DeskError):
            accounts.authenticate(database, "madoguchi", "wrong-password-1")
    clock.shift(timedelta(minutes=14))
    with pytest.raises(AccountLocked):
        accounts.authenticate(database, "madoguchi", GOOD)
    clock.shift(timedelta(minutes=1, seconds=1))
    assert accounts.authenticate(database, "madoguchi", GOOD).role == "staff"


def test_admin_can_unlock_early(database):
    user_id = accounts.create_user(database, ADMIN, "madoguchi", GOOD, "staff")
    for _ in range(5):
        with pytest.raises(DeskError):
            accounts.authenticate(database, "madoguchi", "wrong-password-1")
    with pytest.raises(PermissionDenied):
        accounts.unlock(database, STAFF, user_id)
    accounts.unlock(database, ADMIN, user_id)
    assert accounts.authenticate(database, "madoguchi", GOOD).username == "madoguchi"


def test_disabled_accounts_cannot_sign_in_and_the_last_admin_stays(database):
    admin_id = accounts.create_first_admin(database, "kanri", GOOD)
    staff_id = accounts.create_user(database, ADMIN, "madoguchi", GOOD, "staff")
    accounts.set_active(database, ADMIN, staff_id, False)
    with pytest.raises(AuthFailed):
        accounts.authenticate(database, "madoguchi", GOOD)
    with pytest.raises(InvalidInput, match="最後の管理者"):
        accounts.set_active(database, ADMIN, admin_id, False)


def test_volunteer_account_needs_a_profile(database):
    with pytest.raises(InvalidInput):
        accounts.create_user(database, ADMIN, "borantia", GOOD, "volunteer")


def test_username_rules(database):
    for bad in ("ab", "Yamada Taro", "山田", "-lead"):
        with pytest.raises(InvalidInput):
            accounts.create_user(database, ADMIN, bad, GOOD, "staff")
    accounts.create_user(database, ADMIN, "yamada.t", GOOD, "staff")
    with pytest.raises(InvalidInput, match="すでに"):
        accounts.create_user(database, ADMIN, "YAMADA.T", GOOD, "staff")


def test_change_own_password_needs_the_current_one(database):
    accounts.create_user(database, ADMIN, "madoguchi", GOOD, "staff")
    who = accounts.authenticate(database, "madoguchi", GOOD)
    with pytest.raises(AuthFailed):
        accounts.change_own_password(database, who, "not-it-at-all", "a-new-long-pass-9")
    accounts.change_own_password(database, who, GOOD, "a-new-long-pass-9")
    assert accounts.authenticate(database, "madoguchi", "a-new-long-pass-9").role == "staff"


def test_single_sign_on_maps_by_email(database):
    accounts.create_user(database, ADMIN, "madoguchi", GOOD, "staff", email="Madoguchi@Example.jp")
    assert accounts.actor_for_email(database, "madoguchi@example.jp").username == "madoguchi"
    assert accounts.actor_for_email(database, "someone@example.jp") is None
    assert accounts.actor_for_email(database, "") is None


def test_create_admin_command_line(db_path, monkeypatch, capsys):
    from db.__main__ import main

    monkeypatch.setenv("SUMAHO_ADMIN_PASSWORD", GOOD)
    monkeypatch.setattr("sys.stdin", open("/dev/null"))
    assert main(["create-admin", "kanri"]) == 0
    assert main(["create-admin", "kanri2"]) == 1
    with db.connect(db_path) as handle:
        assert accounts.authenticate(handle, "kanri", GOOD).role == "admin"
