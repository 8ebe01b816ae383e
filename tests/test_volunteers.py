"""Volunteers and staffing rules."""

from __future__ import annotations

import pytest

from db import sessions, volunteers
from db.errors import InvalidInput, NotFound, ShiftConflict
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
    with pytest.raises(ShiftConflict, match=f"No.{first}"):
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
