"""Page script runs through Streamlit's AppTest: every page, as staff (admin for
the admin pages, the volunteer for わたしの予定), on several data sets at once.

Samples of the data sets are interleaved (page A at 1×, A at 0.25×, A at 1×, …)
so that a burst of load on the shared machine hits both sides of a growth ratio.
Every `st.cache_data` is cleared before each sample: no cache does the work.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.harness import ROOT, sample

APP = str(ROOT / "app.py")
HELLO = "import streamlit as st\n\nst.title('hello')\nst.write('hello, world')\n"


def actors(db_file: Path) -> dict:
    """The accounts of a bench data set as actors: {"admin", "staff", "volunteer"}."""
    import db
    from bench.dataset import ACCOUNTS
    from db.permissions import Actor

    with db.connect(db_file) as handle:
        rows = {r["role"]: r for r in handle.query(
            "select username, role, volunteer_id from users where username in (?, ?, ?)", [name for name, _pw in ACCOUNTS.values()])}
    return {role: Actor(r["username"], role, r["volunteer_id"]) for role, r in rows.items()}


def signed_in_app(who, db_file: Path):
    """An AppTest of app.py signed in as `who` through a real sign-in session in
    `db_file`. The one place that knows how a run is signed in (as
    tests/conftest.py `run_app` does): adapt it here when sign-in changes."""
    from streamlit.testing.v1 import AppTest

    import db
    from db import sign_in_sessions
    from ui.sign_in import SID_KEY

    with db.connect(db_file) as handle:
        user_id = handle.execute("select id from users where username = ?", [who.username]).fetchone()[0]
        session_id = sign_in_sessions.start(handle, user_id)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[SID_KEY] = session_id
    return at


def role_for(page_key: str) -> str:
    """Who opens a page in the bench: admin pages as admin, わたしの予定 as the
    volunteer, every other page as staff."""
    import ui

    roles = ui.PAGE_BY_KEY[page_key].roles
    return "staff" if "staff" in roles else "admin" if "admin" in roles else "volunteer"


def _use(db_file: Path) -> None:
    os.environ["SUMAHO_DB"] = str(db_file)


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()


def _timed_run(at) -> float | str:
    """One run in milliseconds, or the reason it failed (an exception in the
    page, or AppTest's time-out)."""
    _clear_caches()
    start = time.perf_counter()
    try:
        at.run()
    except RuntimeError as err:
        return f"{err}"
    elapsed = (time.perf_counter() - start) * 1000
    if at.exception:
        return "; ".join(str(e.value)[:200] for e in at.exception)
    return elapsed


def page_runs(page_key: str, datasets: dict[str, Path], n: int, hopeless_ms: float = 4000) -> dict[str, list[float] | str]:
    """Script-run milliseconds of one page on each data set, n samples each after
    a warm-up run, interleaved. A page that takes more than `hopeless_ms` twice on
    a data set gets no further samples there (the verdict is clear, and more would
    make the bench take an hour).

    Returns:
        {label: [ms, …]} or {label: "error text"} when the page raised or timed out.
    """
    script = f"app_pages/{page_key}.py"
    apps, out = {}, {}
    for label, db_file in datasets.items():
        _use(db_file)
        at = signed_in_app(actors(db_file)[role_for(page_key)], db_file)
        at.run()
        at.switch_page(script)
        first = _timed_run(at)
        if isinstance(first, str):
            out[label] = first
            continue
        if first > hopeless_ms:
            second = _timed_run(at)
            if isinstance(second, str) or second > hopeless_ms:
                out[label] = second if isinstance(second, str) else [first, second]
                continue
        apps[label] = at
        out[label] = []
    for _ in range(n):
        for label, at in list(apps.items()):
            _use(datasets[label])
            result = _timed_run(at)
            if isinstance(result, str):
                out[label] = result
                del apps[label]
                continue
            out[label].append(result)
            if len(out[label]) >= 2 and min(out[label]) > hopeless_ms:
                del apps[label]
    return out


def hello_runs(n: int, directory: Path) -> list[float]:
    """The floor: script-run milliseconds of a hello-world page through AppTest."""
    from streamlit.testing.v1 import AppTest

    script = directory / "hello.py"
    script.write_text(HELLO)
    at = AppTest.from_file(str(script), default_timeout=60)
    at.run()
    at.run()
    return sample(at.run, n, before=_clear_caches)
