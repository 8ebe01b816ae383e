"""`make bench`: every DESIGN.md §10 target judged on the "large city, ten years"
data set, with a 4× "prefecture" column for headroom.

Prints each figure beside its target with PASS / FAIL and exits 1 on any FAIL at
1×; writes the figures as JSON to bench/results/ and, after a full run, the table
to bench/RESULTS.md. The data sets are built once and cached in bench/data/.

Kept in an importable module so spawned racing processes can find their function.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Streamlit's "run it with streamlit run" warnings from AppTest and the racers
# would bury the table.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

from bench import harness  # noqa: E402
from bench.harness import CITY, PREFECTURE, QUARTER_HISTORY, Result, at_least, at_most, failed  # noqa: E402

PAGE_MS, GROWTH, BROWSER_MS = 200, 1.2, 2000
# Pairs of samples behind a growth ratio: with five, ratios of pages that do not
# grow at all crossed 1.2 × in one run of three on a busy host.
GROWTH_PAIRS = 15
BOOKINGS_PER_S, HANDOUT_MS, HANDOUTS_100_MS, PACK_MS, COLD_S, RSS_MB = 2000, 100, 3000, 500, 3, 400
# Pages that show a window (a day, a month, one session, a queue, a date range):
# their cost must not grow with the years of history.
WINDOW_PAGES = ("schedule", "calendar", "bookings", "attendance", "printouts", "helpdesk", "reports", "my_schedule", "audit", "surveys")
GROUPS = ("floors", "pages", "printouts", "booking", "race", "cold_start", "browser", "memory")


def log(text: str) -> None:
    print(text, flush=True)


def _pages() -> list:
    import ui

    return list(ui.PAGES)


def _backups_done_today(directory: Path) -> None:
    """Point the daily backup at a scratch folder holding a backup "taken now", so
    the timer inside the servers does not copy a 0.5 GB file mid-measurement."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"desk-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}.sqlite3").touch()
    os.environ["SUMAHO_BACKUPS"] = str(directory)


def floors(work: dict[str, Path], n: int, scratch: Path) -> list[Result]:
    from bench import pages, printouts, writes

    out = [
        Result("floors", "raw INSERT", round(harness.median_of([writes.insert_rate(work["1x"], 2000) for _ in range(n)])), "rows/s", "", None),
        Result("floors", "bare reportlab page", round(harness.median_of(printouts.bare_page_ms(max(n, 30))), 2), "ms", "", None),
        Result("floors", "hello-world script run", round(harness.median_of(pages.hello_runs(max(n, 10), scratch)), 2), "ms", "", None),
    ]
    (scratch / "hello.py").write_text(pages.HELLO)
    times = []
    for _ in range(n):
        with harness.server(str(scratch / "hello.py"), None) as (_url, _proc, seconds):
            times.append(seconds)
    out.append(Result("floors", "hello-world cold start", round(harness.median_of(times), 2), "s", "", None))
    return out


def page_results(work: dict[str, Path], n: int) -> list[Result]:
    from bench import pages

    out, growth = [], []
    for spec in _pages():
        log(f"  page {spec.key} …")
        runs = pages.page_runs(spec.key, work, max(n, GROWTH_PAIRS) if spec.key in WINDOW_PAGES else n)
        for label, samples in runs.items():
            limit_note = f"as {pages.role_for(spec.key)}"
            if isinstance(samples, str):
                out.append(failed("pages", spec.key, f"≤ {PAGE_MS} ms", samples, label))
            elif len(samples) < harness.MIN_SAMPLES:
                out.append(Result("pages", spec.key, round(min(samples)), "ms", f"≤ {PAGE_MS} ms", False, label,
                                  f"as {pages.role_for(spec.key)}; stopped after {len(samples)} samples, all over 4 s (figure: the fastest)",
                                  [round(x) for x in samples]))
            else:
                out.append(at_most("pages", spec.key, samples, PAGE_MS, "ms", label, limit_note))
        if spec.key in WINDOW_PAGES and all(isinstance(runs.get(k), list) and len(runs[k]) >= harness.MIN_SAMPLES for k in ("1x", "0.25x")):
            ratio = harness.paired_ratio(runs["1x"], runs["0.25x"])
            growth.append(Result("growth", spec.key, round(ratio, 2), "×", f"≤ {GROWTH:g} ×", ratio <= GROWTH, "1x",
                                 f"1× history ÷ 0.25× history, median of {min(len(runs['1x']), len(runs['0.25x']))} pairs taken in turns"))
        elif spec.key in WINDOW_PAGES:
            growth.append(failed("growth", spec.key, f"≤ {GROWTH:g} ×", "page failed or far over its time"))
    return [r for r in out if r.scale != "0.25x"] + growth + [r for r in out if r.scale == "0.25x"]


def printout_results(n: int) -> list[Result]:
    from bench import printouts

    return [
        at_most("printouts", "handout (warm)", printouts.handout_ms(max(n, 30)), HANDOUT_MS, "ms"),
        at_most("printouts", "100 handouts, one PDF", printouts.handouts_100_ms(n), HANDOUTS_100_MS, "ms"),
        at_most("printouts", "session pack, 30 attendees", printouts.session_pack_ms(n), PACK_MS, "ms"),
    ]


def booking_results(work: dict[str, Path], n: int, floor: float | None) -> list[Result]:
    from bench import writes

    out = []
    for label in ("1x", "4x"):
        if label not in work:
            continue
        stage = writes.Stage(work[label])
        who = writes.people(work[label], 2000)
        rates = [writes.booking_rate(stage, who) for _ in range(n)]
        note = f"{floor / harness.median_of(rates):.1f} raw INSERTs' time each" if floor else ""
        out.append(at_least("booking", "bookings per second", rates, BOOKINGS_PER_S, "/s", label, note))
    return out


def race_results(work: dict[str, Path], n: int) -> list[Result]:
    from bench import writes

    stage = writes.Stage(work["1x"])
    who = writes.people(work["1x"], 170)
    outcomes = [writes.race(stage, who, capacity=100, taken=90) for _ in range(n)]
    bad = [o for o in outcomes if not o["ok"]]
    seconds = [o["seconds"] or 0 for o in outcomes]
    note = bad[0]["why"] if bad else (f"{n} races × 8 processes × 10 tries for the last 10 of 100 seats; "
                                      f"{outcomes[0]['refused']} refused each as expected")
    return [Result("race", "8 processes, last seats", round(harness.median_of(seconds), 2), "s",
                   "0 overbooked, 0 lost", not bad, "1x", note, seconds)]


def cold_start_results(work: dict[str, Path], n: int, floor: float | None) -> list[Result]:
    times = []
    try:
        for _ in range(n):
            with harness.server("serve.py", work["1x"]) as (_url, _proc, seconds):
                times.append(seconds)
    except harness.ServerDied as err:
        return [failed("cold_start", "serve.py to health ok", f"≤ {COLD_S} s", str(err))]
    note = f"{harness.median_of(times) / floor:.2f}× hello-world" if floor else ""
    return [at_most("cold_start", "serve.py to health ok", times, COLD_S, "s", "1x", note)]


def browser_results(work: dict[str, Path], n: int) -> list[Result]:
    from bench import browser, pages

    out = []
    for label in ("1x", "4x"):
        if label not in work:
            continue
        by_role: dict[str, list] = {}
        for spec in _pages():
            by_role.setdefault(pages.role_for(spec.key), []).append(spec)
        for role, specs in by_role.items():
            log(f"  browser {label} as {role} …")
            try:
                with harness.server("serve.py", work[label]) as (url, _proc, _s):
                    # A lone page is measured against 講座一覧, so that each click is a navigation.
                    companion = ["講座一覧"] if len(specs) == 1 else []
                    timings = browser.time_to_content(url, role, [s.title for s in specs] + companion, n)
            except harness.ServerDied as err:
                out += [failed("browser", s.key, f"≤ {BROWSER_MS} ms", str(err), label) for s in specs]
                continue
            for s in specs:
                samples = timings[s.title]
                if isinstance(samples, str):
                    out.append(failed("browser", s.key, f"≤ {BROWSER_MS} ms", samples, label))
                else:
                    out.append(at_most("browser", s.key, samples, BROWSER_MS, "ms", label, f"as {role}"))
    return out


def memory_results(work: dict[str, Path]) -> list[Result]:
    from bench import browser, pages

    out = []
    titles = [s.title for s in _pages() if pages.role_for(s.key) == "staff"]
    for label in ("1x", "4x"):
        if label not in work:
            continue
        log(f"  memory {label} …")
        readings: list[float] = []
        try:
            with harness.server("serve.py", work[label]) as (url, proc, _s):
                problems = browser.concurrent_sessions(url, titles, 5, 2, on_round=lambda: readings.append(harness.rss_mb(proc.pid)[1]))
                peak = harness.rss_mb(proc.pid)[1]
        except harness.ServerDied as err:
            out.append(failed("memory", "RSS, 5 staff sessions", f"≤ {RSS_MB} MB", str(err), label))
            continue
        note = "peak RSS (VmHWM) of the server; every staff page twice in 5 sessions at once"
        if problems:
            out.append(Result("memory", "RSS, 5 staff sessions", round(peak), "MB", f"≤ {RSS_MB} MB", False, label,
                              f"pages did not show: {'; '.join(problems[:3])}"))
        else:
            out.append(Result("memory", "RSS, 5 staff sessions", round(peak), "MB", f"≤ {RSS_MB} MB", peak <= RSS_MB, label, note,
                              [round(r) for r in readings]))
    return out


def _run_group(group: str, work: dict[str, Path], n: int, floor: dict) -> list[Result]:
    if group == "pages":
        return page_results(work, n)
    if group == "printouts":
        return printout_results(n)
    if group == "booking":
        return booking_results(work, n, floor.get("raw INSERT"))
    if group == "race":
        return race_results(work, n)
    if group == "cold_start":
        return cold_start_results(work, n, floor.get("hello-world cold start"))
    if group == "browser":
        return browser_results(work, n)
    if group == "memory":
        return memory_results(work)
    return []


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Judge the DESIGN.md §10 targets.")
    parser.add_argument("--samples", type=int, default=5, help="samples per figure (≥ 5)")
    parser.add_argument("--only", default="", help=f"comma-separated groups of {', '.join(GROUPS)}")
    parser.add_argument("--skip-4x", action="store_true", help="leave out the 4× prefecture column")
    args = parser.parse_args(argv)
    n = max(args.samples, harness.MIN_SAMPLES)
    wanted = [g for g in GROUPS if not args.only or g in args.only.split(",")]
    started, load_before = time.time(), os.getloadavg()
    sets = {"1x": CITY, "0.25x": QUARTER_HISTORY} | ({} if args.skip_4x else {"4x": PREFECTURE})
    meta = {label: harness.ensure(data, log) for label, data in sets.items()}
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="sumaho-bench-") as tmp:
        scratch = Path(tmp)
        _backups_done_today(scratch / "backups")
        log("copying the data sets …")
        work = {label: harness.working_copy(data, scratch) for label, data in sets.items()}
        floor_rows = floors(work, n, scratch) if {"floors", "booking", "cold_start"} & set(wanted) else []
        results += floor_rows
        floor = {r.name: r.figure for r in floor_rows}
        for group in wanted:
            log(f"{group} …")
            try:
                results += _run_group(group, work, n, floor)
            except Exception as err:  # noqa: BLE001 - a broken benchmark fails its target, the others still run
                results.append(failed(group, "(benchmark)", "runs", f"{type(err).__name__}: {err}"))
            (scratch / "partial.json").write_text(json.dumps(harness.as_json(results), ensure_ascii=False, default=str))
            harness.RESULTS.mkdir(parents=True, exist_ok=True)
            (scratch / "partial.json").replace(harness.RESULTS / "partial.json")

    log(harness.table(results))
    machine = harness.machine() | {"load_before": load_before, "load_after": os.getloadavg()}
    payload = {"started": datetime.fromtimestamp(started).isoformat(timespec="seconds"), "minutes": round((time.time() - started) / 60, 1),
               "machine": machine, "datasets": meta, "samples": n, "results": harness.as_json(results)}
    log(f"figures: {harness.write_json(payload)}")
    if len(wanted) == len(GROUPS):
        from bench import report

        report.write(payload, results)
        log("table: bench/RESULTS.md")
    failures = [r for r in results if r.passed is False and r.scale == "1x"]
    log(f"{len(failures)} target(s) failed at 1×" if failures else "every target passed at 1×")
    return 1 if failures else 0
