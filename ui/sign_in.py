"""Who is signed in to this browser: sign-in, the cookie hand-off, sign-out,
the page guard and the timer that clears an unattended screen (issue 11).

The server keeps the sign-in session (`db.sign_in_sessions`); this browser tab
remembers its id in `st.session_state`, and the browser holds its token in an
HttpOnly cookie set by serve.py's ``POST /auth/session``, so a reload, a new tab
or a server restart finds it again. Every run of the app asks the server
(`resolve`), so a session ended anywhere — sign-out in another tab, an admin
disabling the account, the idle timeout — signs this tab out at its next run.
"""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Callable
from urllib.parse import urlencode

import streamlit as st

import db
from db import accounts, sign_in_sessions
from db.permissions import Actor
from locales import _
from ui.feedback import Outcome, flash, run_write, show_flash
from ui.navigation import home_page, may_open

COOKIE = "sumaho_session"
BROWSER_COOKIE = "sumaho_browser"
EXCHANGE_PATH = "/auth/session"
SIGN_OUT_PATH = "/auth/sign-out"
ACTOR_KEY = "actor"
SID_KEY = "_sign_in_id"
HANDOFF_KEY = "_cookie_handoff"
# This tab (or, after a reload, this browser) had someone signed in before:
# the next person lands on their own home page, not on the previous user's URL.
PREVIOUS_KEY = "_previous_user"
PAGE_KEY = "_page"
# An unattended screen is cleared within this long of its session ending.
WATCH_EVERY = timedelta(seconds=30)



def _ended_message(reason: str) -> str:
    """Why this tab was signed out, in the user's language."""
    messages = {
        "idle": _("しばらく操作がなかったため、サインアウトしました。もう一度サインインしてください。"),
        "expired": _("サインインから12時間たったため、サインアウトしました。もう一度サインインしてください。"),
        "password": _("パスワードが変わったため、サインアウトしました。新しいパスワードでサインインしてください。"),
        "deactivated": _("このアカウントは無効になりました。"),
        "role": _("役割が変わったため、サインアウトしました。もう一度サインインしてください。"),
        "admin": _("管理者がサインイン状態を終了しました。もう一度サインインしてください。"),
    }
    return messages.get(reason, _("サインアウトしました。"))


def _text(value: object) -> str:
    # Without a browser (AppTest) the request context is a stand-in object.
    return value if isinstance(value, str) else ""


def client() -> accounts.Client:
    """This browser as sign-in sees it: its id cookie (set by serve.py), IP
    address and User-Agent ("" where unknown, e.g. under AppTest)."""
    context = st.context
    return accounts.Client(
        browser_id=_text(context.cookies.get(BROWSER_COOKIE)),
        ip=_text(context.ip_address),
        user_agent=_text(context.headers.get("User-Agent")),
    )


def resolve(touch: bool = True) -> Actor | None:
    """Find this run's sign-in session on the server and remember its actor; call
    once at the top of every run (app.py). A session that ended since the last
    run signs the tab out with a message saying why.

    Args:
        touch: count this run as the user's activity.
    Returns:
        the signed-in Actor, or None.
    """
    state = st.session_state
    sid, token = state.get(SID_KEY), _text(st.context.cookies.get(COOKIE))
    with db.connect() as database:
        found = sign_in_sessions.resolve(database, sid, token, touch=touch)
        reason = "" if found else sign_in_sessions.end_reason(database, sid, token)
    if found is not None:
        state[SID_KEY], state[ACTOR_KEY] = found.id, found.actor
        return found.actor
    if reason:
        state[PREVIOUS_KEY] = True
    if state.pop(SID_KEY, None) is not None and reason:
        flash("info", _ended_message(reason))
    state.pop(ACTOR_KEY, None)
    return None


def current_actor() -> Actor | None:
    """The signed-in account of this run (after `resolve`), or None."""
    return st.session_state.get(ACTOR_KEY)


def actor() -> Actor:
    """The signed-in account; pages run only after `guard` checked there is one."""
    return st.session_state[ACTOR_KEY]


def attempt(action: Callable[..., object], *args: object, success: str | Callable[[object], str] = "", **kwargs: object) -> Outcome:
    """Run a db write in a callback as the signed-in actor:
    action(database, actor, *args, **kwargs). A refused rule becomes an error
    message and changes nothing; see `ui.feedback.run_write`.

    Returns:
        Outcome (true when it worked).
    """
    return run_write(action, actor(), *args, success=success, **kwargs)


def _landing(who: Actor) -> str:
    """Where `who` goes after signing in: the page this browser asked for when it
    came fresh (a link or bookmark) and the role may open it; else their home."""
    state = st.session_state
    page = state.get(PAGE_KEY, "")
    home = home_page(who.role)
    if not state.get(PREVIOUS_KEY) and page and page != home and may_open(who.role, page):
        query = urlencode(st.query_params.to_dict())
        return f"/{page}" + (f"?{query}" if query else "")
    # The home page is the menu's default, which Streamlit serves at "/" only.
    return "/"


def start(who: Actor) -> None:
    """Open a server-side sign-in session for an account whose password (or
    single sign-on) was just accepted, and queue the hand-off that gives this
    browser its cookie."""
    info = client()
    with db.connect() as database:
        user_id = accounts.user_id_of(database, who.username)
        sid = sign_in_sessions.start(database, user_id, info.user_agent, info.key if info.browser_id else "")
        code = sign_in_sessions.issue_code(database, sid)
    state = st.session_state
    state[SID_KEY], state[ACTOR_KEY] = sid, who
    state[HANDOFF_KEY] = (EXCHANGE_PATH, {"code": code, "next": _landing(who)})


def sign_out() -> None:
    """Sign the account out everywhere (every sign-in session ends) and have the
    browser drop its cookie."""
    who = current_actor()
    if who is not None:
        run_write(accounts.sign_out, who)
    state = st.session_state
    for key in (SID_KEY, ACTOR_KEY):
        state.pop(key, None)
    state[PREVIOUS_KEY] = True
    state[HANDOFF_KEY] = (SIGN_OUT_PATH, {})


def hand_off(current_page: str) -> str | None:
    """Give the browser a queued hand-off: a form the page posts at once to
    serve.py, which sets (or clears) the cookie and loads the landing page.
    Call from app.py after `st.navigation`.

    Returns:
        the landing page key to switch to when this run is on another page
        (the hand-off waits for that run), else None.
    """
    pending = st.session_state.get(HANDOFF_KEY)
    if pending is None:
        return None
    action, fields = pending
    target = fields.get("next", "/").split("?")[0].strip("/")
    if target and target != current_page:
        return target
    if not target and st.session_state.get(ACTOR_KEY) is not None:
        home = home_page(st.session_state[ACTOR_KEY].role)
        if home and home != current_page:
            return home
    st.session_state.pop(HANDOFF_KEY)
    inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items())
    st.html(
        f'<form id="sumaho-handoff" method="post" action="{html.escape(action)}">{inputs}</form>'
        '<script>document.getElementById("sumaho-handoff").submit();</script>',
        unsafe_allow_javascript=True,
    )
    return None


@st.fragment(run_every=WATCH_EVERY)
def watch() -> None:
    """Every 30 s, without counting as activity: when this tab's session has
    ended (idle timeout, sign-out elsewhere, account disabled), rerun the whole
    app so the screen shows the sign-in form instead of residents' data."""
    if st.session_state.get(SID_KEY) is None:
        return
    with db.connect() as database:
        found = sign_in_sessions.resolve(database, st.session_state[SID_KEY], None, touch=False)
    if found is None:
        st.rerun(scope="app")


def _sign_in_submitted() -> None:
    state = st.session_state
    outcome = run_write(accounts.authenticate, state["login_username"], state["login_password"], client())
    # The password never stays in the session, right or wrong.
    state["login_password"] = ""
    if outcome:
        start(outcome.value)


def sign_in_form() -> None:
    """The sign-in form (user name, password); on success the page reruns signed in."""
    with st.form("sign_in", enter_to_submit=True):
        st.text_input(_("ユーザー名"), key="login_username", max_chars=32)
        st.text_input(_("パスワード"), type="password", key="login_password")
        st.form_submit_button(_("サインイン"), type="primary", on_click=_sign_in_submitted, key="login_submit")


def guard(page_key: str) -> Actor:
    """Stop the page unless the signed-in role may open it (not only hidden in the
    menu). Signed out, the page asks to sign in first and then shows itself.

    Returns:
        the signed-in actor.
    """
    who = current_actor()
    if who is None:
        st.title(_("サインイン"))
        show_flash()
        sign_in_form()
        st.stop()
    if not may_open(who.role, page_key):
        st.error(_("このページを見る権限がありません。"), icon=":material/block:")
        st.stop()
    return who
