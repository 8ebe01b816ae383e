"""Recurring series (連続講座, issue 5): planning with every skipped date and its
reason, all-or-nothing creation, and "this and following" cancel / move."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta

import jpholiday
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lessons
from db import series, sessions, venues
from db.clock import JST, today_jst
from db.errors import InvalidInput, NotFound, RoomTaken, VenueClosed
from db.guard import MyNumberRejected, check_digit
from db.permissions import Actor, PermissionDenied
from tests.conftest import ADMIN, STAFF, at, working_day

LESSON = "phone-basics"
assert LESSON in lessons.catalogue()
TEN, HALF_ELEVEN = time(10), time(11, 30)


def mondays(first: date, last: date) -> list[date]:
    day = first + timedelta(days=-first.weekday() % 7)
    found = []
    while day <= last:
        found.append(day)
        day += timedelta(days=7)
    return found


def in_year_end(day: date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def plan(database, room, rule="weekly", weekday=0, first=None, last=None, starts=TEN, ends=HALF_ELEVEN, nth=None, now=None):
    rule = series.SeriesRule(LESSON, room, rule, first, starts, ends, last_date=last, weekday=weekday, nth=nth)
    return series.plan_series(database, rule, now=now)


RULE_FIELDS = {f.name for f in dataclasses.fields(series.SeriesRule)}


def rule_of(args: dict) -> series.SeriesRule:
    return series.SeriesRule(**{k: v for k, v in args.items() if k in RULE_FIELDS})


def create(database, actor, args: dict, **kwargs) -> int:
    return series.create_series(database, actor, rule_of(args), args.get("capacity", 8), args.get("note", ""), **kwargs)


def counts(database) -> tuple[int, int, int]:
    return database["sessions"].count, database["series"].count, database["audit_log"].count


# ---------------------------------------------------------------- the acceptance example


def test_weekly_mondays_across_fiscal_2026_skip_every_holiday_with_its_name(database, centre):
    # Planned as on 2026-04-01 so no date of the window is past.
    result = plan(database, centre[1], first=date(2026, 4, 6), last=date(2027, 3, 29), now=datetime(2026, 4, 1, 9, tzinfo=JST))
    skipped = {s.date: s.reason for s in result.skipped}
    assert skipped == {
        date(2026, 5, 4): "みどりの日",
        date(2026, 7, 20): "海の日",
        date(2026, 9, 21): "敬老の日",
        date(2026, 10, 12): "スポーツの日",
        date(2026, 11, 23): "勤労感謝の日",
        date(2027, 1, 11): "成人の日",
        date(2027, 3, 22): jpholiday.is_holiday_name(date(2027, 3, 22)),  # 春分の日の振替休日
    }
    # 2026-12-28 is a Monday outside the closure; 12/29–1/3 holds no Monday this winter.
    assert date(2026, 12, 28) in result.dates
    assert not [d for d in mondays(date(2026, 4, 6), date(2027, 3, 29)) if in_year_end(d)]
    assert result.dates == [d for d in mondays(date(2026, 4, 6), date(2027, 3, 29)) if d not in skipped]
    assert result.label == "毎週月曜"


def test_weekly_mondays_across_fiscal_2027_skip_the_year_end_monday_too(database, centre):
    result = plan(database, centre[1], first=date(2027, 4, 5), last=date(2028, 3, 27), now=datetime(2027, 4, 1, 9, tzinfo=JST))
    skipped = {s.date: (s.reason, s.kind) for s in result.skipped}
    assert skipped == {
        date(2027, 5, 3): ("憲法記念日", "holiday"),
        date(2027, 7, 19): ("海の日", "holiday"),
        date(2027, 9, 20): ("敬老の日", "holiday"),
        date(2027, 10, 11): ("スポーツの日", "holiday"),
        date(2028, 1, 3): ("年末年始", "year_end"),
        date(2028, 1, 10): ("成人の日", "holiday"),
        date(2028, 3, 20): ("春分の日", "holiday"),
    }
    assert date(2027, 12, 27) in result.dates
    assert len(result.dates) + len(result.skipped) == len(mondays(date(2027, 4, 5), date(2028, 3, 27)))


# ---------------------------------------------------------------- planning rules


def test_past_dates_are_reported_not_refused(database, centre):
    today = today_jst()
    now = at(today, 12)
    result = plan(database, centre[1], weekday=today.weekday(), first=today - timedelta(days=21), last=today + timedelta(days=21), now=now)
    candidates = [today + timedelta(days=7 * k) for k in range(-3, 4)]
    for day in candidates:
        note = sessions.day_note(day)
        if note:
            assert series.Skipped(day, note, "holiday" if jpholiday.is_holiday(day) else "year_end") in result.skipped
        elif day <= today:  # today's 10:00 is before "now" (12:00)
            assert series.Skipped(day, "過去の日付", "past") in result.skipped
        else:
            assert day in result.dates


def test_a_window_wholly_in_the_past_plans_nothing(database, centre):
    last = today_jst() - timedelta(days=1)
    result = plan(database, centre[1], weekday=last.weekday(), first=last - timedelta(days=60), last=last)
    assert result.dates == []
    assert {s.kind for s in result.skipped} <= {"past", "holiday", "year_end"}
    assert "past" in {s.kind for s in result.skipped}


def test_biweekly_keeps_its_rhythm_across_a_skipped_date(database, centre):
    # Every other Monday from 2027-07-05: 07-19 海の日 is skipped, 08-02 follows.
    result = plan(database, centre[1], "biweekly", 0, date(2027, 7, 1), date(2027, 8, 31), now=datetime(2027, 1, 1, tzinfo=JST))
    assert result.dates == [date(2027, 7, 5), date(2027, 8, 2), date(2027, 8, 16), date(2027, 8, 30)]
    assert [(s.date, s.reason) for s in result.skipped] == [(date(2027, 7, 19), "海の日")]
    assert result.label == "隔週月曜"


def test_monthly_second_wednesday(database, centre):
    result = plan(database, centre[1], "monthly_nth", 2, date(2027, 4, 1), date(2028, 3, 31), nth=2, now=datetime(2027, 1, 1, tzinfo=JST))
    assert result.label == "毎月第2水曜"
    assert len(result.dates) + len(result.skipped) == 12
    assert all(d.weekday() == 2 and 8 <= d.day <= 14 for d in result.dates)


def test_monthly_fifth_weekday_reports_the_months_without_one(database, centre):
    result = plan(database, centre[1], "monthly_nth", 2, date(2027, 1, 1), date(2027, 6, 30), nth=5, now=datetime(2026, 12, 1, tzinfo=JST))
    assert result.dates == [date(2027, 3, 31), date(2027, 6, 30)]
    missing = [s for s in result.skipped if s.kind == "no_date"]
    assert [(s.date.month, s.reason) for s in missing] == [
        (1, "2027年1月には第5水曜がありません"),
        (2, "2027年2月には第5水曜がありません"),
        (4, "2027年4月には第5水曜がありません"),
        (5, "2027年5月には第5水曜がありません"),
    ]


def test_closures_and_taken_rooms_are_skipped_with_their_reason(database, centre):
    venue, big, small = centre
    first = working_day(14)
    closed, taken, freed = (first + timedelta(days=7 * k) for k in (1, 2, 3))
    venues.add_closure(database, ADMIN, venue, closed, "館内点検")
    other = sessions.create_session(database, STAFF, LESSON, big, at(taken, 11), at(taken, 12), 4)
    elsewhere = sessions.create_session(database, STAFF, LESSON, small, at(freed, 10), at(freed, 11), 4)
    cancelled = sessions.create_session(database, STAFF, LESSON, big, at(freed, 10), at(freed, 11), 4)
    sessions.cancel_session(database, STAFF, cancelled, "中止")
    result = plan(database, big, weekday=first.weekday(), first=first, last=freed)
    reasons = {s.date: s.reason for s in result.skipped}
    assert reasons.get(closed, "") in ("休館日（館内点検）", sessions.day_note(closed))
    if not sessions.day_note(taken):
        assert reasons[taken] == f"部屋が使用中（{sessions.describe(database, other)}）"
    if not sessions.day_note(freed):  # a session in another room, or a cancelled one, is no clash
        assert freed in result.dates
    assert elsewhere


def test_a_closure_without_a_reason_still_says_closed(database, centre):
    day = working_day(21)
    venues.add_closure(database, ADMIN, centre[0], day, "")
    result = plan(database, centre[1], weekday=day.weekday(), first=day, last=day)
    assert [(s.date, s.reason, s.kind) for s in result.skipped] == [(day, "休館日", "closure")]


def test_plan_accepts_hh_mm_text_and_writes_nothing(database, centre):
    before = counts(database)
    day = working_day(14)
    result = series.plan_series(database, series.SeriesRule(LESSON, centre[1], "weekly", day, "13:30", "15:00", last_date=day + timedelta(days=28)))
    assert (result.starts, result.ends) == (time(13, 30), time(15))
    assert result.sessions[0] == (at(result.dates[0], 13, 30), at(result.dates[0], 15))
    assert counts(database) == before


FIRST = date(2030, 4, 1)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"lesson_id": "no-such-lesson"}, "lesson_id"),
        ({"rule": "daily"}, "rule"),
        ({"weekday": 7}, "weekday"),
        ({"weekday": -1}, "weekday"),
        ({"last_date": None}, "last_date"),
        ({"count": 4}, "last_date"),
        ({"last_date": None, "count": 0}, "count"),
        ({"last_date": None, "count": 61}, "count"),
        ({"rule": "monthly_nth", "nth": 0}, "nth"),
        ({"rule": "monthly_nth", "nth": 6}, "nth"),
        ({"starts": time(11), "ends": time(10)}, "ends"),
        ({"starts": time(10), "ends": time(10)}, "ends"),
        ({"starts": time(10), "ends": time(10, 20)}, "ends"),
        ({"starts": "十時"}, "starts"),
        ({"last_date": FIRST - timedelta(days=1)}, "last_date"),
        ({"last_date": date(2031, 4, 2)}, "last_date"),
    ],
)
def test_bad_input_is_refused_in_japanese(database, centre, change, field):
    args = {
        "lesson_id": LESSON,
        "room_id": centre[1],
        "rule": "weekly",
        "weekday": 0,
        "first_date": FIRST,
        "last_date": FIRST + timedelta(days=60),
        "starts": TEN,
        "ends": HALF_ELEVEN,
        "nth": None,
        **change,
    }
    with pytest.raises(InvalidInput) as refused:
        series.plan_series(database, series.SeriesRule(**args))
    assert refused.value.field == field
    assert any("\u3040" <= ch <= "\u9fff" for ch in str(refused.value))


def test_a_series_by_count_takes_its_weekday_from_the_first_date_and_skips_without_counting(database, centre):
    # Mondays from 2027-01-04, four sessions: 1/11 is 成人の日 and does not count.
    rule = series.SeriesRule(LESSON, centre[1], "weekly", date(2027, 1, 4), TEN, HALF_ELEVEN, count=4)
    result = series.plan_series(database, rule, now=datetime(2026, 12, 1, tzinfo=JST))
    assert result.dates == [date(2027, 1, 4), date(2027, 1, 18), date(2027, 1, 25), date(2027, 2, 1)]
    assert [(s.date, s.reason) for s in result.skipped] == [(date(2027, 1, 11), "成人の日")]
    assert (result.label, result.last_date) == ("毎週月曜", date(2027, 2, 1))
    # Monthly by the first date: 2027-01-13 is the 2nd Wednesday.
    monthly = series.SeriesRule(LESSON, centre[1], "monthly_nth", date(2027, 1, 13), TEN, HALF_ELEVEN, count=3)
    result = series.plan_series(database, monthly, now=datetime(2026, 12, 1, tzinfo=JST))
    assert result.label == "毎月第2水曜"
    assert result.dates == [date(2027, 1, 13), date(2027, 2, 10), date(2027, 3, 10)]


def test_a_clash_is_named_by_its_date_time_and_lesson(database, centre):
    day = working_day(14)
    sessions.create_session(database, STAFF, "line-basics", centre[1], at(day, 10), at(day, 11), 4)
    result = plan(database, centre[1], weekday=day.weekday(), first=day, last=day)
    (skip,) = result.skipped
    assert skip.kind == "room_taken"
    assert f"{day.month}月{day.day}日" in skip.reason and "10:00〜11:00" in skip.reason
    assert lessons.catalogue()["line-basics"].title in skip.reason and "No." not in skip.reason


def test_a_window_of_exactly_one_year_is_allowed(database, centre):
    result = plan(database, centre[1], first=FIRST, last=date(2031, 4, 1), now=datetime(2030, 1, 1, tzinfo=JST))
    assert len(result.dates) + len(result.skipped) == len(mondays(FIRST, date(2031, 4, 1)))


def test_more_than_the_maximum_sessions_is_refused(database, centre, monkeypatch):
    monkeypatch.setattr(series, "MAX_SESSIONS", 3)
    with pytest.raises(InvalidInput) as refused:
        plan(database, centre[1], first=FIRST, last=FIRST + timedelta(days=60), now=datetime(2030, 1, 1, tzinfo=JST))
    assert "3回まで" in str(refused.value)


def test_unknown_room_is_not_found(database, centre):
    with pytest.raises(NotFound):
        plan(database, 999, first=FIRST, last=FIRST)


# ---------------------------------------------------------------- properties


def _seed_calendar(database, centre):
    """Closures and busy slots over 2026–2031 that the properties must respect."""
    venue, big, _small = centre
    closures = {}
    day = date(2026, 1, 5)
    while day < date(2031, 12, 31):
        closures[day] = f"点検{day.month}"
        day += timedelta(days=17)
    database["closures"].insert_all({"venue_id": venue, "date": d.isoformat(), "reason": r} for d, r in closures.items())
    busy = []
    day = date(2026, 1, 7)
    while day < date(2031, 12, 31):
        status = "cancelled" if day.day % 5 == 0 else "scheduled"
        starts, ends = at(day, 9 + day.day % 8), at(day, 10 + day.day % 8, 30)
        busy.append((starts, ends, status))
        database["sessions"].insert(
            {"lesson_id": LESSON, "room_id": big, "starts_at": starts.isoformat(), "ends_at": ends.isoformat(), "capacity": 4, "status": status}
        )
        day += timedelta(days=4)
    return closures, busy


def _rule_candidates(rule, weekday, nth, first, last):
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    matching = [d for d in days if d.weekday() == weekday]
    if rule == "weekly":
        return matching
    if rule == "biweekly":
        return matching[::2]
    return [d for d in matching if (d.day - 1) // 7 + 1 == nth]


def _months_without(weekday, nth, first, last):
    found, y, m = set(), first.year, first.month
    while (y, m) <= (last.year, last.month):
        days = [date(y, m, 1) + timedelta(days=k) for k in range(31)]
        if not [d for d in days if d.month == m and d.weekday() == weekday and (d.day - 1) // 7 + 1 == nth]:
            found.add(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return found


@pytest.fixture
def calendar(database, centre):
    return centre[1], *_seed_calendar(database, centre)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rule=st.sampled_from(series.RULES),
    weekday=st.integers(0, 6),
    nth=st.integers(1, 5),
    first=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
    span=st.integers(0, 365),
    hour=st.integers(8, 17),
    now=st.datetimes(datetime(2025, 6, 1), datetime(2031, 1, 1)),
)
def test_generated_series_never_land_on_a_closed_day_and_lose_nothing(database, calendar, rule, weekday, nth, first, span, hour, now):
    room, closures, busy = calendar
    last = first + timedelta(days=span)
    now = now.replace(tzinfo=JST)
    result = series.plan_series(
        database, series.SeriesRule(LESSON, room, rule, first, time(hour), time(hour + 1), last_date=last, weekday=weekday, nth=nth), now=now
    )

    for day in result.dates:
        assert first <= day <= last and day.weekday() == weekday
        assert not jpholiday.is_holiday(day), day
        assert not in_year_end(day), day
        assert day not in closures, day
        starts, ends = at(day, hour), at(day, hour + 1)
        assert starts > now
        assert not [b for b in busy if b[2] != "cancelled" and b[0] < ends and b[1] > starts]
        if rule == "monthly_nth":
            assert (day.day - 1) // 7 + 1 == nth

    real = [s for s in result.skipped if s.kind != "no_date"]
    assert all(s.reason.strip() for s in result.skipped)
    assert not set(result.dates) & {s.date for s in real}
    assert len(real) == len({s.date for s in real})
    assert sorted([*result.dates, *(s.date for s in real)]) == _rule_candidates(rule, weekday, nth, first, last)
    for s in real:
        if jpholiday.is_holiday(s.date):
            assert (s.kind, s.reason) == ("holiday", jpholiday.is_holiday_name(s.date))
        elif in_year_end(s.date):
            assert (s.kind, s.reason) == ("year_end", "年末年始")
        elif s.date in closures:
            assert (s.kind, s.reason) == ("closure", f"休館日（{closures[s.date]}）")
    expected_missing = _months_without(weekday, nth, first, last) if rule == "monthly_nth" else set()
    assert {s.date for s in result.skipped if s.kind == "no_date"} == expected_missing
    assert result.dates == sorted(result.dates)


# ---------------------------------------------------------------- creation


def weekly(database, room, weeks=6, offset=14, capacity=8, **kwargs):
    first = working_day(offset)
    return dict(
        lesson_id=LESSON, room_id=room, rule="weekly", weekday=first.weekday(), first_date=first,
        last_date=first + timedelta(days=7 * (weeks - 1)), starts=TEN, ends=HALF_ELEVEN, capacity=capacity, **kwargs,
    )


def preview(database, args):
    return series.plan_series(database, rule_of(args))


def series_sessions(database, series_id):
    return list(database.query("select * from sessions where series_id = ? order by starts_at", [series_id]))


def test_create_series_makes_every_planned_session_with_its_series_id(database, centre):
    args = weekly(database, centre[1], note="持ち物：充電したスマホ")
    planned = preview(database, args)
    series_id = create(database, STAFF, args, expected_dates=planned.dates)
    rows = series_sessions(database, series_id)
    assert [sessions.get_session(database, r["id"]).starts_at for r in rows] == [s for s, _e in planned.sessions]
    assert all(r["starts_at"].endswith("+09:00") and r["capacity"] == 8 and r["note"] == "持ち物：充電したスマホ" for r in rows)
    assert all(r["helpers_needed"] == 2 and r["status"] == "scheduled" for r in rows)
    stored = database["series"].get(series_id)
    assert (stored["rule"], stored["starts"], stored["ends"], stored["nth"]) == ("weekly", "10:00", "11:30", None)

    log = list(database.query("select user, action, entity, entity_id, detail from audit_log where entity in ('series', 'sessions')"))
    assert {(r["action"], r["entity"], r["entity_id"]) for r in log} >= {("create", "sessions", str(r["id"])) for r in rows}
    series_log = [r for r in log if r["entity"] == "series"]
    assert [(r["user"], r["action"], r["entity_id"]) for r in series_log] == [(STAFF.username, "create", str(series_id))]
    assert str([r["id"] for r in rows])[1:-1] in series_log[0]["detail"]
    assert planned.label == f"毎週{'月火水木金土日'[args['weekday']]}曜"
    assert (stored["first_date"], stored["last_date"]) == (args["first_date"].isoformat(), args["last_date"].isoformat())


def test_a_clash_found_at_creation_creates_nothing(database, centre):
    args = weekly(database, centre[1])
    planned = preview(database, args)
    fourth = planned.dates[3]
    sessions.create_session(database, STAFF, LESSON, centre[1], at(fourth, 11), at(fourth, 12), 4)
    before = counts(database)
    with pytest.raises(RoomTaken) as refused:
        create(database, STAFF, args, expected_dates=planned.dates)
    assert fourth.isoformat() in str(refused.value)
    assert counts(database) == before


def test_a_closure_added_after_the_preview_creates_nothing(database, centre):
    args = weekly(database, centre[1])
    planned = preview(database, args)
    venues.add_closure(database, ADMIN, centre[0], planned.dates[2], "停電")
    before = counts(database)
    with pytest.raises(VenueClosed) as refused:
        create(database, STAFF, args, expected_dates=planned.dates)
    assert planned.dates[2].isoformat() in str(refused.value) and "停電" in str(refused.value)
    assert counts(database) == before


def test_a_date_freed_after_the_preview_is_not_created_silently(database, centre):
    args = weekly(database, centre[1])
    day = working_day(14)
    blocker = sessions.create_session(database, STAFF, LESSON, centre[1], at(day, 10), at(day, 11), 4)
    planned = preview(database, args)
    assert day not in planned.dates
    sessions.cancel_session(database, STAFF, blocker, "中止")
    before = counts(database)
    with pytest.raises(InvalidInput):
        create(database, STAFF, args, expected_dates=planned.dates)
    assert counts(database) == before


def test_a_failure_halfway_rolls_back_every_session(database, centre, monkeypatch):
    # The planner misses a clash (as if it raced); create_session refuses the 3rd date.
    args = weekly(database, centre[1])
    third = preview(database, args).dates[2]
    sessions.create_session(database, STAFF, LESSON, centre[1], at(third, 10), at(third, 11), 4)
    monkeypatch.setattr(series, "_clash", lambda busy, starts_at, ends_at: None)
    made = []
    original = sessions.create_session
    monkeypatch.setattr(sessions, "create_session", lambda *a, **k: made.append(original(*a, **k)))
    before = counts(database)
    with pytest.raises(RoomTaken):
        create(database, STAFF, args)
    assert len(made) == 2  # two sessions were inserted, then rolled back
    assert counts(database) == before
    assert not database["sessions"].count_where(f"id in ({made[0]}, {made[1]})")
    assert not list(database.query("select id from sessions where series_id is not null"))


@pytest.mark.parametrize(
    "change, error",
    [
        ({"capacity": 13}, InvalidInput),
        ({"capacity": 0}, InvalidInput),
        ({"note": "番号 12345678901" + str(check_digit("12345678901"))}, MyNumberRejected),
        ({"lesson_id": "no-such-lesson"}, InvalidInput),
    ],
)
def test_refused_series_write_nothing(database, centre, change, error):
    args = {**weekly(database, centre[1]), **change}
    before = counts(database)
    with pytest.raises(error):
        create(database, STAFF, args)
    assert counts(database) == before


def test_a_series_with_no_date_left_is_refused(database, centre):
    day = working_day(14)
    venues.add_closure(database, ADMIN, centre[0], day, "点検")
    args = {**weekly(database, centre[1]), "last_date": day}
    before = counts(database)
    with pytest.raises(InvalidInput):
        create(database, STAFF, args)
    assert counts(database) == before


def test_volunteers_cannot_create_series(database, centre):
    with pytest.raises(PermissionDenied):
        create(database, Actor("v", "volunteer", 1), weekly(database, centre[1]))


# ---------------------------------------------------------------- this and following


@pytest.fixture
def made(database, centre):
    """A weekly series of at least 4 sessions in the 12-seat room: (series id, session ids)."""
    series_id = create(database, STAFF, weekly(database, centre[1], weeks=8))
    ids = [r["id"] for r in series_sessions(database, series_id)]
    assert len(ids) >= 4
    return series_id, ids


def test_cancel_from_cancels_this_and_the_following_sessions(database, made):
    series_id, ids = made
    assert series.cancel_from(database, STAFF, ids[1], "講師の都合") == len(ids) - 1
    rows = series_sessions(database, series_id)
    assert [r["status"] for r in rows] == ["scheduled"] + ["cancelled"] * (len(ids) - 1)
    assert {r["cancel_reason"] for r in rows[1:]} == {"講師の都合"}
    cancelled = {r["entity_id"] for r in database.query("select entity_id from audit_log where action = 'cancel' and entity = 'sessions'")}
    assert cancelled == {str(i) for i in ids[1:]}
    assert database["audit_log"].count_where("action = 'cancel_from' and entity = 'series' and entity_id = ?", [str(series_id)]) == 1
    assert [r["status"] for r in series_sessions(database, series_id)].count("scheduled") == 1
    with pytest.raises(NotFound):
        series.cancel_from(database, STAFF, ids[2], "重ねて")


@pytest.mark.parametrize("reason", ["", "   ", "番号 12345678901" + str(check_digit("12345678901"))])
def test_cancel_from_needs_a_clean_reason(database, made, reason):
    before = counts(database)
    with pytest.raises(InvalidInput):
        series.cancel_from(database, STAFF, made[1][0], reason)
    assert counts(database) == before


def test_cancel_from_refuses_sessions_outside_a_series(database, centre, make_session):
    single = make_session()
    with pytest.raises(InvalidInput):
        series.cancel_from(database, STAFF, single, "中止")
    with pytest.raises(NotFound):
        series.cancel_from(database, STAFF, 99999, "中止")
    with pytest.raises(PermissionDenied):
        series.cancel_from(database, Actor("v", "volunteer", 1), single, "中止")


def test_move_from_changes_the_time_of_this_and_the_following(database, made):
    series_id, ids = made
    first_before = database["sessions"].get(ids[0])
    # 10:30–12:00 overlaps the sessions' own old slot; that is no clash.
    assert series.move_from(database, STAFF, ids[1], time(10, 30), time(12)) == len(ids) - 1
    assert database["sessions"].get(ids[0]) == first_before
    for session_id in ids[1:]:
        row = sessions.get_session(database, session_id)
        assert (row.starts_at.time(), row.ends_at.time()) == (time(10, 30), time(12))
        assert database["sessions"].get(session_id)["starts_at"].endswith("T10:30:00+09:00")
    assert (database["series"].get(series_id)["starts"], database["series"].get(series_id)["ends"]) == ("10:30", "12:00")
    assert database["audit_log"].count_where("action = 'move' and entity = 'sessions'") == len(ids) - 1
    assert database["audit_log"].count_where("action = 'move_from' and entity = 'series'") == 1


def test_move_from_to_another_room(database, centre, made):
    series_id, ids = made
    other = venues.create_room(database, ADMIN, centre[0], "和室", 10)
    assert series.move_from(database, STAFF, ids[0], TEN, HALF_ELEVEN, room_id=other) == len(ids)
    assert {r["room_id"] for r in series_sessions(database, series_id)} == {other}


def test_move_from_refuses_everything_when_one_date_clashes(database, centre, made):
    series_id, ids = made
    fourth = sessions.get_session(database, ids[3]).starts_at.date()
    blocker = sessions.create_session(database, STAFF, LESSON, centre[1], at(fourth, 13), at(fourth, 14), 4)
    before = (list(database.query("select * from sessions order by id")), database["audit_log"].count)
    with pytest.raises(RoomTaken) as refused:
        series.move_from(database, STAFF, ids[1], time(13), time(14, 30))
    assert fourth.isoformat() in str(refused.value) and sessions.describe(database, blocker) in str(refused.value)
    assert (list(database.query("select * from sessions order by id")), database["audit_log"].count) == before


def test_move_from_refuses_a_room_whose_venue_is_closed_that_day(database, made):
    series_id, ids = made
    annex = venues.create_venue(database, ADMIN, "別館")
    room = venues.create_room(database, ADMIN, annex, "講堂", 30)
    third = sessions.get_session(database, ids[2]).starts_at.date()
    venues.add_closure(database, ADMIN, annex, third, "設備点検")
    before = (list(database.query("select * from sessions order by id")), database["audit_log"].count)
    with pytest.raises(VenueClosed) as refused:
        series.move_from(database, STAFF, ids[0], TEN, HALF_ELEVEN, room_id=room)
    assert third.isoformat() in str(refused.value) and "設備点検" in str(refused.value)
    assert (list(database.query("select * from sessions order by id")), database["audit_log"].count) == before


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"starts": time(11), "ends": time(10)}, InvalidInput),
        ({"starts": time(10), "ends": time(14)}, InvalidInput),
        ({"room": "small"}, InvalidInput),  # 8 seats offered, 4 chairs
        ({"room": 99999}, NotFound),
    ],
)
def test_move_from_refuses_bad_changes(database, centre, made, kwargs, error):
    room = {"small": centre[2]}.get(kwargs.get("room"), kwargs.get("room"))
    before = list(database.query("select * from sessions order by id"))
    with pytest.raises(error):
        series.move_from(database, STAFF, made[1][0], kwargs.get("starts", TEN), kwargs.get("ends", HALF_ELEVEN), room_id=room)
    assert list(database.query("select * from sessions order by id")) == before


def test_move_from_leaves_cancelled_sessions_and_needs_a_series(database, made, make_session):
    series_id, ids = made
    sessions.cancel_session(database, STAFF, ids[2], "休講")
    assert series.move_from(database, STAFF, ids[1], time(13), time(14)) == len(ids) - 2
    assert database["sessions"].get(ids[2])["starts_at"].endswith("T10:00:00+09:00")
    with pytest.raises(InvalidInput):
        series.move_from(database, STAFF, make_session(), time(13), time(14))
    with pytest.raises(PermissionDenied):
        series.move_from(database, Actor("v", "volunteer", 1), ids[1], time(13), time(14))


def test_after_move_from_shifts_that_no_longer_fit_are_reported_not_removed(database, centre, made):
    from db import volunteers

    series_id, ids = made
    busy = volunteers.register_volunteer(database, STAFF, "山田 太郎", "ヤマダ タロウ", "090-0000-1001", "promoter", [])
    mornings = volunteers.register_volunteer(database, STAFF, "佐藤 花子", "サトウ ハナコ", "090-0000-1002", "student", [])
    fine = volunteers.register_volunteer(database, STAFF, "鈴木 一郎", "スズキ イチロウ", "090-0000-1003", "staff", [])
    volunteers.set_weekly_availability(
        database, STAFF, mornings, [volunteers.Slot(w, time(9), time(12)) for w in range(7)]
    )
    for volunteer, role in ((busy, "lead"), (mornings, "helper"), (fine, "helper")):
        volunteers.assign_shift(database, STAFF, ids[2], volunteer, role)
    third = sessions.get_session(database, ids[2]).starts_at.date()
    elsewhere = sessions.create_session(database, STAFF, LESSON, centre[2], at(third, 13), at(third, 14), 4)
    volunteers.assign_shift(database, STAFF, elsewhere, busy, "helper")
    assert volunteers.shift_problems(database, ids) == []

    series.move_from(database, STAFF, ids[1], time(13, 30), time(15))
    problems = volunteers.shift_problems(database, ids)
    assert [(p.shift.session_id, p.shift.volunteer_id) for p in problems] == [(ids[2], busy), (ids[2], mornings)]
    assert sessions.describe(database, elsewhere) in problems[0].reason and "活動可能日" in problems[1].reason
    assert len(volunteers.list_shifts(database, ids[2])) == 3
