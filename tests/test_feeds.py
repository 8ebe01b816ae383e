"""Personal calendar subscriptions: secret, revocable, always current, valid iCalendar in JST."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import timedelta

import icalendar
import pytest

import db
from db import feeds, volunteers
from db.clock import JST
from db.errors import NotFound
from db.permissions import Actor, PermissionDenied
from serve import feed_body
from tests.browser import streamlit_server
from tests.conftest import STAFF


@pytest.fixture
def volunteer(database):
    return volunteers.register_volunteer(database, STAFF, "山田 太郎", "ヤマダ タロウ", "090-0000-1001", "promoter", ["iPhone"])


def events(body: bytes) -> list:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def test_a_token_opens_only_its_volunteers_shifts_and_shows_jst_times(database, make_session, volunteer):
    other = volunteers.register_volunteer(database, STAFF, "佐藤 花子", "サトウ ハナコ", "090-0000-1002", "student", [])
    mine, theirs = make_session(hour=10), make_session(hour=14)
    volunteers.assign_shift(database, STAFF, mine, volunteer, "lead")
    volunteers.assign_shift(database, STAFF, theirs, other, "helper")
    token = feeds.issue_token(database, STAFF, volunteer)

    (event,) = events(feed_body(token))
    assert str(event["UID"]) == f"session-{mine}@sumaho-desk"
    assert str(event["SUMMARY"]).startswith("講師：")
    start = event.decoded("DTSTART").astimezone(JST)
    assert (start.hour, start.minute) == (10, 0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)


def test_the_feed_follows_changes_cancellations_and_removals(database, make_session, volunteer):
    kept, removed, cancelled = make_session(hour=9), make_session(hour=12), make_session(hour=15)
    token = feeds.issue_token(database, STAFF, volunteer)
    assert events(feed_body(token)) == []
    for session_id in (kept, removed, cancelled):
        volunteers.assign_shift(database, STAFF, session_id, volunteer, "helper")
    shift = next(s.id for s in volunteers.list_shifts(database, removed))
    volunteers.remove_shift(database, STAFF, shift)
    from db import sessions

    sessions.cancel_session(database, STAFF, cancelled, "講師の急病")
    status = {str(e["UID"]): str(e.get("STATUS", "")) for e in events(feed_body(token))}
    assert status == {
        f"session-{kept}@sumaho-desk": "",
        f"session-{removed}@sumaho-desk": "CANCELLED",
        f"session-{cancelled}@sumaho-desk": "CANCELLED",
    }


def test_wrong_revoked_and_replaced_tokens_open_nothing(database, volunteer):
    first = feeds.issue_token(database, STAFF, volunteer)
    assert feed_body(first) is not None
    assert feed_body(first[:-1] + ("A" if first[-1] != "A" else "B")) is None
    assert feed_body("") is None
    second = feeds.issue_token(database, STAFF, volunteer)
    assert feed_body(first) is None, "a new URL must revoke the old one"
    assert feed_body(second) is not None
    assert feeds.revoke_tokens(database, STAFF, volunteer) == 1
    assert feed_body(second) is None
    assert feeds.active_since(database, STAFF, volunteer) is None


def test_only_a_hash_of_the_token_is_stored(database, db_path, volunteer):
    token = feeds.issue_token(database, STAFF, volunteer)
    assert token not in str(list(database["feed_tokens"].rows))
    database.execute("pragma wal_checkpoint(truncate)")
    assert token.encode() not in db_path.read_bytes()


def test_an_inactive_volunteer_has_no_feed(database, volunteer):
    token = feeds.issue_token(database, STAFF, volunteer)
    database["volunteers"].update(volunteer, {"active": 0})
    assert feed_body(token) is None
    with pytest.raises(NotFound):
        feeds.issue_token(database, STAFF, volunteer)


def test_volunteers_manage_only_their_own_subscription(database, volunteer):
    other = volunteers.register_volunteer(database, STAFF, "佐藤 花子", "サトウ ハナコ", "090-0000-1002", "student", [])
    me = Actor("yamada", "volunteer", volunteer)
    assert feeds.issue_token(database, me, volunteer)
    assert feeds.active_since(database, me, volunteer) is not None
    for action in (feeds.issue_token, feeds.revoke_tokens, feeds.active_since):
        with pytest.raises(PermissionDenied):
            action(database, me, other)


def http_get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        return err.code, err.read(), ""


def test_the_subscription_url_works_over_http_from_another_process(db_path, database, make_session, volunteer):
    session_id = make_session(hour=10)
    volunteers.assign_shift(database, STAFF, session_id, volunteer, "helper")
    token = feeds.issue_token(database, STAFF, volunteer)
    with streamlit_server(db_path) as url:
        status, body, kind = http_get(f"{url}/calendar/{token}.ics")
        assert status == 200 and kind.startswith("text/calendar")
        (event,) = events(body)
        assert str(event["UID"]) == f"session-{session_id}@sumaho-desk"

        later = make_session(hour=14)
        with db.connect(db_path) as handle:
            volunteers.assign_shift(handle, STAFF, later, volunteer, "lead")
        assert len(events(http_get(f"{url}/calendar/{token}.ics")[1])) == 2, "the feed must reflect new shifts"

        assert http_get(f"{url}/calendar/not-the-token.ics")[0] == 404
        with db.connect(db_path) as handle:
            feeds.revoke_tokens(handle, STAFF, volunteer)
        assert http_get(f"{url}/calendar/{token}.ics")[0] == 404
