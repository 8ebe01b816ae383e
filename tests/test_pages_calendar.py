"""予定表 (AppTest): month and week views, filters, marks in words."""

from __future__ import annotations

from datetime import timedelta

import pytest

import db
import lessons
from db import attendees, bookings, sessions, volunteers
from db.permissions import Actor
from tests.conftest import STAFF, at, open_page, working_day


@pytest.fixture
def desk(demo_db):
    """The demo centre's database and its room ids (small room second)."""
    from db import venues

    with db.connect(demo_db) as handle:
        yield handle, [None, *sorted((r.id for r in venues.list_rooms(handle)), key=lambda i: -venues.get_room(handle, i).seats)]


def html_of(app) -> str:
    return " ".join(e.proto.body for e in app.get("html"))


def test_month_calendar_marks_full_cancelled_and_understaffed_in_words(desk):
    database, centre = desk
    day = working_day(45)
    full = sessions.create_session(database, STAFF, "line-basics", centre[2], at(day, 10), at(day, 11, 30), 1)
    person = attendees.register_attendee(database, STAFF, "山田 花子", "ヤマダ ハナコ", "090-0000-2001", consent=True)
    bookings.book(database, STAFF, full, person)
    off = sessions.create_session(database, STAFF, "maps-app", centre[1], at(day, 14), at(day, 15), 8)
    sessions.cancel_session(database, STAFF, off, "講師の急病")

    app = open_page("app_pages/calendar.py")
    while day.month != app.session_state["cal_anchor"].month or day.year != app.session_state["cal_anchor"].year:
        app.button(key="cal_forward").click().run()
    page = html_of(app)
    assert "【満席】" in page and "【中止】" in page and "【講師未定】" in page
    assert "LINE" in page
    assert not app.exception


def test_week_list_filters_by_venue_lesson_and_volunteer(desk):
    database, centre = desk
    day = working_day(45)
    first = sessions.create_session(database, STAFF, "line-basics", centre[2], at(day, 10), at(day, 11, 30), 4)
    sessions.create_session(database, STAFF, "maps-app", centre[1], at(day, 13), at(day, 14, 30), 8)
    helper = volunteers.register_volunteer(database, STAFF, "山田 太郎", "ヤマダ タロウ", "090-0000-1001", "promoter", [])
    volunteers.assign_shift(database, STAFF, first, helper, "lead")

    app = open_page("app_pages/calendar.py")
    app.session_state["cal_anchor"] = day
    app.segmented_control(key="cal_view").set_value("week").run()
    lessons_shown = lambda: [row for t in app.table for row in t.value[t.value.columns[1]]]  # noqa: E731
    assert len(lessons_shown()) == 2
    app.selectbox(key="cal_volunteer").set_value(helper).run()
    assert lessons_shown() == [lessons.catalogue()["line-basics"].title]
    app.selectbox(key="cal_volunteer").set_value(None).run()
    app.selectbox(key="cal_lesson").set_value("maps-app").run()
    assert lessons_shown() == [lessons.catalogue()["maps-app"].title]
    assert not app.exception


def test_volunteers_see_the_calendar_with_themselves_preselected(demo_db):
    with db.connect(demo_db) as handle:
        volunteer_id = handle.execute("select volunteer_id from users where username = 'tanaka'").fetchone()[0]
    app = open_page("app_pages/calendar.py", Actor("tanaka", "volunteer", volunteer_id))
    assert app.selectbox(key="cal_volunteer").value == volunteer_id
    assert not app.exception


def test_previous_and_next_move_by_a_week_in_week_view(demo_db):
    app = open_page("app_pages/calendar.py")
    app.segmented_control(key="cal_view").set_value("week").run()
    start = app.session_state["cal_anchor"]
    app.button(key="cal_forward").click().run()
    assert app.session_state["cal_anchor"] - start == timedelta(days=7)
    app.button(key="cal_today").click().run()
    assert app.session_state["cal_anchor"] == start
