"""Volunteers and staffing rules."""

from __future__ import annotations

import re

import pytest

from db import sessions, volunteers
from db.errors import InvalidInput, NotFound, ShiftConflict
from db.permissions import Actor, PermissionDenied
from tests.conftest import STAFF


def add(database, n=1, kind="promoter", skills=("iPhone",)):
    return [
        volunteers.register_volunteer(database, STAFF, f"支援者{i}", "シエンシャ", f"090-0000-{100 + i:04d}", kind, list(skills))
        for i in range(n)
    ]


def test_register_and_list(database):
    (vid,) = add(database)
    (v,) = volunteers.list_volunteers(database)
    assert (v.id, v.kind, v.skills, v.phone) == (vid, "promoter", ("iPhone",), "090-0000-0100")


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"kind": "boss"}, "kind"),
        ({"skills": ["料理"]}, "skills"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"name": ""}, "name"),
        ({"name_kana": "Tanaka"}, "name_kana"),
    ],
)
def test_bad_volunteer_input_is_refused(database, kwargs, field):
    args = {"name": "田中", "name_kana": "タナカ", "phone": "090-0000-0100", "kind": "promoter", "skills": [], "email": "", **kwargs}
    with pytest.raises(InvalidInput) as err:
        volunteers.register_volunteer(database, STAFF, **args)
    assert err.value.field == field
    assert database["volunteers"].count == 0


def test_one_lead_and_helpers_make_a_session_staffed(database, make_session):
    session_id = make_session(capacity=4)
    lead, helper, other = add(database, 3)
    volunteers.assign_shift(database, STAFF, session_id, lead, "lead")
    assert sessions.get_session(database, session_id).understaffed
    volunteers.assign_shift(database, STAFF, session_id, helper, "helper")
    assert not sessions.get_session(database, session_id).understaffed
    with pytest.raises(ShiftConflict, match="講師"):
        volunteers.assign_shift(database, STAFF, session_id, other, "lead")
    with pytest.raises(ShiftConflict, match="すでに"):
        volunteers.assign_shift(database, STAFF, session_id, helper, "helper")
    assert [s.role for s in volunteers.list_shifts(database, session_id)] == ["lead", "helper"]


def test_volunteer_cannot_be_in_two_places_at_once(database, centre, make_session):
    first = make_session(room=centre[2], hour=10)
    second = make_session(room=centre[1], hour=11)
    (vid,) = add(database)
    volunteers.assign_shift(database, STAFF, first, vid, "lead")
    with pytest.raises(ShiftConflict, match=re.escape(sessions.describe(database, first))):
        volunteers.assign_shift(database, STAFF, second, vid, "helper")


def test_removed_shift_frees_the_volunteer(database, centre, make_session):
    first = make_session(room=centre[2], hour=10)
    second = make_session(room=centre[1], hour=11)
    (vid,) = add(database)
    shift = volunteers.assign_shift(database, STAFF, first, vid, "lead")
    volunteers.remove_shift(database, STAFF, shift)
    other = volunteers.assign_shift(database, STAFF, second, vid, "lead")
    with pytest.raises(NotFound):
        volunteers.remove_shift(database, STAFF, shift)
    volunteers.remove_shift(database, STAFF, other)
    # Assigning again reuses the removed row rather than adding a second one.
    assert volunteers.assign_shift(database, STAFF, first, vid, "helper") == shift
    assert database["shifts"].count == 2


def test_bad_role_and_unknown_people_are_refused(database, make_session):
    session_id = make_session()
    (vid,) = add(database)
    with pytest.raises(InvalidInput):
        volunteers.assign_shift(database, STAFF, session_id, vid, "boss")
    with pytest.raises(NotFound):
        volunteers.assign_shift(database, STAFF, session_id, 999, "lead")
    with pytest.raises(NotFound):
        volunteers.assign_shift(database, STAFF, 999, vid, "lead")


def test_hours_count_held_shifts_with_edited_minutes_in_the_fiscal_year(database, make_session):
    from datetime import datetime, timedelta

    from db.clock import JST
    from db.reports import fiscal_year_of

    volunteer = volunteers.register_volunteer(database, STAFF, "山田 太郎", "ヤマダ タロウ", "090-0000-1001", "promoter", [])
    first, second, later, cancelled = (make_session(hour=h, offset=o) for h, o in ((10, 7), (14, 7), (10, 40), (16, 7)))
    for session_id in (first, second, later, cancelled):
        volunteers.assign_shift(database, STAFF, session_id, volunteer, "helper")
    sessions.cancel_session(database, STAFF, cancelled, "会場の都合")
    edited = next(s for s in volunteers.list_shifts(database, second) if s.volunteer_id == volunteer)
    volunteers.set_shift_minutes(database, STAFF, edited.id, 120)
    assert next(s.minutes for s in volunteers.list_shifts(database, second)) == 120
    assert next(s.minutes for s in volunteers.list_shifts(database, first)) == 90

    day = sessions.get_session(database, first).starts_at
    after_both = datetime.combine(day.date(), datetime.min.time(), tzinfo=JST) + timedelta(hours=23)
    fy = fiscal_year_of(day.date())
    counted = volunteers.hours(database, STAFF, volunteer, fy, now=after_both)
    assert [a.session_id for a in counted.activities] == [first, second]
    assert counted.total_minutes == 90 + 120
    assert volunteers.hours(database, STAFF, volunteer, fy - 1, now=after_both).activities == ()

    volunteers.set_shift_minutes(database, STAFF, edited.id, None)
    assert volunteers.hours(database, STAFF, volunteer, fy, now=after_both).total_minutes == 90 + 90


def test_hours_are_private_and_minutes_are_bounded(database, make_session):
    volunteer = volunteers.register_volunteer(database, STAFF, "山田 太郎", "ヤマダ タロウ", "090-0000-1001", "promoter", [])
    other = volunteers.register_volunteer(database, STAFF, "佐藤 花子", "サトウ ハナコ", "090-0000-1002", "student", [])
    session_id = make_session()
    shift = volunteers.assign_shift(database, STAFF, session_id, volunteer, "helper")
    me = Actor("yamada", "volunteer", volunteer)
    assert volunteers.hours(database, me, volunteer, 2026).volunteer_id == volunteer
    with pytest.raises(PermissionDenied):
        volunteers.hours(database, me, other, 2026)
    with pytest.raises(PermissionDenied):
        volunteers.set_shift_minutes(database, me, shift, 60)
    for bad in (0, 721, -5):
        with pytest.raises(InvalidInput):
            volunteers.set_shift_minutes(database, STAFF, shift, bad)
    assert volunteers.list_shifts(database, session_id)[0].minutes == 90
