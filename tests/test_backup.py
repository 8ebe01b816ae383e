"""Backups: a consistent copy, rotation, the daily timer, and a restore that refuses
a bad file before replacing anything."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import db
from db import attendees, audit, backup, demo, retention
from db.backup import RestoreRefused
from db.permissions import SYSTEM
from tests.conftest import ADMIN, STAFF


def rows(path) -> dict[str, list[tuple]]:
    with db.connect(path) as handle:
        return {t: sorted(handle.execute(f"select * from [{t}]").fetchall()) for t in handle.table_names()}


def test_backup_and_restore_round_trip(db_path, tmp_path):
    with db.connect(db_path) as handle:
        demo.seed(handle)
    directory = tmp_path / "bk"
    original = rows(db_path)
    copy = backup.backup_now(db_path, directory, 14, SYSTEM)
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    assert rows(copy) == original
    with db.connect(db_path) as handle:
        attendees.register_attendee(handle, STAFF, "後から 追加", "アトカラ ツイカ", "090-0000-9999", True)
        handle.execute("delete from bookings")
        handle.conn.commit()
    backup.restore(copy, db_path)
    restored = rows(db_path)
    # Identical rows, plus the audit row that records the restore itself.
    assert [r[3] for r in restored["audit_log"][len(original["audit_log"]) :]] == ["restore"]
    restored["audit_log"] = restored["audit_log"][: len(original["audit_log"])]
    assert restored == original


def test_rotation_keeps_the_newest(db_path, tmp_path):
    directory = tmp_path / "bk"
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    made = [backup.backup_now(db_path, directory, 3, SYSTEM, start + timedelta(days=i)) for i in range(5)]
    assert backup.list_backups(directory) == made[:-4:-1]


def test_daily_backup_only_when_due(db_path, tmp_path):
    directory = tmp_path / "bk"
    now = datetime(2026, 11, 21, 9, tzinfo=timezone.utc)
    assert backup.backup_if_due(db_path, directory, 14, SYSTEM, now) is not None
    assert backup.backup_if_due(db_path, directory, 14, SYSTEM, now + timedelta(hours=23)) is None
    assert backup.backup_if_due(db_path, directory, 14, SYSTEM, now + timedelta(hours=24)) is not None
    assert len(backup.list_backups(directory)) == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "foreign"])
def test_restore_refuses_a_bad_file_and_changes_nothing(db_path, tmp_path, damage):
    import sqlite3

    with db.connect(db_path) as handle:
        demo.seed(handle)
    good = backup.backup_now(db_path, tmp_path / "bk", 14, SYSTEM)
    bad = tmp_path / "bad.sqlite3"
    data = good.read_bytes()
    if damage == "garbage":
        bad.write_bytes(os.urandom(8192))
    elif damage == "truncated":
        bad.write_bytes(data[: len(data) // 3])
    elif damage == "flipped":
        # Corrupt a b-tree page after the header page.
        page = 4096
        broken = bytearray(data)
        for i in range(page * 2, page * 2 + 200):
            broken[i] ^= 0xFF
        bad.write_bytes(bytes(broken))
    else:
        conn = sqlite3.connect(bad)
        conn.execute("create table notes(x)")
        conn.commit()
        conn.close()
    before = rows(db_path)
    with pytest.raises(RestoreRefused):
        backup.restore(bad, db_path)
    assert rows(db_path) == before


def test_restore_command_line(db_path, tmp_path, capsys):
    from db.__main__ import main

    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    assert main(["restore", str(bad)]) == 1
    assert "何も置き換えていません" in capsys.readouterr().err


# --- issue 13: restore as the tool of last resort ---------------------------------


def seeded_backup(db_path, tmp_path) -> Path:
    with db.connect(db_path) as handle:
        demo.seed(handle)
    return backup.backup_now(db_path, tmp_path / "bk", 14, SYSTEM)


def damaged(data: bytes, how: str) -> bytes:
    if how == "garbage":
        return b"file is not a database" * 500
    if how == "truncated":
        return data[: len(data) // 3]
    if how == "page 1":
        broken = bytearray(data)
        broken[0:100] = os.urandom(100)
        return bytes(broken)
    return b""


@pytest.mark.parametrize("how", ["garbage", "truncated", "page 1", "empty", "missing"])
def test_restore_rescues_a_live_database_that_is_garbage_or_missing(db_path, tmp_path, capsys, how):
    from db.__main__ import main

    good = seeded_backup(db_path, tmp_path)
    expected = rows(good)
    for sidecar in ("-wal", "-shm"):
        db_path.with_name(db_path.name + sidecar).unlink(missing_ok=True)
    broken = damaged(db_path.read_bytes(), how)
    if how == "missing":
        db_path.unlink()
    else:
        db_path.write_bytes(broken)
    assert main(["restore", str(good)]) == 0, capsys.readouterr().err
    restored = rows(db_path)
    assert restored["audit_log"][-1][3] == "restore"
    restored["audit_log"] = restored["audit_log"][:-1]
    assert restored == expected
    kept = list(tmp_path.glob("desk.sqlite3.before-restore-*"))
    if how == "missing":
        assert kept == []
    else:
        (aside,) = [k for k in kept if not k.name.endswith(("-wal", "-shm"))]
        assert aside.read_bytes() == broken  # kept as it was, never opened
        assert str(aside) in capsys.readouterr().out


def test_a_foreign_file_with_the_right_table_names_is_refused_and_a_good_one_restores_after(db_path, tmp_path):
    good = seeded_backup(db_path, tmp_path)
    before = rows(db_path)
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    for table in ("_sqlite_migrations", "attendees", "audit_log"):
        conn.execute(f"create table {table} (x)")
    conn.execute("insert into _sqlite_migrations values ('m001_core')")
    conn.commit()
    conn.close()
    with pytest.raises(RestoreRefused) as err:
        backup.restore(foreign, db_path)
    assert "何も置き換えていません" in str(err.value)
    assert rows(db_path) == before
    assert not list(tmp_path.glob("*.before-restore-*")) and not list(tmp_path.glob("*.tmp"))
    backup.restore(good, db_path)
    assert rows(db_path)["attendees"] == before["attendees"]


def tampered_copy(good: Path, tmp_path: Path, *statements: str) -> Path:
    copy = tmp_path / "tampered.sqlite3"
    shutil.copyfile(good, copy)
    conn = sqlite3.connect(copy)
    db.register_functions(conn)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return copy


@pytest.mark.parametrize(
    "statements, says",
    [
        (["drop trigger audit_log_no_update", "drop trigger audit_log_no_delete"], "トリガー"),
        (["drop trigger audit_log_append_only"], "トリガー"),
        (["pragma application_id = 1"], "application_id"),
        (["pragma user_version = 99"], "user_version"),
        (["alter table attendees add column my_number text"], "attendees"),
        (["drop index idx_audit_log_at"], "audit_log"),
        (["insert into _sqlite_migrations (migration_set, name, applied_at) values ('sumaho_desk', 'm999_future', '')",
          "pragma user_version = 99"], "新しい版"),
        (["drop trigger audit_log_no_update", "update audit_log set detail = '{}' where id = 3",
          "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"],
         "No.3"),
        (["pragma foreign_keys = off", "insert into bookings (session_id, attendee_id, status, queued_at) values (9999, 1, 'booked', 'x')"],
         "foreign_key_check"),
    ],
)
def test_restore_checks_the_whole_schema_the_audit_triggers_and_the_chain(db_path, tmp_path, statements, says):
    good = seeded_backup(db_path, tmp_path)
    before = rows(db_path)
    bad = tampered_copy(good, tmp_path, *statements)
    with pytest.raises(RestoreRefused) as err:
        backup.restore(bad, db_path)
    assert says in str(err.value)
    assert rows(db_path) == before


def test_the_database_is_stamped_at_creation(db_path):
    from db import schema

    with db.connect(db_path) as handle:
        assert handle.execute("pragma application_id").fetchone()[0] == schema.APPLICATION_ID == 0x534D4844
        assert handle.execute("pragma user_version").fetchone()[0] == len(schema.known_migrations())


def test_init_recreates_missing_or_altered_triggers(db_path, capsys):
    from db.__main__ import main

    conn = sqlite3.connect(db_path)
    conn.execute("drop trigger audit_log_no_delete")
    conn.execute("drop trigger audit_log_append_only")
    conn.execute("drop trigger audit_log_no_update")
    conn.execute("create trigger audit_log_no_update before update on audit_log begin select 1; end")
    conn.commit()
    conn.close()
    assert main(["init"]) == 0
    with db.connect(db_path) as handle:
        attendees.register_attendee(handle, STAFF, "守 太郎", "マモル タロウ", "090-0000-9998", True)
        for statement in ("delete from audit_log", "update audit_log set user = 'x'"):
            with pytest.raises(sqlite3.IntegrityError):
                handle.execute(statement)
        with pytest.raises(sqlite3.IntegrityError):
            handle.execute("insert or replace into audit_log (id, at, user, action, entity) select id, at, 'x', action, entity from audit_log")


def test_a_backup_from_before_the_stamp_is_restored_and_brought_up_to_date(db_path, tmp_path):
    from db import schema

    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)
    handle = db.Database(conn)
    schema.migrations.apply(handle, stop_before=schema.STAMPED_FROM)
    conn.execute("insert into audit_log (at, user, action, entity, detail) values ('2025-01-01T00:00:00+00:00', 'staff', 'create', 'attendees', '{}')")
    conn.execute("insert into audit_log (at, user, action, entity, detail) values ('2025-01-02T00:00:00+00:00', 'staff', 'book', 'bookings', '{}')")
    conn.commit()
    conn.close()
    backup.restore(old, db_path)
    with db.connect(db_path) as handle:
        assert handle.execute("pragma application_id").fetchone()[0] == schema.APPLICATION_ID
        report = audit.verify_chain(handle, SYSTEM)
        assert (report.ok, report.checked) == (True, 3)
        assert [r[0] for r in handle.execute("select action from audit_log order by id")] == ["create", "book", "restore"]


def test_residents_erased_after_the_backup_stay_erased(db_path, tmp_path):
    good = seeded_backup(db_path, tmp_path)
    with db.connect(db_path) as handle:
        person = handle.execute("select id, name from attendees order by id limit 1").fetchone()
        retention.anonymise(handle, ADMIN, [person[0]], "request")
    done = backup.restore(good, db_path)
    assert done.erased_again == 1
    with db.connect(db_path) as handle:
        assert handle.execute("select name, anonymised_at is not null from attendees where id = ?", [person[0]]).fetchone() == (
            retention.ERASED_NAME, 1,
        )
        assert handle.execute("select detail from audit_log where action = 'anonymise' order by id desc").fetchone()[0] == '{"reason": "reapply"}'

