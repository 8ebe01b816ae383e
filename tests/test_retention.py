"""Retention and erasure: the right people are listed, the erased values are gone
from the database file, and the report totals do not move."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import db
from db import attendees, bookings, reports, retention, tickets
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


def test_a_help_desk_ticket_counts_as_activity(database):
    helped_lately = register(database, "新井 明", "アライ アキラ", "090-0000-7778")
    helped_long_ago = register(database, OLD_NAME, OLD_KANA, OLD_PHONE)
    for person in (helped_lately, helped_long_ago):
        age(database, person, "2020-01-01T00:00:00+00:00")
        tickets.open_ticket(database, STAFF, channel="phone", category="line", summary="LINEの相談", attendee_id=person)
    # The long-ago ticket was opened and last changed on 2021-06-01 JST (15:00 UTC the day before).
    database.execute(
        "update tickets set opened_at = ?, updated_at = ? where attendee_id = ?",
        ["2021-05-31T15:00:00+00:00", "2021-05-31T15:00:00+00:00", helped_long_ago],
    )
    database.conn.commit()
    listed = retention.candidates(database, ADMIN, 3)
    assert [(c.id, c.last_activity) for c in listed] == [(helped_long_ago, "2021-06-01")]


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
    their_case = tickets.open_ticket(
        database, STAFF, channel="visit", category="hokensho", summary="古川さんのマイナ保険証が読めない",
        attendee_id=gone, notes="古川さん宅は坂の上", minutes=20,
    )
    tickets.update_ticket(database, STAFF, their_case, outcome="古川さんと一緒に再設定", next_step="古川さんの娘さんに連絡")
    tickets.change_status(database, STAFF, their_case, "referred", referral_to="city_hall", referral_note="古川さんを市民課へ")
    other_case = tickets.open_ticket(database, STAFF, channel="phone", category="line", summary="残留さんのLINE", attendee_id=keep)
    year = (date.today() - timedelta(days=400), date.today() + timedelta(days=400))
    before = reports.totals(database, *year)
    stats_before = tickets.ticket_stats(database, STAFF, *year)

    assert retention.anonymise(database, ADMIN, [gone], "request") == 1

    assert reports.totals(database, *year) == before
    assert tickets.ticket_stats(database, STAFF, *year) == stats_before
    case = tickets.get_ticket(database, STAFF, their_case)
    assert (case.summary, case.notes, case.outcome, case.next_step, case.referral_note) == ("（削除済み）", "", "", "", "")
    assert (case.category, case.channel, case.status, case.resolution, case.referral_to, case.minutes) == (
        "hokensho", "visit", "referred", "referred", "city_hall", 20,
    )
    assert tickets.get_ticket(database, STAFF, other_case).summary == "残留さんのLINE"
    row = database["attendees"].get(gone)
    assert (row["name"], row["phone"], row["name_kana"], row["note"], row["needs"], row["age_band"]) == ("（削除済み）", None, "", "", "", "80代")
    audit_row = database.execute("select user, detail from audit_log where action = 'anonymise'").fetchone()
    assert audit_row == ("admin-test", '{"reason": "request"}')
    with db.connect(db_path) as other:  # any open transaction elsewhere must not pin old pages
        other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    for erased in (
        OLD_NAME, OLD_KANA, OLD_PHONE, "09000007777", "フルカワシズコ", "古川さんは耳が遠い", "古川さん入院",
        "古川さんのマイナ保険証", "古川さん宅", "古川さんと一緒", "古川さんの娘", "古川さんを市民課",
    ):
        assert erased.encode("utf-8") not in raw, erased
    assert "残留".encode() in raw and "残留さんのLINE".encode() in raw
    with pytest.raises(NotFound):
        retention.anonymise(database, ADMIN, [gone], "request")


def test_anonymise_refuses_staff_and_unknown_ids(database):
    person = register(database, OLD_NAME, OLD_KANA, OLD_PHONE)
    with pytest.raises(PermissionDenied):
        retention.anonymise(database, STAFF, [person], "request")
    with pytest.raises(NotFound):
        retention.anonymise(database, ADMIN, [person, 999], "retention")
    assert database["attendees"].get(person)["name"] == "古川\u3000静子"
