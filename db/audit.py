"""Append-only audit log: who did what to which record, and when.

Every write function in `db/` calls `record()` inside its own transaction, so the
log and the change land together or not at all.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from db.clock import now_utc_iso
from db.permissions import Actor, require


def record(db: Database, actor: Actor, action: str, entity: str, entity_id: int | str | None, detail: dict | None = None) -> None:
    """Append one audit row.

    Args:
        actor: who acts; their username is stored.
        action: verb such as "create", "book", "cancel".
        entity: table name of the record.
        entity_id: primary key of the record.
        detail: changed fields, as JSON-serialisable values. Never pass personal
            data that must be erasable later (names, phone numbers).
    """
    # Plain SQL: this runs inside every write, and sqlite-utils' insert inspects the table each time.
    db.execute(
        "insert into audit_log (at, user, action, entity, entity_id, detail) values (?, ?, ?, ?, ?, ?)",
        [
            now_utc_iso(),
            actor.username,
            action,
            entity,
            None if entity_id is None else str(entity_id),
            json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        ],
    )


def search(
    db: Database,
    actor: Actor,
    user: str = "",
    action: str = "",
    entity: str = "",
    since: str = "",
    until: str = "",
    limit: int = 500,
) -> list[dict]:
    """Audit rows, newest first, filtered by exact user / action / entity and by
    time (ISO 8601 UTC strings, `since` inclusive, `until` exclusive).

    Returns:
        up to `limit` dicts with id, at, user, action, entity, entity_id, detail.
    Raises:
        PermissionDenied: not an admin.
    """
    require(actor, "audit.read")
    clauses, params = [], []
    for column, value in (("user", user), ("action", action), ("entity", entity)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if since:
        clauses.append("at >= ?")
        params.append(since)
    if until:
        clauses.append("at < ?")
        params.append(until)
    where = f"where {' and '.join(clauses)}" if clauses else ""
    return list(db.query(f"select * from audit_log {where} order by id desc limit ?", [*params, limit]))


def distinct_values(db: Database, actor: Actor, column: str) -> list[str]:
    """The values present in one filter column ("user", "action" or "entity").

    Raises:
        PermissionDenied: not an admin. ValueError: another column.
    """
    require(actor, "audit.read")
    if column not in ("user", "action", "entity"):
        raise ValueError(column)
    return [r[0] for r in db.execute(f"select distinct {column} from audit_log order by 1")]
