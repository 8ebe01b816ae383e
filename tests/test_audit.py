"""The audit log (issue 13 item 5, issue 12 操作の記録): append-only down to the
database, a hash chain an admin can verify, and a search that pages by date."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

import db
from db import attendees, audit
from db.clock import now_utc_iso
from db.permissions import PermissionDenied
from tests.conftest import ADMIN, STAFF


def register(database, n: int) -> None:
    for i in range(n):
        attendees.register_attendee(database, STAFF, f"記録 {i}", "キロク", f"090-0000-{i:04d}", True, allow_duplicate=True)


def last_row(database) -> tuple:
    return database.execute("select id, at, user, action, entity, detail, hash from audit_log order by id desc limit 1").fetchone()


def test_insert_or_replace_of_an_old_row_is_refused(database):
    register(database, 3)
    before = database.execute("select * from audit_log order by id").fetchall()
    # The reproducer of issue 13: REPLACE deletes without firing the delete trigger.
    for statement, params in (
        ("insert or replace into audit_log (id, at, user, action, entity, detail) values (1, ?, 'x', 'x', 'x', '{}')", [now_utc_iso()]),
        ("replace into audit_log (id, at, user, action, entity, detail) values (2, ?, 'x', 'x', 'x', '{}')", [now_utc_iso()]),
        ("insert into audit_log (at, user, action, entity, detail) values (?, 'x', 'x', 'x', '{}')", [now_utc_iso()]),
    ):
        with pytest.raises(sqlite3.IntegrityError, match="id must follow"):
            database.execute(statement, params)
    assert database.execute("select * from audit_log order by id").fetchall() == before


@pytest.mark.parametrize("shift", [timedelta(days=-400), timedelta(hours=-1), timedelta(minutes=11), timedelta(days=30)])
def test_a_time_far_from_now_is_refused(database, shift):
    register(database, 1)
    next_id, prev = database.execute("select max(id) + 1, (select hash from audit_log order by id desc limit 1) from audit_log").fetchone()
    at = (datetime.now(timezone.utc) + shift).isoformat(timespec="seconds")
    with pytest.raises(sqlite3.IntegrityError, match="current time"):
        database.execute(
            "insert into audit_log (id, at, user, action, entity, detail, prev_hash, hash) values (?, ?, 'x', 'x', 'x', '{}', ?, 'x')",
            [next_id, at, prev],
        )


def test_a_row_that_breaks_the_chain_is_refused(database):
    register(database, 2)
    next_id = database.execute("select max(id) + 1 from audit_log").fetchone()[0]
    now = now_utc_iso()
    with pytest.raises(sqlite3.IntegrityError, match="prev_hash"):
        database.execute(
            "insert into audit_log (id, at, user, action, entity, detail, prev_hash, hash) values (?, ?, 'x', 'x', 'x', '{}', 'forged', 'x')",
            [next_id, now],
        )
    with pytest.raises(sqlite3.IntegrityError, match="hash does not match"):
        database.execute(
            "insert into audit_log (id, at, user, action, entity, detail, prev_hash, hash) "
            "values (?, ?, 'x', 'x', 'x', '{}', (select hash from audit_log order by id desc limit 1), 'forged')",
            [next_id, now],
        )


def test_tools_without_the_apps_functions_can_read_but_not_append(db_path, database):
    register(database, 1)
    raw = sqlite3.connect(db_path)
    assert raw.execute("select count(*) from audit_log").fetchone() == (1,)
    with pytest.raises(sqlite3.OperationalError, match="desk_"):
        raw.execute("insert into audit_log (id, at, user, action, entity) values (2, '2026-01-01', 'x', 'x', 'x')")
    raw.close()


def test_the_chain_verifies_end_to_end_and_finds_the_first_changed_row(db_path, database):
    register(database, 5)
    report = audit.verify_chain(database, ADMIN)
    assert (report.ok, report.checked, report.last_hash) == (True, 5, last_row(database)[-1])
    with pytest.raises(PermissionDenied):
        audit.verify_chain(database, STAFF)
    # Someone with the file edits row 3 behind the triggers' back.
    raw = sqlite3.connect(db_path)
    raw.execute("drop trigger audit_log_no_update")
    raw.execute("""update audit_log set detail = '{"fields": []}' where id = 3""")
    raw.commit()
    raw.close()
    report = audit.verify_chain(database, ADMIN)
    assert (report.ok, report.broken_id, report.checked) == (False, 3, 2)


def test_a_deleted_row_breaks_the_chain_at_the_next_one(db_path, database):
    register(database, 4)
    raw = sqlite3.connect(db_path)
    raw.execute("drop trigger audit_log_no_delete")
    raw.execute("delete from audit_log where id = 2")
    raw.commit()
    raw.close()
    assert audit.verify_chain(database, ADMIN).broken_id == 3


def test_concurrent_writers_each_extend_the_chain(db_path):
    import threading

    from db import tickets

    def work(n: int) -> None:
        with db.connect(db_path) as handle:
            for i in range(10):
                tickets.open_ticket(handle, STAFF, channel="visit", category="line", summary=f"並行 {n}-{i}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with db.connect(db_path) as handle:
        report = audit.verify_chain(handle, ADMIN)
    assert (report.ok, report.checked) == (True, 40)


def test_search_pages_through_a_date_range_newest_first(database):
    register(database, 7)
    since = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat(timespec="seconds")
    until = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat(timespec="seconds")
    seen, cursor, pages = [], None, 0
    while True:
        page = audit.search(database, ADMIN, since, until, after=cursor, limit=3)
        seen.extend(r["id"] for r in page.rows)
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 3 and seen == list(range(7, 0, -1))
    assert audit.count(database, ADMIN, since, until) == 7
    assert audit.count(database, ADMIN, since, until, cap=5) == 6
    assert audit.search(database, ADMIN, until, until).rows == []
    assert [r["id"] for r in audit.search(database, ADMIN, since, until, action="create", user=STAFF.username, limit=2).rows] == [7, 6]
    with pytest.raises(PermissionDenied):
        audit.search(database, STAFF, since, until)


def test_distinct_values_come_from_the_indexes(database):
    register(database, 2)
    with db.connect() as other:
        audit.record(other, ADMIN, "export", "bookings", None, {})
        other.conn.commit()
    assert audit.distinct_values(database, ADMIN, "user") == ["admin-test", "staff-test"]
    assert audit.distinct_values(database, ADMIN, "action") == ["create", "export"]
    assert audit.distinct_values(database, ADMIN, "entity") == ["attendees", "bookings"]
    plan = " ".join(str(r) for r in database.execute("explain query plan select min(action) from audit_log where action > 'a'"))
    assert "idx_audit_log_action_at" in plan
    with pytest.raises(ValueError):
        audit.distinct_values(database, ADMIN, "detail")


def test_every_filter_of_the_search_is_served_by_an_index(database):
    for where in ("", "and user = 'x'", "and action = 'x'", "and entity = 'x'"):
        plan = " ".join(
            str(r)
            for r in database.execute(
                f"explain query plan select * from audit_log where at >= '2026' and at < '2027' {where} "
                "and (at < '2026-06' or (at = '2026-06' and id < 5)) order by at desc, id desc limit 51"
            )
        )
        assert "USING INDEX idx_audit_log_" in plan and "TEMP B-TREE" not in plan, plan


def test_the_audit_page_pages_by_date_and_verifies_the_chain(db_path, database):
    from db import accounts
    from tests.conftest import run_app, texts

    accounts.create_first_admin(database, "admin-test", "kawasemi-no-hane-42")
    register(database, 119)
    at = run_app(ADMIN)
    at.switch_page("app_pages/audit.py").run()
    assert not at.exception
    total = database["audit_log"].count  # 120, and whatever the app itself logged on start
    newest = list(at.dataframe[0].value["番号"])
    assert len(newest) == audit.PAGE_SIZE and f"{total} 件（新しい順）" in " ".join(c.value for c in at.caption)
    at.button(key="audit_older").click().run()
    older = list(at.dataframe[0].value["番号"])
    assert len(older) == audit.PAGE_SIZE and not set(older) & set(newest)
    at.button(key="audit_older").click().run()
    assert len(at.dataframe[0].value) == total - 2 * audit.PAGE_SIZE and at.button(key="audit_older").disabled
    at.button(key="audit_newer").click().run()
    assert list(at.dataframe[0].value["番号"]) == older
    at.selectbox(key="audit_action").set_value("create").run()
    assert list(at.dataframe[0].value["番号"]) == [str(i) for i in range(119, 69, -1)]  # back to the newest
    at.button(key="audit_verify").click().run()
    assert f"{total} 件の記録すべてで、つながりが正しい" in texts(at, "success")
    raw = sqlite3.connect(db_path)
    raw.execute("drop trigger audit_log_no_update")
    raw.execute("update audit_log set user = 'someone' where id = 40")
    raw.commit()
    raw.close()
    at.button(key="audit_verify").click().run()
    assert "No.40 の記録が書き換えられた" in texts(at, "error")
