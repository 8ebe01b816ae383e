"""Tables for spreadsheet export: the attendee registry and bookings.

Each function returns (header, rows) of plain values with Japanese headers; the
page turns them into a file with `printouts.csv_export.to_csv` (UTF-8 with BOM,
formula injection neutralised). Times are shown in JST.

An export takes many residents' data out of the system at once, so each one leaves
an audit row (who, how many rows), as the 個人情報保護委員会 guidelines (通則編
10-3, 組織的安全管理措置) ask for records of the output of personal data. Pages
should build the file only when the user clicks download (a callable ``data`` for
``st.download_button``), not on every redraw.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

import lessons
from db import audit
from db.bookings import STATUS_LABELS
from db.clock import JST, parse_iso
from db.errors import NotFound
from db.permissions import Actor, require
from locales import _


def _jst(stamp: str | None, fmt: str) -> str:
    return parse_iso(stamp).astimezone(JST).strftime(fmt) if stamp else ""


def attendees_table(db: Database, actor: Actor) -> tuple[list[str], list[list]]:
    """The attendee registry, anonymised attendees left out, by 番号 (attendee id).

    Returns:
        (header, rows). header: 番号, 氏名, フリガナ, 電話番号, 年代, 機種, 配慮, メモ,
        同意日, 登録日. 番号 is an int; 配慮 is the needs joined by 「、」 (what
        `db.importer` reads back); 同意日 and 登録日 are ISO dates (登録日 in JST).
    Raises:
        PermissionDenied: not staff.
    """
    require(actor, "attendees.export")
    header = [_("番号"), _("氏名"), _("フリガナ"), _("電話番号"), _("年代"), _("機種"), _("配慮"), _("メモ"), _("同意日"), _("登録日")]
    rows = []
    for r in db.query(
        "select id, name, name_kana, phone, age_band, device, needs, note, consent_on, created_at "
        "from attendees where anonymised_at is null order by id"
    ):
        needs = json.loads(r["needs"]) if (r["needs"] or "").startswith("[") else []
        rows.append([
            r["id"], r["name"], r["name_kana"], r["phone"] or "", r["age_band"] or "", r["device"] or "",
            "、".join(needs), r["note"] or "", r["consent_on"] or "", _jst(r["created_at"], "%Y-%m-%d"),
        ])
    with db.atomic():
        audit.record(db, actor, "export", "attendees", None, {"rows": len(rows)})
    return header, rows


def bookings_table(db: Database, actor: Actor, session_id: int | None = None) -> tuple[list[str], list[list]]:
    """Bookings of every status, of one session or of all, by start time then queue order.

    Args:
        session_id: one session, or None for every session.
    Returns:
        (header, rows). header: 開催日時, 講座, 部屋, 氏名, フリガナ, 電話番号, 状態,
        受付日時. Times are JST "2026-12-03 10:00"; 状態 is `STATUS_LABELS`. An
        anonymised attendee appears as （削除済み） with no phone, so counts add up.
    Raises:
        PermissionDenied: not staff. NotFound: no such session.
    """
    require(actor, "attendees.export")
    where, params = "", []
    if session_id is not None:
        if not db.execute("select 1 from sessions where id = ?", [session_id]).fetchone():
            raise NotFound(_("開催回が見つかりません。"))
        where, params = "where s.id = ?", [session_id]
    header = [_("開催日時"), _("講座"), _("部屋"), _("氏名"), _("フリガナ"), _("電話番号"), _("状態"), _("受付日時")]
    rows = []
    for r in db.query(
        f"""select s.starts_at, s.lesson_id, rm.name as room, a.name, a.name_kana, a.phone, b.status, b.queued_at
            from bookings b join sessions s on s.id = b.session_id join rooms rm on rm.id = s.room_id
            join attendees a on a.id = b.attendee_id {where}
            order by s.starts_at, s.id, b.queued_at, b.id""",
        params,
    ):
        rows.append([
            _jst(r["starts_at"], "%Y-%m-%d %H:%M"), lessons.title_of(r["lesson_id"]), r["room"],
            r["name"], r["name_kana"] or "", r["phone"] or "",
            # A status added later prints as stored rather than breaking the export.
            _(STATUS_LABELS[r["status"]]) if r["status"] in STATUS_LABELS else r["status"],
            _jst(r["queued_at"], "%Y-%m-%d %H:%M"),
        ])
    with db.atomic():
        audit.record(db, actor, "export", "bookings", session_id, {"rows": len(rows)})
    return header, rows


PRINTOUTS = {"call_list": "電話連絡リスト", "signin_sheet": "受付名簿", "booking_slips": "予約票", "handouts": "配布資料（受講者ごと）"}


def record_printout(db: Database, actor: Actor, printout: str, session_id: int | None, rows: int) -> None:
    """Log a printout that carries residents' names or phone numbers (the call
    list, a 受付名簿, 予約票, per-person handouts) as it is downloaded, like the CSV
    exports (通則編 10-3): who, which printout, which session, how many people.

    Args:
        printout: a key of `PRINTOUTS`. session_id: the session, None for the
            day's call list. rows: how many people it names.
    Raises:
        PermissionDenied: not staff. ValueError: an unknown printout.
    """
    require(actor, "bookings.read")
    if printout not in PRINTOUTS:
        raise ValueError(printout)
    with db.atomic():
        audit.record(db, actor, "print", "sessions" if session_id else "bookings", session_id, {"printout": printout, "rows": rows})
