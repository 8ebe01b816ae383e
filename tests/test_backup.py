"""Backups: a consistent copy, rotation, the daily timer, and a restore that refuses
a bad file before replacing anything."""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta, timezone

import pytest

import db
from db import attendees, backup, demo
from db.backup import RestoreRefused
from db.permissions import SYSTEM
from tests.conftest import STAFF


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
