"""Housekeeping (定時処理): every rule the clock triggers, in one place
(DESIGN.md §5, issue 11).

- overdue offers (繰り上げ連絡) pass on to the next in line;
- lotteries (抽選) whose 受付期間 has closed are drawn;
- the daily backup is taken when the newest is 24 hours old;
- sign-in sessions idle past the timeout or older than 12 hours end, and old
  ended sessions, codes and failed sign-ins are deleted.

Every step is idempotent and safe when several processes run it at once: each
runs in its own ``BEGIN IMMEDIATE`` transaction, and the backup is taken under a
file lock. Changes are audited as the system actor.

It runs two ways: the server runs it at start and then every 15 minutes
(`start_timer`, called from serve.py), and ``python -m db housekeeping`` runs it
once, for cron or a systemd timer.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from db import accounts, backup, bookings, connect, db_path, lottery, settings, sign_in_sessions
from db.clock import now_utc
from db.permissions import SYSTEM

INTERVAL_S = 15 * 60
# Failed sign-ins are kept a day for the admin's view; the audit log keeps them all.
KEEP_FAILURES = timedelta(days=1)

log = logging.getLogger("sumaho.housekeeping")


@dataclass(frozen=True)
class Report:
    """What one run did: offers passed on, sessions ended, the backup taken
    (its path, or None when none was due or another process held the lock),
    lotteries drawn."""

    offers_expired: int
    sign_ins_ended: int
    backup: Path | None
    draws: int = 0


def run(path: Path | str | None = None, now: datetime | None = None) -> Report:
    """Do everything that is due by the clock, once.

    Args:
        path: the database file (default `db.db_path()`).
        now: aware datetime (default: `db.clock`'s now).
    Returns:
        Report of what was done.
    """
    target = Path(path or db_path())
    now = now or now_utc()
    with connect(target) as db:
        expired = bookings.expire_offers(db, SYSTEM, now)
        draws = len(lottery.draw_due(db, SYSTEM, now))
        ended = sign_in_sessions.end_expired(db, now)
        accounts.forget_failures(db, now - KEEP_FAILURES)
        keep = settings.get_settings(db).backup_keep
    return Report(expired, ended, _daily_backup(target, keep, now), draws)


def _daily_backup(database: Path, keep: int, now: datetime) -> Path | None:
    directory = backup.backup_dir(database)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(directory / ".housekeeping.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        return backup.backup_if_due(database, directory, keep, SYSTEM, now)


def _loop(path: Path, stop: threading.Event) -> None:
    while True:
        try:
            report = run(path)
            if report.offers_expired or report.sign_ins_ended or report.backup or report.draws:
                log.info("housekeeping: %s", report)
        except Exception:  # noqa: BLE001 - one failed run must not stop the timer
            log.exception("housekeeping failed")
        if stop.wait(INTERVAL_S):
            return


def start_timer(path: Path | str | None = None) -> threading.Event:
    """Run housekeeping now and every 15 minutes in a daemon thread of this
    process (the server's own timer; no cron needed).

    Returns:
        an Event; set it to stop the timer.
    """
    stop = threading.Event()
    threading.Thread(target=_loop, args=(Path(path or db_path()), stop), name="housekeeping", daemon=True).start()
    return stop
