"""Helpers for the browser tests: a Streamlit server on a free port and Debian's
chromium driven by Playwright (launch flags from stack_notes.md)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
# A page rerun can take seconds while the other test worker is busy: wait for
# expectations as long as for actions (Playwright's own default is 5 s).
TIMEOUT_MS = 30_000
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(db_file: Path, now: datetime | None = None, port: int | None = None) -> Iterator[str]:
    """Serve serve.py (app.py, its routes and housekeeping) with SUMAHO_DB=db_file;
    yields the base URL.

    Args:
        now: the server's clock at start (default: the test's clock now).
        port: a fixed port (to restart a server at the same address); default free.
    """
    from db.clock import CLOCK_ENV, now_utc

    port = port or free_port()
    env = {**os.environ, "SUMAHO_DB": str(db_file), CLOCK_ENV: (now or now_utc()).isoformat()}
    # The server's output goes to a file: an unread pipe fills up (64 KB of log
    # lines in a long test) and then stops the server mid-test.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(log.read().decode(errors="replace") or "server died")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _fontconfig() -> Path:
    """A fontconfig file adding the shipped BIZ UDPGothic to the system fonts, so
    screenshots show Japanese text instead of empty boxes."""
    conf = Path(tempfile.gettempdir()) / "sumaho-fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{ROOT / 'printouts' / 'fonts'}</dir></fontconfig>",
        encoding="utf-8",
    )
    return conf


def launch(playwright):
    """Debian's chromium, headless, with the flags this machine needs (stack_notes.md)
    and the shipped Japanese font."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig())}
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=env)


def sign_in(page, url: str, username: str, password: str, path: str = "/") -> None:
    """Open `path` (a signed-out browser shows the sign-in form there), sign in,
    follow the cookie hand-off (the page reloads signed in) and wait for the
    signed-in sidebar."""
    page.goto(url + path)
    page.get_by_label("ユーザー名", exact=True).fill(username)
    page.get_by_label("パスワード", exact=True).fill(password)
    with page.expect_navigation(url=lambda u: "/auth/" not in u, timeout=TIMEOUT_MS):
        page.get_by_role("button", name="サインイン").click()
    page.get_by_role("button", name="サインアウト").wait_for()


def settle(page) -> None:
    """Wait until Streamlit has finished rerunning the script (its "running"
    indicator is gone), so the next click does not hit an element being replaced."""
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS)


def choose(page, label: str, text: str) -> None:
    """Pick the option of a Streamlit selectbox whose text contains `text`: type it
    to filter, then take the highlighted option with Enter. A rerun that redraws
    the box while typing closes its list, or leaves the old box in the page a
    moment, so the pick is tried again (3 times)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        settle(page)
        box = page.get_by_label(label, exact=True)
        if box.count() > 1 and attempt < 2:
            # The box of the previous run, not yet taken away: wait for the redraw.
            page.wait_for_timeout(1_000)
            continue
        try:
            box.click()
            box.fill(text)
        except PlaywrightError as err:
            # A rerun drew the new box between the count and the click.
            if "strict mode violation" not in str(err) or attempt == 2:
                raise
            page.wait_for_timeout(1_000)
            continue
        try:
            page.get_by_role("option").filter(has_text=text).first.wait_for(timeout=8_000)
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            continue
        box.press("Enter")
        settle(page)
        return
