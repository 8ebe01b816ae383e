"""Append-only audit log: who did what to which record, and when.

Every write function in `db/` calls `record()` inside its own transaction, so the
log and the change land together or not at all.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from db.clock import now_utc_iso


def record(db: Database, actor: str, action: str, entity: str, entity_id: int | str | None, detail: dict | None = None) -> None:
    """Append one audit row.

    Args:
        actor: the signed-in user name (or "system", "demo").
        action: verb such as "create", "book", "cancel".
        entity: table name of the record.
        entity_id: primary key of the record.
        detail: changed fields, as JSON-serialisable values. Never pass personal
            data that must be erasable later (names, phone numbers).
    """
    db["audit_log"].insert(
        {
            "at": now_utc_iso(),
            "user": actor,
            "action": action,
            "entity": entity,
            "entity_id": None if entity_id is None else str(entity_id),
            "detail": json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        }
    )
