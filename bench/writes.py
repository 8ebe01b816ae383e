"""Writes on a working copy of a data set: booking throughput against the raw
INSERT floor, and eight processes racing for a session's last seats."""

from __future__ import annotations

import multiprocessing
import queue as queues
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

BENCH_USER = ("bench", "system")
ROOM_SEATS = 200


def _actor():
    from db.permissions import Actor

    return Actor(*BENCH_USER)


class Stage:
    """A bench venue with one large room in a working copy, and sessions in it on
    free future days (a fresh hour each, so rooms never clash)."""

    def __init__(self, path: Path):
        import db
        from db import venues

        self.path = path
        self.count = 0
        with db.connect(path) as handle:
            venue = venues.create_venue(handle, _actor(), "ベンチ会館")
            self.room = venues.create_room(handle, _actor(), venue, "大ホール", ROOM_SEATS)

    def session(self, capacity: int) -> int:
        import db
        import lessons
        from db import sessions
        from db.clock import now_jst

        day = now_jst().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=2)
        start = day + timedelta(days=self.count // 8, hours=self.count % 8)
        self.count += 1
        with db.connect(self.path) as handle:
            return sessions.create_session(handle, _actor(), next(iter(lessons.catalogue())), self.room, start,
                                           start + timedelta(minutes=60), capacity)


def people(path: Path, n: int) -> list[int]:
    """The first n attendees who can be booked (not anonymised)."""
    import db

    with db.connect(path) as handle:
        return [r[0] for r in handle.execute("select id from attendees where anonymised_at is null order by id limit ?", [n])]


def booking_rate(stage: Stage, who: list[int], per_session: int = ROOM_SEATS) -> float:
    """Bookings per second for len(who) bookings, a connection per booking as
    the app does, into fresh sessions of `per_session` seats."""
    import db
    from db import bookings

    sessions = [stage.session(per_session) for _ in range(-(-len(who) // per_session))]
    actor = _actor()
    start = time.perf_counter()
    for i, person in enumerate(who):
        with db.connect(stage.path) as handle:
            bookings.book(handle, actor, sessions[i // per_session], person)
    return len(who) / (time.perf_counter() - start)


def insert_rate(path: Path, n: int) -> float:
    """The floor: raw INSERTs per second, a plain connection and transaction per
    row into a scratch table of the same file (WAL, synchronous=NORMAL)."""
    setup = sqlite3.connect(path)
    setup.execute("create table if not exists bench_floor (id integer primary key, session_id int, attendee_id int, queued_at text)")
    setup.commit()
    setup.close()
    start = time.perf_counter()
    for i in range(n):
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("insert into bench_floor (session_id, attendee_id, queued_at) values (?, ?, ?)", [i, i, "2026-01-01T00:00:00+00:00"])
        conn.execute("COMMIT")
        conn.close()
    return n / (time.perf_counter() - start)


def racer(path: str, session_id: int, who: list[int], barrier, results, crash: bool = False) -> None:
    """One racing process: wait at the barrier, then try to book each attendee.
    Puts (booked ids, refused count) on `results`. `crash` makes it fail on
    purpose (to check that a crash fails the race instead of hanging it)."""
    import db
    from db import bookings
    from db.errors import SessionFull

    actor = _actor()
    barrier.wait(timeout=60)
    if crash:
        raise RuntimeError("racer crashed on purpose")
    booked, refused = [], 0
    for person in who:
        with db.connect(path) as handle:
            try:
                booked.append(bookings.book(handle, actor, session_id, person))
            except SessionFull:
                refused += 1
    results.put((booked, refused))


def race(stage: Stage, who: list[int], capacity: int, taken: int, racers: int = 8, timeout_s: float = 120.0,
         crash: bool = False) -> dict:
    """Fill a session to `taken` of `capacity`, then let `racers` processes race
    for the last seats with the rest of `who` (split evenly).

    Returns:
        {"ok": bool, "why": str, "booked", "refused", "stored", "expected_refused",
         "overbooked", "lost", "seconds"}; ok is False when a racer crashed, the
         race timed out, or any count is off.
    """
    import db
    from db import bookings

    session_id = stage.session(capacity)
    first, rest = who[:taken], who[taken:]
    for person in first:
        with db.connect(stage.path) as handle:
            bookings.book(handle, _actor(), session_id, person)
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(racers + 1), ctx.Queue()
    procs = [ctx.Process(target=racer, args=(str(stage.path), session_id, rest[i::racers], barrier, results, crash and i == 0))
             for i in range(racers)]
    for proc in procs:
        proc.start()
    outcome = {"ok": False, "why": "", "booked": 0, "refused": 0, "stored": None, "overbooked": None, "lost": None,
               "expected_refused": len(rest) - (capacity - taken), "seconds": None}
    try:
        barrier.wait(timeout=60)
    except Exception:  # noqa: BLE001 - a racer that died before the barrier breaks it
        outcome["why"] = "a racer never reached the start barrier"
        _stop(procs)
        return outcome
    start = time.perf_counter()
    got, deadline = [], start + timeout_s
    while len(got) < racers:
        try:
            got.append(results.get(timeout=0.2))
            continue
        except queues.Empty:
            pass
        dead = [p for p in procs if p.exitcode not in (None, 0)]
        if dead:
            outcome["why"] = f"{len(dead)} racer(s) crashed (exit code {dead[0].exitcode})"
            break
        if time.perf_counter() > deadline:
            outcome["why"] = f"the race did not end within {timeout_s:g} s"
            break
    outcome["seconds"] = round(time.perf_counter() - start, 2)
    _stop(procs)
    if len(got) < racers:
        return outcome
    booked_ids = [b for ids, _r in got for b in ids]
    with db.connect(stage.path) as handle:
        seated = {r[0] for r in handle.execute("select id from bookings where session_id = ? and status = 'booked'", [session_id])}
    outcome.update(
        booked=len(booked_ids),
        refused=sum(r for _ids, r in got),
        stored=len(seated),
        overbooked=max(len(seated) - capacity, 0),
        lost=len(set(booked_ids) - seated),
    )
    problems = []
    if outcome["overbooked"]:
        problems.append(f"overbooked by {outcome['overbooked']}")
    if outcome["lost"]:
        problems.append(f"{outcome['lost']} bookings lost")
    if outcome["booked"] != capacity - taken:
        problems.append(f"{outcome['booked']} of the last {capacity - taken} seats booked")
    if outcome["refused"] != outcome["expected_refused"]:
        problems.append(f"{outcome['refused']} refused, {outcome['expected_refused']} expected")
    outcome["ok"] = not problems
    outcome["why"] = "; ".join(problems)
    return outcome


def _stop(procs) -> None:
    for proc in procs:
        proc.join(timeout=5)
    for proc in procs:
        if proc.is_alive():
            proc.kill()
            proc.join()
