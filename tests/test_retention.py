"""Retention and erasure: the right people are listed, the erased values are gone
from the database file, and the report totals do not move."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import db
from db import attendees, bookings, reports, retention
from db.errors import NotFound
from db.permissions import PermissionDenied
from tests.conftest import ADMIN, STAFF

OLD_NAME, OLD_KANA, OLD_PHONE = "古川 静子", "フルカワ シズコ", "090-0000-7777"


def register(database, name, kana, phone):
    return attendees.register_attendee(database, STAFF, name, kana, phone, True)


def age(database, attendee_id, created: str):
    database.execute("update attendees set created_at = ?, last_seen_on = null where id = ?", [created, attendee_id])
    database.conn.commit()


def test_only_residents_inactive_for_the_period_are_listed(database, make_session):
    old = register(database, OLD_NAME, OLD_KANA, OLD_PHONE)
    recent = register(database, "新井 明", "アライ アキラ", "090-0000-7778")
    booked = register(database, "坂本 実", "サカモト ミノル", "090-0000-7779")
    for person in (old, recent, booked):
        age(database, person, "2020-01-01T00:00:00+00:00")
    database.execute("update attendees set created_at = ? where id = ?", [date.today().isoformat() + "T00:00:00+00:00", recent])
    database.conn.commit()
    session_id = make_session(capacity=4)
    bookings.book(database, STAFF, session_id, booked)
    database.execute("update attendees set last_seen_on = null where id = ?", [booked])  # the future session still counts
    database.conn.commit()
    listed = [c.id for c in retention.candidates(database, ADMIN, 3)]
    assert listed == [old]
    with pytest.raises(PermissionDenied):
        retention.candidates(database, STAFF, 3)


def test_cutoff_handles_leap_day():
    assert retention.cutoff_for(3, date(2028, 2, 29)) == date(2025, 2, 28)


def test_anonymise_erases_values_everywhere_and_keeps_totals(db_path, database, make_session):
    keep = register(database, "残留 太郎", "ザンリュウ タロウ", "090-0000-1111")
    gone = register(database, OLD_NAME, OLD_KANA, OLD_PHONE)
    database.execute("update attendees set age_band = '80代', note = '古川さんは耳が遠い', needs = '大きな文字' where id = ?", [gone])
    database.conn.commit()
    session_id = make_session(capacity=4)
    for person in (keep, gone):
        bookings.book(database, STAFF, session_id, person)
    cancelled = bookings.book(database, STAFF, make_session(capacity=4, hour=14), gone)
    bookings.cancel_booking(database, STAFF, cancelled, "古川さん入院")
    year = (date.today() - timedelta(days=400), date.today() + timedelta(days=400))
    before = reports.totals(database, *year)

    assert retention.anonymise(database, ADMIN, [gone], "request") == 1

    assert reports.totals(database, *year) == before
    row = database["attendees"].get(gone)
    assert (row["name"], row["phone"], row["name_kana"], row["note"], row["needs"], row["age_band"]) == ("（削除済み）", None, "", "", "", "80代")
    audit_row = database.execute("select user, detail from audit_log where action = 'anonymise'").fetchone()
    assert audit_row == ("admin-test", '{"reason": "request"}')
    with db.connect(db_path) as other:  # any open transaction elsewhere must not pin old pages
        other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    for erased in (OLD_NAME, OLD_KANA, OLD_PHONE, "09000007777", "フルカワシズコ", "古川さんは耳が遠い", "古川さん入院"):
        assert erased.encode("utf-8") not in raw, erased
    assert "残留".encode() in raw
    with pytest.raises(NotFound):
        retention.anonymise(database, ADMIN, [gone], "request")


def test_anonymise_refuses_staff_and_unknown_ids(database):
    person = register(database, OLD_NAME, OLD_KANA, OLD_PHONE)
    with pytest.raises(PermissionDenied):
        retention.anonymise(database, STAFF, [person], "request")
    with pytest.raises(NotFound):
        retention.anonymise(database, ADMIN, [person, 999], "retention")
    assert database["attendees"].get(person)["name"] == "古川\u3000静子"
