"""Recurring series (連続講座): sessions generated from one rule (DESIGN.md §4, issue 5).

A series is a rule — every week, every other week, or the nth weekday of each month
(e.g. 第2水曜) — between two dates, at one time in one room. `plan_series` turns the
rule into dates and lists every date it leaves out with its reason; staff see that
preview before `create_series` writes anything. "This and following" changes
(「この回以降」) are `cancel_from` and `move_from`.

Where the rules come from:

- Schedules skip national holidays, the year-end closure 12/29–1/3 and the venue's
  own closures, and say what they skipped (DESIGN.md §7). Holidays are those of
  国民の祝日に関する法律 (including 振替休日 and 国民の休日), as computed by the
  `jpholiday` package; holidays and the year-end closure both come from
  `db.sessions.day_note`, so one-off sessions and series agree.
- A room holds one session at a time, and a session on a closure date is refused
  (issue 5; the same checks as `db.sessions.create_session`).

All dates and times are Japan Standard Time (Asia/Tokyo): ``starts`` / ``ends`` are
wall-clock times on each date, stored on sessions as ISO 8601 with +09:00 and on
the series row as "HH:MM".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import jpholiday
from sqlite_utils import Database

import lessons
from db import audit, immediate, sessions
from db.clock import JST, now_jst, now_utc_iso, parse_iso
from db.errors import InvalidInput, NotFound, RoomTaken, VenueClosed
from db.guard import check_free_text
from db.permissions import Actor, require
from db.venues import get_room
from locales import _

RULES = ("weekly", "biweekly", "monthly_nth")
# At most this many sessions in one series, and a window of at most one year.
MAX_SESSIONS = 60

# Skipped.kind values.
HOLIDAY, YEAR_END, CLOSURE, ROOM_TAKEN, PAST, NO_DATE = "holiday", "year_end", "closure", "room_taken", "past", "no_date"


@dataclass(frozen=True)
class Skipped:
    """A date the rule gives but the series leaves out, and why.

    date: the date. For kind "no_date" (a month without a 5th such weekday) it is
        the 1st of that month, since the date itself does not exist.
    reason: Japanese text for the preview: the holiday's name from jpholiday
        (e.g. 成人の日), 「年末年始」, 「休館日（点検）」, 「部屋が使用中（No.12）」,
        「過去の日付」, or 「2027年2月には第5水曜がありません」.
    kind: one of "holiday", "year_end", "closure", "room_taken", "past", "no_date".
    """

    date: date
    reason: str
    kind: str


@dataclass(frozen=True)
class SeriesRule:
    """What a series repeats (連続講座の決まり), as staff fill it in.

    lesson_id: a lesson of the catalogue. room_id: the room; its venue's
        closures apply.
    rule: "weekly" (every week), "biweekly" (every other week, counted from the
        first matching date on or after `first_date`; a skipped date keeps the
        rhythm), or "monthly_nth" (the `nth` `weekday` of each month, e.g. 第2水曜).
    first_date: the first day of the window (JST date).
    starts, ends: JST wall-clock times (`time` or "HH:MM"); 30–180 minutes apart.
    last_date / count: where the series ends — the last day of the window (both
        days included, at most one year apart), or how many sessions to create
        (skipped dates do not count; looked for within one year). Exactly one.
    weekday: 0 = Monday … 6 = Sunday; None takes the weekday of `first_date`.
    nth: 1–5 for "monthly_nth" (ignored otherwise); None takes the week of the
        month of `first_date`.
    """

    lesson_id: str
    room_id: int
    rule: str
    first_date: date
    starts: time | str
    ends: time | str
    last_date: date | None = None
    count: int | None = None
    weekday: int | None = None
    nth: int | None = None


@dataclass(frozen=True)
class SeriesPlan:
    """What `create_series` would create: the rule, the dates, and the skipped dates.

    dates: dates to create, ascending. skipped: every other date of the rule in the
    window, ascending, each with its reason. starts / ends: JST wall-clock times.
    label: the rule in Japanese (「毎週水曜」「隔週水曜」「毎月第2水曜」).
    """

    lesson_id: str
    room_id: int
    rule: str
    weekday: int
    nth: int | None
    first_date: date
    last_date: date
    starts: time
    ends: time
    label: str
    dates: list[date] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def sessions(self) -> list[tuple[datetime, datetime]]:
        """(starts_at, ends_at) of each date to create, as aware JST datetimes."""
        return [_span(d, self.starts, self.ends) for d in self.dates]


def weekday_name(weekday: int) -> str:
    """「月曜」…「日曜」 for 0 (Monday) … 6 (Sunday)."""
    return (_("月曜"), _("火曜"), _("水曜"), _("木曜"), _("金曜"), _("土曜"), _("日曜"))[weekday]


def rule_label(rule: str, weekday: int, nth: int | None = None) -> str:
    """The rule in Japanese: 「毎週水曜」「隔週水曜」「毎月第2水曜」.

    Raises:
        InvalidInput: an unknown rule.
    """
    name = weekday_name(weekday)
    if rule == "weekly":
        return _("毎週{weekday}").format(weekday=name)
    if rule == "biweekly":
        return _("隔週{weekday}").format(weekday=name)
    if rule == "monthly_nth":
        return _("毎月第{nth}{weekday}").format(nth=nth, weekday=name)
    raise InvalidInput("rule", _("繰り返しの決まりを選んでください（毎週・隔週・毎月第何曜日）。"))


def _span(day: date, starts: time, ends: time) -> tuple[datetime, datetime]:
    return datetime.combine(day, starts, tzinfo=JST), datetime.combine(day, ends, tzinfo=JST)


def _clock(value: time | str, field_name: str) -> time:
    """A wall-clock time from a `time` or "HH:MM", seconds and tzinfo dropped."""
    if isinstance(value, str):
        try:
            value = time.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(field_name, _("時刻は 10:00 のように入力してください。")) from None
    if not isinstance(value, time):
        raise InvalidInput(field_name, _("時刻は 10:00 のように入力してください。"))
    return value.replace(second=0, microsecond=0, tzinfo=None)


def _check_times(starts: time | str, ends: time | str) -> tuple[time, time]:
    starts, ends = _clock(starts, "starts"), _clock(ends, "ends")
    minutes = (datetime.combine(date.min, ends) - datetime.combine(date.min, starts)) / timedelta(minutes=1)
    if minutes <= 0:
        raise InvalidInput("ends", _("終了時刻は開始時刻より後にしてください。"))
    if not sessions.MIN_MINUTES <= minutes <= sessions.MAX_MINUTES:
        raise InvalidInput("ends", _("開催時間は30分〜3時間にしてください。"))
    return starts, ends


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _candidates(rule: str, weekday: int, nth: int | None, first: date, last: date) -> tuple[list[date], list[Skipped]]:
    """Every date the rule gives in [first, last], and the months lacking an nth weekday."""
    if rule in ("weekly", "biweekly"):
        step = timedelta(days=7 if rule == "weekly" else 14)
        day = first + timedelta(days=(weekday - first.weekday()) % 7)
        found = []
        while day <= last:
            found.append(day)
            day += step
        return found, []
    found, missing = [], []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        start = date(year, month, 1)
        day = start + timedelta(days=(weekday - start.weekday()) % 7 + 7 * (nth - 1))
        if day.month != month:
            missing.append(
                Skipped(
                    start,
                    _("{year}年{month}月には第{nth}{weekday}がありません").format(
                        year=year, month=month, nth=nth, weekday=weekday_name(weekday)
                    ),
                    NO_DATE,
                )
            )
        elif first <= day <= last:
            found.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found, missing


def _busy(db: Database, room_id: int, first: date, last: date, exclude=()) -> list[tuple[int, datetime, datetime]]:
    """Non-cancelled sessions in the room around [first, last]: (id, starts_at, ends_at)."""
    rows = db.execute(
        "select id, starts_at, ends_at from sessions where room_id = ? and status != 'cancelled' "
        "and starts_at < ? and ends_at > ? order by starts_at",
        [room_id, (last + timedelta(days=2)).isoformat(), (first - timedelta(days=1)).isoformat()],
    ).fetchall()
    skip = set(exclude)
    return [(r[0], parse_iso(r[1]), parse_iso(r[2])) for r in rows if r[0] not in skip]


def _clash(busy, starts_at: datetime, ends_at: datetime) -> int | None:
    """The id of a busy session overlapping [starts_at, ends_at), or None."""
    for session_id, other_start, other_end in busy:
        if other_start < ends_at and other_end > starts_at:
            return session_id
    return None


def _closures(db: Database, venue_id: int, first: date, last: date) -> dict[str, str]:
    rows = db.execute(
        "select date, coalesce(reason, '') from closures where venue_id = ? and date between ? and ?",
        [venue_id, first.isoformat(), last.isoformat()],
    ).fetchall()
    return dict(rows)


def _closure_reason(reason: str) -> str:
    return _("休館日（{reason}）").format(reason=reason) if reason else _("休館日")


def _check_window(rule: SeriesRule) -> tuple[int, int | None, date]:
    """The weekday, nth and last day to look in, after validating `rule`."""
    if rule.lesson_id not in lessons.catalogue():
        raise InvalidInput("lesson_id", _("講座を選んでください。"))
    if rule.rule not in RULES:
        raise InvalidInput("rule", _("繰り返しの決まりを選んでください（毎週・隔週・毎月第何曜日）。"))
    first_date = rule.first_date
    if isinstance(first_date, datetime) or not isinstance(first_date, date):
        raise InvalidInput("first_date", _("開始日を選んでください。"))
    weekday = first_date.weekday() if rule.weekday is None else rule.weekday
    if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise InvalidInput("weekday", _("曜日は月曜〜日曜から選んでください。"))
    nth = None
    if rule.rule == "monthly_nth":
        nth = (first_date.day - 1) // 7 + 1 if rule.nth is None else rule.nth
        if isinstance(nth, bool) or not isinstance(nth, int) or not 1 <= nth <= 5:
            raise InvalidInput("nth", _("第何週かは 1〜5 で選んでください。"))
    if (rule.last_date is None) == (rule.count is None):
        raise InvalidInput("last_date", _("終了日か回数のどちらかを指定してください。"))
    if rule.count is not None:
        if isinstance(rule.count, bool) or not isinstance(rule.count, int) or not 1 <= rule.count <= MAX_SESSIONS:
            raise InvalidInput("count", _("回数は 1〜{n} 回で指定してください。").format(n=MAX_SESSIONS))
        return weekday, nth, _one_year_after(first_date)
    last_date = rule.last_date
    if isinstance(last_date, datetime) or not isinstance(last_date, date):
        raise InvalidInput("last_date", _("終了日を選んでください。"))
    if last_date < first_date:
        raise InvalidInput("last_date", _("終了日は開始日以降にしてください。"))
    if last_date > _one_year_after(first_date):
        raise InvalidInput("last_date", _("期間は1年以内にしてください。"))
    return weekday, nth, last_date


def plan_series(db: Database, rule: SeriesRule, *, now: datetime | None = None) -> SeriesPlan:
    """Plan a series without writing anything: the preview of issue 5.

    Args:
        rule: the series (`SeriesRule`).
        now: aware datetime that decides which dates are past (default: now, JST).
    Returns:
        SeriesPlan with `dates` to create and `skipped`: every other date of the
        rule in the window, with its reason, checked in this order: national
        holiday (its jpholiday name) or 「年末年始」 12/29–1/3 (`sessions.day_note`,
        DESIGN.md §7), the venue's closure 「休館日（reason）」, 「過去の日付」 (start
        not after `now`), 「部屋が使用中（5月12日（火）10:00 スマホの基本操作）」
        (another non-cancelled session overlaps in the room). For "monthly_nth", a
        month without that nth weekday is listed too (kind "no_date"). With a
        `count`, the window ends at the last date created.
    Raises:
        InvalidInput: unknown lesson or rule, weekday outside 0–6, nth outside 1–5,
            end not after start or length outside 30–180 min, neither or both of
            last_date and count, last_date before first_date, a window over one
            year, a count outside 1–`MAX_SESSIONS`, more than `MAX_SESSIONS` dates.
        NotFound: no such room.
    """
    weekday, nth, last = _check_window(rule)
    starts, ends = _check_times(rule.starts, rule.ends)
    first = rule.first_date
    room = get_room(db, rule.room_id)
    now = (now or now_jst()).astimezone(JST)

    candidates, skipped = _candidates(rule.rule, weekday, nth, first, last)
    closed = _closures(db, room.venue_id, first, last)
    busy = _busy(db, rule.room_id, first, last)
    dates = []
    for day in candidates:
        if rule.count is not None and len(dates) == rule.count:
            last = dates[-1]
            break
        starts_at, ends_at = _span(day, starts, ends)
        note = sessions.day_note(day)
        if note:
            skipped.append(Skipped(day, note, HOLIDAY if jpholiday.is_holiday(day) else YEAR_END))
        elif day.isoformat() in closed:
            skipped.append(Skipped(day, _closure_reason(closed[day.isoformat()]), CLOSURE))
        elif starts_at <= now:
            skipped.append(Skipped(day, _("過去の日付"), PAST))
        elif (other := _clash(busy, starts_at, ends_at)) is not None:
            skipped.append(Skipped(day, _("部屋が使用中（{session}）").format(session=sessions.describe(db, other)), ROOM_TAKEN))
        else:
            dates.append(day)
    if len(dates) > MAX_SESSIONS:
        raise InvalidInput("last_date", _("1つの連続講座は{n}回までです。期間を短くしてください。").format(n=MAX_SESSIONS))
    skipped = sorted((k for k in skipped if k.date <= last), key=lambda k: k.date)
    return SeriesPlan(
        lesson_id=rule.lesson_id,
        room_id=rule.room_id,
        rule=rule.rule,
        weekday=weekday,
        nth=nth,
        first_date=first,
        last_date=last,
        starts=starts,
        ends=ends,
        label=rule_label(rule.rule, weekday, nth),
        dates=dates,
        skipped=skipped,
    )


def _refuse_changed_plan(plan: SeriesPlan, expected: list[date]) -> None:
    """Raise when the dates of `plan` differ from the preview the user confirmed."""
    reasons = {s.date: s for s in plan.skipped}
    for day in sorted(set(expected) - set(plan.dates)):
        skip = reasons.get(day)
        if skip is None:
            break
        message = _("{date} は作成できなくなりました（{reason}）。もう一度確認してください。").format(
            date=day.isoformat(), reason=skip.reason
        )
        if skip.kind == ROOM_TAKEN:
            raise RoomTaken(message)
        if skip.kind == CLOSURE:
            raise VenueClosed(message)
        raise InvalidInput("first_date", message)
    if set(expected) != set(plan.dates):
        raise InvalidInput("first_date", _("予定が変わりました。もう一度確認してください。"))


def create_series(
    db: Database,
    actor: Actor,
    rule: SeriesRule,
    capacity: int,
    note: str = "",
    *,
    expected_dates: list[date] | None = None,
) -> int:
    """Create a series and all its sessions at once (all or nothing).

    Re-plans with `plan_series` inside one ``BEGIN IMMEDIATE`` transaction, inserts
    the series row, then each planned session through `sessions.create_session`
    (same checks: capacity ≤ room seats, the note's My Number guard, closures, room
    clashes) with `series_id` set, and audit rows (one per session, one for the
    series listing its sessions and skipped dates). Any refusal rolls back
    everything.

    Args:
        rule: the series (`SeriesRule`; times are JST).
        capacity: seats per session, 1 to the room's seats.
        note: free text on the series and each session.
        expected_dates: the dates of the preview the user confirmed; when given and
            the plan has changed since, nothing is created.
    Returns:
        the new series id.
    Raises:
        PermissionDenied: not staff ("sessions.create").
        InvalidInput: as `plan_series`; capacity out of range; no date left to
            create; the plan differs from `expected_dates` (a date now past, or a
            date added).
        RoomTaken / VenueClosed: an expected date is now taken or closed (the
            message names the date), or a clash found by `create_session`.
        MyNumberRejected: the note holds a マイナンバー.
        NotFound: no such room.
    """
    require(actor, "sessions.create")
    note = check_free_text("note", (note or "").strip())
    room = get_room(db, rule.room_id)
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= room.seats:
        raise InvalidInput("capacity", _("定員は 1〜{seats} 人（部屋の席数まで）です。").format(seats=room.seats))
    with immediate(db):
        plan = plan_series(db, rule)
        if expected_dates is not None:
            _refuse_changed_plan(plan, list(expected_dates))
        if not plan.dates:
            raise InvalidInput("first_date", _("作成できる日がありません。除外された日を確認してください。"))
        series_id = db["series"].insert(
            {
                "lesson_id": plan.lesson_id,
                "room_id": plan.room_id,
                "rule": plan.rule,
                "weekday": plan.weekday,
                "nth": plan.nth,
                "starts": plan.starts.strftime("%H:%M"),
                "ends": plan.ends.strftime("%H:%M"),
                "first_date": plan.first_date.isoformat(),
                "last_date": plan.last_date.isoformat(),
                "capacity": capacity,
                "note": note,
                "created_at": now_utc_iso(),
            }
        ).last_pk
        session_ids = []
        for starts_at, ends_at in plan.sessions:
            session_id = sessions.create_session(db, actor, plan.lesson_id, plan.room_id, starts_at, ends_at, capacity, note)
            session_ids.append(session_id)
        db.execute(
            f"update sessions set series_id = ? where id in ({', '.join('?' * len(session_ids))})",
            [series_id, *session_ids],
        )
        audit.record(
            db,
            actor,
            "create",
            "series",
            series_id,
            {
                "lesson_id": plan.lesson_id,
                "room_id": plan.room_id,
                "rule": plan.rule,
                "weekday": plan.weekday,
                "nth": plan.nth,
                "first_date": plan.first_date.isoformat(),
                "last_date": plan.last_date.isoformat(),
                "starts": plan.starts.strftime("%H:%M"),
                "ends": plan.ends.strftime("%H:%M"),
                "capacity": capacity,
                "sessions": session_ids,
                "skipped": [[s.date.isoformat(), s.reason] for s in plan.skipped],
            },
        )
    return series_id


def _this_and_following(db: Database, session_id: int) -> tuple[int, list[dict]]:
    """The series of a session and its scheduled sessions from that one on that have
    not started yet, earliest first. Raises NotFound, InvalidInput."""
    row = db.execute("select series_id, starts_at from sessions where id = ?", [session_id]).fetchone()
    if row is None:
        raise NotFound(_("開催回が見つかりません。"))
    series_id, starts_at = row
    if series_id is None:
        raise InvalidInput("session_id", _("この開催回は連続講座ではありません。"))
    rows = db.query(
        "select id, room_id, starts_at, ends_at, capacity from sessions where series_id = ? and status = 'scheduled' "
        "and starts_at >= ? and starts_at > ? order by starts_at, id",
        [series_id, starts_at, now_jst().isoformat()],
    )
    return series_id, list(rows)


def cancel_from(db: Database, actor: Actor, session_id: int, reason: str) -> int:
    """Cancel this session and the following ones of its series (「この回以降を中止」).

    Each goes through `sessions.cancel_session` (bookings stay, so the call list
    can tell everyone), all in one transaction. Sessions that already started, or
    are already cancelled, are left alone.

    Args:
        session_id: a session of a series; it and the later scheduled sessions of
            the same series are cancelled.
        reason: why (中止の理由), shown on the call list.
    Returns:
        how many sessions were cancelled (≥ 1).
    Raises:
        PermissionDenied: not staff. NotFound: no such session, or nothing left to
            cancel. InvalidInput: not part of a series, or an empty reason.
        MyNumberRejected: the reason holds a マイナンバー.
    """
    require(actor, "sessions.create")
    reason = check_free_text("reason", (reason or "").strip())
    if not reason:
        raise InvalidInput("reason", _("中止の理由を入力してください。"))
    with immediate(db):
        series_id, targets = _this_and_following(db, session_id)
        if not targets:
            raise NotFound(_("中止できる開催回が見つかりません。"))
        ids = [t["id"] for t in targets]
        for target in ids:
            sessions.cancel_session(db, actor, target, reason)
        audit.record(db, actor, "cancel_from", "series", series_id, {"from_session": session_id, "sessions": ids})
    return len(ids)


def move_from(db: Database, actor: Actor, session_id: int, starts: time, ends: time, room_id: int | None = None) -> int:
    """Change the time (and optionally the room) of this session and the following
    ones of its series (「この回以降を変更」); their dates stay.

    Every session is checked before anything is written: if one would clash with
    another session in the room or fall on a closure of the room's venue, the whole
    change is refused. The series row takes the new time and room, so it describes
    its latest sessions. Sessions that already started are left alone.

    Args:
        session_id: a session of a series.
        starts, ends: new JST wall-clock times (`time` or "HH:MM"), 30–180 minutes.
        room_id: the new room, or None to keep each session's room.
    Returns:
        how many sessions were changed (≥ 1).
    Raises:
        PermissionDenied: not staff. NotFound: no such session or room, or nothing
            left to change. InvalidInput: not part of a series; bad times; a new
            start already past; a session's capacity over the new room's seats
            (each names the date).
        RoomTaken: another session overlaps in the room on a date (named).
        VenueClosed: the venue is closed on a date (named).
    """
    require(actor, "sessions.create")
    starts, ends = _check_times(starts, ends)
    new_room = get_room(db, room_id) if room_id is not None else None
    with immediate(db):
        series_id, targets = _this_and_following(db, session_id)
        if not targets:
            raise NotFound(_("変更できる開催回が見つかりません。"))
        now = now_jst()
        moving = {t["id"] for t in targets}
        first_day, last_day = (parse_iso(targets[i]["starts_at"]).astimezone(JST).date() for i in (0, -1))
        rooms, closures, busy, changes = {}, {}, {}, []
        for target in targets:
            day = parse_iso(target["starts_at"]).astimezone(JST).date()
            room = new_room or rooms.get(target["room_id"]) or get_room(db, target["room_id"])
            rooms[room.id] = room
            starts_at, ends_at = _span(day, starts, ends)
            if starts_at <= now:
                raise InvalidInput("starts", _("{date} の開始時刻が過去になります。").format(date=day.isoformat()))
            if target["capacity"] > room.seats:
                raise InvalidInput(
                    "room_id",
                    _("{date} の定員（{capacity} 人）が部屋の席数（{seats} 席）を超えます。").format(
                        date=day.isoformat(), capacity=target["capacity"], seats=room.seats
                    ),
                )
            if room.venue_id not in closures:
                closures[room.venue_id] = _closures(db, room.venue_id, first_day, last_day)
            if day.isoformat() in closures[room.venue_id]:
                raise VenueClosed(
                    _("{date} は休館日です（{reason}）。").format(date=day.isoformat(), reason=closures[room.venue_id][day.isoformat()])
                )
            if room.id not in busy:
                busy[room.id] = _busy(db, room.id, first_day, last_day, moving)
            other = _clash(busy[room.id], starts_at, ends_at)
            if other is not None:
                raise RoomTaken(
                    _("{date} は {room} に別の開催回があります（{session}）。").format(
                        date=day.isoformat(), room=room.name, session=sessions.describe(db, other)
                    )
                )
            changes.append((target, room, starts_at, ends_at))
        for target, room, starts_at, ends_at in changes:
            db.execute(
                "update sessions set starts_at = ?, ends_at = ?, room_id = ? where id = ?",
                [starts_at.isoformat(), ends_at.isoformat(), room.id, target["id"]],
            )
            changed = [
                name
                for name, old, new in (
                    ("starts_at", target["starts_at"], starts_at.isoformat()),
                    ("ends_at", target["ends_at"], ends_at.isoformat()),
                    ("room_id", target["room_id"], room.id),
                )
                if old != new
            ]
            audit.record(db, actor, "move", "sessions", target["id"], {"changed": changed, "starts_at": starts_at.isoformat(), "room_id": room.id})
        update = {"starts": starts.strftime("%H:%M"), "ends": ends.strftime("%H:%M")}
        if new_room is not None:
            update["room_id"] = new_room.id
        db.execute(
            f"update series set {', '.join(f'{k} = ?' for k in update)} where id = ?",
            [*update.values(), series_id],
        )
        audit.record(
            db, actor, "move_from", "series", series_id, {"from_session": session_id, "sessions": sorted(moving), **update}
        )
    return len(changes)
