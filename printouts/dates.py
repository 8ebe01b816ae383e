"""Japanese dates for printouts and the UI: 和暦 and 西暦 with the weekday (DESIGN.md §8).

Shapes::

    wareki_year(date(2026, 12, 3))      -> "令和8年"
    wareki_year(date(2019, 5, 1))       -> "令和元年"
    format_date(date(2026, 12, 3))      -> "令和8年（2026年）12月3日（木）"
    format_time_range(start, end)       -> "令和8年（2026年）12月3日（木）10:00〜11:30"

In English (`locales.current_language()` == "en") the same functions write dates
the English way: "Wed 17 Dec 2026", "1:30 pm", "Wed 17 Dec 2026, 1:30 pm – 3:00 pm".

Also the fiscal year (`fiscal_year_label`) and a length of time (`duration`), the
one definition every printout and screen uses.

Datetimes must be timezone-aware (sessions are stored with an offset, DESIGN.md §6);
they are converted to Asia/Tokyo before the date is taken, so 2026-12-02T15:30Z
prints as 12月3日 0:30.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from locales import _, current_language

JST = ZoneInfo("Asia/Tokyo")

# First day of each era in the Gregorian calendar, newest first.
# 令和: 元号を改める政令 (平成31年政令第143号), in force 2019-05-01.
# 平成: 元号を改める政令 (昭和64年政令第1号), in force 1989-01-08.
# 昭和 1926-12-25 and 大正 1912-07-30: the 改元の詔書 of those days.
# 明治: the 改元の詔 of 慶応4年9月8日 applied 明治 from 慶応4年1月1日 = 1868-01-25.
ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1868, 1, 25), "明治"),
)

WEEKDAYS = "月火水木金土日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def to_jst_date(d: date | datetime) -> date:
    """The calendar day of `d` in Japan.

    Args:
        d: a `date` (taken as is) or a timezone-aware `datetime`.
    Returns:
        date in Asia/Tokyo.
    Raises:
        ValueError: `d` is a naive datetime (its day in Japan is unknown).
    """
    if isinstance(d, datetime):
        return to_jst(d).date()
    return d


def to_jst(dt: datetime) -> datetime:
    """`dt` converted to Asia/Tokyo.

    Raises:
        ValueError: `dt` is naive.
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime has no time zone: {dt.isoformat()}")
    return dt.astimezone(JST)


def wareki_year(d: date | datetime) -> str:
    """The 和暦 year of `d`, e.g. "令和8年"; the first year of an era is 元年 ("令和元年").

    Args:
        d: a date, or an aware datetime (taken in Asia/Tokyo).
    Returns:
        str: era name + year + "年".
    Raises:
        ValueError: naive datetime, or a day before 明治 (see `ERAS` for the sources).
    """
    day = to_jst_date(d)
    for start, era in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{era}{'元' if year == 1 else year}年"
    raise ValueError(f"date before 明治 has no supported era: {day.isoformat()}")


def format_date(d: date | datetime) -> str:
    """`d` as 和暦（西暦）月日（曜日）, e.g. "令和8年（2026年）12月3日（木）" (DESIGN.md §8);
    in English "Thu 3 Dec 2026".

    Args:
        d: a date, or an aware datetime (taken in Asia/Tokyo).
    Returns:
        str with full-width parentheses; month and day without leading zeros.
    Raises:
        ValueError: as `wareki_year`.
    """
    day = to_jst_date(d)
    if current_language() == "en":
        return f"{WEEKDAYS_EN[day.weekday()]} {day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{wareki_year(day)}（{day.year}年）{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def short_date(d: date | datetime) -> str:
    """`d` for a screen's table where space is short: "12/3（木）"; in English
    "Thu 3 Dec".

    Args:
        d: a date, or an aware datetime (taken in Asia/Tokyo).
    """
    day = to_jst_date(d)
    if current_language() == "en":
        return f"{WEEKDAYS_EN[day.weekday()]} {day.day} {MONTHS_EN[day.month - 1]}"
    return f"{day.month}/{day.day}（{WEEKDAYS[day.weekday()]}）"


def format_time(dt: datetime) -> str:
    """The Tokyo clock time of `dt`, e.g. "9:30", "10:00" (hour without leading zero);
    in English on the 12-hour clock, "9:30 am", "1:30 pm", "12:00 pm".

    Raises:
        ValueError: `dt` is naive.
    """
    local = to_jst(dt)
    if current_language() == "en":
        return f"{(local.hour - 1) % 12 + 1}:{local.minute:02d} {'am' if local.hour < 12 else 'pm'}"
    return f"{local.hour}:{local.minute:02d}"


def format_time_range(starts_at: datetime, ends_at: datetime) -> str:
    """A session's date and times in Tokyo (DESIGN.md §8).

    Args:
        starts_at, ends_at: aware datetimes, any zone.
    Returns:
        "令和8年（2026年）12月3日（木）10:00〜11:30"; when the end falls on a later day
        in Tokyo, the end's date is printed too:
        "令和8年（2026年）12月31日（木）23:00〜令和9年（2027年）1月1日（金）0:30".
    Raises:
        ValueError: a naive datetime, or `ends_at` before `starts_at`.
    """
    start, end = to_jst(starts_at), to_jst(ends_at)
    if end < start:
        raise ValueError(f"ends_at {end.isoformat()} is before starts_at {start.isoformat()}")
    english = current_language() == "en"
    end_text = format_time(end)
    if end.date() != start.date():
        end_text = f"{format_date(end)}, {end_text}" if english else format_date(end) + end_text
    if english:
        return f"{format_date(start)}, {format_time(start)} – {end_text}"
    return f"{format_date(start)}{format_time(start)}〜{end_text}"


def month_label(year: int, month: int) -> str:
    """A month in 和暦 and 西暦, e.g. (2026, 12) → 「令和8年（2026年）12月」; in English
    "December 2026".

    Args:
        year: Gregorian year; month: 1–12.
    Returns:
        str in the style of `format_date`; the era is the one of the month's first
        day (2019-05 → 令和元年, 2019-04 → 平成31年).
    Raises:
        ValueError: `month` outside 1–12, or a year before 明治.
    """
    first = date(year, month, 1)
    if current_language() == "en":
        return f"{MONTH_NAMES_EN[month - 1]} {year}"
    return f"{wareki_year(first)}（{year}年）{month}月"


def session_lines(starts_at: datetime, ends_at: datetime) -> list[str]:
    """`format_time_range` cut where a narrow column reads it best, one part a line:
    ["令和8年（2026年）", "12月3日（木）", "10:00〜11:30"]; in English
    ["Thu 3 Dec 2026,", "10:00 am – 11:30 am"].

    Raises:
        ValueError: as `format_time_range`.
    """
    text = format_time_range(starts_at, ends_at)
    if current_language() == "en":
        return [part if i == text.count(", ") else part + "," for i, part in enumerate(text.split(", "))]
    return [part for part in re.split(rf"(?<=（\d{{4}}年）)|(?<=（[{WEEKDAYS}]）)(?=\d)|(?<=〜)(?=\D)", text) if part]


def fiscal_year_label(fiscal_year: int) -> str:
    """The fiscal year (年度, April–March) in 和暦 and 西暦: 2026 → 「令和8年度（2026年度）」.

    The era is the one in force at the end of the calendar year the fiscal year
    starts in: 2019 → 「令和元年度」, 1988 → 「昭和63年度」. Source: 新元号への円滑な
    移行に向けた関係省庁連絡会議申合せ「改元に伴う元号による年表示の取扱いについて」
    (2019-04-01): 「国の予算における会計年度の名称については、原則、改元日以降は、当年度
    全体を通じて『令和元年度』とし…」; FY1988 kept 昭和63年度 as the change came in its
    last quarter, and 平成元年度 began on 1989-04-01.

    Args:
        fiscal_year: the year of the fiscal year's April.
    Returns:
        str; in English "FY2026".
    Raises:
        ValueError: a year before 明治.
    """
    era = wareki_year(date(fiscal_year, 12, 31)).removesuffix("年")
    return _("{era}年度（{year}年度）").format(era=era, year=fiscal_year)


def duration(minutes: int) -> str:
    """Minutes as hours and minutes: 750 → 「12時間30分」, 45 → 「45分」, 0 → 「0分」,
    90 000 → 「1,500時間00分」.

    Args:
        minutes: ≥ 0.
    Raises:
        ValueError: negative minutes.
    """
    minutes = int(minutes)
    if minutes < 0:
        raise ValueError(f"minutes must not be negative, not {minutes}")
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("{m}分").format(m=rest)
    return _("{h}時間{m:02d}分").format(h=f"{hours:,}", m=rest)
