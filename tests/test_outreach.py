"""出前講座・出張相談 requests (issue 17, item 3): what a request holds and refuses,
the workflow and its audit trail, the outreach venue, the reports, and the contact's
erasure."""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

import db
from db import outreach, reports, retention, sessions, venues, volunteers
from db.clock import now_jst, today_jst
from db.errors import EditConflict, InvalidInput, NotFound, ShiftConflict
from db.guard import MyNumberRejected
from db.outreach import IllegalTransition
from db.permissions import Actor, PermissionDenied
from tests.conftest import ADMIN, STAFF, at, working_day

CONTACT, PHONE = "町田\u3000和子", "090-0000-4321"
# 12 digits that pass the マイナンバー check digit (db/guard.py), in several layouts.
MY_NUMBERS = ("123456789018", "1234 5678 9018", "１２３４－５６７８－９０１８", "1234\u200b5678\u200b9018", "一二三四五六七八九〇一八")


def fields(**changes) -> dict:
    base = {
        "kind": "lecture",
        "group_name": "みどり台三丁目自治会",
        "group_kind": "neighbourhood",
        "contact_name": CONTACT,
        "contact_phone": PHONE,
        "preferred_dates": [working_day(30), working_day(37)],
        "expected": 15,
        "iphone": 6,
        "android": 7,
        "other_devices": 1,
        "loan_phones": 2,
        "lesson_id": "phone-basics",
        "notes": "集会所は2階、エレベーターなし",
    }
    return {**base, **changes}


def new_request(database, actor=STAFF, place=None, **changes) -> int:
    where = {"place_id": place} if place else {"place_name": "三丁目集会所", "place_address": "テスト市みどり台3-4-5"}
    return outreach.create_request(database, actor, **where, **fields(**changes))


def decided(database, request_id, day=None, **kwargs) -> int:
    outreach.start_arranging(database, STAFF, request_id)
    day = day or working_day(30)
    return outreach.decide(
        database, STAFF, request_id, lesson_id="phone-basics", starts_at=at(day, 13, 30), ends_at=at(day, 15), capacity=15, **kwargs
    )


def started(database, session_id, minutes_ago: int = 120) -> None:
    """The decided session's day has come (it began `minutes_ago` minutes ago)."""
    starts = now_jst() - timedelta(minutes=minutes_ago)
    database.execute(
        "update sessions set starts_at = ?, ends_at = ? where id = ?",
        [starts.isoformat(), (starts + timedelta(minutes=90)).isoformat(), session_id],
    )
    database.conn.commit()


def test_a_request_is_received_with_its_contact_and_nothing_personal_in_the_audit_log(database):
    request_id = new_request(database)
    got = outreach.get_request(database, STAFF, request_id)
    assert (got.status, got.kind, got.contact_name, got.contact_phone) == ("received", "lecture", CONTACT, PHONE)
    assert got.preferred_dates == (working_day(30).isoformat(), working_day(37).isoformat())
    assert (got.expected, got.iphone, got.android, got.other_devices, got.loan_phones) == (15, 6, 7, 1, 2)
    assert got.received_on == today_jst().isoformat()
    logged = json.dumps([dict(r) for r in database.query("select * from audit_log")], ensure_ascii=False)
    for personal in (CONTACT, "町田", PHONE, "09000004321", "集会所は2階"):
        assert personal not in logged


def test_the_phone_is_validated_and_written_the_national_way(database):
    got = outreach.get_request(database, STAFF, new_request(database, contact_phone="０９０ー００００ー４３２１"))
    assert got.contact_phone == PHONE
    for bad in ("", "090-0000-432", "090-0000-4321 内線5", "12345"):
        with pytest.raises(InvalidInput) as refused:
            new_request(database, contact_phone=bad)
        assert refused.value.field == "phone"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"expected": 0}, "expected"),
        ({"expected": 201}, "expected"),
        ({"expected": 5, "iphone": 3, "android": 3, "other_devices": 0}, "iphone"),
        ({"expected": 5, "iphone": 0, "android": 0, "other_devices": 0, "loan_phones": 6}, "loan_phones"),
        ({"android": -1}, "android"),
        ({"preferred_dates": [working_day(10), working_day(20), working_day(30), working_day(40)]}, "preferred_dates"),
        ({"preferred_dates": [working_day(10), working_day(10)]}, "preferred_dates"),
        ({"preferred_dates": [today_jst()]}, "preferred_dates"),
        ({"lesson_id": "no-such-lesson"}, "lesson_id"),
        ({"group_name": "  "}, "group_name"),
        ({"group_name": "会" * 61}, "group_name"),
        ({"kind": "party"}, "kind"),
        ({"group_kind": "company"}, "group_kind"),
        ({"contact_name": ""}, "contact_name"),
        ({"notes": "あ" * 501}, "notes"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_changes_nothing(database, changes, field):
    before = (database["outreach_requests"].count, database["venues"].count, database["audit_log"].count)
    with pytest.raises(InvalidInput) as refused:
        new_request(database, **changes)
    assert refused.value.field == field
    assert str(refused.value)  # a Japanese sentence for the user
    assert (database["outreach_requests"].count, database["venues"].count, database["audit_log"].count) == before


@given(
    expected=st.integers(min_value=-2, max_value=205),
    iphone=st.integers(min_value=-1, max_value=30),
    android=st.integers(min_value=-1, max_value=30),
    other=st.integers(min_value=-1, max_value=30),
    loans=st.integers(min_value=-1, max_value=30),
)
@settings(deadline=None)
def test_counts_are_accepted_exactly_when_they_fit_the_group(expected, iphone, android, other, loans):
    fits = (
        1 <= expected <= 200
        and all(0 <= n <= expected for n in (iphone, android, other, loans))
        and iphone + android + other <= expected
    )
    args = fields(expected=expected, iphone=iphone, android=android, other_devices=other, loan_phones=loans)
    if fits:
        cleaned = outreach.clean_request(**args)
        assert (cleaned["expected"], cleaned["iphone"], cleaned["android"], cleaned["other_devices"], cleaned["loan_phones"]) == (
            expected, iphone, android, other, loans
        )
    else:
        with pytest.raises(InvalidInput):
            outreach.clean_request(**args)


def test_no_preferred_date_and_no_lesson_yet_are_accepted(database):
    got = outreach.get_request(database, STAFF, new_request(database, preferred_dates=[], lesson_id=""))
    assert (got.preferred_dates, got.lesson_id) == ((), "")


@given(expected=st.integers(min_value=1, max_value=200))
def test_fewer_than_ten_participants_are_warned_about_never_refused(expected):
    warned = outreach.warnings_for(expected)
    assert bool(warned) is (expected < 10)
    if warned:
        assert f"{expected} 人" in warned[0] and "10人以上" in warned[0]


def test_a_small_group_is_accepted(database):
    assert outreach.get_request(database, STAFF, new_request(database, expected=4, iphone=2, android=2, other_devices=0, loan_phones=0)).expected == 4


@pytest.mark.parametrize("field", ["contact_name", "group_name", "notes"])
@pytest.mark.parametrize("number", MY_NUMBERS)
def test_a_my_number_is_refused_in_every_typed_field(database, field, number):
    with pytest.raises(MyNumberRejected):
        new_request(database, **{field: f"メモ {number}" if field != "contact_name" else f"町田{number}"})
    assert database["outreach_requests"].count == 0


@pytest.mark.parametrize("number", MY_NUMBERS[:3])
def test_a_my_number_is_refused_in_the_place_the_report_and_the_reason(database, number):
    with pytest.raises(MyNumberRejected):
        outreach.create_request(database, STAFF, place_name="集会所", place_address=f"テスト市 {number}", **fields())
    assert database["venues"].count == 0
    request_id = new_request(database)
    with pytest.raises(MyNumberRejected):
        outreach.withdraw(database, STAFF, request_id, f"会長から電話 {number}")
    session_id = decided(database, request_id)
    started(database, session_id)
    outreach.mark_held(database, STAFF, request_id)
    with pytest.raises(MyNumberRejected):
        outreach.report(database, STAFF, request_id, 12, f"参加者のカード {number}")
    assert outreach.get_request(database, STAFF, request_id).status == "held"


def test_a_phone_next_to_a_count_is_a_note_not_a_my_number(database):
    request_id = new_request(database, notes="会長 090-7364-7737 7名は貸出機希望")
    assert "7名" in outreach.get_request(database, STAFF, request_id).notes


def test_the_place_becomes_an_outreach_venue_never_offered_as_a_room(database, centre):
    request_id = new_request(database)
    place = outreach.get_request(database, STAFF, request_id).venue_id
    assert database["venues"].get(place)["outreach"] == 1
    assert [p.name for p in outreach.list_places(database)] == ["三丁目集会所"]
    assert all(r.venue_id != place for r in venues.list_rooms(database))
    assert place not in {v["id"] for v in venues.list_venues(database)}
    assert {r.venue_id for r in venues.list_rooms(database)} == {centre[0]}
    # The group asks again: the same place, no new venue.
    again = new_request(database, place=place)
    assert outreach.get_request(database, STAFF, again).venue_id == place
    assert database["venues"].count == 2
    with pytest.raises(NotFound):
        new_request(database, place=centre[0])


def test_the_whole_workflow_creates_a_staffed_session_and_is_audited(database):
    lead = volunteers.register_volunteer(database, STAFF, "推進 花子", "スイシン ハナコ", "090-0000-0101", "promoter", [])
    helper = volunteers.register_volunteer(database, STAFF, "補助 次郎", "ホジョ ジロウ", "090-0000-0102", "student", [])
    request_id = new_request(database)
    session_id = decided(database, request_id, lead_id=lead, helper_ids=[helper])
    got = outreach.get_request(database, STAFF, request_id)
    assert (got.status, got.session_id) == ("decided", session_id)
    session = sessions.get_session(database, session_id)
    assert (session.venue_id, session.capacity, session.leads, session.helpers) == (got.venue_id, 15, 1, 1)
    assert {(s.volunteer_id, s.role) for s in volunteers.list_shifts(database, session_id)} == {(lead, "lead"), (helper, "helper")}
    with pytest.raises(IllegalTransition, match="開催日時の前"):
        outreach.mark_held(database, STAFF, request_id)
    started(database, session_id)
    outreach.mark_held(database, STAFF, request_id)
    outreach.report(database, STAFF, request_id, 13, "LINEの写真送信まで全員できた。次回は防災アプリの希望。")
    got = outreach.get_request(database, STAFF, request_id)
    assert (got.status, got.actual_participants) == ("reported", 13)
    steps = [
        json.loads(r["detail"])
        for r in database.query("select detail from audit_log where entity = 'outreach_requests' and action = 'status' order by id")
    ]
    assert [(s["from"], s["to"]) for s in steps] == [
        ("received", "arranging"), ("arranging", "decided"), ("decided", "held"), ("held", "reported")
    ]
    assert steps[1]["helpers"] == 1 and steps[3]["actual"] == 13


def test_a_refused_volunteer_at_decision_changes_nothing(database, make_session):
    busy = volunteers.register_volunteer(database, STAFF, "多忙 一郎", "タボウ イチロウ", "090-0000-0103", "promoter", [])
    day = working_day(30)
    elsewhere = make_session(offset=30, hour=13)
    volunteers.assign_shift(database, STAFF, elsewhere, busy, "lead")
    request_id = new_request(database)
    outreach.start_arranging(database, STAFF, request_id)
    sessions_before = database["sessions"].count
    with pytest.raises(ShiftConflict):
        outreach.decide(database, STAFF, request_id, lesson_id="phone-basics", starts_at=at(day, 13, 30), ends_at=at(day, 15),
                        capacity=15, lead_id=busy)
    assert database["sessions"].count == sessions_before
    assert outreach.get_request(database, STAFF, request_id).status == "arranging"


def test_decision_keeps_the_session_rules(database):
    request_id = new_request(database)
    outreach.start_arranging(database, STAFF, request_id)
    yesterday = today_jst() - timedelta(days=1)
    with pytest.raises(InvalidInput):
        outreach.decide(database, STAFF, request_id, lesson_id="phone-basics", starts_at=at(yesterday, 10), ends_at=at(yesterday, 11), capacity=10)
    with pytest.raises(InvalidInput):
        outreach.decide(database, STAFF, request_id, lesson_id="", starts_at=at(working_day(30), 10), ends_at=at(working_day(30), 11), capacity=10)
    lead = volunteers.register_volunteer(database, STAFF, "推進 花子", "スイシン ハナコ", "090-0000-0101", "promoter", [])
    with pytest.raises(InvalidInput, match="講師と同じ方"):
        outreach.decide(database, STAFF, request_id, lesson_id="phone-basics", starts_at=at(working_day(30), 10),
                        ends_at=at(working_day(30), 11), capacity=10, lead_id=lead, helper_ids=[lead])
    assert outreach.get_request(database, STAFF, request_id).status == "arranging"


def test_withdrawing_a_decided_request_cancels_its_session(database):
    request_id = new_request(database)
    session_id = decided(database, request_id)
    outreach.withdraw(database, STAFF, request_id, "会場の都合がつかなくなった")
    assert sessions.get_session(database, session_id).status == "cancelled"
    got = outreach.get_request(database, STAFF, request_id)
    assert (got.status, got.withdraw_reason) == ("withdrawn", "会場の都合がつかなくなった")


def test_a_session_cancelled_on_the_schedule_can_still_be_withdrawn_but_not_held(database):
    request_id = new_request(database)
    session_id = decided(database, request_id)
    sessions.cancel_session(database, STAFF, session_id, "台風のため")
    started(database, session_id)
    with pytest.raises(IllegalTransition, match="中止"):
        outreach.mark_held(database, STAFF, request_id)
    outreach.withdraw(database, STAFF, request_id, "台風のため")
    assert outreach.get_request(database, STAFF, request_id).status == "withdrawn"


def test_withdrawing_after_the_class_and_skipping_steps_are_refused_in_japanese(database):
    request_id = new_request(database)
    with pytest.raises(IllegalTransition, match="「受付」の依頼を「決定」にはできません。次にできるのは「調整中・取り下げ」です。"):
        outreach.decide(database, STAFF, request_id, lesson_id="phone-basics", starts_at=at(working_day(30), 10),
                        ends_at=at(working_day(30), 11), capacity=10)
    with pytest.raises(IllegalTransition):
        outreach.report(database, STAFF, request_id, 10, "報告")
    session_id = decided(database, request_id)
    started(database, session_id)
    outreach.mark_held(database, STAFF, request_id)
    with pytest.raises(IllegalTransition, match="取り下げは実施の前まで"):
        outreach.withdraw(database, STAFF, request_id, "やはり中止")
    with pytest.raises(InvalidInput):
        outreach.report(database, STAFF, request_id, 10, "  ")
    with pytest.raises(InvalidInput):
        outreach.report(database, STAFF, request_id, -1, "報告")


# Corrections after intake ----------------------------------------------------------------


def test_a_request_is_corrected_after_intake_and_the_log_names_only_the_fields(database, clock):
    request_id = new_request(database)
    # A month on, the first preferred date has passed: it may stay on the request.
    clock.shift(timedelta(days=45))
    old = outreach.get_request(database, STAFF, request_id)
    kept = [date.fromisoformat(d) for d in old.preferred_dates]
    changed = outreach.update_request(
        database, STAFF, request_id, place_name="みどり台公民館", place_address="テスト市みどり台1-1",
        **fields(contact_name="町田　和", contact_phone="０９０－００００－１２３４", expected=20, loan_phones=5,
                 preferred_dates=[*kept, working_day(60)], notes="駐車場あり"),
    )
    assert changed == ["contact_name", "contact_phone", "contact_phone_digits", "expected", "loan_phones", "notes",
                       "preferred_dates", "venue_id"]
    now = outreach.get_request(database, STAFF, request_id)
    assert (now.contact_name, now.contact_phone, now.expected, now.place_name) == ("町田　和", "090-0000-1234", 20, "みどり台公民館")
    assert len(now.preferred_dates) == 3 and now.preferred_dates[:2] == old.preferred_dates
    assert outreach.list_requests(database, STAFF, text="1234")[0].id == request_id
    detail = database.execute(
        "select detail from audit_log where action = 'update' and entity = 'outreach_requests' order by id desc"
    ).fetchone()[0]
    assert "町田" not in detail and "1234" not in detail and json.loads(detail)["changed"] == changed
    # Saving the same again changes nothing and logs nothing.
    rows = database.execute("select count(*) from audit_log").fetchone()[0]
    same = fields(contact_name="町田　和", contact_phone="090-0000-1234", expected=20, loan_phones=5,
                  preferred_dates=[*kept, working_day(60)], notes="駐車場あり")
    assert outreach.update_request(database, STAFF, request_id, **same) == []
    assert database.execute("select count(*) from audit_log").fetchone()[0] == rows
    # A new date must still be ahead.
    with pytest.raises(InvalidInput, match="明日以降"):
        outreach.update_request(database, STAFF, request_id, **{**same, "preferred_dates": [today_jst() - timedelta(days=1)]})


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"contact_phone": "12"}, "phone"),
        ({"group_name": " "}, "group_name"),
        ({"expected": 5, "iphone": 6}, "iphone"),
        ({"notes": "番号 " + MY_NUMBERS[1]}, "notes"),
    ],
)
def test_a_bad_correction_is_refused_and_changes_nothing(database, changes, field):
    request_id = new_request(database)
    before = outreach.get_request(database, STAFF, request_id)
    with pytest.raises(InvalidInput) as refused:
        outreach.update_request(database, STAFF, request_id, **fields(**changes))
    assert refused.value.field == field
    assert outreach.get_request(database, STAFF, request_id) == before


def test_after_the_decision_the_place_and_lesson_are_the_sessions_and_after_the_class_nothing_changes(database, centre):
    request_id = new_request(database)
    session_id = decided(database, request_id)
    other_place = outreach.create_request(database, STAFF, place_name="別の集会所", place_address="テスト市1-2", **fields())
    place = outreach.get_request(database, STAFF, other_place).venue_id
    with pytest.raises(InvalidInput, match="会場は変えられません"):
        outreach.update_request(database, STAFF, request_id, place_id=place, **fields())
    with pytest.raises(InvalidInput, match="開催予定"):
        outreach.update_request(database, STAFF, request_id, **fields(lesson_id="line-basics"))
    assert outreach.update_request(database, STAFF, request_id, **fields(expected=18)) == ["expected"]
    with pytest.raises(NotFound):
        outreach.update_request(database, STAFF, other_place, place_id=centre[0], **fields())
    started(database, session_id)
    with pytest.raises(IllegalTransition, match="開催日時を過ぎた"):
        outreach.update_request(database, STAFF, request_id, **fields(expected=19))
    outreach.mark_held(database, STAFF, request_id)
    with pytest.raises(IllegalTransition, match="実施の前まで"):
        outreach.update_request(database, STAFF, request_id, **fields(expected=19))
    with pytest.raises(PermissionDenied):
        outreach.update_request(database, Actor("suishin", "volunteer", 1), other_place, **fields())
    with pytest.raises(NotFound):
        outreach.update_request(database, STAFF, 999, **fields())


def test_a_correction_never_undoes_what_someone_else_saved_meanwhile(database):
    request_id = new_request(database)
    mine = outreach.get_request(database, STAFF, request_id)
    outreach.update_request(database, STAFF, request_id, seen=mine, **fields(notes="駐車場あり"))
    with pytest.raises(EditConflict, match="ほかの方が変更しました"):
        outreach.update_request(database, STAFF, request_id, seen=mine, **fields(expected=30))
    assert outreach.get_request(database, STAFF, request_id).notes == "駐車場あり"
    now = outreach.get_request(database, STAFF, request_id)
    assert outreach.update_request(database, STAFF, request_id, seen=now, **fields(expected=30, notes="駐車場あり")) == ["expected"]


def test_an_address_without_a_place_name_is_refused_not_dropped(database):
    request_id = new_request(database)
    before = outreach.get_request(database, STAFF, request_id)
    with pytest.raises(InvalidInput, match="会場の名前を入力") as refused:
        outreach.update_request(database, STAFF, request_id, place_address="テスト市すみれ2-3", **fields())
    assert refused.value.field == "place_name" and outreach.get_request(database, STAFF, request_id) == before


def test_staff_only_and_unknown_requests(database):
    volunteer = Actor("suishin", "volunteer", 1)
    with pytest.raises(PermissionDenied):
        new_request(database, actor=volunteer)
    request_id = new_request(database)
    for call in (
        lambda who: outreach.get_request(database, who, request_id),
        lambda who: outreach.list_requests(database, who),
        lambda who: outreach.start_arranging(database, who, request_id),
        lambda who: outreach.withdraw(database, who, request_id, "理由"),
    ):
        with pytest.raises(PermissionDenied):
            call(volunteer)
    with pytest.raises(NotFound):
        outreach.start_arranging(database, STAFF, 999)


def test_requests_are_listed_newest_first_by_status_and_found_by_group_or_phone(database, clock):
    first = new_request(database, group_name="ひまわりサロン", group_kind="salon")
    clock.shift(timedelta(days=1))
    second = new_request(database, contact_phone="090-0000-9876")
    outreach.start_arranging(database, STAFF, second)
    assert [r.id for r in outreach.list_requests(database, STAFF)] == [second, first]
    assert [r.id for r in outreach.list_requests(database, STAFF, "arranging")] == [second]
    assert outreach.count_requests(database, STAFF, "open") == 2
    assert [r.id for r in outreach.list_requests(database, STAFF, text="ひまわり")] == [first]
    assert [r.id for r in outreach.list_requests(database, STAFF, text="9876")] == [second]
    assert [r.id for r in outreach.list_requests(database, STAFF, text="０－９８７６")] == [second]
    assert outreach.list_requests(database, STAFF, text="%") == []
    with pytest.raises(InvalidInput):
        outreach.list_requests(database, STAFF, "lost")


# --- the workflow as a state machine -------------------------------------------------

ACTIONS = ("arranging", "decided", "held", "reported", "withdrawn")


class Workflow(RuleBasedStateMachine):
    """Random steps on one request: each is done exactly when the workflow allows
    it (and, for 実施, once the session has begun); every refusal is a Japanese
    IllegalTransition that changes nothing."""

    def __init__(self):
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.path = Path(self.dir.name) / "desk.sqlite3"
        db.init_db(self.path)
        self.conn = db.connect(self.path)
        self.db = self.conn.__enter__()
        self.request = new_request(self.db)
        self.status = "received"
        self.began = False
        self.session = None

    def teardown(self):
        self.conn.__exit__(None, None, None)
        self.dir.cleanup()

    def _do(self, wanted: str) -> None:
        if wanted == "arranging":
            outreach.start_arranging(self.db, STAFF, self.request)
        elif wanted == "decided":
            day = working_day(30)
            self.session = outreach.decide(self.db, STAFF, self.request, lesson_id="phone-basics",
                                           starts_at=at(day, 10), ends_at=at(day, 11), capacity=12)
        elif wanted == "held":
            outreach.mark_held(self.db, STAFF, self.request)
        elif wanted == "reported":
            outreach.report(self.db, STAFF, self.request, 11, "実施しました")
        else:
            outreach.withdraw(self.db, STAFF, self.request, "先方の都合")

    @rule(wanted=st.sampled_from(ACTIONS))
    def step(self, wanted):
        allowed = wanted in outreach.TRANSITIONS[self.status] and (wanted != "held" or self.began)
        audit_rows = self.db["audit_log"].count
        if allowed:
            self._do(wanted)
            self.status = wanted
        else:
            with pytest.raises(IllegalTransition) as refused:
                self._do(wanted)
            assert "「" in str(refused.value) or "開催日時" in str(refused.value)
            assert self.db["audit_log"].count == audit_rows

    @precondition(lambda self: self.session is not None and not self.began)
    @rule()
    def the_day_comes(self):
        started(self.db, self.session)
        self.began = True

    @invariant()
    def stored_as_modelled(self):
        got = outreach.get_request(self.db, STAFF, self.request)
        assert got.status == self.status
        if self.session is not None:
            expected = "cancelled" if self.status == "withdrawn" else "scheduled"
            assert self.db["sessions"].get(self.session)["status"] == expected


def test_the_workflow_allows_exactly_its_steps():
    run_state_machine_as_test(
        Workflow, settings=settings(max_examples=25, stateful_step_count=12, deadline=None,
                                    suppress_health_check=[HealthCheck.too_slow])
    )


# --- reports -------------------------------------------------------------------------

def test_reports_count_outreach_apart_from_the_classes(database, make_session):
    class_session = make_session(offset=3)
    reported = new_request(database)
    session_id = decided(database, reported, day=working_day(3))
    started(database, session_id)
    outreach.mark_held(database, STAFF, reported)
    outreach.report(database, STAFF, reported, 18, "好評")
    withdrawn = new_request(database, kind="consult")
    outreach.withdraw(database, STAFF, withdrawn, "先方の都合")
    waiting = new_request(database, kind="consult")
    fiscal_year = reports.fiscal_year_of(today_jst())
    year = reports.year_report(database, STAFF, fiscal_year, now=now_jst() + timedelta(days=10))
    assert year.outreach == reports.outreach_report(database, STAFF, fiscal_year)
    got = year.outreach
    assert (got.requests, got.by_kind, got.withdrawn) == (3, {"lecture": 1, "consult": 2}, 1)
    assert (got.held, got.participants, got.awaiting_report, got.upcoming) == (1, 18, 0, 0)
    # The class at the centre is a class; the one at the group's hall is not.
    assert year.classes.sessions_held == 1
    assert year.classes.seats_offered == sessions.get_session(database, class_session).capacity
    assert sum(m.sessions_held for m in year.months) == 1
    # …but its volunteers' time counts as theirs.
    assert waiting and reports.year_report(database, STAFF, fiscal_year, venue_id=1).outreach is None
    with pytest.raises(PermissionDenied):
        reports.outreach_report(database, Actor("suishin", "volunteer", 1), fiscal_year)


# --- the contact's erasure -----------------------------------------------------------

def file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_the_contact_is_erased_from_every_file_and_the_counts_stay(db_path, database):
    request_id = new_request(database, notes="町田さん宅の隣の集会所")
    outreach.withdraw(database, STAFF, request_id, "町田さんが入院")
    fiscal_year = reports.fiscal_year_of(today_jst())
    before = reports.outreach_report(database, STAFF, fiscal_year)
    assert retention.erase_contacts(database, ADMIN, [request_id], "request") == 1
    got = outreach.get_request(database, STAFF, request_id)
    assert (got.contact_name, got.contact_phone, got.notes, got.withdraw_reason, got.contact_erased) == (
        retention.ERASED_NAME, "", "", "", True
    )
    assert (got.group_name, got.status) == ("みどり台三丁目自治会", "withdrawn")
    raw = file_bytes(db_path)
    for gone in (CONTACT, PHONE, "09000004321", "町田さん宅", "町田さんが入院"):
        assert gone.encode() not in raw, gone
    assert reports.outreach_report(database, STAFF, fiscal_year) == before
    with pytest.raises(NotFound):
        retention.erase_contacts(database, ADMIN, [request_id], "request")
    with pytest.raises(PermissionDenied):
        retention.erase_contacts(database, STAFF, [request_id], "request")
    anonymised = [r for r in database.query("select detail from audit_log where action = 'anonymise'")]
    assert anonymised and CONTACT not in str(anonymised)


def test_contacts_of_requests_closed_past_the_retention_period_are_due(database, clock):
    old = new_request(database)
    outreach.withdraw(database, STAFF, old, "先方の都合")
    still_open = new_request(database)
    clock.shift(timedelta(days=3 * 366 + 1))
    recent = new_request(database, preferred_dates=[])
    outreach.withdraw(database, STAFF, recent, "先方の都合")
    assert retention.count_contacts_due(database, ADMIN, 3) == 1
    assert retention.contacts_due(database, ADMIN, 3) == [old]
    retention.erase_contacts(database, ADMIN, retention.contacts_due(database, ADMIN, 3), "retention")
    assert retention.count_contacts_due(database, ADMIN, 3) == 0
    assert outreach.get_request(database, STAFF, still_open).contact_name == CONTACT
    with pytest.raises(PermissionDenied):
        retention.count_contacts_due(database, STAFF, 3)


def test_the_annual_report_and_the_reports_page_show_outreach(demo_db, tmp_path):
    import io

    import pdfplumber

    from printouts.annual_report import render_annual_report
    from printouts.model import Centre
    from tests.conftest import open_page
    from views import year_report

    with db.connect() as database:
        request_id = new_request(database)
        session_id = decided(database, request_id, day=working_day(3))
        started(database, session_id)
        outreach.mark_held(database, STAFF, request_id)
        outreach.report(database, STAFF, request_id, 17, "好評")
        fiscal_year = reports.fiscal_year_of(today_jst())
        report = reports.year_report(database, STAFF, fiscal_year)
    rows = dict(year_report.build_view(report).outreach.rows)
    assert (rows["依頼件数"], rows["うち出前講座"], rows["うち出張相談"], rows["実施した回"], rows["参加者数（報告済み）"]) == (
        "3", "2", "1", "1", "17"
    )
    pdf = render_annual_report(year_report.annual_report(report, Centre("テスト市民センター", "03-0000-0000"), "全会場", today_jst()))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    compact = text.replace(" ", "")
    assert "出前講座・出張相談の実績" in compact and "参加者数（報告済み）17" in compact
    (tmp_path / "annual.pdf").write_bytes(pdf)
    app = open_page("app_pages/reports.py")
    assert not app.exception
    assert "出前講座・出張相談" in [h.value for h in app.subheader]
    # One venue of the centre chosen: outreach happens elsewhere and is not shown.
    app.selectbox(key="rep_venue").set_value(1).run()
    assert "出前講座・出張相談" not in [h.value for h in app.subheader]
