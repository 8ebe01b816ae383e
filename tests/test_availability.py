"""Staffing rules of availability, the monthly maximum and skills (issue 5)."""

from __future__ import annotations

from datetime import time

import pytest

from db import volunteers
from db.errors import InvalidInput, ShiftConflict
from db.permissions import Actor, PermissionDenied
from db.volunteers import Slot
from tests.conftest import STAFF, working_day


def volunteer(database, skills=("iPhone",), **kw) -> int:
    return volunteers.register_volunteer(database, STAFF, "活動 花子", "カツドウ ハナコ", "090-0000-0150", "promoter", list(skills), **kw)


def test_weekly_availability_refuses_other_days_and_times(database, make_session):
    vid = volunteer(database)
    session_id = make_session(hour=10)
    weekday = working_day().weekday()
    volunteers.set_weekly_availability(database, STAFF, vid, [Slot((weekday + 1) % 7, time(9), time(17))])
    with pytest.raises(ShiftConflict, match="活動できません"):
        volunteers.assign_shift(database, STAFF, session_id, vid, "helper")
    volunteers.set_weekly_availability(database, STAFF, vid, [Slot(weekday, time(13), time(17))])
    with pytest.raises(ShiftConflict):
        volunteers.assign_shift(database, STAFF, session_id, vid, "helper")
    volunteers.set_weekly_availability(database, STAFF, vid, [Slot(weekday, time(9), time(12))])
    volunteers.assign_shift(database, STAFF, session_id, vid, "helper")


def test_dated_exception_overrides_the_week(database, make_session):
    vid = volunteer(database)
    session_id = make_session(hour=10)
    volunteers.set_exception(database, STAFF, vid, working_day(), False, "通院")
    with pytest.raises(ShiftConflict, match="活動できません"):
        volunteers.assign_shift(database, STAFF, session_id, vid, "lead")
    volunteers.set_exception(database, STAFF, vid, working_day(), True)
    volunteers.assign_shift(database, STAFF, session_id, vid, "lead")


def test_monthly_maximum_is_refused(database, centre, make_session):
    vid = volunteer(database, max_shifts_per_month=1)
    first = make_session(room=centre[1], hour=10)
    second = make_session(room=centre[2], hour=13)
    volunteers.assign_shift(database, STAFF, first, vid, "helper")
    with pytest.raises(ShiftConflict, match="上限の1回"):
        volunteers.assign_shift(database, STAFF, second, vid, "helper")


def test_skill_mismatch_is_a_warning_not_a_refusal(database, make_session):
    session_id = make_session(lesson_id="myna-app")
    vid = volunteer(database, skills=("LINE",))
    assert volunteers.staffing_warnings(database, session_id, vid)
    volunteers.assign_shift(database, STAFF, session_id, vid, "helper")
    fitting = volunteers.register_volunteer(database, STAFF, "適任 一郎", "テキニン イチロウ", "090-0000-0151", "staff", ["マイナンバーカード・マイナポータル"])
    assert volunteers.staffing_warnings(database, session_id, fitting) == []


def test_volunteers_edit_only_their_own_availability(database):
    mine, other = volunteer(database), volunteer(database)
    me = Actor("me", "volunteer", mine)
    volunteers.set_weekly_availability(database, me, mine, [Slot(2, time(9), time(12))])
    assert volunteers.weekly_availability(database, mine) == [Slot(2, time(9), time(12))]
    with pytest.raises(PermissionDenied):
        volunteers.set_weekly_availability(database, me, other, [])
    with pytest.raises(InvalidInput):
        volunteers.set_weekly_availability(database, me, mine, [Slot(2, time(12), time(9))])


def test_bad_limits_are_refused(database):
    with pytest.raises(InvalidInput):
        volunteer(database, max_shifts_per_month=0)
    with pytest.raises(InvalidInput):
        volunteer(database, appointed_fiscal_year=1999)
