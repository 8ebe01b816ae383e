"""Loan phones (貸出機, issue 17): the inventory, allocation never beyond it, manual
changes, returns, what to prepare and the year's count."""

from __future__ import annotations

import io
from datetime import timedelta

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import db
import lessons
from db import attendees, bookings, loans, sessions, venues
from db.errors import InvalidInput, NotFound
from db.guard import MyNumberRejected
from db.permissions import Actor, PermissionDenied
from printouts.annual_report import render_annual_report
from tests.conftest import ADMIN, STAFF, at, working_day

VOLUNTEER = Actor("vol", "volunteer", 1)


def person(database, n: int, device: str = "なし") -> int:
    return attendees.register_attendee(
        database, STAFF, f"貸出{n}", "カシダシ", f"090-0000-{n:04d}", True, device=device, allow_duplicate=True
    )


def seat(database, session_id: int, n: int, device: str = "なし") -> int:
    return bookings.book(database, STAFF, session_id, person(database, n, device), waitlist=True)


def phones(database, venue_id: int, kind: str, count: int, start: int = 1) -> list[int]:
    return [loans.add_phone(database, STAFF, venue_id, kind, f"{kind}-{i}") for i in range(start, start + count)]


def lent(database, session_id: int) -> dict[int, str]:
    return {b: loan.label for b, loan in loans.session_loans(database, STAFF, session_id).items()}


# Inventory --------------------------------------------------------------------------------


def test_a_phone_is_added_available_and_listed_in_label_number_order(database, centre):
    venue_id = centre[0]
    for label in ("iPhone-10", "iPhone-2", "Android-1"):
        loans.add_phone(database, STAFF, venue_id, "Android" if label.startswith("A") else "iPhone", label)
    listed = loans.list_phones(database, venue_id)
    assert [p.label for p in listed] == ["iPhone-2", "iPhone-10", "Android-1"]
    assert {p.status for p in listed} == {"available"}
    assert database["audit_log"].count_where("entity = 'loan_phones' and action = 'create'") == 3


def test_a_label_is_unique_per_venue_compared_folded_but_free_at_another_venue(database, centre):
    loans.add_phone(database, STAFF, centre[0], "iPhone", "iPhone-3")
    with pytest.raises(InvalidInput, match="もうあります"):
        loans.add_phone(database, STAFF, centre[0], "iPhone", "ｉＰｈｏｎｅ－３")
    other = venues.create_venue(database, ADMIN, "別館")
    assert loans.add_phone(database, STAFF, other, "iPhone", "iPhone-3")


@pytest.mark.parametrize(
    ("kind", "label", "message"),
    [
        ("Galaxy", "G-1", "機種は"),
        ("iPhone", "   ", "入力してください"),
        ("iPhone", "x" * 21, "20 文字以内"),
        ("iPhone", "a\x07b", "使えない文字"),
    ],
)
def test_bad_phone_input_is_refused_in_japanese_and_changes_nothing(database, centre, kind, label, message):
    with pytest.raises(InvalidInput, match=message):
        loans.add_phone(database, STAFF, centre[0], kind, label)
    assert database["loan_phones"].count == 0


def test_a_my_number_in_a_label_is_refused(database, centre):
    with pytest.raises(MyNumberRejected):
        loans.add_phone(database, STAFF, centre[0], "iPhone", "123456789018")
    assert database["loan_phones"].count == 0


def test_an_unknown_venue_or_a_volunteer_is_refused(database, centre):
    with pytest.raises(NotFound):
        loans.add_phone(database, STAFF, 999, "iPhone", "iPhone-1")
    with pytest.raises(PermissionDenied):
        loans.add_phone(database, VOLUNTEER, centre[0], "iPhone", "iPhone-1")


def test_status_changes_and_a_phone_in_repair_is_not_lent(database, centre, make_session):
    session_id = make_session(capacity=4)
    first, second = phones(database, centre[0], "iPhone", 2)
    loans.set_status(database, STAFF, first, "repair")
    seat(database, session_id, 1)
    seat(database, session_id, 2)
    with pytest.raises(loans.LoanShortfall, match="iPhone が 1 台足りません"):
        loans.allocate(database, STAFF, session_id, "iPhone")
    loans.set_status(database, STAFF, first, "available")
    assert loans.allocate(database, STAFF, session_id, "iPhone") == 2
    with pytest.raises(InvalidInput, match="状態は"):
        loans.set_status(database, STAFF, second, "lost")


def test_a_phone_allocated_to_a_coming_session_cannot_be_retired(database, centre, make_session):
    session_id = make_session()
    (phone,) = phones(database, centre[0], "iPhone", 1)
    seat(database, session_id, 1)
    loans.allocate(database, STAFF, session_id, "iPhone")
    with pytest.raises(InvalidInput, match="割り当てを外して"):
        loans.set_status(database, STAFF, phone, "retired")
    assert loans.list_phones(database, centre[0])[0].status == "available"


# Allocation ------------------------------------------------------------------------------


def test_allocation_lends_the_session_focus_kind_to_those_without_a_phone_only(database, centre, make_session):
    session_id = make_session(capacity=4)
    phones(database, centre[0], "iPhone", 3)
    phones(database, centre[0], "Android", 3)
    loans.set_device_focus(database, STAFF, session_id, "Android")
    needs = [seat(database, session_id, 1), seat(database, session_id, 2)]
    seat(database, session_id, 3, device="iPhone")
    assert loans.allocate(database, STAFF, session_id) == 2
    assert lent(database, session_id) == {needs[0]: "Android-1", needs[1]: "Android-2"}
    assert loans.allocate(database, STAFF, session_id) == 0
    audit = database.execute("select detail from audit_log where action = 'allocate'").fetchone()[0]
    assert "Android" in audit and "貸出" not in audit


def test_a_session_teaching_both_kinds_asks_which_kind(database, centre, make_session):
    session_id = make_session()
    phones(database, centre[0], "iPhone", 1)
    seat(database, session_id, 1)
    with pytest.raises(InvalidInput, match="機種を選んで"):
        loans.allocate(database, STAFF, session_id)
    assert database["loans"].count == 0


def test_allocating_beyond_the_inventory_names_the_shortfall_and_writes_nothing(database, centre, make_session):
    session_id = make_session(capacity=4)
    phones(database, centre[0], "iPhone", 1)
    for n in range(1, 4):
        seat(database, session_id, n)
    with pytest.raises(loans.LoanShortfall, match="iPhone が 2 台足りません") as refused:
        loans.allocate(database, STAFF, session_id, "iPhone")
    assert refused.value.missing == 2
    assert database["loans"].count == 0


def test_a_phone_lent_in_an_overlapping_session_is_not_free_but_is_after_it(database, centre, make_session):
    morning = make_session(capacity=4, room=centre[1], hour=10)
    overlapping = make_session(capacity=4, room=centre[2], hour=11)
    afternoon = make_session(capacity=4, room=centre[2], hour=14)
    phones(database, centre[0], "iPhone", 2)
    for n in (1, 2):
        seat(database, morning, n)
    loans.allocate(database, STAFF, morning, "iPhone")
    seat(database, overlapping, 3)
    with pytest.raises(loans.LoanShortfall, match="iPhone が 1 台足りません"):
        loans.allocate(database, STAFF, overlapping, "iPhone")
    seat(database, afternoon, 4)
    assert loans.allocate(database, STAFF, afternoon, "iPhone") == 1


def test_a_cancelled_booking_frees_its_phone(database, centre, make_session):
    first = make_session(capacity=4, room=centre[1], hour=10)
    second = make_session(capacity=4, room=centre[2], hour=10)
    phones(database, centre[0], "iPhone", 1)
    booking = seat(database, first, 1)
    loans.allocate(database, STAFF, first, "iPhone")
    bookings.cancel_booking(database, STAFF, booking, "体調不良")
    seat(database, second, 2)
    assert loans.allocate(database, STAFF, second, "iPhone") == 1
    # Booked again, the first attendee needs a phone afresh: none is free.
    bookings.book(database, STAFF, first, database.execute("select attendee_id from bookings where id = ?", [booking]).fetchone()[0])
    assert lent(database, first) == {}
    with pytest.raises(loans.LoanShortfall):
        loans.allocate(database, STAFF, first, "iPhone")


def test_a_cancelled_or_finished_session_takes_no_loans(database, centre, make_session, clock):
    session_id = make_session()
    phones(database, centre[0], "iPhone", 1)
    seat(database, session_id, 1)
    sessions.cancel_session(database, STAFF, session_id, "講師の都合")
    with pytest.raises(loans.PhoneUnavailable, match="中止"):
        loans.allocate(database, STAFF, session_id, "iPhone")


def test_volunteers_may_not_allocate(database, centre, make_session):
    session_id = make_session()
    with pytest.raises(PermissionDenied):
        loans.allocate(database, VOLUNTEER, session_id, "iPhone")


# Manual change -------------------------------------------------------------------------------


def test_manual_change_swaps_phones_and_refuses_one_already_lent(database, centre, make_session):
    session_id = make_session(capacity=4)
    one, two, three = phones(database, centre[0], "iPhone", 3)
    a, b = seat(database, session_id, 1), seat(database, session_id, 2)
    loans.allocate(database, STAFF, session_id, "iPhone")
    with pytest.raises(loans.PhoneUnavailable, match="この開催回の別の方"):
        loans.assign(database, STAFF, a, two)
    loans.assign(database, STAFF, a, three)
    assert lent(database, session_id) == {a: "iPhone-3", b: "iPhone-2"}
    loans.assign(database, STAFF, b, None)
    assert lent(database, session_id) == {a: "iPhone-3"}
    assert {p.id for p in loans.free_phones(database, session_id)} == {one, two}


def test_manual_change_refuses_another_venues_phone_or_a_retired_one(database, centre, make_session):
    session_id = make_session()
    other = venues.create_venue(database, ADMIN, "別館")
    (far,) = phones(database, other, "iPhone", 1)
    (old,) = phones(database, centre[0], "iPhone", 1)
    loans.set_status(database, STAFF, old, "retired")
    booking = seat(database, session_id, 1, device="iPhone")
    with pytest.raises(loans.PhoneUnavailable, match="施設の貸出機ではありません"):
        loans.assign(database, STAFF, booking, far)
    with pytest.raises(loans.PhoneUnavailable, match="使用終了"):
        loans.assign(database, STAFF, booking, old)
    assert database["loans"].count == 0


# Returns -------------------------------------------------------------------------------------------


def test_a_return_is_recorded_from_attendance_on_and_an_unreturned_phone_stays_out(database, centre, make_session, clock):
    day = working_day(7)
    session_id = make_session(capacity=4)
    later = make_session(capacity=4, room=centre[1], offset=14)
    (phone,) = phones(database, centre[0], "iPhone", 1)
    booking = seat(database, session_id, 1)
    loans.allocate(database, STAFF, session_id, "iPhone")
    with pytest.raises(InvalidInput, match="から記録できます"):
        loans.record_return(database, STAFF, booking, "returned")
    clock.move_to(at(day, 11, 45))
    bookings.mark_attendance(database, STAFF, booking, "attended")
    loans.record_return(database, STAFF, booking, "not_returned")
    out = loans.out_phones(database, STAFF)
    assert [(o.label, o.name, o.recorded) for o in out] == [("iPhone-1", "貸出1", True)]
    assert loans.list_phones(database, centre[0])[0].out
    seat(database, later, 2)
    with pytest.raises(loans.LoanShortfall):
        loans.allocate(database, STAFF, later, "iPhone")
    # Weeks later it comes back and can be lent again.
    clock.move_to(at(day + timedelta(days=5), 10))
    loans.record_return(database, STAFF, booking, "returned")
    assert loans.out_phones(database, STAFF) == []
    assert loans.allocate(database, STAFF, later, "iPhone") == 1
    with pytest.raises(InvalidInput, match="返却は"):
        loans.record_return(database, STAFF, booking, "lost")
    assert phone


def test_a_finished_session_without_a_return_record_is_listed_as_unrecorded(database, centre, make_session, clock):
    day = working_day(7)
    session_id = make_session()
    phones(database, centre[0], "Android", 1)
    booking = seat(database, session_id, 1)
    loans.allocate(database, STAFF, session_id, "Android")
    clock.move_to(at(day, 13))
    out = loans.out_phones(database, STAFF)
    assert [(o.booking_id, o.recorded) for o in out] == [(booking, False)]
    with pytest.raises(PermissionDenied):
        loans.out_phones(database, VOLUNTEER)


# Counts ----------------------------------------------------------------------------------------


def test_prepare_counts_phones_per_kind_and_those_still_without_one(database, centre, make_session):
    session_id = make_session(capacity=4)
    empty = make_session(capacity=4, room=centre[1])
    phones(database, centre[0], "iPhone", 1)
    seat(database, session_id, 1)
    seat(database, session_id, 2, device="Android")
    seat(database, session_id, 3)
    with pytest.raises(loans.LoanShortfall):
        loans.allocate(database, STAFF, session_id, "iPhone")
    first = database.execute("select id from bookings where session_id = ? order by id limit 1", [session_id]).fetchone()[0]
    loans.assign(database, STAFF, first, loans.free_phones(database, session_id)[0].id)
    prepare = loans.to_prepare(database, [session_id, empty])
    assert prepare[session_id] == loans.Prepare(needed=2, by_kind={"iPhone": 1}, unassigned=1)
    assert loans.prepare_text(prepare[session_id]) == "貸出機 2台（iPhone 1・未割当 1）"
    assert prepare[empty].phones == 0 and loans.prepare_text(prepare[empty]) == ""


def test_the_year_counts_loans_of_attendees_who_came(database, centre, make_session, clock):
    day = working_day(7)
    session_id = make_session(capacity=4)
    phones(database, centre[0], "iPhone", 3)
    came, missed, kept = seat(database, session_id, 1), seat(database, session_id, 2), seat(database, session_id, 3)
    loans.allocate(database, STAFF, session_id, "iPhone")
    clock.move_to(at(day, 11, 45))
    bookings.mark_attendance(database, STAFF, came, "attended")
    bookings.mark_attendance(database, STAFF, kept, "attended")
    bookings.mark_attendance(database, STAFF, missed, "absent")
    loans.record_return(database, STAFF, kept, "not_returned")
    counts = loans.loan_counts(database, day, day + timedelta(days=1))
    assert counts == loans.LoanCounts(loans=2, by_kind={"iPhone": 2, "Android": 0}, borrowers=2, sessions=1, not_returned=1)
    assert loans.loan_counts(database, day, day + timedelta(days=1), venue_id=999).loans == 0


# Never beyond the inventory ----------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    inventory=st.integers(min_value=0, max_value=4),
    slots=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4)), min_size=1, max_size=5),
    manual=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 6)), max_size=6),
)
def test_no_phone_is_ever_lent_twice_at_once_nor_beyond_the_inventory(tmp_path_factory, inventory, slots, manual):
    """Sessions at random hours (some overlapping), random numbers of people without
    a phone, allocations and manual changes in any order: every allocation either
    covers everyone or writes nothing, and no phone is held by two loans whose
    sessions overlap."""
    path = tmp_path_factory.mktemp("loans") / "desk.sqlite3"
    db.init_db(path)
    with db.connect(path) as database:
        venue_id = venues.create_venue(database, ADMIN, "会館")
        rooms = [venues.create_room(database, ADMIN, venue_id, f"室{i}", 10) for i in range(len(slots))]
        phone_ids = phones(database, venue_id, "iPhone", inventory)
        day = working_day(7)
        session_ids, n = [], 0
        for room, (hour, people) in zip(rooms, slots):
            session_id = sessions.create_session(
                database, STAFF, next(iter(lessons.catalogue())), room, at(day, 9 + 2 * hour), at(day, 10 + 2 * hour) + timedelta(minutes=30), 10
            )
            session_ids.append(session_id)
            for _i in range(people):
                n += 1
                seat(database, session_id, n)
        booking_ids = [r[0] for r in database.execute("select id from bookings order by id")]
        for session_id in session_ids:
            before = database["loans"].count
            try:
                got = loans.allocate(database, STAFF, session_id, "iPhone")
            except loans.LoanShortfall:
                assert database["loans"].count == before
            else:
                assert database["loans"].count == before + got
        for pick, phone in manual:
            try:
                loans.assign(database, STAFF, booking_ids[pick % len(booking_ids)], phone_ids[phone % len(phone_ids)] if phone_ids and phone else None)
            except loans.PhoneUnavailable:
                pass
        held = list(
            database.query(
                "select l.phone_id, s.starts_at, s.ends_at from loans l join bookings b on b.id = l.booking_id "
                "join sessions s on s.id = b.session_id"
            )
        )
        assert len({r["phone_id"] for r in held}) <= inventory
        for i, a in enumerate(held):
            for b in held[i + 1 :]:
                if a["phone_id"] == b["phone_id"]:
                    assert not (a["starts_at"] < b["ends_at"] and b["starts_at"] < a["ends_at"])


def test_the_year_report_page_and_pdf_count_loans(database, centre, make_session, clock):
    """実績報告: the loans of the fiscal year in the report, its view and the PDF's tables."""
    from db import reports
    from printouts.model import Centre
    from views import year_report

    day = working_day(7)
    session_id = make_session(capacity=4)
    phones(database, centre[0], "Android", 2)
    first, second = seat(database, session_id, 1), seat(database, session_id, 2)
    loans.allocate(database, STAFF, session_id, "Android")
    clock.move_to(at(day, 11, 45))
    for booking in (first, second):
        bookings.mark_attendance(database, STAFF, booking, "attended")
    loans.record_return(database, STAFF, second, "not_returned")
    fiscal_year = reports.fiscal_year_of(day)
    report = reports.year_report(database, STAFF, fiscal_year)
    assert report.loans == loans.LoanCounts(2, {"iPhone": 0, "Android": 2}, 2, 1, 1)
    view = year_report.build_view(report)
    table = dict(view.loans.rows)
    assert (table["貸出件数"], table["うち Android"], table["未返却"]) == ("2", "2", "1")
    annual = year_report.annual_report(report, Centre("センター", "03-0000-0000"), "全会場", day)
    assert any(t.title == "貸出機の利用" for t in annual.tables)
    with pdfplumber.open(io.BytesIO(render_annual_report(annual))) as pdf:
        text = "".join((page.extract_text() or "").replace(" ", "") for page in pdf.pages)
    assert "貸出機の利用" in text and "貸出件数" in text
    other_venue = venues.create_venue(database, ADMIN, "別館")
    assert reports.year_report(database, STAFF, fiscal_year, venue_id=other_venue).loans.loans == 0


def test_an_absent_mark_or_a_moved_session_gives_the_phone_back(database, centre, make_session, clock):
    """The schema's triggers: a booking marked absent borrowed nothing, and a session
    moved in time gives its phones back to be allocated afresh (a phone recorded
    未返却 stays out)."""
    day = working_day(7)
    session_id = make_session(capacity=4)
    phones(database, centre[0], "iPhone", 3)
    absent, moved, out = seat(database, session_id, 1), seat(database, session_id, 2), seat(database, session_id, 3)
    loans.allocate(database, STAFF, session_id, "iPhone")
    clock.move_to(at(day, 11, 45))
    bookings.mark_attendance(database, STAFF, absent, "absent")
    bookings.mark_attendance(database, STAFF, out, "attended")
    loans.record_return(database, STAFF, out, "not_returned")
    assert set(lent(database, session_id)) == {moved, out}
    database.execute("update sessions set starts_at = ?, ends_at = ? where id = ?",
                     [at(day, 13).isoformat(), at(day, 14, 30).isoformat(), session_id])
    assert set(lent(database, session_id)) == {out}
