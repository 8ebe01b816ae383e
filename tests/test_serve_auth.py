"""The sign-in cookie routes of serve.py over real HTTP (issue 11): the one-time
code is traded for an HttpOnly, SameSite=Strict cookie, only from this site's own
pages; sign-out drops it; every browser gets its own id cookie."""

from __future__ import annotations

import http.client
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest

import db
from db import accounts, demo, sign_in_sessions
from tests.browser import streamlit_server
from tests.conftest import FIXED_NOW


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "desk.sqlite3"
    db.init_db(path)
    with db.connect(path) as handle:
        demo.seed(handle)
    with streamlit_server(path, now=FIXED_NOW) as url:
        yield url, path


def request(url: str, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    data = urlencode(body) if body is not None else None
    all_headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    conn.request(method, path, body=data, headers=all_headers)
    response = conn.getresponse()
    response.read()
    return response


def cookies(response) -> SimpleCookie:
    jar = SimpleCookie()
    for value in response.headers.get_all("set-cookie") or []:
        jar.load(value)
    return jar


def fresh_code(path) -> tuple[int, str]:
    with db.connect(path) as handle:
        user_id = accounts.user_id_of(handle, "staff")
        sid = sign_in_sessions.start(handle, user_id)
        return sid, sign_in_sessions.issue_code(handle, sid)


SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


def test_a_code_is_traded_for_an_http_only_strict_cookie_and_the_landing_page(server):
    url, path = server
    sid, code = fresh_code(path)
    response = request(url, "POST", "/auth/session", {"code": code, "next": "/bookings?session=12"}, SAME_SITE)
    assert response.status == 303
    assert response.headers["location"] == "/bookings?session=12"
    raw = [v for v in response.headers.get_all("set-cookie") if v.startswith("sumaho_session=")]
    assert len(raw) == 1
    flags = raw[0].lower()
    assert "httponly" in flags and "samesite=strict" in flags and "path=/" in flags
    assert "max-age" not in flags  # a browser-session cookie
    token = cookies(response)["sumaho_session"].value
    with db.connect(path) as handle:
        assert sign_in_sessions.resolve(handle, token=token).id == sid
    # The code is spent.
    again = request(url, "POST", "/auth/session", {"code": code, "next": "/"}, SAME_SITE)
    assert "sumaho_session" not in cookies(again)


def test_another_site_cannot_sign_a_browser_in_or_out(server):
    url, path = server
    _sid, code = fresh_code(path)
    assert request(url, "POST", "/auth/session", {"code": code, "next": "/"}, {"Sec-Fetch-Site": "cross-site"}).status == 403
    assert request(url, "POST", "/auth/session", {"code": code, "next": "/"}, {"Origin": "https://evil.example"}).status == 403
    assert request(url, "POST", "/auth/sign-out", {}, {"Sec-Fetch-Site": "cross-site"}).status == 403
    # The code was not spent by the refused attempts.
    assert request(url, "POST", "/auth/session", {"code": code, "next": "/"}, SAME_SITE).status == 303


def test_the_landing_page_must_be_a_page_of_this_site(server):
    url, path = server
    for target in ("https://evil.example/", "//evil.example", "/\\evil", "javascript:alert(1)"):
        _sid, code = fresh_code(path)
        response = request(url, "POST", "/auth/session", {"code": code, "next": target}, SAME_SITE)
        assert response.headers["location"] == "/"


def test_sign_out_ends_the_session_and_drops_the_cookie(server):
    url, path = server
    sid, code = fresh_code(path)
    token = cookies(request(url, "POST", "/auth/session", {"code": code, "next": "/"}, SAME_SITE))["sumaho_session"].value
    response = request(url, "POST", "/auth/sign-out", {}, {**SAME_SITE, "Cookie": f"sumaho_session={token}"})
    assert response.status == 303 and response.headers["location"] == "/"
    dropped = cookies(response)["sumaho_session"]
    assert dropped.value in ("", '""') and dropped["max-age"] == "0"
    with db.connect(path) as handle:
        assert sign_in_sessions.end_reason(handle, sid) == "sign_out"


def test_every_browser_gets_its_own_id_cookie_once(server):
    url, _path = server
    first = cookies(request(url, "GET", "/"))["sumaho_browser"]
    second = cookies(request(url, "GET", "/"))["sumaho_browser"]
    assert first.value != second.value and len(first.value) >= 32
    assert first["httponly"] and first["samesite"].lower() == "strict"
    known = request(url, "GET", "/", headers={"Cookie": f"sumaho_browser={first.value}"})
    assert "sumaho_browser" not in cookies(known)


def test_an_unknown_calendar_token_still_gets_a_404(server):
    url, _path = server
    assert request(url, "GET", "/calendar/unknown.ics").status == 404
