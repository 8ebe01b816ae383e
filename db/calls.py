"""Whom to phone (電話連絡リスト): tomorrow's reminders, open waitlist offers with
their deadlines, notices for cancelled sessions (to their bookings, and to lottery
applicants the draw did not book into them) and lottery results (DESIGN.md §7:
residents are phoned, most have no e-mail); and what came of each call (電話した /
つながらない), so the 今日 screen shows who is still to be phoned."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlite_utils import Database

import lessons
from db import audit, immediate
from db.clock import JST, now_utc_iso, parse_iso, today_jst
from db.errors import InvalidInput, NotFound
from db.permissions import Actor, require
from locales import _

KINDS = ("reminder", "offer", "cancelled", "won", "lost")
# 電話した: the resident was told; つながらない: try again.
OUTCOMES = {"reached": "電話した", "no_answer": "つながらない"}


@dataclass(frozen=True)
class CallTarget:
    """One call: its kind (`KINDS`), who, which session.

    booking_id: the booking the call is about; None for a 中止のお知らせ to a
    lottery applicant who holds no booking in the session (`application_id`
    then names the application; else it is None). session_id: the session.
    starts_at / ends_at: aware JST. deadline: an offer's deadline (aware UTC) or None.
    outcome: what came of the latest call ("reached" / "no_answer", a key of
    `OUTCOMES`), "" before any; a reminder counts only today's calls.
    receipt: the 受付番号 of a lottery's 当選 / 落選 call ("won" / "lost"), else 0.
    """

    kind: str
    booking_id: int | None
    name: str
    name_kana: str
    phone: str
    lesson_title: str
    starts_at: datetime
    ends_at: datetime
    room: str
    deadline: datetime | None
    outcome: str = ""
    receipt: int = 0
    application_id: int | None = None
    session_id: int | None = None

    @property
    def key(self) -> str:
        """What the call is about, unique among a day's calls of one kind:
        "b<booking id>", or "a<application id>s<session id>" (an applicant of a
        series may hear of more than one cancelled date)."""
        return _key(self.booking_id, self.application_id, self.session_id)


def _key(booking_id: int | None, application_id: int | None, session_id: int | None) -> str:
    return f"b{booking_id}" if booking_id is not None else f"a{application_id}s{session_id}"


_COLUMNS = """b.id as booking_id, s.id as session_id, a.name, a.name_kana, a.kana_key, coalesce(a.phone, '') as phone, s.lesson_id,
       s.starts_at, s.ends_at, r.name as room, b.offered_until, b.status, s.status as session_status"""
_JOINS = """join attendees a on a.id = b.attendee_id join rooms r on r.id = s.room_id"""
_REACHABLE = "a.anonymised_at is null and a.phone is not null"
# Each kind of call is read through its own index: tomorrow's sessions by
# starts_at, open offers by their partial index (idx_bookings_open_offers),
# cancelled sessions by (status, starts_at); "cross join" and "+b.status" keep
# SQLite from starting elsewhere, which would read every booking of the past
# that stayed "booked", or every past session still "scheduled".
_BRANCHES = {
    "reminder": f"""from sessions s cross join bookings b on b.session_id = s.id {_JOINS}
        where s.starts_at >= :tomorrow and s.starts_at < :after and s.status = 'scheduled' and +b.status = 'booked' and {_REACHABLE}""",
    "offer": f"""from bookings b cross join sessions s on s.id = b.session_id {_JOINS}
        where b.status = 'offered' and s.status = 'scheduled' and {_REACHABLE}""",
    "cancelled": f"""from sessions s cross join bookings b on b.session_id = s.id {_JOINS}
        where s.status = 'cancelled' and s.starts_at >= :today and +b.status in ('booked', 'offered', 'waitlisted') and {_REACHABLE}""",
}

# 抽選の結果 (issue 17): each drawn application of a lottery still ahead, read
# through lotteries by first_starts_at ("cross join" keeps SQLite from starting
# at applications, which would read every lottery of the past), until a call
# reaches the resident; a 落選
# call only while the resident still waits (an offer is its own call).
_LOTTERY_BRANCHES = {
    kind: f"""from lotteries l cross join applications ap on ap.lottery_id = l.id join bookings b on b.id = ap.booking_id
        join sessions s on s.id = b.session_id {_JOINS}
        where l.first_starts_at >= :today and l.drawn_at is not null and ap.result = '{kind}' and ap.withdrawn_at is null
        and b.status = '{status}' and s.status = 'scheduled' and {_REACHABLE}
        and not exists (select 1 from call_outcomes c where c.booking_id = b.id and c.kind = '{kind}' and c.outcome = 'reached')"""
    for kind, status in (("won", "booked"), ("lost", "waitlisted"))
}

# 中止のお知らせ to lottery applicants who hold no booking in a cancelled session
# from today on that their lottery covers (its own first session, or a later one
# of its series, as db.lottery): the session was cancelled before the draw, so
# the draw booked nobody into it. Only those who applied before it was cancelled:
# a date already cancelled was never offered to them (the same second, or a
# cancellation of unknown time, counts as after: one call too many is the safe
# side). A live booking is called through the bookings branch; one the draw made
# and the resident then cancelled needs no call; an older cancelled booking (from
# before the lottery was set) does not count. Same columns as `_COLUMNS`, with
# the application's id.
_APPLICANT_COLUMNS = """null as booking_id, s.id as session_id, a.name, a.name_kana, a.kana_key, coalesce(a.phone, '') as phone, s.lesson_id,
       s.starts_at, s.ends_at, r.name as room, null as offered_until, 'applied' as status, s.status as session_status,
       ap.id as application_id"""
_CANCELLED_APPLICANTS = f"""from sessions s cross join lotteries l on l.session_id = s.id or (s.series_id is not null and l.series_id = s.series_id)
        join sessions f on f.id = l.session_id join applications ap on ap.lottery_id = l.id
        join attendees a on a.id = ap.attendee_id join rooms r on r.id = s.room_id
        where s.status = 'cancelled' and s.starts_at >= :today and f.starts_at <= s.starts_at and ap.withdrawn_at is null
        and (s.cancelled_at is null or s.cancelled_at >= ap.applied_at)
        and not exists (select 1 from bookings held where held.session_id = s.id and held.attendee_id = ap.attendee_id
            and (held.status in ('booked', 'offered', 'waitlisted') or held.queued_at >= l.drawn_at))
        and {_REACHABLE}"""


def _window(today: date) -> dict[str, str]:
    tomorrow = today + timedelta(days=1)
    return {"today": today.isoformat(), "tomorrow": tomorrow.isoformat(), "after": (tomorrow + timedelta(days=1)).isoformat()}


def call_counts(db: Database, actor: Actor, today: date | None = None) -> dict[str, int]:
    """How many calls of each kind `call_list` would give, without reading them.

    Returns:
        {"reminder": n, "offer": n, "cancelled": n, "won": n, "lost": n}.
    Raises:
        PermissionDenied: not staff.
    """
    require(actor, "bookings.read")
    params = _window(today or today_jst())
    branches = {**_BRANCHES, **_LOTTERY_BRANCHES}
    counts = {kind: db.execute(f"select count(*) {branch}", params).fetchone()[0] for kind, branch in branches.items()}
    counts["cancelled"] += db.execute(f"select count(*) {_CANCELLED_APPLICANTS}", params).fetchone()[0]
    return counts


def call_list(db: Database, actor: Actor, today: date | None = None) -> list[CallTarget]:
    """Today's calls, ordered by kind then session time then フリガナ.

    - reminder: seated bookings of scheduled sessions tomorrow (JST);
    - offer: every open offer, with its deadline;
    - cancelled: booked, offered or waiting attendees of cancelled sessions from
      today on, and the applicants of a lottery covering one who hold no
      booking in it, as when it was cancelled before the draw
      (`application_id` set, `booking_id` None);
    - won / lost: 当選 / 落選 of drawn lotteries whose first session is from
      today on, until a call reaches the resident (`receipt` = 受付番号).

    Raises:
        PermissionDenied: not staff (the list holds phone numbers).
    """
    require(actor, "bookings.read")
    day = today or today_jst()
    sql = " union all ".join(
        [f"select {_COLUMNS}, null as application_id {branch}" for branch in _BRANCHES.values()]
        + [f"select {_APPLICANT_COLUMNS} {_CANCELLED_APPLICANTS}"]
    )
    rows = list(db.query(f"select * from ({sql}) order by starts_at, kana_key", _window(day)))
    targets = []
    for r in rows:
        if r["session_status"] == "cancelled":
            kind = "cancelled"
        elif r["status"] == "offered":
            kind = "offer"
        else:
            kind = "reminder"
        deadline = parse_iso(r["offered_until"]) if kind == "offer" and r["offered_until"] else None
        targets.append(_target(r, kind, deadline=deadline))
    targets += _lottery_targets(db, _window(day))
    outcomes = {
        **_outcomes(db, "booking_id", [t.booking_id for t in targets if t.booking_id is not None], day),
        **_outcomes(db, "application_id", [t.application_id for t in targets if t.application_id is not None], day),
    }
    targets = [replace(t, outcome=outcomes.get((t.key, t.kind), "")) for t in targets]
    order = {"cancelled": 0, "offer": 1, "won": 2, "lost": 3, "reminder": 4}
    return sorted(targets, key=lambda t: order[t.kind])


def _target(r: dict, kind: str, deadline: datetime | None = None, receipt: int = 0) -> CallTarget:
    """A call from a row of `_COLUMNS`."""
    return CallTarget(
        kind=kind,
        booking_id=r["booking_id"],
        name=r["name"],
        name_kana=r["name_kana"],
        phone=r["phone"],
        lesson_title=lessons.title_of(r["lesson_id"]),
        starts_at=parse_iso(r["starts_at"]).astimezone(JST),
        ends_at=parse_iso(r["ends_at"]).astimezone(JST),
        room=r["room"],
        deadline=deadline,
        receipt=receipt,
        application_id=r.get("application_id"),
        session_id=r["session_id"],
    )


def _lottery_targets(db: Database, params: dict[str, str]) -> list[CallTarget]:
    """The 当選 / 落選 calls, by session time then フリガナ."""
    return [
        _target(r, kind, receipt=r["number"])
        for kind, branch in _LOTTERY_BRANCHES.items()
        for r in db.query(f"select {_COLUMNS}, ap.number {branch} order by s.starts_at, a.kana_key", params)
    ]


def _outcomes(db: Database, column: str, ids: list[int], today: date) -> dict[tuple[str, str], str]:
    """{(`CallTarget.key`, kind): latest outcome} of the calls about these
    bookings (column "booking_id") or applications ("application_id");
    reminders only from today (JST)."""
    found: dict[tuple[str, str], str] = {}
    since = datetime.combine(today, time(0), tzinfo=JST)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = db.execute(
            f"select {column}, session_id, kind, outcome, at from call_outcomes where {column} in ({','.join('?' * len(chunk))}) "
            "order by id",
            chunk,
        )
        for row_id, session_id, kind, outcome, at in rows:
            if kind == "reminder" and parse_iso(at) < since:
                continue
            key = _key(row_id, None, None) if column == "booking_id" else _key(None, row_id, session_id)
            found[(key, kind)] = outcome
    return found


def record_call(db: Database, actor: Actor, booking_id: int, kind: str, outcome: str) -> None:
    """Record what came of a call on the call list.

    Args:
        kind: the call's kind (`KINDS`). outcome: "reached" or "no_answer".
    Raises:
        PermissionDenied: not staff. InvalidInput: an unknown kind or outcome.
        NotFound: no such booking.
    """
    require(actor, "bookings.book")
    _check_call(kind, outcome)
    with immediate(db):
        if not db.execute("select 1 from bookings where id = ?", [booking_id]).fetchone():
            raise NotFound(_("予約が見つかりません。"))
        _insert_outcome(db, actor, {"booking_id": booking_id}, kind, outcome)
        audit.record(db, actor, "call", "bookings", booking_id, {"kind": kind, "outcome": outcome})


def record_application_call(db: Database, actor: Actor, application_id: int, session_id: int, outcome: str) -> None:
    """Record what came of a 中止のお知らせ to a lottery applicant about one
    cancelled session (a call list entry whose `application_id` is set).

    Args:
        session_id: the cancelled session the call was about (`CallTarget.session_id`).
        outcome: "reached" or "no_answer".
    Raises:
        PermissionDenied: not staff. InvalidInput: an unknown outcome.
        NotFound: no such application or session.
    """
    require(actor, "bookings.book")
    _check_call("cancelled", outcome)
    with immediate(db):
        if not db.execute("select 1 from applications where id = ?", [application_id]).fetchone():
            raise NotFound(_("申込が見つかりません。"))
        if not db.execute("select 1 from sessions where id = ?", [session_id]).fetchone():
            raise NotFound(_("開催回が見つかりません。"))
        _insert_outcome(db, actor, {"application_id": application_id, "session_id": session_id}, "cancelled", outcome)
        audit.record(db, actor, "call", "applications", application_id, {"kind": "cancelled", "outcome": outcome, "session_id": session_id})


def _check_call(kind: str, outcome: str) -> None:
    if kind not in KINDS:
        raise InvalidInput("kind", _("電話の種類が正しくありません。"))
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome", _("「電話した」か「つながらない」を選んでください。"))


def _insert_outcome(db: Database, actor: Actor, about: dict[str, int], kind: str, outcome: str) -> None:
    """One call_outcomes row; `about` names the booking, or the application and session."""
    row = {**about, "kind": kind, "outcome": outcome, "at": now_utc_iso(), "user": actor.username}
    db.execute(f"insert into call_outcomes ({', '.join(row)}) values ({', '.join('?' * len(row))})", list(row.values()))
