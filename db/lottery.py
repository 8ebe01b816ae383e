"""抽選 (lottery) for oversubscribed classes (issue 17, item 1).

A session, or every upcoming session of a series (連続講座), is put into lottery
mode with a 受付期間 (application window, JST), an optional number of seats kept
for first-timers and an optional first-timer priority. During the window staff
take applications (申込) by phone; each gets a 受付番号 (1, 2, … per lottery).
While a lottery waits for its draw the session takes no ordinary bookings.

At the close the draw runs by itself (`draw_due`, from db.housekeeping) or when
staff press the button (`run_draw`). It is the pure function `draw` of the
applications, the seats, the first-timer settings and a random seed; the seed
and every input are written to the audit log, so `replay` draws again from the
log and must get the same order. Winners are booked, the others waitlisted in
drawn order in every session the lottery covers; from then on the session is an
ordinary one, and db.bookings' waitlist and offers (繰り上げ連絡) follow.

First-timer (初めての方) = has never attended that lesson (a booking marked
attended in a session of the lesson that was not cancelled), as city notices
give 「初めての方を優先」.

Sources: issue 17 (cities advertise 「応募多数の場合は抽選」, some with first-timer
priority); DESIGN.md §7 (waitlist and offers).
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

import lessons
from db import audit, immediate
from db.clock import JST, now_utc, now_utc_iso, parse_iso, utc_iso
from db.errors import ApplicationRefused, DrawRefused, InvalidInput, NotFound, SessionNotOpen
from db.permissions import Actor, require
from locales import _

# The draw needs a day to phone winners before the class.
CLOSE_BEFORE_START = timedelta(hours=24)


@dataclass(frozen=True)
class Entry:
    """One application as the draw sees it: its 受付番号 and whether the resident
    is a first-timer for the lesson."""

    number: int
    first_timer: bool


@dataclass(frozen=True)
class DrawResult:
    """The drawn order of 受付番号: `order` is every number, winners first;
    `winners` = order[:seats], `waiting` = the rest, in waitlist order."""

    order: tuple[int, ...]
    winners: tuple[int, ...]
    waiting: tuple[int, ...]


def draw(applications: list[Entry], seats: int, first_timer_seats: int, priority: bool, seed: str) -> DrawResult:
    """The lottery's draw, a pure function of its inputs.

    The applications are put in 受付番号 order (so the order they are passed in
    does not matter), then shuffled by Python's `random.Random(seed).shuffle`
    (Mersenne Twister; a str seed is hashed with SHA-512, stable across Python
    versions since 3.2). The drawn order is then: first-timers for the kept
    seats (up to `first_timer_seats`, in shuffled order); with `priority`, the
    other first-timers; then everyone else; each part in shuffled order. Seats
    kept for first-timers that no first-timer applied for go to the others.

    Args:
        applications: the entries (unique numbers).
        seats: seats to give (≥ 0). first_timer_seats: 0 … seats.
        priority: first-timers before the others for every seat and the waitlist.
        seed: any text; the same seed gives the same result.
    Returns:
        DrawResult.
    Raises:
        ValueError: duplicate numbers, negative seats, or first_timer_seats
            outside 0 … seats.
    """
    numbers = [a.number for a in applications]
    if len(set(numbers)) != len(numbers):
        raise ValueError("duplicate application numbers")
    if seats < 0 or not 0 <= first_timer_seats <= seats:
        raise ValueError("seats must be ≥ 0 and first_timer_seats within 0 … seats")
    shuffled = sorted(applications, key=lambda a: a.number)
    random.Random(seed).shuffle(shuffled)
    firsts = [a.number for a in shuffled if a.first_timer]
    kept = firsts[:first_timer_seats]
    rest = [a for a in shuffled if a.number not in set(kept)]
    if priority:
        rest = [a for a in rest if a.first_timer] + [a for a in rest if not a.first_timer]
    order = tuple(kept + [a.number for a in rest])
    return DrawResult(order, order[:seats], order[seats:])


@dataclass(frozen=True)
class Lottery:
    """A lottery and where it stands.

    session_ids: the sessions it covers, in date order (one, or a series'
    upcoming ones). opens_at / closes_at / first_starts_at: aware JST.
    seats: the fewest seats among its sessions. drawn_at: aware UTC or None.
    applicants: live (not withdrawn) applications.
    """

    id: int
    session_id: int
    series_id: int | None
    session_ids: tuple[int, ...]
    lesson_id: str
    opens_at: datetime
    closes_at: datetime
    first_starts_at: datetime
    first_timer_seats: int
    first_timer_priority: bool
    seats: int
    seed: str
    drawn_at: datetime | None
    applicants: int

    def stage(self, now: datetime | None = None) -> str:
        """"before" (window not open yet), "open", "closed" (awaiting the draw) or "drawn"."""
        now = now or now_utc()
        if self.drawn_at is not None:
            return "drawn"
        if now < self.opens_at:
            return "before"
        return "open" if now < self.closes_at else "closed"


STAGES = {"before": "受付前", "open": "受付中", "closed": "締切（抽選待ち）", "drawn": "抽選済み"}


def _covered(db: Database, session_id: int, series_id: int | None, after: str | None = None) -> list[dict]:
    """The sessions a lottery covers: the session alone, or its series' scheduled
    sessions from it on."""
    if series_id is None:
        return list(db.query("select id, capacity, starts_at, status, lesson_id from sessions where id = ?", [session_id]))
    first = db.execute("select starts_at from sessions where id = ?", [session_id]).fetchone()[0]
    return list(
        db.query(
            "select id, capacity, starts_at, status, lesson_id from sessions where series_id = ? and status = 'scheduled' "
            "and starts_at >= ? order by starts_at",
            [series_id, after or first],
        )
    )


def _lottery(db: Database, row: dict) -> Lottery:
    covered = [s for s in _covered(db, row["session_id"], row["series_id"]) if s["status"] == "scheduled"] or _covered(
        db, row["session_id"], None
    )
    applicants = db.execute(
        "select count(*) from applications where lottery_id = ? and withdrawn_at is null", [row["id"]]
    ).fetchone()[0]
    return Lottery(
        id=row["id"],
        session_id=row["session_id"],
        series_id=row["series_id"],
        session_ids=tuple(s["id"] for s in covered),
        lesson_id=covered[0]["lesson_id"],
        opens_at=parse_iso(row["opens_at"]).astimezone(JST),
        closes_at=parse_iso(row["closes_at"]).astimezone(JST),
        first_starts_at=parse_iso(row["first_starts_at"]).astimezone(JST),
        first_timer_seats=row["first_timer_seats"],
        first_timer_priority=bool(row["first_timer_priority"]),
        seats=min(s["capacity"] for s in covered),
        seed=row["seed"] or "",
        drawn_at=parse_iso(row["drawn_at"]) if row["drawn_at"] else None,
        applicants=applicants,
    )


def get_lottery(db: Database, lottery_id: int) -> Lottery:
    """A lottery by id. Raises NotFound."""
    row = next(iter(db.query("select * from lotteries where id = ?", [lottery_id])), None)
    if row is None:
        raise NotFound(_("抽選が見つかりません。"))
    return _lottery(db, row)


def _covering_row(db: Database, session_id: int, undrawn: bool = False) -> dict | None:
    """The lottery row covering a session: its own, or its series' lottery begun
    at or before it (each an index lookup)."""
    pending = " and l.drawn_at is null" if undrawn else ""
    row = next(iter(db.query(f"select l.* from lotteries l where l.session_id = ?{pending}", [session_id])), None)
    if row is None:
        row = next(
            iter(
                db.query(
                    "select l.* from sessions s join lotteries l on l.series_id = s.series_id join sessions f on f.id = l.session_id "
                    f"where s.id = ? and s.series_id is not null and f.starts_at <= s.starts_at{pending}",
                    [session_id],
                )
            ),
            None,
        )
    return row


def for_session(db: Database, session_id: int) -> Lottery | None:
    """The lottery covering a session (its own, or its series'), or None."""
    row = _covering_row(db, session_id)
    return None if row is None else _lottery(db, row)


def awaiting_draw(db: Database, session_id: int) -> bool:
    """Whether the session belongs to a lottery not drawn yet (it then takes
    applications, not bookings)."""
    return _covering_row(db, session_id, undrawn=True) is not None


def _aware(value: datetime, field_name: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidInput(field_name, _("日時を入力してください。"))
    return value.replace(tzinfo=JST) if value.tzinfo is None else value


def set_lottery(
    db: Database,
    actor: Actor,
    session_id: int,
    opens_at: datetime,
    closes_at: datetime,
    first_timer_seats: int = 0,
    priority: bool = False,
    whole_series: bool = False,
) -> int:
    """Put a session (or, with `whole_series`, it and every later session of its
    series) into lottery mode.

    Args:
        opens_at / closes_at: the 受付期間; naive values are read as JST.
        first_timer_seats: seats kept for first-timers (0 … seats).
        priority: first-timers are drawn before the others.
    Returns:
        the lottery id.
    Raises:
        PermissionDenied: not staff. NotFound: no such session.
        SessionNotOpen: cancelled or started. InvalidInput: the window is not
            before the class (closing ≥ 24 h before the first start, opening
            before closing, closing in the future), the kept seats are out of
            range, a session already has bookings or is already a lottery, or
            `whole_series` for a session outside a series. Nothing is written.
    """
    require(actor, "bookings.book")
    opens_at, closes_at = _aware(opens_at, "opens_at"), _aware(closes_at, "closes_at")
    with immediate(db):
        row = db.execute("select series_id, status, starts_at from sessions where id = ?", [session_id]).fetchone()
        if row is None:
            raise NotFound(_("開催回が見つかりません。"))
        series_id, status, starts_at = row
        now = now_utc()
        if status != "scheduled" or parse_iso(starts_at) <= now:
            raise SessionNotOpen(_("この開催回は予約を受け付けていません（中止または開始済み）。"))
        if whole_series and series_id is None:
            raise InvalidInput("whole_series", _("この開催回は連続講座ではありません。"))
        covered = _covered(db, session_id, series_id if whole_series else None)
        ids = [s["id"] for s in covered]
        marks = ",".join("?" * len(ids))
        if any(for_session(db, i) is not None for i in ids):
            raise InvalidInput("session", _("この開催回はすでに抽選になっています。"))
        if db.execute(
            f"select 1 from bookings where session_id in ({marks}) and status in ('booked', 'offered', 'waitlisted') limit 1", ids
        ).fetchone():
            raise InvalidInput("session", _("すでに予約がある開催回は抽選にできません。予約を取り消してからにしてください。"))
        first_start = parse_iso(covered[0]["starts_at"])
        if opens_at >= closes_at:
            raise InvalidInput("opens_at", _("受付開始は締切より前にしてください。"))
        if closes_at <= now:
            raise InvalidInput("closes_at", _("締切はこれから先の日時にしてください。"))
        if closes_at > first_start - CLOSE_BEFORE_START:
            raise InvalidInput("closes_at", _("締切は、開催の24時間前までにしてください（当選の電話をするため）。"))
        seats = min(s["capacity"] for s in covered)
        if not isinstance(first_timer_seats, int) or not 0 <= first_timer_seats <= seats:
            raise InvalidInput("first_timer_seats", _("初めての方の枠は 0〜{seats} 席にしてください。").format(seats=seats))
        lottery_id = db["lotteries"].insert(
            {
                "session_id": session_id,
                "series_id": series_id if whole_series else None,
                "opens_at": opens_at.astimezone(JST).isoformat(),
                "closes_at": closes_at.astimezone(JST).isoformat(),
                "first_starts_at": first_start.astimezone(JST).isoformat(),
                "first_timer_seats": first_timer_seats,
                "first_timer_priority": int(bool(priority)),
                "created_at": now_utc_iso(),
                "created_by": actor.username,
            }
        ).last_pk
        audit.record(
            db,
            actor,
            "lottery_set",
            "lotteries",
            lottery_id,
            {"session_ids": ids, "opens_at": utc_iso(opens_at), "closes_at": utc_iso(closes_at),
             "first_timer_seats": first_timer_seats, "priority": bool(priority)},
        )
    return lottery_id


def is_first_timer(db: Database, attendee_id: int, lesson_id: str) -> bool:
    """Whether the resident has never attended the lesson (a session of it not
    cancelled, booking marked attended)."""
    return not db.execute(
        "select 1 from bookings b join sessions s on s.id = b.session_id where b.attendee_id = ? and s.lesson_id = ? "
        "and b.status = 'attended' and s.status != 'cancelled' limit 1",
        [attendee_id, lesson_id],
    ).fetchone()


def _spoken(moment: datetime) -> str:
    local = moment.astimezone(JST)
    return _("{month}月{day}日 {hour}:{minute}").format(month=local.month, day=local.day, hour=local.hour, minute=f"{local.minute:02d}")


def apply(db: Database, actor: Actor, lottery_id: int, attendee_id: int) -> int:
    """Take an application (申込) during the 受付期間.

    Returns:
        its 受付番号 (the next number of the lottery; a withdrawn application of
        the same resident is taken back with its old number).
    Raises:
        PermissionDenied: not staff. NotFound: no such lottery or resident.
        ApplicationRefused: before the window opens, after it closes, every
            session it covers is cancelled, or the resident has applied
            already. Nothing is written.
    """
    require(actor, "bookings.book")
    with immediate(db):
        lottery = get_lottery(db, lottery_id)
        stage = lottery.stage()
        if stage == "before":
            raise ApplicationRefused(_("申込の受付は {when} からです。まだ受け付けていません。").format(when=_spoken(lottery.opens_at)))
        if stage != "open":
            raise ApplicationRefused(_("受付期間は {when} で終わりました。申込は受け付けていません。").format(when=_spoken(lottery.closes_at)))
        if not any(s["status"] == "scheduled" for s in _covered(db, lottery.session_id, lottery.series_id)):
            raise ApplicationRefused(_("この抽選の開催回は中止になりました。申込は受け付けていません。"))
        if not db.execute("select 1 from attendees where id = ? and anonymised_at is null", [attendee_id]).fetchone():
            raise NotFound(_("受講者が見つかりません。"))
        existing = db.execute(
            "select id, number, withdrawn_at from applications where lottery_id = ? and attendee_id = ?", [lottery_id, attendee_id]
        ).fetchone()
        if existing and existing[2] is None:
            raise ApplicationRefused(_("この方はすでに申し込んでいます（受付番号 {number}）。").format(number=f"{existing[1]:03d}"))
        if existing:
            number = existing[1]
            db["applications"].update(existing[0], {"withdrawn_at": None, "applied_at": now_utc_iso(), "created_by": actor.username})
            application_id = existing[0]
        else:
            number = db.execute("select coalesce(max(number), 0) + 1 from applications where lottery_id = ?", [lottery_id]).fetchone()[0]
            application_id = db["applications"].insert(
                {"lottery_id": lottery_id, "attendee_id": attendee_id, "number": number, "applied_at": now_utc_iso(),
                 "created_by": actor.username}
            ).last_pk
        audit.record(db, actor, "apply", "applications", application_id, {"lottery_id": lottery_id, "number": number})
    return number


def withdraw(db: Database, actor: Actor, lottery_id: int, number: int) -> None:
    """Withdraw an application (申込の取り下げ) before the close.

    Raises:
        PermissionDenied: not staff. NotFound: no live application with that
            受付番号. ApplicationRefused: the window has closed.
    """
    require(actor, "bookings.cancel")
    with immediate(db):
        lottery = get_lottery(db, lottery_id)
        if lottery.stage() not in ("before", "open"):
            raise ApplicationRefused(_("受付期間が終わったため、申込は取り下げられません。抽選後は予約の取り消しをしてください。"))
        row = db.execute(
            "select id from applications where lottery_id = ? and number = ? and withdrawn_at is null", [lottery_id, number]
        ).fetchone()
        if row is None:
            raise NotFound(_("その受付番号の申込はありません。"))
        db["applications"].update(row[0], {"withdrawn_at": now_utc_iso()})
        audit.record(db, actor, "withdraw", "applications", row[0], {"lottery_id": lottery_id, "number": number})


@dataclass(frozen=True)
class Application:
    """An application with the resident, for staff. result: "won" / "lost" / ""
    (not drawn); place: 1-based place in the drawn order, 0 before the draw."""

    number: int
    attendee_id: int
    name: str
    name_kana: str
    phone: str
    first_timer: bool
    result: str
    place: int


def list_applications(db: Database, actor: Actor, lottery_id: int) -> list[Application]:
    """The live applications of a lottery: by drawn place after the draw, by
    受付番号 before. first_timer is as of now before the draw, as drawn after.

    Raises:
        PermissionDenied: not staff (names and phone numbers).
    """
    require(actor, "bookings.read")
    lottery = get_lottery(db, lottery_id)
    rows = db.query(
        "select ap.number, ap.attendee_id, a.name, a.name_kana, coalesce(a.phone, '') as phone, ap.first_timer, "
        "coalesce(ap.result, '') as result, coalesce(ap.place, 0) as place from applications ap "
        "join attendees a on a.id = ap.attendee_id where ap.lottery_id = ? and ap.withdrawn_at is null "
        "order by coalesce(ap.place, ap.number)",
        [lottery_id],
    )
    return [
        Application(
            r["number"], r["attendee_id"], r["name"], r["name_kana"], r["phone"],
            bool(r["first_timer"]) if lottery.drawn_at else is_first_timer(db, r["attendee_id"], lottery.lesson_id),
            r["result"], r["place"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class DrawOutcome:
    """What a draw did: the seed, how many won and how many wait."""

    lottery_id: int
    seed: str
    won: int
    waiting: int


def _book_in_order(db: Database, actor: Actor, session_id: int, lottery_id: int, order: list[tuple[int, bool]], at: str) -> dict[int, int]:
    """Insert the drawn bookings of one session: (attendee, won) in drawn order,
    one queued_at so the waitlist keeps the drawn order by id. Returns
    {attendee id: booking id}."""
    made = {}
    for attendee_id, won in order:
        status = "booked" if won else "waitlisted"
        row = {"status": status, "queued_at": at, "created_by": actor.username, "cancelled_at": None, "cancel_reason": None,
               "offered_until": None, "offered_at": None, "late": 0, "overbook_reason": None}
        existing = db.execute("select id from bookings where session_id = ? and attendee_id = ?", [session_id, attendee_id]).fetchone()
        if existing:
            booking_id = existing[0]
            db["bookings"].update(booking_id, row)
        else:
            booking_id = db["bookings"].insert({"session_id": session_id, "attendee_id": attendee_id, **row}).last_pk
        audit.record(db, actor, "book" if won else "waitlist", "bookings", booking_id,
                     {"session_id": session_id, "attendee_id": attendee_id, "to": status, "lottery_id": lottery_id})
        made[attendee_id] = booking_id
    return made


def run_draw(db: Database, actor: Actor, lottery_id: int, seed: str | None = None, now: datetime | None = None) -> DrawOutcome:
    """Draw a closed lottery: book the winners, waitlist the others in drawn order,
    in every session it covers, and log the seed and every input.

    Args:
        seed: for tests and replays only; by default 128 random bits from
            `secrets`, as hex.
        now: aware datetime (default: `db.clock`'s now).
    Returns:
        DrawOutcome.
    Raises:
        PermissionDenied: not staff. NotFound: no such lottery.
        DrawRefused: the window is still open, it was drawn already, or none of
            its sessions is still to come. Nothing is written.
    """
    require(actor, "bookings.book")
    with immediate(db):
        now = now or now_utc()
        lottery = get_lottery(db, lottery_id)
        stage = lottery.stage(now)
        if stage == "drawn":
            raise DrawRefused(_("この抽選はすでに行いました。"))
        if stage != "closed":
            raise DrawRefused(_("受付期間が終わるまで抽選できません（締切 {when}）。").format(when=_spoken(lottery.closes_at)))
        sessions = [
            s for s in _covered(db, lottery.session_id, lottery.series_id)
            if s["status"] == "scheduled" and parse_iso(s["starts_at"]) > now
        ]
        if not sessions:
            raise DrawRefused(_("この抽選の開催回は、中止または開始済みです。"))
        seats = min(s["capacity"] for s in sessions)
        rows = db.execute(
            "select ap.id, ap.number, ap.attendee_id from applications ap join attendees a on a.id = ap.attendee_id "
            "where ap.lottery_id = ? and ap.withdrawn_at is null and a.anonymised_at is null order by ap.number",
            [lottery_id],
        ).fetchall()
        firsts = {number: is_first_timer(db, attendee, lottery.lesson_id) for _id, number, attendee in rows}
        seed = seed or secrets.token_hex(16)
        kept = min(lottery.first_timer_seats, seats)
        result = draw([Entry(n, firsts[n]) for n in firsts], seats, kept, lottery.first_timer_priority, seed)
        by_number = {number: (app_id, attendee) for app_id, number, attendee in rows}
        winners = set(result.winners)
        at = utc_iso(now)
        order = [(by_number[n][1], n in winners) for n in result.order]
        first_bookings = {}
        for i, s in enumerate(sessions):
            made = _book_in_order(db, actor, s["id"], lottery_id, order, at)
            if i == 0:
                first_bookings = made
        for place, number in enumerate(result.order, 1):
            app_id, attendee = by_number[number]
            db["applications"].update(app_id, {"first_timer": int(firsts[number]), "result": "won" if number in winners else "lost",
                                               "place": place, "booking_id": first_bookings[attendee]})
        db["lotteries"].update(lottery_id, {"seed": seed, "drawn_at": at, "drawn_by": actor.username})
        audit.record(
            db,
            actor,
            "draw",
            "lotteries",
            lottery_id,
            {"seed": seed, "seats": seats, "first_timer_seats": kept, "priority": lottery.first_timer_priority,
             "numbers": sorted(firsts), "first_timers": sorted(n for n, f in firsts.items() if f),
             "order": list(result.order), "won": len(result.winners), "session_ids": [s["id"] for s in sessions]},
        )
    return DrawOutcome(lottery_id, seed, len(result.winners), len(result.waiting))


def draw_due(db: Database, actor: Actor, now: datetime | None = None) -> list[DrawOutcome]:
    """Draw every lottery whose window has closed (housekeeping runs this every
    15 minutes as the system actor); one whose sessions are all cancelled or
    past is left alone.

    Returns:
        the draws made.
    """
    require(actor, "bookings.book")
    now = now or now_utc()
    due = [
        r[0]
        for r in db.execute(
            "select id from lotteries where drawn_at is null and closes_at <= ? order by closes_at",
            [now.astimezone(JST).isoformat()],
        )
    ]
    made = []
    for lottery_id in due:
        try:
            made.append(run_draw(db, actor, lottery_id, now=now))
        except DrawRefused:
            continue
    return made


def replay(db: Database, actor: Actor, lottery_id: int) -> bool:
    """Draw again from the audit log's "draw" row (seed and inputs) and compare
    with the order recorded in the applications.

    Returns:
        True when the recorded order is what `draw` gives from the logged seed.
    Raises:
        PermissionDenied: not staff. NotFound: the lottery was not drawn.
    """
    require(actor, "bookings.read")
    row = db.execute(
        "select detail from audit_log where action = 'draw' and entity = 'lotteries' and entity_id = ? order by id desc limit 1",
        [str(lottery_id)],
    ).fetchone()
    if row is None:
        raise NotFound(_("この抽選の記録はありません。"))
    d = json.loads(row[0])
    firsts = set(d["first_timers"])
    again = draw([Entry(n, n in firsts) for n in d["numbers"]], d["seats"], d["first_timer_seats"], d["priority"], d["seed"])
    recorded = tuple(
        r[0] for r in db.execute(
            "select number from applications where lottery_id = ? and place is not null order by place", [lottery_id]
        )
    )
    return again.order == tuple(d["order"]) == recorded


@dataclass(frozen=True)
class Notice:
    """The result as posted on a notice board: 受付番号 only, never names.

    winners: numbers in ascending order (a reader looks for their own);
    waiting: numbers in waitlist order. dates: the sessions' (starts, ends),
    aware JST.
    """

    lesson_title: str
    dates: tuple[tuple[datetime, datetime], ...]
    room: str
    venue: str
    applicants: int
    seats: int
    winners: tuple[int, ...]
    waiting: tuple[int, ...]
    drawn_at: datetime


def notice(db: Database, lottery_id: int) -> Notice:
    """The drawn result for the notice board (no personal data).

    Raises:
        NotFound: no such lottery, or not drawn yet.
    """
    lottery = get_lottery(db, lottery_id)
    if lottery.drawn_at is None:
        raise NotFound(_("まだ抽選していません。"))
    rows = db.execute(
        "select number, result from applications where lottery_id = ? and place is not null order by place", [lottery_id]
    ).fetchall()
    d = json.loads(
        db.execute(
            "select detail from audit_log where action = 'draw' and entity = 'lotteries' and entity_id = ? order by id desc limit 1",
            [str(lottery_id)],
        ).fetchone()[0]
    )
    ids = d["session_ids"]
    sessions = list(
        db.query(
            f"select s.starts_at, s.ends_at, r.name as room, v.name as venue from sessions s join rooms r on r.id = s.room_id "
            f"join venues v on v.id = r.venue_id where s.id in ({','.join('?' * len(ids))}) order by s.starts_at",
            ids,
        )
    )
    return Notice(
        lesson_title=lessons.title_of(lottery.lesson_id),
        dates=tuple((parse_iso(s["starts_at"]).astimezone(JST), parse_iso(s["ends_at"]).astimezone(JST)) for s in sessions),
        room=sessions[0]["room"],
        venue=sessions[0]["venue"],
        applicants=len(rows),
        seats=d["seats"],
        winners=tuple(sorted(n for n, r in rows if r == "won")),
        waiting=tuple(n for n, r in rows if r == "lost"),
        drawn_at=lottery.drawn_at.astimezone(JST),
    )
