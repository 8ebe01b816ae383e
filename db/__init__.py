"""Sumaho Desk data and every rule that guards it (DESIGN.md §5–§7).

One SQLite file through sqlite-utils. Every operation has a connection of its own
(`connect()`), because a shared connection breaks as soon as two browser sessions
overlap (stack_notes.md); a thread reuses its last one for its next operation. Writes that check-then-insert open with ``BEGIN IMMEDIATE``
(`immediate()`) so racing processes serialise instead of overselling.

The file is ``db/desk.sqlite3`` unless the environment variable ``SUMAHO_DB`` names
another path.

Every connection carries two SQL functions the audit log's trigger needs
(`register_functions`): ``desk_now()``, the time of `db.clock` (so a fixed clock in
tests holds inside SQLite too), and ``desk_sha256(text)``. Tools that open the file
without them can read everything but cannot append to the audit log.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

from sqlite_utils import Database

from db import clock

DB_ENV = "SUMAHO_DB"
DEFAULT_PATH = Path(__file__).resolve().parent / "desk.sqlite3"
BUSY_TIMEOUT_S = 10.0
# WAL pages (4 KiB each) after which a commit copies the WAL into the file.
WAL_CHECKPOINT_PAGES = 4000


def db_path() -> Path:
    """The database file: ``$SUMAHO_DB`` or ``db/desk.sqlite3``."""
    return Path(os.environ.get(DB_ENV) or DEFAULT_PATH)


_anchors: dict[str, sqlite3.Connection] = {}
_anchors_lock = threading.Lock()


def _anchor(path: str, renew: bool = False) -> None:
    """Hold one idle connection to `path` open for the life of the process.

    When the last connection to a WAL database closes, SQLite checkpoints and
    deletes the WAL and its shared-memory index; with a connection per operation
    that happened on every operation and cost about two thirds of a booking's time.
    The anchor is never used for queries, so it is safe across threads.

    Args:
        renew: replace an existing anchor (after the file switched to WAL).
    """
    with _anchors_lock:
        if renew and path in _anchors:
            _anchors.pop(path).close()
        if path not in _anchors:
            anchor = sqlite3.connect(path, check_same_thread=False)
            anchor.execute("select count(*) from sqlite_master").fetchone()
            _anchors[path] = anchor


def _sha256(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def register_functions(conn: sqlite3.Connection) -> None:
    """Give `conn` the SQL functions ``desk_now()`` (ISO 8601 UTC from `db.clock`)
    and ``desk_sha256(text)`` (hex SHA-256 of the UTF-8 text, NULL for NULL)."""
    conn.create_function("desk_now", 0, lambda: clock.now_utc_iso())
    conn.create_function("desk_sha256", 1, _sha256, deterministic=True)


_idle = threading.local()


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _open(target: str) -> Database:
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S)
    register_functions(conn)
    conn.execute("PRAGMA foreign_keys=ON")
    # SQLite's advice for WAL: commits survive an app crash and never corrupt the
    # file; a power cut may undo the last moments. FULL halves booking throughput.
    conn.execute("PRAGMA synchronous=NORMAL")
    # Deleted or overwritten personal data is zeroed, not left in free space.
    conn.execute("PRAGMA secure_delete=ON")
    # Checkpoints (copy the WAL into the file, two fsyncs) took a quarter of a
    # booking's time at SQLite's default of 1,000 pages, one every ~60 bookings
    # (issue 12); fewer, larger ones write each hot page once. Commits still
    # reach the OS at once, and the WAL stays under ~17 MB.
    conn.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    # Wrapped once per connection: sqlite-utils sets recursive_triggers in its
    # constructor, and any flag pragma expires every prepared statement, so a new
    # wrapper per operation re-compiled each statement with its triggers (issue 12).
    return Database(conn)


def _take(target: str) -> Database:
    """This thread's idle connection to `target` when it has one to the same file,
    else a new one."""
    idle, _idle.conn = getattr(_idle, "conn", None), None
    if idle is not None:
        path, identity, handle = idle
        if path == target and identity is not None and identity == _identity(target):
            return handle
        handle.conn.close()
    return _open(target)


def _give_back(target: str, handle: Database) -> None:
    """Keep the connection as this thread's idle one (closing any other), after
    rolling back whatever the operation left open, as closing would have."""
    if handle.conn.in_transaction:
        handle.conn.rollback()
    if getattr(_idle, "conn", None) is None:
        _idle.conn = (target, _identity(target), handle)
    else:
        handle.conn.close()


@contextlib.contextmanager
def connect(path: Path | str | None = None) -> Iterator[Database]:
    """A connection for one operation.

    Each thread keeps its last connection and hands it to its next operation on
    the same file: opening one (reading the schema, setting the pragmas) cost
    about as much as a booking's own statements (issue 12). A connection is never
    shared between threads or between two operations at once; whatever an
    operation leaves uncommitted is rolled back when it ends, as closing would
    do; a file replaced under the same name gets a new connection.

    Args:
        path: database file; defaults to `db_path()`.
    Yields:
        sqlite_utils.Database with foreign keys enforced, synchronous=NORMAL,
        secure_delete on, a checkpoint every `WAL_CHECKPOINT_PAGES` WAL pages,
        a 10 s busy timeout and `register_functions`.
    """
    target = str(path or db_path())
    _anchor(target)
    handle = _take(target)
    try:
        yield handle
    finally:
        _give_back(target, handle)


@contextlib.contextmanager
def immediate(db: Database) -> Iterator[Database]:
    """A write transaction that takes the write lock first (``BEGIN IMMEDIATE``).

    Use it when a rule reads before it writes (capacity, double booking): a plain
    ``BEGIN`` lets two processes read the same count and both insert. Commits on
    success, rolls back on any exception and re-raises it. Inside a transaction
    that is already open it becomes a savepoint of that transaction.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        db.execute("COMMIT")


def init_db(path: Path | str | None = None) -> Path:
    """Create or migrate the database file; owner-only permissions, WAL mode.

    Also recreates any trigger the migrations define that is missing or was
    altered (the audit log's guards), and stamps the file's header with
    ``PRAGMA application_id`` and ``user_version`` (`db.schema.stamp`), which
    `db.backup.check_backup` reads before a restore.

    Args:
        path: database file; defaults to `db_path()`.
    Returns:
        the path of the file.
    """
    from db import schema

    target = Path(path or db_path())
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        # Residents' personal data: readable by the app's user only.
        fd = os.open(target, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    with connect(target) as db:
        db.enable_wal()
        schema.migrations.apply(db)
        schema.ensure_triggers(db)
        schema.stamp(db)
    _anchor(str(target), renew=True)
    return target
