"""Append-only audit log: who did what to which record, and when.

Every write function in `db/` calls `record()` inside its own transaction, so the
log and the change land together or not at all.

The log is a hash chain (issue 13): each row carries ``prev_hash``, the hash of
the row before, and ``hash``, the hex SHA-256 of its own fields and prev_hash
(the text of ``json_array(id, at, user, action, entity, entity_id, detail,
prev_hash)`` in SQLite). Triggers refuse updates, deletes and any insert that
does not continue the chain with the next id at the current time
(`db.schema.AUDIT_INSERT_TRIGGER`); `verify_chain` recomputes it end to end.

Search is by date range first, indexed on ``at`` (alone and after user, action
and entity), and pages by keyset on (at, id), so a page costs the same with 1.8
million rows as with a hundred.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Callable

from sqlite_utils import Database

from db import clock
from db.permissions import Actor, require

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000
VERIFY_BATCH = 20_000
FILTERS = ("user", "action", "entity")

_INSERT = """
insert into audit_log (id, at, user, action, entity, entity_id, detail, prev_hash, hash)
select n.id, n.at, n.user, n.action, n.entity, n.entity_id, n.detail, n.prev,
       desk_sha256(json_array(n.id, n.at, n.user, n.action, n.entity, n.entity_id, n.detail, n.prev))
from (select coalesce((select max(id) from audit_log), 0) + 1 as id, ? as at, ? as user, ? as action,
             ? as entity, ? as entity_id, ? as detail,
             (select hash from audit_log order by id desc limit 1) as prev) as n
"""


def record(db: Database, actor: Actor, action: str, entity: str, entity_id: int | str | None, detail: dict | None = None) -> None:
    """Append one audit row, chained to the last one.

    One INSERT … SELECT reads the last id and hash and writes the new row, so two
    writers can never append to the same link.

    Args:
        actor: who acts; their username is stored.
        action: verb such as "create", "book", "cancel".
        entity: table name of the record.
        entity_id: primary key of the record.
        detail: changed fields, as JSON-serialisable values. Never pass personal
            data that must be erasable later (names, phone numbers, file names,
            text a user typed): use `pseudonym` for a typed name (as sign-in does).
    Raises:
        sqlite3.IntegrityError: the database's trigger refused the row (the
            connection lacks db.register_functions, or the clock is far off).
    """
    db.execute(
        _INSERT,
        [
            clock.now_utc_iso(),
            actor.username,
            action,
            entity,
            None if entity_id is None else str(entity_id),
            json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        ],
    )


def pseudonym(text: str) -> str:
    """A short, one-way stand-in for something a user typed that may be personal
    (a user name at a failed sign-in, which may be a password typed in the wrong
    box): "typed:" and 8 hex digits of its SHA-256, so repeated attempts with the
    same text still show as the same, and the text itself is not in the log."""
    return "typed:" + hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class Page:
    """One page of audit rows, newest first.

    rows: dicts with id, at (ISO 8601 UTC), user, action, entity, entity_id, detail.
    next_cursor: pass as `after` for the next (older) page; None on the last page.
    """

    rows: list[dict]
    next_cursor: tuple[str, int] | None


def _where(since: str, until: str, user: str, action: str, entity: str) -> tuple[list[str], list]:
    clauses, params = ["at >= ?", "at < ?"], [since, until]
    for column, value in (("user", user), ("action", action), ("entity", entity)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    return clauses, params


def search(
    db: Database,
    actor: Actor,
    since: str,
    until: str,
    user: str = "",
    action: str = "",
    entity: str = "",
    after: tuple[str, int] | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """Audit rows in a time window, newest first, one page at a time.

    Args:
        since / until: ISO 8601 UTC stamps, `since` inclusive, `until` exclusive.
        user / action / entity: exact values, "" for any.
        after: the `next_cursor` of the page before, None for the first page.
        limit: rows per page, 1–`EXPORT_LIMIT`.
    Returns:
        Page. Each page is one index range scan ((at) or (column, at)), whatever
        the size of the log.
    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "audit.read")
    limit = max(1, min(limit, EXPORT_LIMIT))
    clauses, params = _where(since, until, user, action, entity)
    if after is not None:
        clauses.append("(at < ? or (at = ? and id < ?))")
        params.extend([after[0], after[0], after[1]])
    rows = list(
        db.query(
            "select id, at, user, action, entity, entity_id, detail from audit_log "
            f"where {' and '.join(clauses)} order by at desc, id desc limit ?",
            [*params, limit + 1],
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, (rows[-1]["at"], rows[-1]["id"]) if more else None)


def count(db: Database, actor: Actor, since: str, until: str, user: str = "", action: str = "", entity: str = "", cap: int = EXPORT_LIMIT) -> int:
    """How many rows `search` would list in all, counted up to `cap` (an index range).

    Returns:
        the number, or `cap` + 1 when there are more than `cap`.
    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "audit.read")
    clauses, params = _where(since, until, user, action, entity)
    sql = f"select count(*) from (select 1 from audit_log where {' and '.join(clauses)} limit ?)"
    return db.execute(sql, [*params, cap + 1]).fetchone()[0]


def distinct_values(db: Database, actor: Actor, column: str) -> list[str]:
    """The values present in one filter column ("user", "action" or "entity").

    Read with a skip scan of the column's index: one index seek per distinct
    value, not a pass over the whole log.

    Raises:
        PermissionDenied: not an admin. ValueError: another column.
    """
    require(actor, "audit.read")
    if column not in FILTERS:
        raise ValueError(column)
    sql = f"""
        with recursive v(value) as (
            select min({column}) from audit_log
            union all
            select (select min({column}) from audit_log where {column} > v.value) from v where v.value is not null
        )
        select value from v where value is not null"""
    return [r[0] for r in db.execute(sql)]


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found.

    checked: rows verified. last_hash: the newest row's hash (note it down: a
    later check that ends in another hash with fewer rows means rows were cut off).
    broken_id: the first row whose link or hash is wrong, or None when all hold.
    """

    checked: int
    last_hash: str | None
    broken_id: int | None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(db: Database, actor: Actor, progress: Callable[[int, int], None] | None = None) -> ChainReport:
    """Recompute the hash chain from the first row to the last.

    Every row's prev_hash must be the hash of the row before it (the first row's
    None), and its hash the SHA-256 of its fields (`db.schema.chain_text`).
    Reads in batches of `VERIFY_BATCH` rows by id.

    Args:
        progress: called as progress(rows checked, rows in all) after each batch.
    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "audit.read")
    total = db.execute("select count(*) from audit_log").fetchone()[0]
    prev, last_id, checked = None, 0, 0
    while True:
        batch = db.execute(
            "select id, prev_hash, hash, desk_sha256(json_array(id, at, user, action, entity, entity_id, detail, prev_hash)) "
            "from audit_log where id > ? order by id limit ?",
            [last_id, VERIFY_BATCH],
        ).fetchall()
        if not batch:
            break
        for row_id, prev_hash, digest, computed in batch:
            if prev_hash != prev or digest != computed:
                return ChainReport(checked, prev, row_id)
            prev, last_id, checked = digest, row_id, checked + 1
        if progress is not None:
            progress(checked, total)
    return ChainReport(checked, prev, None)
