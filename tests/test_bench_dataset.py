"""The bench data set (bench/dataset.py) at a tiny scale: the counts of DESIGN.md
§10 scaled down, statuses as they occur, and the same seed giving the same rows.
(The benchmarks themselves are never run by pytest.)"""

from __future__ import annotations

from datetime import datetime

import sqlite3

import pytest

import db
from bench import dataset
from db import audit
from db.clock import JST
from tests.conftest import ADMIN

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=JST)
SCALE = 0.01


def test_the_data_set_has_the_scaled_counts_and_real_statuses(tmp_path):
    counts = dataset.build(tmp_path / "a.sqlite3", scale=SCALE, now=NOW)
    outreach_places, outreach_sessions = counts["outreach_venues"], counts["outreach_sessions"]
    assert (counts["venues"] - outreach_places, counts["rooms"] - outreach_places, counts["volunteers"]) == (1, 2, 30)
    assert (counts["sessions"] - outreach_sessions, counts["attendees"], counts["tickets"]) == (600, 1000, 2000)
    assert (counts["outreach_requests"], outreach_places) == (8, 3)
    assert abs(counts["bookings"] - 6000) <= 60
    assert 0.9 <= counts["shifts"] / 1200 <= 1.15
    assert 2.5 <= counts["audit_log"] / counts["bookings"] <= 3.5

    conn = sqlite3.connect(tmp_path / "a.sqlite3")
    first, last = conn.execute("select min(starts_at), max(starts_at) from sessions").fetchone()
    assert first[:7] == "2017-02" and last[:7] == "2027-02", "ten years, ending about three months ahead"
    statuses = dict(conn.execute("select status, count(*) from bookings group by 1"))
    assert {"booked", "waitlisted", "cancelled", "attended", "absent"} <= set(statuses)
    assert statuses["attended"] > statuses["absent"] > 0
    per_person = [n for (n,) in conn.execute("select count(*) from bookings group by attendee_id order by 1")]
    assert per_person[len(per_person) // 2] <= 6 and per_person[-1] >= 30, "heavy-tailed: most book a few times, some very often"
    phones = [p for (p,) in conn.execute("select phone from attendees union all select phone from volunteers")]
    assert all(p.startswith(("090-0", "080-0")) for p in phones)
    assert conn.execute("select count(*) from audit_log where at > ?", [NOW.isoformat()]).fetchone()[0] == 0
    # 受講後アンケート: about 45 % of attended seats answer, each by someone present.
    attended = statuses["attended"]
    assert 0.35 <= counts["surveys"] / attended <= 0.55
    assert conn.execute(
        "select count(*) from surveys s where s.attendee_id is not null and not exists (select 1 from bookings b where "
        "b.session_id = s.session_id and b.attendee_id = s.attendee_id and b.status = 'attended')"
    ).fetchone()[0] == 0
    levels = dict(conn.execute("select understanding, count(*) from surveys group by 1"))
    assert set(levels) == {None, 1, 2, 3, 4, 5} and levels[4] > levels[2]
    # 抽選: about 5 % of sessions, 1.5–3 applicants a seat; a drawn lottery booked
    # its winners and waitlisted the rest in its session; open ones have no bookings.
    assert 15 <= counts["lotteries"] <= 50 and counts["applications"] >= counts["lotteries"] * 8
    won = conn.execute(
        "select count(*) from applications ap join lotteries l on l.id = ap.lottery_id join bookings b on b.id = ap.booking_id "
        "where ap.result = 'won' and b.session_id = l.session_id").fetchone()[0]
    assert won == conn.execute("select count(*) from applications where result = 'won'").fetchone()[0] > 0
    for closes, drawn_at, booked in conn.execute(
            "select closes_at, drawn_at, (select count(*) from bookings b where b.session_id = l.session_id) from lotteries l"):
        assert (drawn_at is None) == (closes > NOW.isoformat()) and (drawn_at is not None or booked == 0)
    conn.close()
    # The history reads like the app's own: an unbroken hash chain, and the log
    # still refuses a back-dated row.
    with db.connect(tmp_path / "a.sqlite3") as handle:
        assert audit.verify_chain(handle, ADMIN).ok
        with pytest.raises(sqlite3.IntegrityError):
            handle.execute("insert into audit_log (at, user, action, entity) values ('2017-01-01T00:00:00+00:00', 'x', 'x', 'x')")


def test_the_same_seed_gives_the_same_rows(tmp_path):
    dataset.build(tmp_path / "a.sqlite3", scale=SCALE / 2, now=NOW)
    dataset.build(tmp_path / "b.sqlite3", scale=SCALE / 2, now=NOW)
    dataset.build(tmp_path / "c.sqlite3", scale=SCALE / 2, now=NOW, seed=7)
    assert dataset.digest(tmp_path / "a.sqlite3") == dataset.digest(tmp_path / "b.sqlite3")
    assert dataset.digest(tmp_path / "a.sqlite3") != dataset.digest(tmp_path / "c.sqlite3")


def test_the_data_set_lends_phones_as_the_desk_would(tmp_path):
    """Loan phones (貸出機): within each venue's inventory, never one phone in two
    overlapping sessions, only to seated people recorded with no phone."""
    counts = dataset.build(tmp_path / "a.sqlite3", scale=SCALE, now=NOW)
    assert counts["loan_phones"] == 8 and counts["loans"] > 100
    conn = sqlite3.connect(tmp_path / "a.sqlite3")
    held = conn.execute(
        "select l.phone_id, s.starts_at, s.ends_at, a.device, b.status, p.venue_id = r.venue_id from loans l "
        "join bookings b on b.id = l.booking_id join sessions s on s.id = b.session_id join attendees a on a.id = b.attendee_id "
        "join rooms r on r.id = s.room_id join loan_phones p on p.id = l.phone_id order by l.phone_id, s.starts_at"
    ).fetchall()
    assert {row[3] for row in held} == {"なし"} and {row[4] for row in held} <= {"booked", "offered", "attended"}
    assert all(row[5] for row in held)
    for a, b in zip(held, held[1:]):
        if a[0] == b[0]:
            assert a[2] <= b[1], "one phone, two overlapping sessions"
    returns = dict(conn.execute("select returned, count(*) from loans group by 1"))
    assert returns["returned"] > 100
    conn.close()
