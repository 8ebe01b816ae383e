"""Japanese dates: 和暦 and 西暦 with the weekday (DESIGN.md §8)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from printouts.dates import format_date, format_time_range, wareki_year

JST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(1868, 1, 25), "明治元年"),
        (date(1912, 7, 29), "明治45年"),
        (date(1912, 7, 30), "大正元年"),
        (date(1926, 12, 24), "大正15年"),
        (date(1926, 12, 25), "昭和元年"),
        (date(1989, 1, 7), "昭和64年"),
        (date(1989, 1, 8), "平成元年"),
        (date(2019, 4, 30), "平成31年"),
        (date(2019, 5, 1), "令和元年"),
        (date(2020, 1, 1), "令和2年"),
        (date(2026, 12, 3), "令和8年"),
    ],
)
def test_wareki_year_at_era_boundaries(day, expected):
    assert wareki_year(day) == expected


def test_before_meiji_is_rejected():
    with pytest.raises(ValueError):
        wareki_year(date(1868, 1, 24))


def test_format_date_known_days():
    assert format_date(date(2026, 12, 3)) == "令和8年（2026年）12月3日（木）"
    assert format_date(date(2019, 5, 1)) == "令和元年（2019年）5月1日（水）"
    assert format_date(date(2019, 4, 30)) == "平成31年（2019年）4月30日（火）"


def test_format_time_range_in_jst():
    start = datetime(2026, 12, 3, 10, 0, tzinfo=JST)
    assert format_time_range(start, start + timedelta(minutes=90)) == "令和8年（2026年）12月3日（木）10:00〜11:30"


def test_utc_datetime_crossing_midnight_is_printed_in_tokyo():
    # 2026-12-02 15:30 UTC is 2026-12-03 0:30 in Tokyo: the Tokyo day is printed.
    start = datetime(2026, 12, 2, 15, 30, tzinfo=timezone.utc)
    assert format_date(start) == "令和8年（2026年）12月3日（木）"
    assert format_time_range(start, start + timedelta(hours=1)) == "令和8年（2026年）12月3日（木）0:30〜1:30"


def test_era_change_at_tokyo_midnight():
    # 2019-04-30 15:00 UTC is already 令和元年5月1日 in Tokyo.
    assert wareki_year(datetime(2019, 4, 30, 15, 0, tzinfo=timezone.utc)) == "令和元年"
    assert wareki_year(datetime(2019, 4, 30, 14, 59, tzinfo=timezone.utc)) == "平成31年"


def test_range_ending_on_a_later_day_prints_both_dates():
    start = datetime(2026, 12, 31, 23, 0, tzinfo=JST)
    assert (
        format_time_range(start, start + timedelta(minutes=90))
        == "令和8年（2026年）12月31日（木）23:00〜令和9年（2027年）1月1日（金）0:30"
    )


def test_naive_datetimes_are_rejected():
    naive = datetime(2026, 12, 3, 10, 0)
    aware = naive.replace(tzinfo=JST)
    with pytest.raises(ValueError):
        format_date(naive)
    with pytest.raises(ValueError):
        wareki_year(naive)
    with pytest.raises(ValueError):
        format_time_range(naive, aware)
    with pytest.raises(ValueError):
        format_time_range(aware, naive)


def test_end_before_start_is_rejected():
    start = datetime(2026, 12, 3, 10, 0, tzinfo=JST)
    with pytest.raises(ValueError):
        format_time_range(start, start - timedelta(minutes=1))


DATE_SHAPE = re.compile(r"^(明治|大正|昭和|平成|令和)(元|\d+)年（(\d{4})年）(\d{1,2})月(\d{1,2})日（([月火水木金土日])）$")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_printed_year_and_weekday_match_the_date(day):
    match = DATE_SHAPE.match(format_date(day))
    assert match, format_date(day)
    era, era_year, year, month, dom, weekday = match.groups()
    assert (int(year), int(month), int(dom)) == (day.year, day.month, day.day)
    assert weekday == "月火水木金土日"[day.weekday()]
    # The 和暦 year counts from the era's first year, which is 元年.
    first_year = {"平成": 1989, "令和": 2019}[era]
    assert (1 if era_year == "元" else int(era_year)) == day.year - first_year + 1
