"""The benchmarks, each printed next to its DESIGN.md §10 target (``python -m bench``).

Kept in an importable module so spawned worker processes can find their function.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import db  # noqa: E402
import lessons  # noqa: E402
from db import bookings, sessions, venues  # noqa: E402
from db.clock import now_jst  # noqa: E402
from db.permissions import Actor  # noqa: E402
from printouts.handout import render_handout, render_handouts  # noqa: E402
from printouts.model import Centre, SessionInfo  # noqa: E402

BENCH = Actor("bench", "system")
CENTRE = Centre(name="みどり台コミュニティセンター", phone="03-0000-0000")
RESULTS = ROOT / "bench" / "results"


def _session_info(lesson) -> SessionInfo:
    start = now_jst().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=7)
    return SessionInfo(starts_at=start, ends_at=start + timedelta(minutes=lesson.minutes), room="第1研修室", venue=CENTRE.name)


def bench_handout_one_warm() -> dict:
    """One lesson handout, warm (fonts registered, QR matrices cached): median of 30."""
    lesson = lessons.catalogue()["myna-app"]
    info = _session_info(lesson)
    render_handout(lesson, CENTRE, info)
    times, size = [], 0
    for _ in range(30):
        t = time.perf_counter()
        pdf = render_handout(lesson, CENTRE, info)
        times.append((time.perf_counter() - t) * 1000)
        size = len(pdf)
    return {"median_ms": round(statistics.median(times), 1), "pdf_kb": round(size / 1024, 1), "target": "≤ 100 ms"}


def bench_handouts_100_one_pdf() -> dict:
    """100 handouts (the catalogue, repeated) in one PDF."""
    catalogue = list(lessons.catalogue().values())
    items = [(catalogue[i % len(catalogue)], None) for i in range(100)]
    render_handouts(items[:2], CENTRE)
    t = time.perf_counter()
    pdf = render_handouts(items, CENTRE)
    return {"seconds": round(time.perf_counter() - t, 2), "pdf_kb": round(len(pdf) / 1024, 1), "target": "≤ 3 s"}


def _fresh_centre(path: Path, capacity: int, sessions_count: int) -> list[int]:
    db.init_db(path)
    with db.connect(path) as handle:
        venue = venues.create_venue(handle, BENCH, "ベンチ会館")
        room = venues.create_room(handle, BENCH, venue, "大ホール", 200)
        lesson = next(iter(lessons.catalogue()))
        start = (now_jst() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
        ids = []
        for n in range(sessions_count):
            s = start + timedelta(days=n)
            ids.append(sessions.create_session(handle, BENCH, lesson, room, s, s + timedelta(minutes=90), capacity))
    return ids


def _people(path: Path, n: int) -> list[int]:
    with db.connect(path) as handle:
        with handle.atomic():
            handle["attendees"].insert_all(
                {"name": f"受講者{i}", "name_kana": "ジュコウシャ", "kana_key": "ジュコウシャ", "phone": f"090-0000-{i % 10000:04d}",
                 "phone_digits": f"0900000{i % 10000:04d}", "created_at": "2026-01-01T00:00:00+00:00"}
                for i in range(n)
            )
        return [r[0] for r in handle.execute("select id from attendees order by id")]


def bench_booking_one_process() -> dict:
    """Bookings per second, one process, a connection per booking as the app does."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.sqlite3"
        session_ids = _fresh_centre(path, 200, 10)
        people = _people(path, 2000)
        t = time.perf_counter()
        for i, person in enumerate(people):
            with db.connect(path) as handle:
                bookings.book(handle, BENCH, session_ids[i // 200], person)
        elapsed = time.perf_counter() - t
    return {"bookings_per_s": round(len(people) / elapsed), "target": "≥ 2 000 / s"}


def _racer(path: str, session_id: int, people: list[int], queue) -> None:
    booked = refused = 0
    for person in people:
        with db.connect(path) as handle:
            try:
                bookings.book(handle, BENCH, session_id, person)
                booked += 1
            except db.errors.SessionFull:
                refused += 1
    queue.put((booked, refused))


def bench_booking_race_8_processes() -> dict:
    """8 processes × 50 tries for 100 seats: overbooking and lost bookings must be zero."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.sqlite3"
        (session_id,) = _fresh_centre(path, 100, 1)
        people = _people(path, 400)
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        procs = [ctx.Process(target=_racer, args=(str(path), session_id, people[i::8], queue)) for i in range(8)]
        t = time.perf_counter()
        for p in procs:
            p.start()
        outcomes = [queue.get(timeout=300) for _ in procs]
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - t
        with db.connect(path) as handle:
            stored = handle["bookings"].count_where("session_id = ? and status = 'booked'", [session_id])
    booked = sum(b for b, _ in outcomes)
    return {
        "booked": booked,
        "stored": stored,
        "overbooked": max(stored - 100, 0),
        "lost": booked - stored,
        "seconds": round(elapsed, 2),
        "target": "overbooked 0, lost 0",
    }


def bench_cold_start() -> dict:
    """From starting `streamlit run serve.py` (as `make run` does) to /_stcore/health answering ok (median of 3)."""
    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            port = 8700 + len(times)
            env = {**os.environ, "SUMAHO_DB": str(Path(tmp) / "c.sqlite3")}
            t = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port), "--server.headless", "true"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            try:
                while True:
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                            if r.read() == b"ok":
                                break
                    except OSError:
                        time.sleep(0.05)
                times.append(time.perf_counter() - t)
            finally:
                proc.terminate()
                proc.wait()
    return {"median_s": round(statistics.median(times), 2), "target": "≤ 3 s"}


BENCHMARKS = {name[len("bench_"):]: fn for name, fn in globals().items() if name.startswith("bench_")}


def main(argv: list[str]) -> int:
    wanted = [n for n in BENCHMARKS if not argv or any(a in n for a in argv)]
    results = {}
    for name in wanted:
        results[name] = BENCHMARKS[name]()
        print(f"{name:32} {json.dumps(results[name], ensure_ascii=False)}", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0
