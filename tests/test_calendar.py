"""Session calendar files: parse with a second library, right JST time, stable UID."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as hst

from printouts.calendar import CalendarEntry, render_ics, session_uid

JST = ZoneInfo("Asia/Tokyo")


def entry(**kw):
    values = dict(
        session_id=42,
        title="スマホの基本操作（みどり台コミュニティセンター）",
        starts_at=datetime(2026, 12, 3, 10, 0, tzinfo=JST),
        ends_at=datetime(2026, 12, 3, 11, 30, tzinfo=JST),
        location="みどり台コミュニティセンター 第1研修室",
        description="持ち物：充電したスマートフォン",
        stamp=datetime(2026, 11, 21, 9, 0, tzinfo=JST),
    )
    values.update(kw)
    return CalendarEntry(**values)


def test_ics_parses_with_icalendar_and_shows_jst_times():
    (event,) = icalendar.Calendar.from_ical(render_ics([entry()])).walk("VEVENT")
    assert event["DTSTART"].dt.astimezone(JST) == datetime(2026, 12, 3, 10, 0, tzinfo=JST)
    assert event["DTEND"].dt.astimezone(JST) == datetime(2026, 12, 3, 11, 30, tzinfo=JST)
    assert event["DTSTART"].dt.astimezone(timezone.utc).hour == 1
    assert str(event["SUMMARY"]).startswith("スマホの基本操作")
    assert str(event["LOCATION"]).endswith("第1研修室")
    assert event["DTSTAMP"].dt == datetime(2026, 11, 21, 0, 0, tzinfo=timezone.utc)
    assert "STATUS" not in event


def test_uid_is_derived_from_the_session_id_so_updates_replace():
    first = icalendar.Calendar.from_ical(render_ics([entry()])).walk("VEVENT")[0]
    moved = icalendar.Calendar.from_ical(render_ics([entry(starts_at=datetime(2026, 12, 4, 10, tzinfo=JST), ends_at=datetime(2026, 12, 4, 11, 30, tzinfo=JST))])).walk("VEVENT")[0]
    assert str(first["UID"]) == str(moved["UID"]) == session_uid(42) == "session-42@sumaho-desk"


def test_cancelled_session_is_marked_cancelled():
    (event,) = icalendar.Calendar.from_ical(render_ics([entry(cancelled=True)])).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        render_ics([entry(starts_at=datetime(2026, 12, 3, 10, 0))])


def test_calendar_file_of_sessions_marks_cancelled_ones(demo_db):
    import db
    from db import sessions
    from db.clock import now_jst
    from views.calendar import sessions_ics

    with db.connect() as handle:
        rows = sessions.list_sessions(handle)
        handle.execute("update sessions set status = 'cancelled' where id = ?", [rows[0].id])
        handle.conn.commit()
        rows = sessions.list_sessions(handle)
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(sessions_ics(rows, now_jst())).walk("VEVENT")}
    assert set(events) == {session_uid(r.id) for r in rows}
    assert {uid for uid, e in events.items() if str(e.get("STATUS", "")) == "CANCELLED"} == {session_uid(rows[0].id)}
    for row in rows:
        assert events[session_uid(row.id)]["DTSTART"].dt.astimezone(JST) == row.starts_at


@given(hst.text(min_size=0, max_size=400))
def test_lines_are_folded_at_75_octets_and_unfold_to_the_same_text(description):
    entry = CalendarEntry(
        session_id=7,
        title="マイナンバーカードの更新と暗証番号の管理（みどり台コミュニティセンター）",
        starts_at=datetime(2026, 12, 17, 13, 30, tzinfo=JST),
        ends_at=datetime(2026, 12, 17, 15, 0, tzinfo=JST),
        location="みどり台コミュニティセンター 第1会議室",
        description="持ち物：" + description,
        stamp=datetime(2026, 12, 1, 9, 0, tzinfo=JST),
    )
    data = render_ics([entry])
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line  # RFC 5545 §3.1
        line.decode("utf-8")  # never split inside a character
    event = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
    assert str(event["SUMMARY"]) == entry.title
    assert str(event["LOCATION"]) == entry.location
