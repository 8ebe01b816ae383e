"""Schema as sqlite-utils `Migrations` (recorded in ``_sqlite_migrations``).

Add a new decorated function for every change; never edit one that has shipped.
Times are ISO 8601 text with an offset (+09:00 for session times, UTC for stamps),
never naive (DESIGN.md §6). There is no My Number column anywhere, by design
(My Number Act art. 20).
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("sumaho_desk")
# PRAGMA application_id of a Sumaho Desk file ("SMHD"), set by `stamp`; `file(1)`
# and `db.backup.check_backup` tell the file from other SQLite databases by it.
APPLICATION_ID = 0x534D4844
# The first migration after which every file is stamped: a backup without the
# stamp is accepted only when it predates it.
STAMPED_FROM = "m008_audit_chain"


@migrations()
def m001_core(db: Database) -> None:
    db["settings"].create({"key": str, "value": str}, pk="key")
    db["venues"].create(
        {"id": int, "name": str, "address": str, "phone": str},
        pk="id",
        not_null={"name"},
    )
    db["rooms"].create(
        {"id": int, "venue_id": int, "name": str, "seats": int},
        pk="id",
        not_null={"venue_id", "name", "seats"},
        foreign_keys=[("venue_id", "venues", "id")],
    )
    db["closures"].create(
        {"id": int, "venue_id": int, "date": str, "reason": str},
        pk="id",
        not_null={"venue_id", "date"},
        foreign_keys=[("venue_id", "venues", "id")],
    )
    db["closures"].create_index(["venue_id", "date"], unique=True)
    db["sessions"].create(
        {
            "id": int,
            "lesson_id": str,
            "series_id": int,
            "room_id": int,
            "starts_at": str,
            "ends_at": str,
            "capacity": int,
            "helpers_needed": int,
            "device_focus": str,
            "status": str,
            "note": str,
            "created_at": str,
        },
        pk="id",
        not_null={"lesson_id", "room_id", "starts_at", "ends_at", "capacity", "status"},
        defaults={"status": "scheduled", "helpers_needed": 0, "device_focus": "", "note": ""},
        foreign_keys=[("room_id", "rooms", "id")],
    )
    db["sessions"].create_index(["starts_at"])
    db["sessions"].create_index(["room_id", "starts_at"])
    db["attendees"].create(
        {
            "id": int,
            "name": str,
            "name_kana": str,
            "kana_key": str,
            "phone": str,
            "phone_digits": str,
            "age_band": str,
            "device": str,
            "needs": str,
            "consent_on": str,
            "note": str,
            "created_at": str,
            "last_seen_on": str,
        },
        pk="id",
        not_null={"name", "name_kana"},
        defaults={"age_band": "", "device": "", "needs": "", "note": ""},
    )
    db["attendees"].create_index(["phone_digits"])
    db["attendees"].create_index(["kana_key"])
    db["bookings"].create(
        {
            "id": int,
            "session_id": int,
            "attendee_id": int,
            "status": str,
            "queued_at": str,
            "offered_until": str,
            "attended_at": str,
            "marked_by": str,
            "created_by": str,
            "cancelled_at": str,
            "cancel_reason": str,
        },
        pk="id",
        not_null={"session_id", "attendee_id", "status", "queued_at"},
        foreign_keys=[("session_id", "sessions", "id"), ("attendee_id", "attendees", "id")],
    )
    db["bookings"].create_index(["session_id", "attendee_id"], unique=True)
    db["bookings"].create_index(["session_id", "status"])
    db["bookings"].create_index(["attendee_id"])
    db["volunteers"].create(
        {
            "id": int,
            "name": str,
            "name_kana": str,
            "phone": str,
            "email": str,
            "kind": str,
            "skills": str,
            "appointed_until": str,
            "max_shifts_per_month": int,
            "active": int,
        },
        pk="id",
        not_null={"name", "name_kana", "kind", "active"},
        defaults={"active": 1, "skills": "[]", "email": "", "phone": ""},
    )
    db["shifts"].create(
        {"id": int, "session_id": int, "volunteer_id": int, "role": str, "status": str, "minutes": int},
        pk="id",
        not_null={"session_id", "volunteer_id", "role", "status"},
        defaults={"status": "assigned"},
        foreign_keys=[("session_id", "sessions", "id"), ("volunteer_id", "volunteers", "id")],
    )
    db["shifts"].create_index(["session_id", "volunteer_id"], unique=True)
    db["shifts"].create_index(["volunteer_id"])
    db["audit_log"].create(
        {"id": int, "at": str, "user": str, "action": str, "entity": str, "entity_id": str, "detail": str},
        pk="id",
        not_null={"at", "user", "action", "entity"},
    )
    db["audit_log"].create_index(["entity", "entity_id"])
    # Append-only: the database itself refuses to change or delete audit rows.
    db.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )


@migrations()
def m002_accounts(db: Database) -> None:
    db["users"].create(
        {
            "id": int,
            "username": str,
            "password_hash": str,
            "role": str,
            "volunteer_id": int,
            "email": str,
            "active": int,
            "failed_logins": int,
            "locked_until": str,
            "created_at": str,
            "last_login_at": str,
        },
        pk="id",
        not_null={"username", "password_hash", "role", "active", "failed_logins"},
        defaults={"active": 1, "failed_logins": 0, "email": ""},
        foreign_keys=[("volunteer_id", "volunteers", "id")],
    )
    db["users"].create_index(["username"], unique=True)
    # Anonymisation keeps the row (so counts survive) and records when.
    db["attendees"].add_column("anonymised_at", str)


@migrations()
def m003_waitlist_attendance(db: Database) -> None:
    # late: an attended mark that came late (出欠「遅刻」); overbook_reason: a seat
    # given beyond capacity on purpose, with why.
    db["bookings"].add_column("late", int, not_null_default=0)
    db["bookings"].add_column("overbook_reason", str)
    db["bookings"].add_column("offered_at", str)
    db["bookings"].create_index(["session_id", "status", "queued_at"])
    db["bookings"].create_index(["status", "offered_until"])
    db["sessions"].add_column("cancel_reason", str)


@migrations()
def m004_volunteer_availability(db: Database) -> None:
    # Weekly availability (weekday 0 = Monday, times "HH:MM" JST) and dated
    # exceptions (available = 0 for a day off, 1 for an extra day).
    db["availability"].create(
        {"id": int, "volunteer_id": int, "weekday": int, "starts": str, "ends": str},
        pk="id",
        not_null={"volunteer_id", "weekday", "starts", "ends"},
        foreign_keys=[("volunteer_id", "volunteers", "id")],
    )
    db["availability"].create_index(["volunteer_id"])
    db["availability_exceptions"].create(
        {"id": int, "volunteer_id": int, "date": str, "available": int, "note": str},
        pk="id",
        not_null={"volunteer_id", "date", "available"},
        foreign_keys=[("volunteer_id", "volunteers", "id")],
    )
    db["availability_exceptions"].create_index(["volunteer_id", "date"], unique=True)
    db["volunteers"].add_column("appointed_fiscal_year", int)


@migrations()
def m005_series(db: Database) -> None:
    # Recurring series (連続講座, issue 5): the rule its sessions were generated from.
    # rule: weekly / biweekly / monthly_nth; weekday 0 = Monday; nth 1–5 for
    # monthly_nth (else NULL); starts / ends "HH:MM" JST; first_date / last_date ISO
    # dates of the window asked for. sessions.series_id points here (no foreign key:
    # adding one would rebuild the sessions table).
    db["series"].create(
        {
            "id": int,
            "lesson_id": str,
            "room_id": int,
            "rule": str,
            "weekday": int,
            "nth": int,
            "starts": str,
            "ends": str,
            "first_date": str,
            "last_date": str,
            "capacity": int,
            "note": str,
            "created_at": str,
        },
        pk="id",
        not_null={"lesson_id", "room_id", "rule", "weekday", "starts", "ends", "first_date", "last_date", "capacity", "created_at"},
        defaults={"note": ""},
        foreign_keys=[("room_id", "rooms", "id")],
    )
    db["sessions"].create_index(["series_id", "starts_at"])


@migrations()
def m006_feeds_tickets_targets(db: Database) -> None:
    # Personal calendar subscriptions (issue 5): only a SHA-256 of the secret
    # token is stored, so a copied database file opens no feed.
    db["feed_tokens"].create(
        {"id": int, "volunteer_id": int, "token_sha256": str, "created_at": str, "created_by": str, "revoked_at": str},
        pk="id",
        not_null={"volunteer_id", "token_sha256", "created_at"},
        foreign_keys=[("volunteer_id", "volunteers", "id")],
    )
    db["feed_tokens"].create_index(["token_sha256"], unique=True)
    db["feed_tokens"].create_index(["volunteer_id"])
    # Help-desk cases (相談記録, issue 6). number: "2026-0001" (fiscal year and
    # sequence). channel / category / status / referral_to: codes of db.tickets.
    # An anonymous walk-in has no attendee_id, only age_band and device.
    # opened_at / updated_at / closed_at: UTC; follow_up_on: a JST date.
    # guides_given: JSON list of lesson ids whose handouts were printed.
    # resolution: "resolved" / "referred" once reached, kept when the case is closed.
    db["tickets"].create(
        {
            "id": int,
            "number": str,
            "opened_at": str,
            "venue_id": int,
            "channel": str,
            "attendee_id": int,
            "age_band": str,
            "device": str,
            "os": str,
            "category": str,
            "summary": str,
            "notes": str,
            "status": str,
            "follow_up_on": str,
            "assignee_id": int,
            "minutes": int,
            "outcome": str,
            "next_step": str,
            "referral_to": str,
            "referral_note": str,
            "resolution": str,
            "guides_given": str,
            "created_by": str,
            "updated_at": str,
            "closed_at": str,
        },
        pk="id",
        not_null={"number", "opened_at", "channel", "category", "summary", "status", "minutes"},
        defaults={
            "age_band": "",
            "device": "",
            "os": "",
            "notes": "",
            "outcome": "",
            "next_step": "",
            "referral_to": "",
            "referral_note": "",
            "resolution": "",
            "guides_given": "[]",
            "minutes": 0,
            "status": "new",
        },
        foreign_keys=[("attendee_id", "attendees", "id"), ("assignee_id", "users", "id"), ("venue_id", "venues", "id")],
    )
    db["tickets"].create_index(["number"], unique=True)
    db["tickets"].create_index(["status", "follow_up_on"])
    db["tickets"].create_index(["opened_at"])
    db["tickets"].create_index(["assignee_id", "status"])
    db["tickets"].create_index(["attendee_id"])
    # Each status change of a ticket: who, when, from → to (the ticket's history).
    db["ticket_events"].create(
        {"id": int, "ticket_id": int, "at": str, "user": str, "from_status": str, "to_status": str, "minutes": int},
        pk="id",
        not_null={"ticket_id", "at", "user", "to_status"},
        defaults={"minutes": 0},
        foreign_keys=[("ticket_id", "tickets", "id")],
    )
    db["ticket_events"].create_index(["ticket_id", "at"])
    # Yearly outcome targets (成果目標, issue 7): metric is a key of
    # db.reports.TARGET_METRICS; one value per fiscal year and metric.
    db["targets"].create(
        {"fiscal_year": int, "metric": str, "value": int, "updated_at": str, "updated_by": str},
        pk=("fiscal_year", "metric"),
        not_null={"value"},
    )


@migrations()
def m007_sign_in_sessions(db: Database) -> None:
    # Server-side sign-in sessions (サインイン状態, issue 11). The browser holds a
    # random token in an HttpOnly cookie; only its SHA-256 is stored, so a copied
    # database file signs nobody in. ended_at / end_reason say why a session
    # stopped (sign_out, idle, expired, password, deactivated, role, admin).
    # browser_key: SHA-256 of the browser's own id cookie (never the id itself).
    db["sign_in_sessions"].create(
        {
            "id": int,
            "user_id": int,
            "token_sha256": str,
            "created_at": str,
            "last_seen_at": str,
            "user_agent": str,
            "browser_key": str,
            "ended_at": str,
            "end_reason": str,
        },
        pk="id",
        not_null={"user_id", "created_at", "last_seen_at"},
        defaults={"user_agent": "", "browser_key": ""},
        foreign_keys=[("user_id", "users", "id")],
    )
    db["sign_in_sessions"].create_index(["token_sha256"], unique=True)
    db["sign_in_sessions"].create_index(["user_id", "ended_at"])
    db["sign_in_sessions"].create_index(["ended_at", "last_seen_at"])
    # One-time codes a signed-in page hands the browser to exchange for the
    # cookie (valid 30 s, used once).
    db["sign_in_codes"].create(
        {"code_sha256": str, "session_id": int, "expires_at": str, "used_at": str},
        pk="code_sha256",
        not_null={"session_id", "expires_at"},
        foreign_keys=[("session_id", "sign_in_sessions", "id")],
    )
    # Failed sign-ins by account and client, for a lockout that stops guessing
    # without letting anyone lock another person out (issue 13). client_key and
    # ip_key are SHA-256 digests, never a raw address.
    db["sign_in_failures"].create(
        {"id": int, "at": str, "username": str, "client_key": str, "ip_key": str},
        pk="id",
        not_null={"at", "username", "client_key", "ip_key"},
    )
    db["sign_in_failures"].create_index(["username", "client_key", "at"])
    db["sign_in_failures"].create_index(["ip_key", "at"])


# Refuses any row that does not continue the log: its id must follow the last one
# (INSERT OR REPLACE of an old id is refused, as is an insert without an id), its
# time must be within 10 minutes of `db.clock` (desk_now), prev_hash must be the
# last row's hash and hash the SHA-256 of the row (db.audit.record writes both).
AUDIT_INSERT_TRIGGER = """
CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log: id must follow the last row')
   WHERE NEW.id IS NOT (SELECT coalesce(max(id), 0) + 1 FROM audit_log);
  SELECT RAISE(ABORT, 'audit_log: at must be the current time')
   WHERE julianday(NEW.at) IS NULL OR abs(julianday(NEW.at) - julianday(desk_now())) > 10.0 / 1440;
  SELECT RAISE(ABORT, 'audit_log: prev_hash must be the hash of the last row')
   WHERE NEW.prev_hash IS NOT (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1);
  SELECT RAISE(ABORT, 'audit_log: hash does not match the row')
   WHERE NEW.hash IS NOT desk_sha256(json_array(NEW.id, NEW.at, NEW.user, NEW.action, NEW.entity,
                                                NEW.entity_id, NEW.detail, NEW.prev_hash));
END
"""


def chain_text(fields_json: str, prev_hash: str | None) -> str:
    """The text an audit row's hash is taken of, from SQLite's
    ``json_array(id, at, user, action, entity, entity_id, detail)`` and the previous
    row's hash: the same as ``json_array(…, detail, prev_hash)`` in SQL."""
    return fields_json[:-1] + "," + (json.dumps(prev_hash) if prev_hash is not None else "null") + "]"


@migrations()
def m008_audit_chain(db: Database) -> None:
    # Issue 13: a hash chain over the audit log (each row carries the hash of the
    # one before, so an admin can verify it end to end), a trigger that refuses a
    # reused id or a time far from now, and indexes for searching by date first.
    db["audit_log"].add_column("prev_hash", str)
    db["audit_log"].add_column("hash", str)
    db.execute("DROP TRIGGER audit_log_no_update")
    prev, last_id = None, 0
    while True:
        batch = db.execute(
            "select id, json_array(id, at, user, action, entity, entity_id, detail) from audit_log "
            "where id > ? order by id limit 10000",
            [last_id],
        ).fetchall()
        if not batch:
            break
        updates = []
        for row_id, fields in batch:
            digest = hashlib.sha256(chain_text(fields, prev).encode("utf-8")).hexdigest()
            updates.append((prev, digest, row_id))
            prev, last_id = digest, row_id
        db.conn.executemany("update audit_log set prev_hash = ?, hash = ? where id = ?", updates)
    db.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    db.execute(AUDIT_INSERT_TRIGGER)
    db["audit_log"].create_index(["at"])
    db["audit_log"].create_index(["user", "at"])
    db["audit_log"].create_index(["action", "at"])
    db["audit_log"].create_index(["entity", "at"])


# The last date anything happened with a resident (個人情報の削除, issue 12): their
# registration, any booking's queue date, attendance or session date (a future
# session counts), or the last change of a help-desk case about them (JST date).
ACTIVITY_OF_A = """max(substr(a.created_at, 1, 10), coalesce(a.last_seen_on, ''),
    coalesce((select max(max(substr(b.queued_at, 1, 10)), coalesce(substr(b.attended_at, 1, 10), ''), substr(s.starts_at, 1, 10))
              from bookings b join sessions s on s.id = b.session_id where b.attendee_id = a.id), ''),
    coalesce((select max(date(coalesce(t.updated_at, t.opened_at), '+9 hours'))
              from tickets t where t.attendee_id = a.id), ''))"""


def _recompute(target: str) -> str:
    return f"UPDATE attendees SET activity_on = (SELECT {ACTIVITY_OF_A} FROM attendees a WHERE a.id = attendees.id) WHERE id = {target};"


@migrations()
def m011_activity_on(db: Database) -> None:
    # attendees.activity_on is ACTIVITY_OF_A kept up to date by triggers, so the
    # retention page counts and lists candidates from one partial index instead of
    # scanning every resident's bookings (1.8 M rows at city scale).
    db["attendees"].add_column("activity_on", str)
    db.execute(f"UPDATE attendees SET activity_on = (SELECT {ACTIVITY_OF_A} FROM attendees a WHERE a.id = attendees.id)")
    db.execute(
        "CREATE INDEX idx_attendees_retention ON attendees (activity_on, id) WHERE anonymised_at IS NULL"
    )
    # A new booking only adds dates: take the larger (cheap: three key lookups).
    db.execute(
        "CREATE TRIGGER attendees_activity_booked AFTER INSERT ON bookings BEGIN "
        "UPDATE attendees SET activity_on = max(coalesce(activity_on, ''), substr(NEW.queued_at, 1, 10), "
        "coalesce(substr(NEW.attended_at, 1, 10), ''), "
        "coalesce((SELECT substr(starts_at, 1, 10) FROM sessions WHERE id = NEW.session_id), '')) "
        "WHERE id = NEW.attendee_id; END"
    )
    # Changes that may move a date back are recomputed in full.
    db.execute(
        "CREATE TRIGGER attendees_activity_booking_changed AFTER UPDATE OF session_id, attendee_id, queued_at, attended_at "
        f"ON bookings BEGIN {_recompute('NEW.attendee_id')} {_recompute('OLD.attendee_id')} END"
    )
    db.execute(
        "CREATE TRIGGER attendees_activity_ticket AFTER INSERT ON tickets WHEN NEW.attendee_id IS NOT NULL "
        f"BEGIN {_recompute('NEW.attendee_id')} END"
    )
    db.execute(
        "CREATE TRIGGER attendees_activity_ticket_changed AFTER UPDATE OF attendee_id, opened_at, updated_at ON tickets "
        f"BEGIN {_recompute('NEW.attendee_id')} {_recompute('OLD.attendee_id')} END"
    )
    db.execute(
        "CREATE TRIGGER attendees_activity_session_moved AFTER UPDATE OF starts_at ON sessions "
        "WHEN NEW.starts_at IS NOT OLD.starts_at BEGIN "
        "UPDATE attendees SET activity_on = (SELECT " + ACTIVITY_OF_A + " FROM attendees a WHERE a.id = attendees.id) "
        "WHERE id IN (SELECT attendee_id FROM bookings WHERE session_id = NEW.id); END"
    )
    db.execute(
        f"CREATE TRIGGER attendees_activity_registered AFTER INSERT ON attendees BEGIN {_recompute('NEW.id')} END"
    )
    db.execute(
        "CREATE TRIGGER attendees_activity_seen AFTER UPDATE OF created_at, last_seen_on ON attendees "
        "WHEN NEW.created_at IS NOT OLD.created_at OR NEW.last_seen_on IS NOT OLD.last_seen_on "
        f"BEGIN {_recompute('NEW.id')} END"
    )


# --- the expected schema: what `init_db` repairs and a restore checks -----------


def _applied(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = conn.execute(
            "select name from _sqlite_migrations where migration_set = ? order by id", [migrations.name]
        ).fetchall()
    except sqlite3.DatabaseError:
        return []
    return [r[0] for r in rows]


def known_migrations() -> list[str]:
    """The names of this code's migrations, in the order they are applied."""
    return [m.name for m in migrations.pending(Database(memory=True))]


@functools.lru_cache(maxsize=16)
def _reference(applied: frozenset[str]) -> sqlite3.Connection:
    from db import register_functions

    conn = sqlite3.connect(":memory:", check_same_thread=False)
    register_functions(conn)
    db = Database(conn)
    migrations.ensure_migrations_table(db)
    for migration in migrations.pending(db):
        if migration.name in applied:
            with db.atomic():
                migration.fn(db)
                db["_sqlite_migrations"].insert({"migration_set": migrations.name, "name": migration.name, "applied_at": ""})
    return conn


def _normal_sql(sql: str | None) -> str:
    return " ".join((sql or "").split())


def describe(conn: sqlite3.Connection) -> dict:
    """The structure of a database, comparable between files made at different times.

    Returns:
        {"tables": {name: {"columns": [(name, type, notnull, default, pk), …],
        "indexes": {name: (unique, partial, (column, …))}, "foreign_keys": [(table,
        from, to), …]}}, "triggers": {name: sql with blanks collapsed}, "views": {…}}.
        SQLite's own tables are left out.
    Raises:
        sqlite3.DatabaseError: the file cannot be read.
    """
    tables: dict[str, dict] = {}
    objects = conn.execute(
        "select type, name, sql from sqlite_master where name not like 'sqlite_%' order by type, name"
    ).fetchall()
    for kind, name, _sql in objects:
        if kind != "table":
            continue
        quoted = name.replace('"', '""')
        indexes = {}
        for _seq, index, unique, _origin, partial in conn.execute(f'PRAGMA index_list("{quoted}")'):
            if index.startswith("sqlite_"):
                continue
            columns = tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{index}")'))
            indexes[index] = (unique, partial, columns)
        tables[name] = {
            "columns": [tuple(r[1:6]) for r in conn.execute(f'PRAGMA table_info("{quoted}")')],
            "indexes": indexes,
            "foreign_keys": sorted(tuple(r[2:5]) for r in conn.execute(f'PRAGMA foreign_key_list("{quoted}")')),
        }
    return {
        "tables": tables,
        "triggers": {name: _normal_sql(sql) for kind, name, sql in objects if kind == "trigger"},
        "views": {name: _normal_sql(sql) for kind, name, sql in objects if kind == "view"},
    }


def expected(applied: frozenset[str] | None = None) -> dict:
    """`describe` of a fresh database with the given migrations (default: all)."""
    return describe(_reference(frozenset(known_migrations()) if applied is None else applied))


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """The migrations of this set recorded in a database, in the order applied."""
    return _applied(conn)


def ensure_triggers(db: Database) -> list[str]:
    """Recreate every trigger of the applied migrations that is missing or altered.

    Returns:
        the names of the triggers recreated (usually none).
    """
    reference = _reference(frozenset(_applied(db.conn)))
    wanted = dict(reference.execute("select name, sql from sqlite_master where type = 'trigger'").fetchall())
    present = dict(db.execute("select name, sql from sqlite_master where type = 'trigger'").fetchall())
    repaired = []
    for name, sql in sorted(wanted.items()):
        if _normal_sql(present.get(name)) != _normal_sql(sql):
            with db.atomic():
                db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                db.execute(sql)
            repaired.append(name)
    return repaired


def stamp(db: Database) -> None:
    """Write ``PRAGMA application_id`` (`APPLICATION_ID`) and ``user_version`` (the
    number of applied migrations) into the file's header."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {len(_applied(db.conn))}")


# An attendee's first attended session (JST date), kept by the triggers below so
# the reports tell new from returning attendees by one lookup per person instead
# of reading every booking of their history (issue 12). "Attended" counts in a
# session that was not cancelled, as in db.reports.
_FIRST_ATTENDED = """(select min(substr(s.starts_at, 1, 10)) from bookings b join sessions s on s.id = b.session_id
    where b.attendee_id = {who} and b.status = 'attended' and s.status != 'cancelled')"""


@migrations()
def m009_bounded_reads(db: Database) -> None:
    # Cancelled sessions from today on (the call list), volunteers by フリガナ (the
    # paginated list and search).
    db["sessions"].create_index(["status", "starts_at"])
    db["volunteers"].create_index(["name_kana"])
    db["attendees"].add_column("first_attended_on", str)
    db.execute(
        "update attendees set first_attended_on = f.day from (select b.attendee_id as id, min(substr(s.starts_at, 1, 10)) as day "
        "from bookings b join sessions s on s.id = b.session_id where b.status = 'attended' and s.status != 'cancelled' "
        "group by b.attendee_id) f where f.id = attendees.id"
    )
    # A new attended mark can only move the date earlier: one comparison.
    earlier = (
        "update attendees set first_attended_on = d.day from (select substr(starts_at, 1, 10) as day from sessions "
        "where id = new.session_id and status != 'cancelled') d where attendees.id = new.attendee_id "
        "and (attendees.first_attended_on is null or attendees.first_attended_on > d.day);"
    )
    db.execute(f"CREATE TRIGGER bookings_attended_insert AFTER INSERT ON bookings WHEN new.status = 'attended' BEGIN {earlier} END")
    db.execute(
        "CREATE TRIGGER bookings_attended_update AFTER UPDATE OF status ON bookings "
        f"WHEN new.status = 'attended' AND old.status != 'attended' BEGIN {earlier} END"
    )
    # A mark taken back, a booking deleted, a session cancelled or moved: read again.
    again = "update attendees set first_attended_on = " + _FIRST_ATTENDED.format(who="{who}") + " where id = {who};"
    db.execute(
        "CREATE TRIGGER bookings_attended_undone AFTER UPDATE OF status, session_id, attendee_id ON bookings "
        "WHEN old.status = 'attended' AND (new.status != 'attended' OR new.session_id != old.session_id "
        f"OR new.attendee_id != old.attendee_id) BEGIN {again.format(who='old.attendee_id')} "
        f"{again.format(who='new.attendee_id')} END"
    )
    db.execute(
        "CREATE TRIGGER bookings_attended_deleted AFTER DELETE ON bookings WHEN old.status = 'attended' "
        f"BEGIN {again.format(who='old.attendee_id')} END"
    )
    db.execute(
        "CREATE TRIGGER sessions_attended_changed AFTER UPDATE OF status, starts_at ON sessions "
        "WHEN old.status != new.status OR old.starts_at != new.starts_at BEGIN "
        "update attendees set first_attended_on = " + _FIRST_ATTENDED.format(who="attendees.id") + " "
        "where id in (select attendee_id from bookings where session_id = new.id and status = 'attended'); END"
    )


@migrations()
def m013_call_outcomes(db: Database) -> None:
    # What came of each call on the call list (issue 15): reached ("電話した") or no
    # answer ("つながらない"), by whom and when (UTC). kind is the call's kind
    # (reminder / offer / cancelled); no free text, so nothing here names anyone.
    db["call_outcomes"].create(
        {"id": int, "booking_id": int, "kind": str, "outcome": str, "at": str, "user": str},
        pk="id",
        not_null={"booking_id", "kind", "outcome", "at", "user"},
        foreign_keys=[("booking_id", "bookings", "id")],
    )
    db["call_outcomes"].create_index(["booking_id", "kind", "at"])


@migrations()
def m015_loan_phones(db: Database) -> None:
    # Loan phones (貸出機, issue 17): a venue's inventory, and which phone an
    # attendee borrows for one booking. label_key is the label folded for the
    # one-label-per-venue rule (「iPhone-3」 and 「ｉｐｈｏｎｅ－３」 clash).
    db["loan_phones"].create(
        {"id": int, "venue_id": int, "kind": str, "label": str, "label_key": str, "status": str, "created_at": str},
        pk="id",
        not_null={"venue_id", "kind", "label", "label_key", "status"},
        defaults={"status": "available"},
        foreign_keys=[("venue_id", "venues", "id")],
    )
    db["loan_phones"].create_index(["venue_id", "label_key"], unique=True)
    # returned: "" (not recorded yet), "returned" or "not_returned" (出欠); no
    # free text, so a loan names nobody but through its booking.
    db["loans"].create(
        {
            "id": int,
            "booking_id": int,
            "phone_id": int,
            "assigned_at": str,
            "assigned_by": str,
            "returned": str,
            "returned_at": str,
            "returned_by": str,
        },
        pk="id",
        not_null={"booking_id", "phone_id", "assigned_at", "returned"},
        defaults={"returned": ""},
        foreign_keys=[("booking_id", "bookings", "id"), ("phone_id", "loan_phones", "id")],
    )
    db["loans"].create_index(["booking_id"], unique=True)
    db["loans"].create_index(["phone_id"])
    # Phones still out (未返却), read on every 今日 and 出欠 screen.
    db.execute("CREATE INDEX idx_loans_not_returned ON loans (phone_id) WHERE returned = 'not_returned'")
    # A booking that stops holding a seat (cancelled, waitlisted, absent) frees its
    # phone, and a session moved in time gives its phones back; a phone recorded
    # 未返却 stays out. Re-seating or the new time then allocates afresh, so a
    # phone is never lent twice at once (db.loans).
    db.execute(
        "CREATE TRIGGER bookings_release_loan AFTER UPDATE OF status ON bookings "
        "WHEN new.status NOT IN ('booked', 'offered', 'attended') AND old.status IN ('booked', 'offered', 'attended') "
        "BEGIN DELETE FROM loans WHERE booking_id = new.id AND returned != 'not_returned'; END"
    )
    db.execute(
        "CREATE TRIGGER sessions_release_loans AFTER UPDATE OF starts_at, ends_at, room_id ON sessions "
        "WHEN old.starts_at != new.starts_at OR old.ends_at != new.ends_at OR old.room_id != new.room_id "
        "BEGIN DELETE FROM loans WHERE returned != 'not_returned' "
        "AND booking_id IN (SELECT id FROM bookings WHERE session_id = new.id); END"
    )


@migrations()
def m016_outreach(db: Database) -> None:
    # 出前講座・出張相談 (issue 17): a group's request for a class or help at its own
    # place. The place is a venue flagged outreach, so sessions can be held there
    # without it being offered as one of the centre's rooms.
    db["venues"].add_column("outreach", int, not_null_default=0)
    db["outreach_requests"].create(
        {
            "id": int,
            "kind": str,
            "group_name": str,
            "group_kind": str,
            "contact_name": str,
            "contact_phone": str,
            "contact_phone_digits": str,
            "venue_id": int,
            "preferred_dates": str,
            "expected": int,
            "iphone": int,
            "android": int,
            "other_devices": int,
            "loan_phones": int,
            "lesson_id": str,
            "notes": str,
            "status": str,
            "session_id": int,
            "actual_participants": int,
            "report": str,
            "withdraw_reason": str,
            "received_on": str,
            "activity_on": str,
            "created_at": str,
            "created_by": str,
            "contact_erased_at": str,
        },
        pk="id",
        not_null={"kind", "group_name", "group_kind", "contact_name", "venue_id", "expected", "status", "received_on",
                  "activity_on", "created_at"},
        defaults={"iphone": 0, "android": 0, "other_devices": 0, "loan_phones": 0, "notes": "", "report": "",
                  "preferred_dates": "[]", "lesson_id": ""},
        foreign_keys=[("venue_id", "venues", "id"), ("session_id", "sessions", "id")],
    )
    db["outreach_requests"].create_index(["status", "received_on"])
    db["outreach_requests"].create_index(["received_on"])
    db["outreach_requests"].create_index(["session_id"])
    db["outreach_requests"].create_index(["contact_phone_digits"])
    # Contacts past the retention period: closed requests by their last activity.
    db.execute(
        "CREATE INDEX outreach_requests_contact_due ON outreach_requests (activity_on) "
        "WHERE contact_erased_at IS NULL AND status IN ('reported', 'withdrawn')"
    )


@migrations()
def m017_surveys(db: Database) -> None:
    # 受講後アンケート (issue 17): one row per sheet keyed in. attendee_id is set only
    # when the attendee wrote a name that matched someone booked in the session
    # (else the answer stays anonymous); understanding / satisfaction are 1–5 or
    # NULL when left blank; comment is the free text, erased with the resident.
    db["surveys"].create(
        {
            "id": int,
            "session_id": int,
            "attendee_id": int,
            "understanding": int,
            "satisfaction": int,
            "comment": str,
            "entered_at": str,
            "entered_by": str,
        },
        pk="id",
        not_null={"session_id", "entered_at", "entered_by"},
        defaults={"comment": ""},
        foreign_keys=[("session_id", "sessions", "id"), ("attendee_id", "attendees", "id")],
    )
    db["surveys"].create_index(["session_id"])
    db.execute("CREATE UNIQUE INDEX surveys_one_per_attendee ON surveys (session_id, attendee_id) WHERE attendee_id IS NOT NULL")
    # 「次に学びたいこと」: the catalogue lessons ticked on a sheet.
    db["survey_wishes"].create(
        {"survey_id": int, "lesson_id": str},
        pk=("survey_id", "lesson_id"),
        foreign_keys=[("survey_id", "surveys", "id")],
    )


@migrations()
def m014_lottery(db: Database) -> None:
    # 抽選 (issue 17): a lottery covers one session, or every upcoming session of a
    # series (series_id set, session_id the first of them). Times are ISO 8601
    # (+09:00 for the window, UTC for stamps). first_starts_at is the first
    # session's start, so the call list reads only lotteries still ahead.
    db["lotteries"].create(
        {
            "id": int,
            "session_id": int,
            "series_id": int,
            "opens_at": str,
            "closes_at": str,
            "first_starts_at": str,
            "first_timer_seats": int,
            "first_timer_priority": int,
            "seed": str,
            "drawn_at": str,
            "drawn_by": str,
            "created_at": str,
            "created_by": str,
        },
        pk="id",
        not_null={"session_id", "opens_at", "closes_at", "first_starts_at", "first_timer_seats", "first_timer_priority", "created_at"},
        defaults={"first_timer_seats": 0, "first_timer_priority": 0},
        foreign_keys=[("session_id", "sessions", "id"), ("series_id", "series", "id")],
    )
    db["lotteries"].create_index(["session_id"], unique=True)
    db["lotteries"].create_index(["series_id"])
    # Housekeeping finds the lotteries due for their draw by (drawn_at, closes_at).
    db["lotteries"].create_index(["drawn_at", "closes_at"])
    db["lotteries"].create_index(["first_starts_at"])
    # One application (申込) per resident and lottery; number is its 受付番号
    # (1, 2, … per lottery). result / place are set by the draw: "won" / "lost",
    # and the place in the drawn order; booking_id is the booking it became in
    # the first session. No free text: nothing here but codes.
    db["applications"].create(
        {
            "id": int,
            "lottery_id": int,
            "attendee_id": int,
            "number": int,
            "applied_at": str,
            "created_by": str,
            "withdrawn_at": str,
            "first_timer": int,
            "result": str,
            "place": int,
            "booking_id": int,
        },
        pk="id",
        not_null={"lottery_id", "attendee_id", "number", "applied_at"},
        foreign_keys=[("lottery_id", "lotteries", "id"), ("attendee_id", "attendees", "id"), ("booking_id", "bookings", "id")],
    )
    db["applications"].create_index(["lottery_id", "attendee_id"], unique=True)
    db["applications"].create_index(["lottery_id", "number"], unique=True)
    db["applications"].create_index(["attendee_id"])


@migrations()
def m018_activity_seen_later(db: Database) -> None:
    # A booking marks the resident seen today: a later date only raises
    # activity_on, so take the larger instead of re-reading every booking and
    # case of theirs (3 ms of a booking's 4 at city scale, issue 12). A date that
    # moves back, or a changed registration, is still recomputed in full.
    db.execute("DROP TRIGGER attendees_activity_seen")
    db.execute(
        "CREATE TRIGGER attendees_activity_seen_later AFTER UPDATE OF last_seen_on ON attendees "
        "WHEN NEW.created_at IS OLD.created_at AND coalesce(NEW.last_seen_on, '') > coalesce(OLD.last_seen_on, '') BEGIN "
        "UPDATE attendees SET activity_on = max(coalesce(activity_on, ''), NEW.last_seen_on) WHERE id = NEW.id; END"
    )
    db.execute(
        "CREATE TRIGGER attendees_activity_seen AFTER UPDATE OF created_at, last_seen_on ON attendees "
        "WHEN NEW.created_at IS NOT OLD.created_at "
        "OR (NEW.last_seen_on IS NOT OLD.last_seen_on AND coalesce(NEW.last_seen_on, '') <= coalesce(OLD.last_seen_on, '')) "
        f"BEGIN {_recompute('NEW.id')} END"
    )


@migrations()
def m019_fewer_booking_indexes(db: Database) -> None:
    # Every index is one more page a booking writes to the WAL and later to the
    # file (18 pages a booking at city scale, issue 12). (session_id, status) is
    # the head of (session_id, status, queued_at); only open offers are looked up
    # by deadline, so the seats booked no longer enter that index.
    db.execute('DROP INDEX IF EXISTS "idx_bookings_session_id_status"')
    db.execute('DROP INDEX IF EXISTS "idx_bookings_status_offered_until"')
    db.execute("CREATE INDEX idx_bookings_open_offers ON bookings (offered_until) WHERE status = 'offered'")


# --- the reports' maintained tallies (issue 12) ---------------------------------
# A session's JST month and fiscal year from its starts_at (+09:00, DESIGN.md §6).
_MONTH = "substr({t}, 1, 7)"
_FISCAL_YEAR = "(cast(substr({t}, 1, 4) as integer) - (substr({t}, 6, 2) < '04'))"
_SEATED = "b.status in ('booked', 'offered', 'attended', 'absent')"
# Waited for a seat: on the waitlist, or an offer declined, expired or cancelled.
_WAITED = "(b.status = 'waitlisted' or (b.status = 'cancelled' and b.offered_until is not null))"
_TALLY = (
    f"coalesce(sum({_SEATED}), 0), coalesce(sum(b.status = 'waitlisted'), 0), coalesce(sum(b.status = 'attended'), 0), "
    "coalesce(sum(b.status = 'attended' and b.late), 0), coalesce(sum(b.status = 'absent'), 0)"
)
_PEOPLE = (
    f"sum({_SEATED}), sum({_WAITED}), min(case when b.status = 'attended' then s.starts_at end), "
    "a.age_band, a.device, a.first_attended_on"
)
# Every session's bookings counted by status, from scratch.
SESSION_TALLIES = f"select b.session_id, {_TALLY} from bookings b group by b.session_id"
# Each attendee's bookings in sessions not cancelled, per fiscal year, lesson,
# month and room, from scratch.
REPORT_PEOPLE = (
    f"select {_FISCAL_YEAR.format(t='s.starts_at')}, b.attendee_id, s.lesson_id, {_MONTH.format(t='s.starts_at')}, s.room_id, "
    f"{_PEOPLE} from bookings b join sessions s on s.id = b.session_id join attendees a on a.id = b.attendee_id "
    f"where s.status != 'cancelled' group by 1, 2, 3, 4, 5 having sum({_SEATED}) + sum({_WAITED}) > 0"
)


def _tally_again(session: str) -> str:
    """Trigger statements counting one session's bookings again."""
    return (
        f"DELETE FROM session_tallies WHERE session_id = {session}; "
        f"INSERT INTO session_tallies SELECT b.session_id, {_TALLY} FROM bookings b WHERE b.session_id = {session} GROUP BY b.session_id;"
    )


def _people_again(key: str, who: str) -> str:
    """Trigger statements reading again the `report_people` rows of the attendees
    `who` (a SELECT of ids) at the key of `key` (a SELECT of one session's
    starts_at, lesson_id, room_id): their bookings in the sessions of that lesson,
    month and room, found through the room's sessions, so the cost never grows
    with anyone's history."""
    fiscal_year, month = _FISCAL_YEAR.format(t="k.starts_at"), _MONTH.format(t="k.starts_at")
    return (
        "DELETE FROM report_people WHERE (fiscal_year, attendee_id, lesson_id, month, room_id) IN "
        f"(SELECT {fiscal_year}, w.id, k.lesson_id, {month}, k.room_id FROM ({key}) k CROSS JOIN ({who}) w); "
        f"INSERT INTO report_people SELECT {fiscal_year}, a.id, k.lesson_id, {month}, k.room_id, {_PEOPLE} "
        f"FROM ({key}) k CROSS JOIN ({who}) w CROSS JOIN attendees a CROSS JOIN sessions s CROSS JOIN bookings b "
        f"WHERE a.id = w.id AND s.room_id = k.room_id AND s.starts_at >= {month} AND s.starts_at < {month} || '~' "
        "AND s.lesson_id = k.lesson_id AND s.status != 'cancelled' AND b.session_id = s.id AND b.attendee_id = a.id "
        f"GROUP BY a.id HAVING sum({_SEATED}) + sum({_WAITED}) > 0;"
    )


# A new booking adds itself to the counts instead of counting its session and
# its attendee's month again: every booking runs these, so they read nothing
# but the booking's session and attendee.
_ONE_SEATED = "new.status in ('booked', 'offered', 'attended', 'absent')"
_ONE_WAITED = "(new.status = 'waitlisted' or (new.status = 'cancelled' and new.offered_until is not null))"
_TALLY_ONE = (
    "INSERT INTO session_tallies VALUES (new.session_id, "
    f"{_ONE_SEATED}, new.status = 'waitlisted', new.status = 'attended', new.status = 'attended' and new.late, new.status = 'absent') "
    "ON CONFLICT (session_id) DO UPDATE SET seated = seated + excluded.seated, waitlisted = waitlisted + excluded.waitlisted, "
    "attended = attended + excluded.attended, late = late + excluded.late, absent = absent + excluded.absent;"
)
_PEOPLE_ONE = (
    f"INSERT INTO report_people SELECT {_FISCAL_YEAR.format(t='s.starts_at')}, a.id, s.lesson_id, {_MONTH.format(t='s.starts_at')}, "
    f"s.room_id, {_ONE_SEATED}, {_ONE_WAITED}, case when new.status = 'attended' then s.starts_at end, "
    "a.age_band, a.device, a.first_attended_on FROM sessions s CROSS JOIN attendees a "
    f"WHERE s.id = new.session_id AND s.status != 'cancelled' AND a.id = new.attendee_id AND {_ONE_SEATED} + {_ONE_WAITED} > 0 "
    "ON CONFLICT (fiscal_year, attendee_id, lesson_id, month, room_id) DO UPDATE SET "
    "seated = seated + excluded.seated, waited = waited + excluded.waited, "
    "first_attended_at = coalesce(min(first_attended_at, excluded.first_attended_at), first_attended_at, excluded.first_attended_at);"
)


@migrations()
def m020_report_tallies(db: Database) -> None:
    # The 実績報告 reads these instead of every booking of the year (issue 12).
    # session_tallies: a session's bookings by status (late: attended and late).
    db.execute(
        "CREATE TABLE session_tallies (session_id INTEGER PRIMARY KEY REFERENCES sessions(id), seated INTEGER NOT NULL, "
        "waitlisted INTEGER NOT NULL, attended INTEGER NOT NULL, late INTEGER NOT NULL, absent INTEGER NOT NULL)"
    )
    # report_people: an attendee's bookings in sessions not cancelled, per fiscal
    # year, lesson, JST month ('2026-04') and room: seat-holding ones, waits, the
    # start of the first attended one (NULL: none), and the attendee's 年代,
    # device and first attended day (copies, kept by a trigger).
    db.execute(
        "CREATE TABLE report_people (fiscal_year INTEGER NOT NULL, attendee_id INTEGER NOT NULL REFERENCES attendees(id), "
        "lesson_id TEXT NOT NULL, month TEXT NOT NULL, room_id INTEGER NOT NULL REFERENCES rooms(id), "
        "seated INTEGER NOT NULL, waited INTEGER NOT NULL, first_attended_at TEXT, age_band TEXT, device TEXT, first_attended_on TEXT, "
        "PRIMARY KEY (fiscal_year, attendee_id, lesson_id, month, room_id))"
    )
    db.execute("CREATE INDEX idx_report_people_attendee_id ON report_people (attendee_id)")
    # Those who came (about half the rows), with what the report counts them by;
    # and the waits (a few in a hundred), for the キャンセル待ち demand.
    db.execute(
        "CREATE INDEX idx_report_people_came ON report_people (fiscal_year, attendee_id, month, room_id, first_attended_at, "
        "age_band, device, first_attended_on) WHERE first_attended_at IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX idx_report_people_waited ON report_people (fiscal_year, month, attendee_id, lesson_id, room_id) WHERE waited > 0"
    )
    db.execute(f"INSERT INTO session_tallies {SESSION_TALLIES}")
    db.execute(f"INSERT INTO report_people {REPORT_PEOPLE}")
    session_of = "SELECT starts_at, lesson_id, room_id FROM sessions WHERE id = {b}.session_id"
    changed = (
        "old.status IS NOT new.status OR old.late IS NOT new.late OR old.session_id IS NOT new.session_id "
        "OR old.attendee_id IS NOT new.attendee_id OR (old.offered_until IS NULL) IS NOT (new.offered_until IS NULL)"
    )
    db.execute(f"CREATE TRIGGER bookings_tallied AFTER INSERT ON bookings BEGIN {_TALLY_ONE} {_PEOPLE_ONE} END")
    db.execute(
        "CREATE TRIGGER bookings_tallied_again AFTER UPDATE OF status, late, session_id, attendee_id, offered_until ON bookings "
        f"WHEN {changed} BEGIN "
        f"{_tally_again('old.session_id')} {_tally_again('new.session_id')} "
        f"{_people_again(session_of.format(b='old'), 'SELECT old.attendee_id AS id')} "
        f"{_people_again(session_of.format(b='new'), 'SELECT new.attendee_id AS id')} END"
    )
    db.execute(
        "CREATE TRIGGER bookings_untallied AFTER DELETE ON bookings BEGIN "
        f"{_tally_again('old.session_id')} {_people_again(session_of.format(b='old'), 'SELECT old.attendee_id AS id')} END"
    )
    booked = "SELECT attendee_id AS id FROM bookings WHERE session_id = new.id"
    db.execute(
        "CREATE TRIGGER sessions_tallied_again AFTER UPDATE OF status, starts_at, lesson_id, room_id ON sessions "
        "WHEN old.status IS NOT new.status OR old.starts_at IS NOT new.starts_at OR old.lesson_id IS NOT new.lesson_id "
        "OR old.room_id IS NOT new.room_id BEGIN "
        f"{_people_again('SELECT old.starts_at AS starts_at, old.lesson_id AS lesson_id, old.room_id AS room_id', booked)} "
        f"{_people_again('SELECT new.starts_at AS starts_at, new.lesson_id AS lesson_id, new.room_id AS room_id', booked)} END"
    )
    db.execute(
        "CREATE TRIGGER attendees_copied_to_reports AFTER UPDATE OF age_band, device, first_attended_on ON attendees "
        "WHEN old.age_band IS NOT new.age_band OR old.device IS NOT new.device OR old.first_attended_on IS NOT new.first_attended_on "
        "BEGIN UPDATE report_people SET age_band = new.age_band, device = new.device, first_attended_on = new.first_attended_on "
        "WHERE attendee_id = new.id; END"
    )


@migrations()
def m021_application_calls(db: Database) -> None:
    # A lottery applicant holds no booking in a session cancelled before the draw,
    # yet must hear of it: a call's outcome names a booking, or an application and
    # the session the call was about (a series may lose more than one date).
    db["call_outcomes"].add_column("application_id", int)
    db["call_outcomes"].add_column("session_id", int)
    db["call_outcomes"].transform(
        not_null={"booking_id": False},
        add_foreign_keys=[("application_id", "applications", "id"), ("session_id", "sessions", "id")],
    )
    db["call_outcomes"].create_index(["application_id", "session_id", "kind", "at"])
    db.execute(
        "CREATE TRIGGER call_outcomes_about_one_call BEFORE INSERT ON call_outcomes "
        "WHEN (NEW.booking_id IS NULL) = (NEW.application_id IS NULL) OR (NEW.application_id IS NULL) <> (NEW.session_id IS NULL) "
        "BEGIN SELECT RAISE(ABORT, 'call_outcomes: a booking, or an application and its session'); END"
    )


@migrations()
def m022_session_cancelled_at(db: Database) -> None:
    # When a session was cancelled (UTC), so the call list tells a lottery's
    # applicants only of dates cancelled after they applied. Sessions cancelled
    # before take the time of their audit row ("cancel"), where there is one.
    db["sessions"].add_column("cancelled_at", str)
    # Read by (entity, entity_id): max(at) would walk every session's audit rows
    # through (entity, at), 73 s at city scale against 0.03 s.
    db.execute(
        "UPDATE sessions SET cancelled_at = (SELECT at FROM audit_log WHERE entity = 'sessions' "
        "AND entity_id = CAST(sessions.id AS TEXT) AND +action = 'cancel' ORDER BY id DESC LIMIT 1) WHERE status = 'cancelled'"
    )
