"""Backups with SQLite's online backup API, rotation, and a checked restore.

A backup is a consistent copy taken while the app runs (``sqlite3.Connection.backup``),
named ``desk-YYYYmmdd-HHMMSS.sqlite3`` (Japan time) in the backups folder (``$SUMAHO_BACKUPS``
or ``backups/`` in the database's folder), owner-only. Only the newest `keep` are kept.
A restore (`restore`) checks a copy of the file fully (`check_backup`) and replaces
nothing if any check fails; it never opens the live file, which it keeps aside.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from db import audit, connect, db_path
from db.clock import JST, now_utc
from db.errors import RestoreRefused
from db.permissions import SYSTEM, Actor, require
from locales import _

BACKUP_ENV = "SUMAHO_BACKUPS"
PREFIX = "desk-"
SUFFIX = ".sqlite3"
DAILY = timedelta(hours=24)


def backup_dir(database: Path | None = None) -> Path:
    """``$SUMAHO_BACKUPS`` or ``backups/`` in the database file's folder."""
    env = os.environ.get(BACKUP_ENV)
    return Path(env) if env else (database or db_path()).resolve().parent / "backups"


def list_backups(directory: Path) -> list[Path]:
    """Backup files in `directory`, newest first."""
    if not directory.exists():
        return []
    return sorted(directory.glob(f"{PREFIX}*{SUFFIX}"), reverse=True)


def latest(directory: Path) -> datetime | None:
    """When the newest backup in `directory` was taken (aware JST, from its name),
    or None when there is none."""
    newest = list_backups(directory)[:1]
    if not newest:
        return None
    return datetime.strptime(newest[0].name[len(PREFIX) : -len(SUFFIX)], "%Y%m%d-%H%M%S").replace(tzinfo=JST)


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
    taken = latest(directory)
    if taken is not None and now - taken < DAILY:
        return None
    return backup_now(database, directory, keep, actor, now)


def _refuse(message: str) -> RestoreRefused:
    return RestoreRefused(message + _("何も置き換えていません。"))


def _schema_problem(found: dict, wanted: dict) -> str | None:
    """The first difference between two `schema.describe` results, in Japanese."""
    for name in sorted(set(wanted["tables"]) | set(found["tables"])):
        if name not in found["tables"]:
            return _("表「{name}」がありません。").format(name=name)
        if name not in wanted["tables"]:
            return _("知らない表「{name}」があります。").format(name=name)
        if found["tables"][name] != wanted["tables"][name]:
            return _("表「{name}」の形（列・索引）が違います。").format(name=name)
    for kind in ("triggers", "views"):
        for name in sorted(set(wanted[kind]) | set(found[kind])):
            if found[kind].get(name) != wanted[kind].get(name):
                if name.startswith("audit_log"):
                    return _("操作の記録を守る仕組み（トリガー {name}）がないか、書き換えられています。").format(name=name)
                return _("「{name}」の定義が違います。").format(name=name)
    return None


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound, complete Sumaho Desk database.

    Checks, in order: SQLite can read it and ``PRAGMA integrity_check`` says "ok";
    ``PRAGMA application_id`` is `schema.APPLICATION_ID` (a file that predates
    `schema.STAMPED_FROM` may carry 0) and ``user_version`` counts its migrations;
    every migration it records is one this code knows; its tables, columns,
    indexes, foreign keys and triggers (the audit log's guards among them) are
    exactly those those migrations create; ``PRAGMA foreign_key_check`` finds
    nothing; and the audit log's hash chain holds from the first row to the last.
    The file is opened, never written.

    Raises:
        RestoreRefused: the first check that failed, in Japanese.
    """
    from db import register_functions, schema

    if not path.is_file():
        raise _refuse(_("ファイルが見つかりません：{path}。").format(path=path))
    try:
        # immutable: no lock, no -wal or -shm beside the file; nothing is written.
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as err:
        raise _refuse(_("バックアップを読めません（{error}）。").format(error=err)) from None
    try:
        register_functions(conn)
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            raise _refuse(_("バックアップが壊れています（integrity_check）。"))
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        applied = schema.applied_migrations(conn)
        if not applied:
            raise _refuse(_("スマホ教室デスクのデータベースではありません。"))
        stamped = schema.STAMPED_FROM in applied
        if application_id != schema.APPLICATION_ID and (stamped or application_id != 0):
            raise _refuse(_("スマホ教室デスクのデータベースではありません（application_id）。"))
        unknown = [name for name in applied if name not in schema.known_migrations()]
        if unknown:
            raise _refuse(_("このアプリより新しい版で作られたバックアップです（{names}）。アプリを新しくしてから復元してください。").format(names="、".join(unknown)))
        if stamped and user_version != len(applied):
            raise _refuse(_("データベースの版の記録（user_version）が合いません。"))
        problem = _schema_problem(schema.describe(conn), schema.expected(frozenset(applied)))
        if problem:
            raise _refuse(_("スマホ教室デスクのデータベースの形ではありません：{problem}").format(problem=problem))
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise _refuse(_("バックアップの中で、つながりの切れた記録があります（foreign_key_check）。"))
        if stamped:
            report = audit.verify_chain(Database(conn), SYSTEM)
            if not report.ok:
                raise _refuse(_("バックアップの操作の記録が、No.{id} で書き換えられています。").format(id=report.broken_id))
    except sqlite3.DatabaseError as err:
        raise _refuse(_("バックアップを読めません（{error}）。").format(error=err)) from None
    finally:
        conn.close()


@dataclass(frozen=True)
class Restored:
    """What `restore` did.

    replaced: where the database that was replaced now lies
    (``desk.sqlite3.before-restore-YYYYmmdd-HHMMSS``, with its -wal beside it), or
    None when there was none. erased_again: residents erased in the replaced
    database after the backup was taken, erased again in the restored one.
    """

    replaced: Path | None
    erased_again: int


def _aside(database: Path, stamp: str) -> Path | None:
    """Move the live file and its -wal / -shm aside, unopened. Returns the new path."""
    target = database.with_name(f"{database.name}.before-restore-{stamp}")
    if not database.exists():
        return None
    for suffix in ("-wal", "-shm"):
        sidecar = database.with_name(database.name + suffix)
        if sidecar.exists():
            sidecar.rename(target.with_name(target.name + suffix))
    database.rename(target)
    return target


def _erased_in(replaced: Path | None) -> list[int]:
    """Ids of residents anonymised in the replaced database; [] when it cannot be read."""
    if replaced is None:
        return []
    try:
        conn = sqlite3.connect(str(replaced))
        try:
            return [r[0] for r in conn.execute("select id from attendees where anonymised_at is not null")]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return []


def restore(backup: Path, database: Path, now: datetime | None = None) -> Restored:
    """Replace the live database with a backup: the tool of last resort (issue 13).

    Run with the app stopped. The live file is never opened before it is
    replaced, so a live file that is garbage, truncated or missing is no obstacle:

    1. the backup is copied next to the live file and the copy is checked with
       `check_backup` (nothing else changes if it fails);
    2. the live file, with its -wal and -shm, is renamed to
       ``<name>.before-restore-<UTC time>`` and kept (delete it once the
       restore is confirmed: it holds residents' data);
    3. the checked copy is renamed into place (one atomic rename);
    4. `init_db` brings an older backup up to date (migrations, triggers, stamp);
    5. residents erased in the replaced database since the backup was taken are
       erased again (an erasure is never undone by a restore), and the restore is
       written to the audit log.

    Args:
        backup: the backup file. database: the live database path.
        now: aware UTC time for the names; default now.
    Returns:
        Restored.
    Raises:
        RestoreRefused: the backup failed a check; the live database is untouched.
    """
    from db import init_db, retention

    backup, database = Path(backup), Path(database)
    if backup.resolve() == database.resolve():
        raise _refuse(_("復元するファイルが、いま使っているデータベースそのものです。"))
    stamp = (now or now_utc()).astimezone(JST).strftime("%Y%m%d-%H%M%S")
    database.parent.mkdir(parents=True, exist_ok=True)
    staged = database.with_name(f"{database.name}.restore-{stamp}.tmp")
    fd = os.open(staged, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        if backup.is_file():
            shutil.copyfile(backup, staged)
        check_backup(staged if backup.is_file() else backup)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    replaced = _aside(database, stamp)
    os.replace(staged, database)
    _sync_dir(database.parent)
    init_db(database)
    erased = _erased_in(replaced)
    with connect(database) as db:
        again = [
            r[0]
            for r in db.execute(
                f"select id from attendees where anonymised_at is null and id in ({', '.join('?' * len(erased))})", erased
            )
        ] if erased else []
        if again:
            retention.anonymise(db, SYSTEM, again, "reapply")
        with db.atomic():
            audit.record(
                db, SYSTEM, "restore", "backups", backup.name,
                {"replaced": replaced.name if replaced else None, "erased_again": len(again)},
            )
    return Restored(replaced, len(again))


def _sync_dir(directory: Path) -> None:
    # The renames reach the disk before the command says "restored".
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
