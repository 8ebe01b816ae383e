"""Volunteers (ボランティア・デジタル推進委員) and their shifts (担当)."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlite_utils import Database

import lessons
from db import audit, immediate, sessions
from db.clock import JST, now_jst, parse_iso
from db.errors import InvalidInput, NotFound, ShiftConflict
from db.guard import check_free_text
from db.permissions import Actor, PermissionDenied, allowed, require
from db.text import kana_key, normalise_kana, normalise_name, normalise_phone, to_search_digits
from lessons import SKILLS
from locales import _

# Kinds of volunteer (DESIGN.md §2, issue 5): code → label.
KINDS = {
    "promoter": "デジタル推進委員",
    "supporter": "デジタル活用支援員",
    "student": "学生",
    "staff": "職員",
    "other": "その他",
}
ROLES = {"lead": "講師", "helper": "補助"}
# A shift's minutes: as edited, else the session's length (issue 5).
_MINUTES_SQL = "coalesce(h.minutes, cast(round((julianday(s.ends_at) - julianday(s.starts_at)) * 1440) as integer))"


@dataclass(frozen=True)
class Volunteer:
    """A volunteer profile; skills is a tuple of `SKILLS` entries."""

    id: int
    name: str
    name_kana: str
    phone: str
    email: str
    kind: str
    skills: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class Shift:
    """A volunteer's assignment to a session; minutes: the hours counted for it
    (the session's length unless staff edited it)."""

    id: int
    session_id: int
    volunteer_id: int
    name: str
    role: str
    minutes: int


def register_volunteer(
    db: Database,
    actor: Actor,
    name: str,
    name_kana: str,
    phone: str,
    kind: str,
    skills: list[str],
    email: str = "",
    max_shifts_per_month: int | None = None,
    appointed_fiscal_year: int | None = None,
) -> int:
    """Register a volunteer.

    Args:
        kind: a key of `KINDS`. skills: entries of `SKILLS`. phone: required,
            Japanese number. email: optional.
        max_shifts_per_month: 1–31, or None for no limit.
        appointed_fiscal_year: for デジタル推進委員, the fiscal year (年度) of the
            appointment, e.g. 2026.
    Returns:
        the new volunteer id.
    Raises:
        PermissionDenied: not staff. InvalidInput: a field fails validation.
        MyNumberRejected: the name or e-mail holds a マイナンバー.
    """
    require(actor, "volunteers.register")
    name = normalise_name(name)
    name_kana = normalise_kana(name_kana)
    phone_text = normalise_phone(phone)[0]
    if kind not in KINDS:
        raise InvalidInput("kind", _("種別を選んでください。"))
    unknown = [s for s in skills if s not in SKILLS]
    if unknown:
        raise InvalidInput("skills", _("不明な得意分野です：{skills}").format(skills="、".join(unknown)))
    email = check_free_text("email", (email or "").strip())
    if email and ("@" not in email or " " in email or email.startswith("@") or email.endswith("@")):
        raise InvalidInput("email", _("メールアドレスの形が正しくありません。"))
    if max_shifts_per_month is not None and not 1 <= int(max_shifts_per_month) <= 31:
        raise InvalidInput("max_shifts_per_month", _("1か月の上限は 1〜31 回で指定してください。"))
    if appointed_fiscal_year is not None and not 2020 <= int(appointed_fiscal_year) <= 2100:
        raise InvalidInput("appointed_fiscal_year", _("委嘱の年度が正しくありません。"))
    with db.atomic():
        volunteer_id = db["volunteers"].insert(
            {
                "name": name,
                "name_kana": name_kana,
                "phone": phone_text,
                "email": email,
                "kind": kind,
                "skills": json.dumps(list(skills), ensure_ascii=False),
                "active": 1,
                "max_shifts_per_month": max_shifts_per_month,
                "appointed_fiscal_year": appointed_fiscal_year if kind == "promoter" else None,
            }
        ).last_pk
        audit.record(db, actor, "create", "volunteers", volunteer_id, {"kind": kind, "skills": list(skills)})
    return volunteer_id


def set_active(db: Database, actor: Actor, volunteer_id: int, active: bool) -> None:
    """Mark a volunteer as active or no longer active (活動終了). An inactive
    volunteer keeps their history and hours but cannot be given new shifts, and
    their calendar subscription stops.

    Raises:
        PermissionDenied: not staff. NotFound: no such volunteer.
    """
    require(actor, "volunteers.register")
    with immediate(db):
        if not db.execute("select 1 from volunteers where id = ?", [volunteer_id]).fetchone():
            raise NotFound(_("ボランティアが見つかりません。"))
        db["volunteers"].update(volunteer_id, {"active": int(bool(active))})
        audit.record(db, actor, "activate" if active else "deactivate", "volunteers", volunteer_id, {})


def list_volunteers(db: Database, active_only: bool = True) -> list[Volunteer]:
    """Volunteers ordered by フリガナ."""
    where = "where active = 1" if active_only else ""
    rows = db.query(
        f"select id, name, name_kana, coalesce(phone, '') as phone, coalesce(email, '') as email, kind, skills, active "
        f"from volunteers {where} order by name_kana, id"
    )
    return [Volunteer(**{**r, "skills": tuple(json.loads(r["skills"] or "[]")), "active": bool(r["active"])}) for r in rows]


PAGE_SIZE = 50


def _matching(query: str, active_only: bool) -> tuple[str, list[object]]:
    """The where clause for `find_volunteers` / `count_volunteers`."""
    clauses, params = (["active = 1"] if active_only else []), []
    text = "".join(unicodedata.normalize("NFKC", query or "").split())
    if text:
        digits = to_search_digits(text)
        match = ["instr(replace(name, '\u3000', ''), ?) > 0", "instr(replace(name_kana, '\u3000', ''), ?) > 0"]
        params += [text, kana_key(text)]
        # Only a query of digits (and hyphens) is a phone number.
        if digits and len(digits) == len(text.replace("-", "")):
            match.append("instr(replace(coalesce(phone, ''), '-', ''), ?) > 0")
            params.append(digits)
        clauses.append("(" + " or ".join(match) + ")")
    return (f"where {' and '.join(clauses)}" if clauses else ""), params


def find_volunteers(db: Database, query: str = "", active_only: bool = False, limit: int = PAGE_SIZE, offset: int = 0) -> list[Volunteer]:
    """A page of volunteers ordered by フリガナ, optionally those matching `query`.

    Args:
        query: part of the 氏名, of the フリガナ (hiragana or katakana, any width),
            or digits of the phone number; spaces ignored. "" matches everyone.
        active_only: leave out volunteers marked 活動終了.
        limit / offset: the page (at most `limit` rows, skipping `offset`).
    """
    where, params = _matching(query, active_only)
    rows = db.query(
        f"select id, name, name_kana, coalesce(phone, '') as phone, coalesce(email, '') as email, kind, skills, active "
        f"from volunteers {where} order by name_kana, id limit ? offset ?",
        [*params, limit, offset],
    )
    return [Volunteer(**{**r, "skills": tuple(json.loads(r["skills"] or "[]")), "active": bool(r["active"])}) for r in rows]


def count_volunteers(db: Database, query: str = "", active_only: bool = False) -> int:
    """How many volunteers `find_volunteers` would page through."""
    where, params = _matching(query, active_only)
    return db.execute(f"select count(*) from volunteers {where}", params).fetchone()[0]


def assign_shift(db: Database, actor: Actor, session_id: int, volunteer_id: int, role: str) -> int:
    """Staff a session with a volunteer as lead (講師) or helper (補助).

    Staff assign anyone; a volunteer may only take a shift for themselves.

    Returns:
        the new shift id.
    Raises:
        PermissionDenied: a volunteer assigning someone else.
        InvalidInput: unknown role. NotFound: no such session or active volunteer.
        ShiftConflict: the volunteer is already on this session, the session
            already has a lead, the volunteer has another shift at an
            overlapping time, is not available then (weekly availability and
            dated exceptions), or already has their monthly maximum of shifts.
    A lesson/skills mismatch is not refused: see `staffing_warnings`.
    """
    if not allowed(actor, "shifts.assign"):
        require(actor, "shifts.take")
        if actor.volunteer_id != volunteer_id:
            raise PermissionDenied(_("ご自身の担当だけを引き受けられます。"))
    if role not in ROLES:
        raise InvalidInput("role", _("役割を選んでください。"))
    with immediate(db):
        session = db.execute("select starts_at, ends_at, status from sessions where id = ?", [session_id]).fetchone()
        if session is None or session[2] == "cancelled":
            raise NotFound(_("開催回が見つかりません。"))
        if not db.execute("select 1 from volunteers where id = ? and active = 1", [volunteer_id]).fetchone():
            raise NotFound(_("ボランティアが見つかりません。"))
        if db.execute(
            "select 1 from shifts where session_id = ? and volunteer_id = ? and status = 'assigned'", [session_id, volunteer_id]
        ).fetchone():
            raise ShiftConflict(_("この方はすでにこの開催回の担当です。"))
        if role == "lead" and db.execute(
            "select 1 from shifts where session_id = ? and role = 'lead' and status = 'assigned'", [session_id]
        ).fetchone():
            raise ShiftConflict(_("この開催回の講師はすでに決まっています。"))
        problem = _time_problem(db, session_id, volunteer_id, session[0], session[1])
        if problem:
            raise ShiftConflict(problem)
        starts_at = parse_iso(session[0]).astimezone(JST)
        limit = db.execute("select max_shifts_per_month from volunteers where id = ?", [volunteer_id]).fetchone()[0]
        if limit:
            month = starts_at.strftime("%Y-%m")
            taken = db.execute(
                "select count(*) from shifts h join sessions s on s.id = h.session_id "
                "where h.volunteer_id = ? and h.status = 'assigned' and s.status != 'cancelled' and substr(s.starts_at, 1, 7) = ?",
                [volunteer_id, month],
            ).fetchone()[0]
            if taken >= limit:
                raise ShiftConflict(
                    _("この方の{month}月の担当は上限の{limit}回に達しています。").format(month=starts_at.month, limit=limit)
                )
        existing = db.execute("select id from shifts where session_id = ? and volunteer_id = ?", [session_id, volunteer_id]).fetchone()
        row = {"role": role, "status": "assigned"}
        if existing:
            shift_id = existing[0]
            db["shifts"].update(shift_id, row)
        else:
            shift_id = db["shifts"].insert({"session_id": session_id, "volunteer_id": volunteer_id, **row}).last_pk
        audit.record(db, actor, "assign", "shifts", shift_id, {"session_id": session_id, "volunteer_id": volunteer_id, "role": role})
    return shift_id


def _time_problem(db: Database, session_id: int, volunteer_id: int, starts_at: str, ends_at: str) -> str:
    """Why the volunteer cannot be on this session at this time, or "": another
    shift overlaps, or their availability rules it out."""
    clash = db.execute(
        """select s.id from shifts h join sessions s on s.id = h.session_id
           where h.volunteer_id = ? and h.status = 'assigned' and s.status != 'cancelled'
             and s.id != ? and s.starts_at < ? and s.ends_at > ?""",
        [volunteer_id, session_id, ends_at, starts_at],
    ).fetchone()
    if clash:
        return _("この方は同じ時間に別の開催回の担当があります（{session}）。").format(session=sessions.describe(db, clash[0]))
    if not _available(db, volunteer_id, parse_iso(starts_at).astimezone(JST), parse_iso(ends_at).astimezone(JST)):
        return _("この方はその日時は活動できません（活動可能日の設定）。")
    return ""


@dataclass(frozen=True)
class ShiftProblem:
    """An assigned shift that no longer fits after its session moved."""

    shift: Shift
    starts_at: datetime
    reason: str


def shift_problems(db: Database, session_ids: list[int]) -> list[ShiftProblem]:
    """Assigned shifts of these sessions that now clash with another shift of the
    same volunteer or fall outside their availability (after 「この回以降を変更」).
    Staff decide what to do; nothing is changed here.

    Returns:
        problems in session order; [] when every shift still fits.
    """
    problems = []
    for session_id in session_ids:
        row = db.execute("select starts_at, ends_at from sessions where id = ? and status != 'cancelled'", [session_id]).fetchone()
        if row is None:
            continue
        for shift in list_shifts(db, session_id):
            reason = _time_problem(db, session_id, shift.volunteer_id, row[0], row[1])
            if reason:
                problems.append(ShiftProblem(shift, parse_iso(row[0]).astimezone(JST), reason))
    return problems


def remove_shift(db: Database, actor: Actor, shift_id: int) -> None:
    """Take a volunteer off a session (the row stays, status 'removed').

    Raises:
        PermissionDenied: not staff. NotFound: no such assigned shift.
    """
    require(actor, "shifts.remove")
    with immediate(db):
        if not db.execute("select 1 from shifts where id = ? and status = 'assigned'", [shift_id]).fetchone():
            raise NotFound(_("担当が見つかりません。"))
        db["shifts"].update(shift_id, {"status": "removed"})
        audit.record(db, actor, "remove", "shifts", shift_id, {})


def list_shifts(db: Database, session_id: int) -> list[Shift]:
    """Assigned shifts of a session, lead first."""
    rows = db.query(
        f"""select h.id, h.session_id, h.volunteer_id, v.name, h.role, {_MINUTES_SQL} as minutes
           from shifts h join volunteers v on v.id = h.volunteer_id join sessions s on s.id = h.session_id
           where h.session_id = ? and h.status = 'assigned'
           order by case h.role when 'lead' then 0 else 1 end, v.name_kana""",
        [session_id],
    )
    return [Shift(**r) for r in rows]


def my_shifts(db: Database, actor: Actor, volunteer_id: int) -> list[tuple[sessions.SessionRow, str]]:
    """A volunteer's upcoming shifts with their role.

    Raises:
        PermissionDenied: a volunteer asking for someone else's schedule.
    """
    if not actor.is_staff and actor.volunteer_id != volunteer_id:
        raise PermissionDenied(_("ご自身の予定だけを見られます。"))
    return sessions.staffed_by(db, volunteer_id)


def open_shifts(db: Database, actor: Actor) -> list[sessions.SessionRow]:
    """Upcoming understaffed sessions the actor is not already on (any signed-in role)."""
    require(actor, "roster.read")
    mine = {s.id for s, _role in sessions.staffed_by(db, actor.volunteer_id)} if actor.volunteer_id else set()
    return [s for s in sessions.understaffed_sessions(db) if s.id not in mine]


WEEKDAYS = ("月", "火", "水", "木", "金", "土", "日")


@dataclass(frozen=True)
class Slot:
    """A weekly availability slot: weekday (0 = Monday), JST times."""

    weekday: int
    starts: time
    ends: time


def _available(db: Database, volunteer_id: int, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether the volunteer can help from starts_at to ends_at (JST).

    A dated exception decides that day; otherwise a weekly slot must cover the
    time. A volunteer with no weekly slots and no exception is not restricted.
    """
    day = starts_at.date().isoformat()
    exception = db.execute(
        "select available from availability_exceptions where volunteer_id = ? and date = ?", [volunteer_id, day]
    ).fetchone()
    if exception is not None:
        return bool(exception[0])
    slots = db.execute("select weekday, starts, ends from availability where volunteer_id = ?", [volunteer_id]).fetchall()
    if not slots:
        return True
    begin, end = starts_at.strftime("%H:%M"), ends_at.strftime("%H:%M")
    return any(w == starts_at.weekday() and a <= begin and end <= b for w, a, b in slots)


def _may_edit(actor: Actor, volunteer_id: int) -> None:
    if not allowed(actor, "volunteers.register") and actor.volunteer_id != volunteer_id:
        raise PermissionDenied(_("ご自身の活動可能日だけを変更できます。"))


def set_weekly_availability(db: Database, actor: Actor, volunteer_id: int, slots: list[Slot]) -> None:
    """Replace a volunteer's weekly availability (活動可能日). An empty list means
    "no weekly restriction".

    Raises:
        PermissionDenied: neither staff nor the volunteer themselves.
        NotFound: no such volunteer. InvalidInput: weekday outside 0–6 or a slot
            that ends before it starts.
    """
    _may_edit(actor, volunteer_id)
    if not db["volunteers"].count_where("id = ?", [volunteer_id]):
        raise NotFound(_("ボランティアが見つかりません。"))
    for slot in slots:
        if not 0 <= slot.weekday <= 6:
            raise InvalidInput("weekday", _("曜日が正しくありません。"))
        if slot.ends <= slot.starts:
            raise InvalidInput("ends", _("終わりの時刻は始まりより後にしてください。"))
    with immediate(db):
        db.execute("delete from availability where volunteer_id = ?", [volunteer_id])
        for slot in slots:
            db.execute(
                "insert into availability (volunteer_id, weekday, starts, ends) values (?, ?, ?, ?)",
                [volunteer_id, slot.weekday, slot.starts.strftime("%H:%M"), slot.ends.strftime("%H:%M")],
            )
        audit.record(db, actor, "update", "availability", volunteer_id, {"slots": len(slots)})


def weekly_availability(db: Database, volunteer_id: int) -> list[Slot]:
    """A volunteer's weekly slots, by weekday and time."""
    rows = db.execute("select weekday, starts, ends from availability where volunteer_id = ? order by weekday, starts", [volunteer_id])
    return [Slot(w, time.fromisoformat(a), time.fromisoformat(b)) for w, a, b in rows]


def set_exception(db: Database, actor: Actor, volunteer_id: int, day: date, available: bool, note: str = "") -> None:
    """Mark one date as unavailable (休み) or available (追加) for a volunteer;
    replaces an earlier exception for that date.

    Raises:
        PermissionDenied: neither staff nor the volunteer themselves.
        NotFound: no such volunteer. MyNumberRejected: the note holds a マイナンバー.
    """
    _may_edit(actor, volunteer_id)
    note = check_free_text("note", (note or "").strip())
    if not db["volunteers"].count_where("id = ?", [volunteer_id]):
        raise NotFound(_("ボランティアが見つかりません。"))
    with immediate(db):
        db.execute("delete from availability_exceptions where volunteer_id = ? and date = ?", [volunteer_id, day.isoformat()])
        db.execute(
            "insert into availability_exceptions (volunteer_id, date, available, note) values (?, ?, ?, ?)",
            [volunteer_id, day.isoformat(), int(available), note],
        )
        audit.record(db, actor, "update", "availability_exceptions", volunteer_id, {"date": day.isoformat(), "available": available})


def staffing_warnings(db: Database, session_id: int, volunteer_id: int) -> list[str]:
    """What staff should know but that does not forbid the shift: the volunteer
    has none of the skills the lesson asks for.

    Returns:
        Japanese sentences; [] when nothing to say.
    """
    lesson_id = db.execute("select lesson_id from sessions where id = ?", [session_id]).fetchone()
    row = db.execute("select skills from volunteers where id = ?", [volunteer_id]).fetchone()
    lesson = lessons.catalogue().get(lesson_id[0]) if lesson_id else None
    if lesson is None or row is None or not lesson.skills:
        return []
    if set(json.loads(row[0] or "[]")) & set(lesson.skills):
        return []
    return [_("得意分野が講座と合っていません（講座で役立つ分野：{skills}）。").format(skills="、".join(lesson.skills))]


def set_shift_minutes(db: Database, actor: Actor, shift_id: int, minutes: int | None) -> None:
    """Correct the minutes counted for a shift (e.g. the helper stayed 30 minutes
    longer); None goes back to the session's length.

    Args:
        minutes: 1–720, or None.
    Raises:
        PermissionDenied: not staff. InvalidInput: outside 1–720.
        NotFound: no such assigned shift.
    """
    require(actor, "shifts.minutes")
    if minutes is not None and not 1 <= int(minutes) <= 720:
        raise InvalidInput("minutes", _("活動時間は 1〜720 分で入力してください。"))
    with immediate(db):
        if not db.execute("select 1 from shifts where id = ? and status = 'assigned'", [shift_id]).fetchone():
            raise NotFound(_("担当が見つかりません。"))
        db["shifts"].update(shift_id, {"minutes": None if minutes is None else int(minutes)})
        audit.record(db, actor, "update", "shifts", shift_id, {"minutes": minutes})


@dataclass(frozen=True)
class Activity:
    """One shift counted in a volunteer's hours: JST date, lesson, role code, minutes."""

    session_id: int
    day: date
    lesson_title: str
    role: str
    minutes: int


@dataclass(frozen=True)
class Hours:
    """A volunteer's activities in a fiscal year (年度, April–March) and their total."""

    volunteer_id: int
    name: str
    kind: str
    fiscal_year: int
    activities: tuple[Activity, ...]

    @property
    def total_minutes(self) -> int:
        return sum(a.minutes for a in self.activities)


def hours(db: Database, actor: Actor, volunteer_id: int, fiscal_year: int, now: datetime | None = None) -> Hours:
    """A volunteer's hours for a fiscal year: assigned shifts of sessions that were
    held (not cancelled, already started by `now`) between 1 April `fiscal_year` and
    31 March the year after (JST), earliest first. Basis of the 活動証明書.

    Raises:
        PermissionDenied: a volunteer asking for someone else's hours.
        NotFound: no such volunteer.
    """
    require(actor, "hours.read")
    if not actor.is_staff and actor.volunteer_id != volunteer_id:
        raise PermissionDenied(_("ご自身の活動時間だけを見られます。"))
    person = db.execute("select name, kind from volunteers where id = ?", [volunteer_id]).fetchone()
    if person is None:
        raise NotFound(_("ボランティアが見つかりません。"))
    now = (now or now_jst()).astimezone(JST)
    first, last = date(fiscal_year, 4, 1), date(fiscal_year + 1, 4, 1)
    rows = db.execute(
        f"""select s.id, substr(s.starts_at, 1, 10), s.lesson_id, h.role, {_MINUTES_SQL}
            from shifts h join sessions s on s.id = h.session_id
            where h.volunteer_id = ? and h.status = 'assigned' and s.status != 'cancelled'
              and s.starts_at >= ? and s.starts_at < ? and s.starts_at <= ?
            order by s.starts_at, s.id""",
        [volunteer_id, first.isoformat(), last.isoformat(), now.isoformat()],
    ).fetchall()
    return Hours(
        volunteer_id,
        person[0],
        person[1],
        fiscal_year,
        tuple(
            Activity(sid, date.fromisoformat(day), lessons.title_of(lid), role, minutes)
            for sid, day, lid, role, minutes in rows
        ),
    )
