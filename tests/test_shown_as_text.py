"""Users' text is shown as text on every page (issue 13 item 4).

Names, notes, reasons, case text and venue names full of Markdown, HTML and
Streamlit's own syntax go through every page as each role sees it. Everything the
pages hand Streamlit as Markdown (texts, captions, messages, headings, table cells,
radio options and labels) must carry that syntax only escaped: an image that would
be fetched, a link, colour, math, emphasis, code or an emoji shortcode must never
reach the browser as syntax. `plain.md` is also checked on its own against a
CommonMark reading of its output.

"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import db
from db import accounts, attendees, bookings, sessions, settings, tickets, venues, volunteers
from db.permissions import Actor
from db.text import normalise_name
from tests.conftest import ADMIN, STAFF, at, run_app, working_day
from ui import plain

EVIL = "evil.example"
NAMES = [
    f"![画像](http://{EVIL}/b.gif)",
    f"[リンク](http://{EVIL})",
    "**太字** :smile: __下線__",
    "$x^2$ `コード` :red[赤字]",
    f"~~消~~ www.{EVIL} a@{EVIL}",
]
NOTE = f"- 箇条書き\n# 見出し\n<img src=http://{EVIL}/n.gif>\n    字下げ :material/home:"
# What must never reach the browser unescaped, in any element of any page.
FORBIDDEN = [
    "![画像](", "[画像](", "[リンク](", "**太字**", "__下線__", ":smile:", "$x^2$", "`コード`", ":red[", "~~消~~",
    f"www.{EVIL}", f"a@{EVIL}", "<img", "- 箇条書き", "# 見出し", ":material/home:", f"http://{EVIL}",
    "<b>", "[休館](", "**要約**", "![図](",
]
PASSWORD = "kawasemi-no-hane-42"


@pytest.fixture
def hostile(database):
    """A centre whose every user-typed text is hostile. Returns what the pages need."""
    return seed(database)


def seed(database) -> dict:
    """Fill an empty database with hostile text everywhere; accounts "admin-test",
    "staff-hostile" and "vol-hostile" share `PASSWORD`. Returns the ids pages need."""
    accounts.create_first_admin(database, "admin-test", PASSWORD)
    accounts.create_user(database, ADMIN, "staff-hostile", PASSWORD, "staff")
    settings.update_settings(database, ADMIN, centre_name=f"**センター** ![c](http://{EVIL}/c.gif)", centre_phone="03-0000-0000")
    venue = venues.create_venue(database, ADMIN, f"<b>会館</b> [場所](http://{EVIL})", "テスト市1-1", "03-0000-0000")
    room = venues.create_room(database, ADMIN, venue, ":red[研修室] $y$", 4)
    day = working_day(10)
    session_id = sessions.create_session(database, STAFF, "line-basics", room, at(day, 10), at(day, 11), 4, NOTE)
    venues.add_closure(database, ADMIN, venue, working_day(20), f"[休館](http://{EVIL}) **点検**")
    people = []
    for n, name in enumerate(NAMES):
        people.append(attendees.register_attendee(database, STAFF, name, "テスト", f"090-0000-{n:04d}", True, note=NOTE, allow_duplicate=True))
    for person in people[:4]:
        bookings.book(database, STAFF, session_id, person)
    bookings.book(database, STAFF, session_id, people[4], waitlist=True)
    volunteer = volunteers.register_volunteer(database, STAFF, "<b>ボラ</b> :red[赤]", "ボラ", "090-0000-0100", "promoter", [])
    accounts.create_user(database, ADMIN, "vol-hostile", PASSWORD, "volunteer", volunteer_id=volunteer)
    volunteers.assign_shift(database, STAFF, session_id, volunteer, "lead")
    case = tickets.open_ticket(
        database, STAFF, channel="visit", category="line", summary=f"**要約** ![図](http://{EVIL}/t.gif)", attendee_id=people[0],
        notes=NOTE, os=":red[iOS]",
    )
    tickets.update_ticket(database, STAFF, case, outcome=NOTE, next_step=f"[次](http://{EVIL})")
    return {"session": session_id, "ticket": case, "volunteer": Actor("vol-hostile", "volunteer", volunteer)}


def shown_as(text: str) -> str:
    """How a stored name reads in the page's Markdown (spaces stored as U+3000)."""
    return plain.md(normalise_name(text))


def markdown_texts(app) -> list[str]:
    """Every string the page handed Streamlit to draw as Markdown."""
    texts = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "title", "header", "subheader"):
        texts.extend(str(e.value) for e in getattr(app, kind))
    for table in app.table:
        frame = table.value
        texts.extend(str(v) for v in frame.to_numpy().ravel())
    for radio in app.radio:
        texts.extend(str(o) for o in radio.options)
        texts.append(str(radio.label))
    for kind in ("checkbox", "button", "expander", "tabs"):
        for element in getattr(app, kind):
            texts.append(str(getattr(element, "label", "")))
    return texts


def assert_nothing_formatted(app, page: str) -> str:
    assert not app.exception, (page, app.exception)
    texts = markdown_texts(app)
    for text in texts:
        for raw in FORBIDDEN:
            assert raw not in text, (page, raw, text)
    return "\n".join(texts)


PAGES = [
    ("schedule", STAFF), ("calendar", STAFF), ("bookings", STAFF), ("attendance", STAFF), ("attendees", STAFF),
    ("volunteers", STAFF), ("printouts", STAFF), ("helpdesk", STAFF), ("reports", STAFF), ("lessons", STAFF),
    ("account", STAFF), ("venues", ADMIN), ("accounts", ADMIN), ("audit", ADMIN), ("retention", ADMIN), ("backups", ADMIN),
]


@pytest.mark.parametrize("page, who", PAGES, ids=[p for p, _who in PAGES])
def test_hostile_text_is_shown_as_text_on_every_page(hostile, page, who, clock):
    if page == "attendance":  # the class is on: its attendance is open
        with db.connect() as handle:
            clock.move_to(sessions.get_session(handle, hostile["session"]).starts_at)
    app = run_app(who)
    if page != "schedule":
        app.switch_page(f"app_pages/{page}.py").run()
    shown = assert_nothing_formatted(app, page)
    # Pages with a search or a picker: drive them to where the hostile text shows.
    if page == "bookings":
        app.text_input(key="attendee_query").input("テスト").run()
        shown = assert_nothing_formatted(app, page)
        assert shown_as(NAMES[0]) in shown and shown_as(NAMES[4]) in shown  # booked, and on the waitlist
    elif page == "attendance":
        assert shown_as(NAMES[0]) in shown
    elif page == "attendees":
        app.text_input(key="registry_query").input("テスト").run()
        shown = assert_nothing_formatted(app, page)
        assert shown_as(NAMES[2]) in shown
    elif page == "helpdesk":
        # The case list; an opened case is checked in a real browser
        # (tests/test_browser_hostile.py): AppTest carries a selectbox's labels
        # over between tests, which breaks the helpdesk page tests that follow.
        assert plain.md(f"**要約** ![図](http://{EVIL}/t.gif)") in shown

    elif page == "venues":
        assert "休館" in shown
    elif page == "retention":
        app.text_input(key="erase_query").input("テスト").run()
        assert_nothing_formatted(app, page)
    elif page == "volunteers":
        assert shown_as("<b>ボラ</b> :red[赤]") in shown


@pytest.mark.parametrize("page", ["my_schedule", "calendar", "helpdesk", "lessons", "account"])
def test_hostile_text_is_shown_as_text_to_volunteers(hostile, page):
    app = run_app(hostile["volunteer"])
    app.switch_page(f"app_pages/{page}.py").run()
    shown = assert_nothing_formatted(app, page)
    if page == "my_schedule":
        assert shown_as(NAMES[0]) in shown  # the roster of their own session


def test_a_refusal_that_quotes_a_file_is_shown_as_text(hostile):
    app = run_app(STAFF)
    app.switch_page("app_pages/attendees.py").run()
    # The importer's message quotes the cell; the flash shows it as text.
    from ui import flash  # noqa: F401 - the page shows flashes through ui.show_flash

    app.session_state["_flash"] = [("error", f"年代「![x](http://{EVIL}/x.gif)」が読み取れません。")]
    app.run()
    assert_nothing_formatted(app, "attendees")


# --- plain.md on its own ---------------------------------------------------------------


def unescape(markdown: str) -> str:
    """What a CommonMark reader shows for text with no syntax but escapes and hard breaks."""
    out, i = [], 0
    markdown = markdown.replace("  \n", "\n").replace("\u00a0", " ").replace("\u2060", "")
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown) and markdown[i + 1] in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~":
            out.append(markdown[i + 1])
            i += 2
        else:
            out.append(markdown[i])
            i += 1
    return "".join(out)


@given(st.text(alphabet=st.sampled_from(list("!*_[]()<>`~$:#-+=.|&@\\ \nabc12あ漢www")), max_size=40))
def test_md_shows_exactly_the_text(text):
    shown = plain.md(text)
    assert unescape(shown) == text.replace("\r\n", "\n").replace("\t", "    ")
    # No Markdown construct can start: every mark that means something anywhere is escaped.
    for i, ch in enumerate(shown):
        if ch in "*_[]<>`~$&@|":
            assert i > 0 and shown[i - 1] == "\\", (text, shown)
