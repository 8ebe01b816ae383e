"""Backups with SQLite's online backup API, rotation, and a checked restore.

A backup is a consistent copy taken while the app runs (``sqlite3.Connection.backup``),
named ``desk-YYYYmmdd-HHMMSS.sqlite3`` (Japan time) in the backups folder (``$SUMAHO_BACKUPS``
or ``backups/`` in the database's folder), owner-only. Only the newest `keep` are kept.
A restore first checks the file with ``PRAGMA integrity_check`` and that it is a
Sumaho Desk database, and replaces nothing if either fails.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from db import audit, connect, db_path
from db.clock import JST, now_utc
from db.errors import DeskError
from db.permissions import Actor, require
from locales import _

BACKUP_ENV = "SUMAHO_BACKUPS"
PREFIX = "desk-"
SUFFIX = ".sqlite3"
DAILY = timedelta(hours=24)


class RestoreRefused(DeskError):
    """The file failed the integrity check or is not a Sumaho Desk database."""


def backup_dir(database: Path | None = None) -> Path:
    """``$SUMAHO_BACKUPS`` or ``backups/`` in the database file's folder."""
    env = os.environ.get(BACKUP_ENV)
    return Path(env) if env else (database or db_path()).resolve().parent / "backups"


def list_backups(directory: Path) -> list[Path]:
    """Backup files in `directory`, newest first."""
    if not directory.exists():
        return []
    return sorted(directory.glob(f"{PREFIX}*{SUFFIX}"), reverse=True)


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup_now(database: Path, directory: Path, keep: int, actor: Actor, now: datetime | None = None) -> Path:
    """Take a consistent online backup and delete all but the newest `keep`.

    Args:
        database: the live database file. directory: where backups go (created
            owner-only). keep: how many to keep (≥ 1). now: aware UTC time for the name.
    Returns:
        the new backup file (mode 0600).
    Raises:
        PermissionDenied: not an admin (the daily timer acts as "system").
    """
    require(actor, "backups.manage")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = (now or now_utc()).astimezone(JST).strftime("%Y%m%d-%H%M%S")
    target = directory / f"{PREFIX}{stamp}{SUFFIX}"
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    _copy(database, target)
    for old in list_backups(directory)[max(keep, 1):]:
        old.unlink()
    with connect(database) as db, db.atomic():
        audit.record(db, actor, "backup", "backups", target.name, {"kept": min(len(list_backups(directory)), keep)})
    return target


def backup_if_due(database: Path, directory: Path, keep: int, actor: Actor, now: datetime | None = None) -> Path | None:
    """Take the daily backup when the newest is 24 h old or there is none
    (housekeeping calls this every 15 minutes).

    Returns:
        the new backup, or None when one was taken within the last 24 hours.
    """
    now = now or now_utc()
    newest = list_backups(directory)[:1]
    if newest:
        taken = datetime.strptime(newest[0].name[len(PREFIX) : -len(SUFFIX)], "%Y%m%d-%H%M%S").replace(tzinfo=JST)
        if now - taken < DAILY:
            return None
    return backup_now(database, directory, keep, actor, now)


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound Sumaho Desk database.

    Raises:
        RestoreRefused: unreadable, ``integrity_check`` not "ok", or no
            ``_sqlite_migrations`` / ``attendees`` tables.
    """
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise RestoreRefused(_("バックアップを読めません（{error}）。何も置き換えていません。").format(error=err)) from None
    if result != ["ok"]:
        raise RestoreRefused(_("バックアップが壊れています（integrity_check）。何も置き換えていません。"))
    if not {"_sqlite_migrations", "attendees", "audit_log"} <= tables:
        raise RestoreRefused(_("スマホ教室デスクのデータベースではありません。何も置き換えていません。"))


def restore(backup: Path, database: Path) -> None:
    """Replace the live database with a backup, after `check_backup`.

    The copy goes through the backup API into the live file, so open connections
    see either the old or the new database, never a half-written one.

    Raises:
        RestoreRefused: the backup failed a check; the database is untouched.
    """
    check_backup(backup)
    _copy(backup, database)
    with connect(database) as db, db.atomic():
        audit.record(db, Actor("system", "system"), "restore", "backups", backup.name, {})
