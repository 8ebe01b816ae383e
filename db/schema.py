"""Schema as sqlite-utils `Migrations` (recorded in ``_sqlite_migrations``).

Add a new decorated function for every change; never edit one that has shipped.
Times are ISO 8601 text with an offset (+09:00 for session times, UTC for stamps),
never naive (DESIGN.md §6). There is no My Number column anywhere, by design
(My Number Act art. 20).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("sumaho_desk")


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
