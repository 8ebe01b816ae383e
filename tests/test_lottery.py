"""抽選 (issue 17, item 1): the window, applications, the seeded draw (uniform,
reproducible, first-timer seats and priority), bookings and waitlist after the
draw, offers, housekeeping, the call list and the audit log."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import given, settings as hsettings, strategies as st

import lessons
from db import attendees, bookings, calls, housekeeping, lottery, retention, sessions
from db.clock import now_jst
from db.errors import InvalidInput, NotFound, SessionNotOpen
from db.lottery import ApplicationRefused, DrawRefused, Entry, draw
from db.permissions import Actor, PermissionDenied
from db.series import SeriesRule, create_series
from tests.conftest import STAFF, at, working_day

VOLUNTEER = Actor("vol", "volunteer", 1)
ADMIN = Actor("admin", "admin")
LESSON = next(iter(lessons.catalogue()))


KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"


def people(database, n: int, start: int = 0) -> list[int]:
    return [
        attendees.register_attendee(
            database, STAFF, f"抽選 太郎{i}", f"チュウセン {KANA[i // len(KANA)]}{KANA[i % len(KANA)]}", f"090-0000-{2000 + i:04d}", True
        )
        for i in range(start, start + n)
    ]


@pytest.fixture
def lot(database, make_session):
    """A 4-seat session 14 days ahead in lottery mode; window open now, closing in 3 days."""
    session_id = make_session(capacity=4, offset=14)
    now = now_jst()
    lottery_id = lottery.set_lottery(database, STAFF, session_id, now - timedelta(hours=1), now + timedelta(days=3))
    return session_id, lottery_id


def close(clock, lottery_id, database):
    clock.move_to(lottery.get_lottery(database, lottery_id).closes_at + timedelta(minutes=1))


# The pure draw -------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_order_and_input_order_does_not_matter():
    entries = [Entry(n, n % 3 == 0) for n in range(1, 21)]
    one = draw(entries, 5, 2, True, "abc")
    assert one == draw(list(reversed(entries)), 5, 2, True, "abc")
    assert sorted(one.order) == list(range(1, 21))
    assert one.winners == one.order[:5] and one.waiting == one.order[5:]
    assert any(draw(entries, 5, 2, True, f"seed{i}").order != one.order for i in range(5))


def test_the_draw_is_uniform_over_who_wins_the_seats():
    # 6 applicants, 2 seats: each of the 15 pairs of winners should come up
    # equally often over 3 000 seeds. Chi-square with 14 degrees of freedom;
    # 36.12 is its 0.999 quantile, so a fair draw fails this 1 time in 1 000
    # seeds sets — and these seeds are fixed, so the test is deterministic.
    entries = [Entry(n, False) for n in range(1, 7)]
    runs = 3000
    counts = Counter(frozenset(draw(entries, 2, 0, False, f"uniform-{i}").winners) for i in range(runs))
    pairs = [frozenset(p) for p in itertools.combinations(range(1, 7), 2)]
    expected = runs / len(pairs)
    chi2 = sum((counts[p] - expected) ** 2 / expected for p in pairs)
    assert set(counts) == set(pairs)
    assert chi2 < 36.12, chi2


def test_every_place_in_the_waitlist_is_uniform_too():
    # Who comes first in the whole drawn order, 5 applicants, 2 000 seeds: 4 df, 0.999 quantile 18.47.
    entries = [Entry(n, False) for n in range(1, 6)]
    runs = 2000
    for place in (0, 4):
        counts = Counter(draw(entries, 1, 0, False, f"place-{i}").order[place] for i in range(runs))
        chi2 = sum((counts[n] - runs / 5) ** 2 / (runs / 5) for n in range(1, 6))
        assert chi2 < 18.47, (place, chi2)


def test_first_timers_are_uniform_among_themselves_under_priority():
    # 3 first-timers, 4 others, 2 seats with priority: the winners are 2 of
    # the 3 first-timers, each pair equally likely (2 df, 0.999 quantile 13.82).
    entries = [Entry(n, n <= 3) for n in range(1, 8)]
    runs = 1500
    counts = Counter(frozenset(draw(entries, 2, 0, True, f"prio-{i}").winners) for i in range(runs))
    pairs = [frozenset(p) for p in itertools.combinations(range(1, 4), 2)]
    assert set(counts) == set(pairs)
    assert sum((counts[p] - runs / 3) ** 2 / (runs / 3) for p in pairs) < 13.82


applications_strategy = st.lists(st.booleans(), min_size=0, max_size=30).map(
    lambda flags: [Entry(i + 1, f) for i, f in enumerate(flags)]
)


@hsettings(max_examples=200, deadline=None)
@given(applications_strategy, st.integers(0, 20), st.data(), st.booleans(), st.text(max_size=12))
def test_the_priority_and_kept_seat_rules_hold(applications, seats, data, priority, seed):
    kept = data.draw(st.integers(0, seats))
    result = draw(applications, seats, kept, priority, seed)
    firsts = {a.number for a in applications if a.first_timer}
    others = {a.number for a in applications} - firsts
    assert sorted(result.order) == sorted(a.number for a in applications)
    assert len(result.winners) == min(seats, len(applications))
    # The kept seats go to first-timers as far as there are any.
    assert len(set(result.winners) & firsts) >= min(kept, len(firsts), seats)
    if priority:
        # No one else wins while a first-timer loses, and first-timers wait first.
        assert not (set(result.waiting) & firsts and set(result.winners) & others)
        seen_other = False
        for number in result.order:
            seen_other |= number in others
            assert not (seen_other and number in firsts)
    if not kept and not priority:
        assert result == draw(applications, seats, 0, False, seed)


def test_the_draw_refuses_bad_settings():
    with pytest.raises(ValueError):
        draw([Entry(1, True), Entry(1, False)], 1, 0, False, "s")
    with pytest.raises(ValueError):
        draw([Entry(1, True)], 2, 3, False, "s")


# Setting a lottery ---------------------------------------------------------------------------


def test_a_window_must_close_a_day_before_the_class_and_after_it_opens(database, make_session):
    session_id = make_session(capacity=4, offset=14)
    start = sessions.get_session(database, session_id).starts_at
    now = now_jst()
    for opens, closes, message in (
        (now + timedelta(days=2), now + timedelta(days=1), "受付開始は締切より前"),
        (now - timedelta(days=2), now - timedelta(days=1), "締切はこれから先"),
        (now, start - timedelta(hours=2), "24時間前まで"),
    ):
        with pytest.raises(InvalidInput, match=message):
            lottery.set_lottery(database, STAFF, session_id, opens, closes)
    with pytest.raises(InvalidInput, match="0〜4 席"):
        lottery.set_lottery(database, STAFF, session_id, now, now + timedelta(days=1), first_timer_seats=5)
    with pytest.raises(PermissionDenied):
        lottery.set_lottery(database, VOLUNTEER, session_id, now, now + timedelta(days=1))
    assert lottery.for_session(database, session_id) is None
    assert database.execute("select count(*) from lotteries").fetchone()[0] == 0


def test_a_session_with_bookings_or_a_lottery_cannot_become_one(database, make_session, lot):
    session_id, _lottery_id = lot
    now = now_jst()
    with pytest.raises(InvalidInput, match="すでに抽選"):
        lottery.set_lottery(database, STAFF, session_id, now, now + timedelta(days=1))
    other = make_session(capacity=4, offset=15)
    bookings.book(database, STAFF, other, people(database, 1)[0])
    with pytest.raises(InvalidInput, match="すでに予約がある"):
        lottery.set_lottery(database, STAFF, other, now, now + timedelta(days=1))


# Applications ----------------------------------------------------------------------------------


def test_applications_get_numbers_and_a_second_one_is_refused(database, lot):
    _session_id, lottery_id = lot
    first, second = people(database, 2)
    assert lottery.apply(database, STAFF, lottery_id, first) == 1
    assert lottery.apply(database, STAFF, lottery_id, second) == 2
    with pytest.raises(ApplicationRefused, match="すでに申し込んでいます（受付番号 001）"):
        lottery.apply(database, STAFF, lottery_id, first)
    assert lottery.get_lottery(database, lottery_id).applicants == 2
    assert [a.number for a in lottery.list_applications(database, STAFF, lottery_id)] == [1, 2]


def test_applying_outside_the_window_is_refused_and_changes_nothing(database, make_session, clock):
    session_id = make_session(capacity=4, offset=14)
    now = now_jst()
    lottery_id = lottery.set_lottery(database, STAFF, session_id, now + timedelta(days=1), now + timedelta(days=3))
    person = people(database, 1)[0]
    with pytest.raises(ApplicationRefused, match="からです"):
        lottery.apply(database, STAFF, lottery_id, person)
    close(clock, lottery_id, database)
    with pytest.raises(ApplicationRefused, match="受付期間は .* で終わりました"):
        lottery.apply(database, STAFF, lottery_id, person)
    assert database.execute("select count(*) from applications").fetchone()[0] == 0
    assert database.execute("select count(*) from audit_log where action = 'apply'").fetchone()[0] == 0


def test_a_session_awaiting_its_draw_takes_no_bookings(database, lot):
    session_id, _lottery_id = lot
    with pytest.raises(SessionNotOpen, match="抽選です"):
        bookings.book(database, STAFF, session_id, people(database, 1)[0])


def test_a_withdrawn_application_leaves_the_draw_and_can_come_back(database, lot, clock):
    _session_id, lottery_id = lot
    one, two = people(database, 2)
    lottery.apply(database, STAFF, lottery_id, one)
    lottery.apply(database, STAFF, lottery_id, two)
    lottery.withdraw(database, STAFF, lottery_id, 1)
    assert [a.number for a in lottery.list_applications(database, STAFF, lottery_id)] == [2]
    assert lottery.apply(database, STAFF, lottery_id, one) == 1
    lottery.withdraw(database, STAFF, lottery_id, 1)
    close(clock, lottery_id, database)
    with pytest.raises(ApplicationRefused):
        lottery.withdraw(database, STAFF, lottery_id, 2)
    lottery.run_draw(database, STAFF, lottery_id)
    assert database.execute("select count(*) from bookings").fetchone()[0] == 1


def test_volunteers_take_no_applications(database, lot):
    with pytest.raises(PermissionDenied):
        lottery.apply(database, VOLUNTEER, lot[1], people(database, 1)[0])


# The draw in the database ----------------------------------------------------------------------


def test_no_draw_before_the_close_and_only_one_draw(database, lot, clock):
    session_id, lottery_id = lot
    for p in people(database, 3):
        lottery.apply(database, STAFF, lottery_id, p)
    with pytest.raises(DrawRefused, match="受付期間が終わるまで"):
        lottery.run_draw(database, STAFF, lottery_id)
    close(clock, lottery_id, database)
    lottery.run_draw(database, STAFF, lottery_id)
    with pytest.raises(DrawRefused, match="すでに"):
        lottery.run_draw(database, STAFF, lottery_id)


def test_winners_are_booked_the_rest_wait_in_drawn_order_and_offers_follow(database, lot, clock):
    session_id, lottery_id = lot
    for p in people(database, 9):
        lottery.apply(database, STAFF, lottery_id, p)
    close(clock, lottery_id, database)
    outcome = lottery.run_draw(database, STAFF, lottery_id, seed="fixed")
    assert (outcome.won, outcome.waiting) == (4, 5)
    expected = draw([Entry(n, True) for n in range(1, 10)], 4, 0, False, "fixed")
    apps = {a.number: a for a in lottery.list_applications(database, STAFF, lottery_id)}
    assert [n for n, a in sorted(apps.items(), key=lambda kv: kv[1].place)] == list(expected.order)
    booked = {b.attendee_id for b in bookings.list_bookings(database, STAFF, session_id)}
    assert booked == {apps[n].attendee_id for n in expected.winners}
    queue = bookings.waitlist(database, STAFF, session_id)
    assert [b.attendee_id for b in queue] == [apps[n].attendee_id for n in expected.waiting]
    # A winner cancels: the first in drawn order gets the offer.
    winner = next(b for b in bookings.list_bookings(database, STAFF, session_id))
    offers = bookings.cancel_booking(database, STAFF, winner.id, "体調不良")
    assert [o.booking_id for o in offers] == [queue[0].id]
    # After the draw the session books as usual: a newcomer waits behind the drawn.
    late = people(database, 1, start=50)[0]
    bookings.book(database, STAFF, session_id, late, waitlist=True)
    assert bookings.waitlist(database, STAFF, session_id)[-1].attendee_id == late


def test_first_timer_seats_go_to_those_who_never_attended_the_lesson(database, centre, make_session, clock):
    # 2 of 4 seats kept for first-timers; 6 regulars attended the lesson before.
    past_day = working_day(1)
    regulars = people(database, 6)
    newcomers = people(database, 3, start=10)
    before = sessions.create_session(database, STAFF, LESSON, centre[1], at(past_day, 14), at(past_day, 15), 12)
    for r in regulars:
        bookings.book(database, STAFF, before, r)
    clock.move_to(at(past_day, 14, 5))
    for b in bookings.list_bookings(database, STAFF, before):
        bookings.mark_attendance(database, STAFF, b.id, "attended")
    clock.move_to(at(past_day, 16))
    target = make_session(capacity=4, offset=20)
    now = now_jst()
    lottery_id = lottery.set_lottery(database, STAFF, target, now, now + timedelta(days=2), first_timer_seats=2)
    for p in regulars + newcomers:
        lottery.apply(database, STAFF, lottery_id, p)
    assert sum(a.first_timer for a in lottery.list_applications(database, STAFF, lottery_id)) == 3
    close(clock, lottery_id, database)
    lottery.run_draw(database, STAFF, lottery_id)
    won = {a.attendee_id for a in lottery.list_applications(database, STAFF, lottery_id) if a.result == "won"}
    assert len(won & set(newcomers)) >= 2 and len(won) == 4
    assert lottery.replay(database, STAFF, lottery_id)


def test_the_audit_log_holds_the_seed_and_replays_the_draw(database, lot, clock):
    _session_id, lottery_id = lot
    for p in people(database, 7):
        lottery.apply(database, STAFF, lottery_id, p)
    close(clock, lottery_id, database)
    outcome = lottery.run_draw(database, STAFF, lottery_id)
    detail = json.loads(database.execute("select detail from audit_log where action = 'draw'").fetchone()[0])
    assert detail["seed"] == outcome.seed and len(outcome.seed) == 32
    assert detail["numbers"] == list(range(1, 8)) and detail["seats"] == 4
    assert lottery.replay(database, STAFF, lottery_id)
    # No names or phone numbers in what the lottery logged.
    logged = " ".join(r[0] for r in database.execute("select detail from audit_log where entity in ('lotteries', 'applications')"))
    assert "抽選" not in logged and "090-" not in logged
    # A tampered order no longer replays.
    database.execute("update applications set place = 8 - place where lottery_id = ?", [lottery_id])
    assert not lottery.replay(database, STAFF, lottery_id)


def test_housekeeping_draws_at_the_close_by_itself(db_path, database, lot, clock):
    _session_id, lottery_id = lot
    for p in people(database, 6):
        lottery.apply(database, STAFF, lottery_id, p)
    database.conn.commit()
    assert housekeeping.run(db_path).draws == 0
    close(clock, lottery_id, database)
    report = housekeeping.run(db_path)
    assert report.draws == 1
    assert lottery.get_lottery(database, lottery_id).stage() == "drawn"
    assert housekeeping.run(db_path).draws == 0
    assert database.execute("select user from audit_log where action = 'draw'").fetchone()[0] == "system"


@pytest.fixture
def series_lot(database, centre):
    """A weekly series of three 3-seat sessions from 14 days ahead, in one lottery
    whose window is open now and closes in 2 days. Returns (session ids, lottery id)."""
    first = working_day(14)
    series_id = create_series(database, STAFF, SeriesRule(LESSON, centre[2], "weekly", first, "10:00", "11:30", count=3), 3)
    ids = [s.id for s in sessions.list_sessions(database) if s.series_id == series_id]
    now = now_jst()
    lottery_id = lottery.set_lottery(database, STAFF, ids[0], now, now + timedelta(days=2), whole_series=True)
    return ids, lottery_id


def test_a_series_lottery_books_the_winners_into_every_session(database, series_lot, clock):
    ids, lottery_id = series_lot
    assert all(lottery.for_session(database, i).id == lottery_id for i in ids)
    with pytest.raises(SessionNotOpen):
        bookings.book(database, STAFF, ids[2], people(database, 1, start=90)[0])
    for p in people(database, 5):
        lottery.apply(database, STAFF, lottery_id, p)
    close(clock, lottery_id, database)
    lottery.run_draw(database, STAFF, lottery_id)
    seated = [{b.attendee_id for b in bookings.list_bookings(database, STAFF, i)} for i in ids]
    waiting = [[b.attendee_id for b in bookings.waitlist(database, STAFF, i)] for i in ids]
    assert len(seated[0]) == 3 and seated[0] == seated[1] == seated[2]
    assert len(waiting[0]) == 2 and waiting[0] == waiting[1] == waiting[2]


def test_whole_series_needs_a_series(database, make_session):
    now = now_jst()
    with pytest.raises(InvalidInput, match="連続講座ではありません"):
        lottery.set_lottery(database, STAFF, make_session(offset=14), now, now + timedelta(days=1), whole_series=True)


# Calls and the notice ------------------------------------------------------------------------------


def test_the_call_list_gets_won_and_lost_calls_until_reached(database, lot, clock):
    session_id, lottery_id = lot
    for p in people(database, 6):
        lottery.apply(database, STAFF, lottery_id, p)
    close(clock, lottery_id, database)
    lottery.run_draw(database, STAFF, lottery_id)
    targets = calls.call_list(database, STAFF)
    assert Counter(t.kind for t in targets) == {"won": 4, "lost": 2}
    assert calls.call_counts(database, STAFF)["won"] == 4
    assert all(t.receipt for t in targets)
    won = next(t for t in targets if t.kind == "won")
    calls.record_call(database, STAFF, won.booking_id, "won", "no_answer")
    assert any(t.booking_id == won.booking_id and t.outcome == "no_answer" for t in calls.call_list(database, STAFF))
    calls.record_call(database, STAFF, won.booking_id, "won", "reached")
    assert Counter(t.kind for t in calls.call_list(database, STAFF)) == {"won": 3, "lost": 2}
    # A loser given an offer is phoned about the offer instead.
    seated = bookings.list_bookings(database, STAFF, session_id)
    bookings.cancel_booking(database, STAFF, next(b.id for b in seated if b.id != won.booking_id), "都合")
    kinds = Counter(t.kind for t in calls.call_list(database, STAFF))
    assert kinds["lost"] == 1 and kinds["offer"] == 1


def test_a_session_cancelled_before_its_draw_puts_its_applicants_on_the_call_list(database, lot, clock):
    # Applicants hold no booking before the draw; cancelling must still reach them.
    session_id, lottery_id = lot
    kept, withdrawn, erased = people(database, 3)
    for p in (kept, withdrawn, erased):
        lottery.apply(database, STAFF, lottery_id, p)
    lottery.withdraw(database, STAFF, lottery_id, 2)
    retention.anonymise(database, ADMIN, [erased], "request")
    sessions.cancel_session(database, STAFF, session_id, "講師の急病")
    targets = calls.call_list(database, STAFF)
    assert [(t.kind, t.booking_id, t.name) for t in targets] == [("cancelled", None, "抽選　太郎0")]
    assert calls.call_counts(database, STAFF)["cancelled"] == 1
    notice = targets[0]
    assert notice.phone == "090-0000-2000" and notice.session_id == session_id
    calls.record_application_call(database, STAFF, notice.application_id, session_id, "no_answer")
    assert [t.outcome for t in calls.call_list(database, STAFF)] == ["no_answer"]
    calls.record_application_call(database, STAFF, notice.application_id, session_id, "reached")
    assert [t.outcome for t in calls.call_list(database, STAFF)] == ["reached"]
    logged = database.execute("select entity, entity_id, detail from audit_log where action = 'call' order by id desc").fetchone()
    assert logged[:2] == ("applications", str(notice.application_id))
    assert json.loads(logged[2]) == {"kind": "cancelled", "outcome": "reached", "session_id": session_id}
    # Nobody can apply to a lottery whose sessions are all cancelled.
    before = database.execute("select count(*) from applications").fetchone()[0]
    with pytest.raises(ApplicationRefused, match="中止"):
        lottery.apply(database, STAFF, lottery_id, people(database, 1, start=50)[0])
    assert database.execute("select count(*) from applications").fetchone()[0] == before
    with pytest.raises(NotFound):
        calls.record_application_call(database, STAFF, 999_999, session_id, "reached")
    with pytest.raises(NotFound):
        calls.record_application_call(database, STAFF, notice.application_id, 999_999, "reached")
    with pytest.raises(InvalidInput):
        calls.record_application_call(database, STAFF, notice.application_id, session_id, "maybe")
    with pytest.raises(PermissionDenied):
        calls.record_application_call(database, VOLUNTEER, notice.application_id, session_id, "reached")
    # The table itself refuses an outcome that names no call, or two.
    for about in ("null, null, null", f"null, {notice.application_id}, null", f"1, {notice.application_id}, {session_id}"):
        with pytest.raises(sqlite3.IntegrityError, match="a booking, or an application"):
            database.execute(f"insert into call_outcomes (booking_id, application_id, session_id, kind, outcome, at, user) "
                             f"values ({about}, 'cancelled', 'reached', '2027-01-01T00:00:00+00:00', 'staff')")


def test_a_resident_whose_booking_was_cancelled_before_the_lottery_still_hears(database, make_session):
    # set_lottery asks staff to cancel bookings first: such a resident may apply again.
    session_id = make_session(capacity=4, offset=14)
    person = people(database, 1)[0]
    booking = bookings.book(database, STAFF, session_id, person)
    bookings.cancel_booking(database, STAFF, booking, "抽選にするため")
    now = now_jst()
    lottery_id = lottery.set_lottery(database, STAFF, session_id, now - timedelta(hours=1), now + timedelta(days=3))
    lottery.apply(database, STAFF, lottery_id, person)
    sessions.cancel_session(database, STAFF, session_id, "講師の急病")
    assert [(t.kind, t.booking_id, t.name) for t in calls.call_list(database, STAFF)] == [("cancelled", None, "抽選　太郎0")]


def test_a_series_lottery_tells_its_applicants_of_each_cancelled_date_once(database, series_lot, clock):
    ids, lottery_id = series_lot
    applicants = people(database, 5)
    for p in applicants:
        lottery.apply(database, STAFF, lottery_id, p)
    sessions.cancel_session(database, STAFF, ids[1], "会場の都合")
    notices = calls.call_list(database, STAFF)
    assert len(notices) == 5 and {(t.kind, t.session_id) for t in notices} == {("cancelled", ids[1])}
    first = notices[0]
    calls.record_application_call(database, STAFF, first.application_id, ids[1], "reached")
    # A second date cancelled before the draw is a call of its own, still to make.
    sessions.cancel_session(database, STAFF, ids[2], "会場の都合")
    notices = calls.call_list(database, STAFF)
    assert len(notices) == 10 and len({t.key for t in notices}) == 10
    about_first = {t.session_id: t.outcome for t in notices if t.application_id == first.application_id}
    assert about_first == {ids[1]: "reached", ids[2]: ""}
    # The first date goes on: applications are still taken, and the draw books
    # nobody into the cancelled ones, so their notices stay until reached.
    lottery.apply(database, STAFF, lottery_id, people(database, 1, start=40)[0])
    close(clock, lottery_id, database)
    lottery.run_draw(database, STAFF, lottery_id)
    assert Counter(t.kind for t in calls.call_list(database, STAFF)) == {"cancelled": 12, "won": 3, "lost": 3}
    # A winner cancels; then the first date is cancelled too: told through the
    # live bookings, and the one who cancelled is not phoned.
    gone = bookings.list_bookings(database, STAFF, ids[0])[0]
    bookings.cancel_booking(database, STAFF, gone.id, "都合")
    sessions.cancel_session(database, STAFF, ids[0], "講師の急病")
    about_first_date = [t for t in calls.call_list(database, STAFF) if t.kind == "cancelled" and t.session_id == ids[0]]
    assert len(about_first_date) == 5 and all(t.booking_id is not None for t in about_first_date)
    assert gone.attendee_id not in {
        a for (a,) in database.execute(
            "select attendee_id from bookings where id in (%s)" % ",".join(str(t.booking_id) for t in about_first_date)
        )
    }
    everything = calls.call_list(database, STAFF)
    assert len({(t.kind, t.key) for t in everything}) == len(everything)


def test_a_date_cancelled_before_someone_applied_is_not_theirs_to_hear_of(database, series_lot, clock):
    ids, lottery_id = series_lot
    lottery.apply(database, STAFF, lottery_id, people(database, 1)[0])
    clock.shift(timedelta(minutes=5))
    sessions.cancel_session(database, STAFF, ids[2], "会場の都合")
    clock.shift(timedelta(minutes=5))
    # Applying now, the resident is told of the first two dates only.
    lottery.apply(database, STAFF, lottery_id, people(database, 1, start=30)[0])
    assert [(t.name, t.session_id) for t in calls.call_list(database, STAFF)] == [("抽選　太郎0", ids[2])]


def test_the_migration_dates_earlier_cancellations_from_the_audit_log(tmp_path):
    import db
    from db import audit, schema
    from sqlite_utils import Database

    path = tmp_path / "before.sqlite3"
    handle = Database(sqlite3.connect(path))
    schema.migrations.apply(handle, stop_before="m022_session_cancelled_at")
    handle.conn.close()
    with db.connect(path) as old:
        venue = old["venues"].insert({"name": "会場", "address": "", "phone": ""}).last_pk
        room = old["rooms"].insert({"venue_id": venue, "name": "部屋", "seats": 10}).last_pk
        made = [
            old["sessions"].insert({"lesson_id": LESSON, "room_id": room, "starts_at": f"2027-01-0{n}T10:00:00+09:00",
                                    "ends_at": f"2027-01-0{n}T11:00:00+09:00", "capacity": 4, "status": status}).last_pk
            for n, status in ((1, "cancelled"), (2, "cancelled"), (3, "scheduled"))
        ]
        audit.record(old, STAFF, "cancel", "sessions", made[0], {"changed": ["status", "cancel_reason"]})
        logged = old.execute("select at from audit_log where entity_id = ?", [str(made[0])]).fetchone()[0]
        old.conn.commit()
    db.init_db(path)
    with db.connect(path) as migrated:
        dated = dict(migrated.execute("select id, cancelled_at from sessions").fetchall())
    # The second was cancelled with no audit row (an import): unknown, so it is told.
    assert dated == {made[0]: logged, made[1]: None, made[2]: None}


def test_the_notice_lists_numbers_only(database, lot, clock):
    _session_id, lottery_id = lot
    for p in people(database, 6):
        lottery.apply(database, STAFF, lottery_id, p)
    close(clock, lottery_id, database)
    with pytest.raises(Exception, match="まだ抽選していません"):
        lottery.notice(database, lottery_id)
    lottery.run_draw(database, STAFF, lottery_id)
    n = lottery.notice(database, lottery_id)
    assert n.applicants == 6 and n.seats == 4 and len(n.winners) == 4 and len(n.waiting) == 2
    assert list(n.winners) == sorted(n.winners)
    assert set(n.winners) | set(n.waiting) == set(range(1, 7))
    assert "抽選" not in repr(n)


def test_past_lotteries_cost_the_call_list_nothing(database, centre, lot, clock):
    from tests.steps import vm_steps

    _session_id, lottery_id = lot
    for p in people(database, 6):
        lottery.apply(database, STAFF, lottery_id, p)
    close(clock, lottery_id, database)
    lottery.run_draw(database, STAFF, lottery_id)
    few = vm_steps(database, lambda: calls.call_list(database, STAFF))
    person = people(database, 1, start=99)[0]
    # 300 drawn lotteries of the past, each with a won application still "booked".
    for n in range(300):
        begin = (now_jst() - timedelta(days=n + 2)).isoformat()
        sid = database["sessions"].insert({"lesson_id": LESSON, "room_id": centre[1], "starts_at": begin, "ends_at": begin,
                                           "capacity": 4, "status": "scheduled"}).last_pk
        bid = database["bookings"].insert({"session_id": sid, "attendee_id": person, "status": "booked", "queued_at": begin}).last_pk
        lid = database["lotteries"].insert({"session_id": sid, "opens_at": begin, "closes_at": begin, "first_starts_at": begin,
                                            "first_timer_seats": 0, "first_timer_priority": 0, "drawn_at": begin,
                                            "created_at": begin}).last_pk
        database["applications"].insert({"lottery_id": lid, "attendee_id": person, "number": 1, "applied_at": begin,
                                         "result": "won", "place": 1, "booking_id": bid})
    assert Counter(t.kind for t in calls.call_list(database, STAFF)) == {"won": 4, "lost": 2}
    assert vm_steps(database, lambda: calls.call_list(database, STAFF)) <= few * 1.2 + 5
