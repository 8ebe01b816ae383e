"""Real-browser figures (Playwright driving Debian's chromium, as tests/browser.py):
time from a click in the page menu to the page's content, and the server's memory
with several staff sessions at once.

"Content shown" means the new page's title is drawn and Streamlit reports the
script run as finished (``data-test-script-state="notRunning"``), so everything
the page draws on arrival is there.
"""

from __future__ import annotations

import time

from bench.dataset import ACCOUNTS

CONTENT_TIMEOUT_MS = 60_000
_DRAWN = """title => {
  const app = document.querySelector('[data-testid="stApp"]');
  const heading = document.querySelector('h1');
  return !!heading && heading.textContent.trim() === title && !!app
    && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


def sign_in(page, url: str, role: str) -> None:
    """Sign a browser page in as the bench account of `role`. The one place that
    knows the sign-in form (labels ユーザー名 / パスワード / サインイン)."""
    username, password = ACCOUNTS[role]
    page.goto(url + "/")
    page.get_by_label("ユーザー名", exact=True).fill(username)
    page.get_by_label("パスワード", exact=True).fill(password)
    page.get_by_role("button", name="サインイン").click()
    page.get_by_role("button", name="サインアウト").wait_for(timeout=CONTENT_TIMEOUT_MS)
    page.wait_for_function("() => document.querySelector('[data-testid=\"stApp\"]')"
                           "?.getAttribute('data-test-script-state') === 'notRunning'", timeout=CONTENT_TIMEOUT_MS)
    # A long menu shows its first entries and a "View more" button: open it all.
    more = page.get_by_test_id("stSidebarNavViewButton")
    if more.count() and "more" in (more.first.inner_text() or "").lower():
        more.first.click()


def _link(page, title: str):
    return page.locator('[data-testid="stSidebarNavLink"]').filter(has=page.get_by_text(title, exact=True))


def open_page(page, title: str) -> float:
    """Click the menu entry `title`; milliseconds until its content is shown."""
    start = time.perf_counter()
    _link(page, title).click()
    page.wait_for_function(_DRAWN, arg=title, timeout=CONTENT_TIMEOUT_MS)
    return (time.perf_counter() - start) * 1000


def launch(playwright):
    from tests.browser import launch as launch_chromium

    return launch_chromium(playwright)


def time_to_content(url: str, role: str, titles: list[str], n: int) -> dict[str, list[float] | str]:
    """For each page title: n samples of menu click → content, as `role`.

    Returns:
        {title: [ms, …]} or {title: "error"} when the page never showed.
    """
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float] | str] = {t: [] for t in titles}
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        sign_in(page, url, role)
        # The first click must leave the landing page, or nothing reruns.
        titles = titles[1:] + titles[:1]
        for _ in range(n):
            for title in titles:
                if isinstance(out[title], str):
                    continue
                try:
                    out[title].append(open_page(page, title))
                except Exception as err:  # noqa: BLE001 - a page that never shows is a failed target, not a crash
                    out[title] = f"{type(err).__name__}: {str(err)[:200]}"
        browser.close()
    return out


def concurrent_sessions(url: str, titles: list[str], sessions: int, rounds: int, on_round=None) -> list[str]:
    """`sessions` staff browser sessions signed in at once, each opening every
    page `rounds` times, clicks sent to all before waiting for any.

    Args:
        on_round: called after each round (to read the server's memory).
    Returns:
        problems seen ([] when every page showed in every session).
    """
    from playwright.sync_api import sync_playwright

    problems = []
    with sync_playwright() as p:
        browser = launch(p)
        pages = []
        for _ in range(sessions):
            context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            sign_in(page, url, "staff")
            pages.append(page)
        for _ in range(rounds):
            for title in titles:
                for page in pages:
                    try:
                        _link(page, title).click(timeout=CONTENT_TIMEOUT_MS)
                    except Exception as err:  # noqa: BLE001 - counted below, like a page that never shows
                        problems.append(f"{title}: click {type(err).__name__}")
                for page in pages:
                    try:
                        page.wait_for_function(_DRAWN, arg=title, timeout=CONTENT_TIMEOUT_MS)
                    except Exception as err:  # noqa: BLE001
                        problems.append(f"{title}: {type(err).__name__}")
                if on_round:
                    on_round()
                if len(problems) >= sessions * 2:
                    # Pages that do not show within a minute: the verdict is clear.
                    browser.close()
                    return problems
        browser.close()
    return problems
