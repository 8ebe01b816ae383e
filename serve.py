"""The server entry point: `streamlit run serve.py` serves app.py plus the one
route that is not a page — a volunteer's calendar subscription (カレンダー購読),
``/calendar/<token>.ics``, polled by calendar apps without signing in (issue 5).

The route is as thin as a page: `db.feeds` checks the token and reads the shifts,
`printouts.calendar` writes the iCalendar bytes.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from streamlit.starlette import App

import db
from db import feeds, volunteers
from db.clock import now_jst
from locales import _
from printouts.calendar import CalendarEntry, render_ics

FEED_PATH = "/calendar/{token}.ics"


def feed_body(token: str) -> bytes | None:
    """The iCalendar bytes of the volunteer a token belongs to, or None for an
    unknown or revoked token. Titles carry the role: 「講師：スマホの基本（会場）」."""
    with db.connect() as handle:
        volunteer_id = feeds.volunteer_for_token(handle, token)
        if volunteer_id is None:
            return None
        shifts = feeds.feed_shifts(handle, volunteer_id)
    stamp = now_jst()
    return render_ics(
        [
            CalendarEntry(
                session_id=s.session.id,
                title=f"{_(volunteers.ROLES[s.role])}：{s.session.lesson_title}（{s.session.venue_name}）",
                starts_at=s.session.starts_at,
                ends_at=s.session.ends_at,
                location=f"{s.session.venue_name} {s.session.room_name}",
                description="",
                stamp=stamp,
                cancelled=s.cancelled,
            )
            for s in shifts
        ]
    )


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


app = App("app.py", routes=[Route(FEED_PATH, calendar_feed, methods=["GET", "HEAD"])])
