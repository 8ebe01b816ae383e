"""The server entry point: `streamlit run serve.py` serves app.py plus the few
routes that are not pages, and runs housekeeping.

- ``GET /calendar/<token>.ics``: a volunteer's calendar subscription (カレンダー購読),
  polled by calendar apps without signing in (issue 5);
- ``POST /auth/session``: trades the one-time code a freshly signed-in page posts
  for the sign-in cookie, then loads the landing page (issue 11);
- ``POST /auth/sign-out``: ends this browser's sign-in session and drops the cookie;
- every response gives a browser without one its own random id cookie, so a
  sign-in lockout locks that browser only, not the account (issue 13).

At start, and every 15 minutes after, the server runs housekeeping (offers
passing on, the daily backup, sign-ins ending) in a thread of its own.

The routes are as thin as pages: `db` checks codes and tokens, `views` and
`printouts` write the bytes.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from http.cookies import SimpleCookie

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from streamlit.starlette import App

import db
from db import feeds, housekeeping, sign_in_sessions
from db.clock import now_jst
from ui.sign_in import BROWSER_COOKIE, COOKIE, EXCHANGE_PATH, SIGN_OUT_PATH
from views.calendar import shifts_ics

FEED_PATH = "/calendar/{token}.ics"
# Where a hand-off may send the browser: a page path, optionally with a plain query.
LANDING = re.compile(r"^/[a-z_-]*(\?[A-Za-z0-9_=&%.-]{0,200})?$")
BROWSER_ID_DAYS = 400


def feed_body(token: str) -> bytes | None:
    """The iCalendar bytes of the volunteer a token belongs to, or None for an
    unknown or revoked token."""
    with db.connect() as handle:
        volunteer_id = feeds.volunteer_for_token(handle, token)
        if volunteer_id is None:
            return None
        shifts = feeds.feed_shifts(handle, volunteer_id)
    return shifts_ics(shifts, now_jst())


async def calendar_feed(request: Request) -> Response:
    """GET /calendar/<token>.ics: 200 text/calendar (never cached), or 404 for an
    unknown or revoked token — the same answer, so a token cannot be probed."""
    body = await run_in_threadpool(feed_body, request.path_params["token"])
    if body is None:
        return PlainTextResponse("Not Found", status_code=404)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"},
    )


def _https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


def _same_origin(request: Request) -> bool:
    """Whether a POST comes from this site's own page (no cross-site form can
    sign a browser in or out): Sec-Fetch-Site, else Origin, must say so."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.headers.get('host', '')}"


def _set_cookie(response: Response, request: Request, token: str) -> None:
    # A session cookie (no Max-Age): closing the browser of a shared counter PC
    # drops it; the server ends the session after 30 idle minutes or 12 hours.
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/", secure=_https(request))


async def exchange(request: Request) -> Response:
    """POST /auth/session (form: code, next): set the sign-in cookie for a valid
    one-time code and go to `next` (a page path); 403 from another site."""
    if not _same_origin(request):
        return PlainTextResponse("Forbidden", status_code=403)
    form = await request.form()
    landing = str(form.get("next", "/"))
    token = await run_in_threadpool(_exchange_code, str(form.get("code", "")))
    response = RedirectResponse(landing if LANDING.match(landing) else "/", status_code=303)
    if token is not None:
        _set_cookie(response, request, token)
    return response


def _exchange_code(code: str) -> str | None:
    with db.connect() as handle:
        return sign_in_sessions.exchange_code(handle, code)


def _end_by_token(token: str) -> None:
    with db.connect() as handle:
        sign_in_sessions.end_by_token(handle, token)


async def sign_out(request: Request) -> Response:
    """POST /auth/sign-out: end the cookie's session (if it still runs), drop
    the cookie and show the sign-in page at /; 403 from another site."""
    if not _same_origin(request):
        return PlainTextResponse("Forbidden", status_code=403)
    await run_in_threadpool(_end_by_token, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=_https(request))
    return response


class BrowserId:
    """ASGI middleware: a browser without a ``sumaho_browser`` cookie gets one (a
    random id, HttpOnly, SameSite=Strict, 400 days), so sign-in can lock out the
    browser that failed rather than the account."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = SimpleCookie()
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                with contextlib.suppress(Exception):
                    cookies.load(value.decode("latin-1"))
        if BROWSER_COOKIE in cookies:
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"
        value = (
            f"{BROWSER_COOKIE}={secrets.token_urlsafe(24)}; Path=/; Max-Age={BROWSER_ID_DAYS * 86400}; "
            f"HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")
        )

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", value)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


@contextlib.asynccontextmanager
async def lifespan(_app):
    """Create or migrate the database, then run housekeeping now and every 15 minutes."""
    path = db.init_db()
    stop = housekeeping.start_timer(path)
    try:
        yield None
    finally:
        stop.set()


app = App(
    "app.py",
    routes=[
        Route(FEED_PATH, calendar_feed, methods=["GET", "HEAD"]),
        Route(EXCHANGE_PATH, exchange, methods=["POST"]),
        Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
    ],
    middleware=[Middleware(BrowserId)],
    lifespan=lifespan,
)
