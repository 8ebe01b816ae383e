"""The connection path: a thread reuses its connection, never shares it, and an
operation's leftovers never reach the next one."""

from __future__ import annotations

import threading

import db


def test_a_thread_reuses_its_connection_for_the_next_operation(db_path):
    with db.connect(db_path) as first:
        conn = first.conn
    with db.connect(db_path) as second:
        assert second.conn is conn
        assert second.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_the_next_operation_starts_without_a_statement_of_its_own(db_path):
    # A flag pragma (sqlite-utils sets recursive_triggers when it wraps a
    # connection) expires every compiled statement: the next booking would
    # compile its statements and their triggers again.
    with db.connect(db_path) as first:
        ran = []
        first.conn.set_trace_callback(ran.append)
        handle = first
    with db.connect(db_path) as second:
        assert second is handle
        assert ran == []
        assert second.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    handle.conn.set_trace_callback(None)


def test_operations_at_once_never_share_a_connection(db_path):
    with db.connect(db_path) as outer, db.connect(db_path) as inner:
        assert outer.conn is not inner.conn
    seen = []

    def other_thread():
        with db.connect(db_path) as handle:
            seen.append(handle.conn)

    with db.connect(db_path) as mine:
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        assert seen[0] is not mine.conn


def test_what_an_operation_left_uncommitted_is_rolled_back(db_path):
    with db.connect(db_path) as handle:
        handle.execute("BEGIN")
        handle.execute("insert into settings (key, value) values ('left', 'open')")
        assert handle.conn.in_transaction
    with db.connect(db_path) as handle:
        assert not handle.conn.in_transaction
        assert handle.execute("select count(*) from settings where key = 'left'").fetchone()[0] == 0


def test_a_file_replaced_under_the_same_name_gets_a_new_connection(tmp_path):
    path = tmp_path / "desk.sqlite3"
    db.init_db(path)
    with db.connect(path) as handle:
        handle.execute("insert into settings (key, value) values ('old', '1')")
        handle.conn.commit()
        conn = handle.conn
    fresh = tmp_path / "fresh.sqlite3"
    db.init_db(fresh)
    for suffix in ("", "-wal", "-shm"):
        src = tmp_path / f"fresh.sqlite3{suffix}"
        if src.exists():
            src.replace(tmp_path / f"desk.sqlite3{suffix}")
    with db.connect(path) as handle:
        assert handle.conn is not conn
        assert handle.execute("select count(*) from settings where key = 'old'").fetchone()[0] == 0


def test_the_wal_is_copied_into_the_file_before_it_grows_past_its_bound(db_path):
    page = 4096 + 24
    with db.connect(db_path) as handle:
        handle.execute("create table scratch (body blob)")
        for _ in range(db.WAL_CHECKPOINT_PAGES // 10 * 2):
            with db.immediate(handle):
                handle.execute("insert into scratch (body) values (zeroblob(40000))")
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size <= (db.WAL_CHECKPOINT_PAGES + 20) * page + 32
