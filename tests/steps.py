"""Counting SQLite's virtual-machine steps: how much a read does, measured without
a clock. A read bounded by an index costs about the same whatever the history
behind it; a read that walks the history grows with it."""

from __future__ import annotations

from typing import Callable

STEP = 100


def vm_steps(database, read: Callable[[], object]) -> int:
    """SQLite VM instructions (in units of `STEP`) that `read()` executes on the
    connection of `database` (a sqlite_utils.Database)."""
    count = 0

    def tick() -> int:
        nonlocal count
        count += 1
        return 0

    database.conn.set_progress_handler(tick, STEP)
    try:
        read()
    finally:
        database.conn.set_progress_handler(None, STEP)
    return count
