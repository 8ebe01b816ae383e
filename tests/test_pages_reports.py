"""実績報告 (AppTest): the demo centre plus a past fiscal year of classes and help-desk
cases inserted directly; the year, month and venue filters; targets set by an
admin and their progress; staff without the target form; volunteers refused."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone

import pytest

import db
from db import reports, venues
from db.clock import JST, today_jst
from db.permissions import Actor
from tests.conftest import ADMIN, open_page, texts

PAGE = "app_pages/reports.py"
ADMIN_USER = Actor("admin", "admin")
STAFF_USER = Actor("staff", "staff")
# A whole fiscal year in the past, whatever today is.
PAST = reports.fiscal_year_of(today_jst()) - 1


def seed_past_year(handle, fy: int = PAST) -> dict[str, int]:
    """Three held sessions and three tickets in fiscal year `fy`, at the demo venue
    (A) and a second venue (B):

      S1 fy-05-12 A phone-basics cap 12: P1 P2 P3 attended, P4 absent; volunteer 1 leads
      S2 fy-10-14 A line-basics  cap 8:  P1 P5 attended
      S3 fy-10-20 B scams-safety cap 6:  P6 attended
      T1 fy-05-20 A LINE, visit, resolved, 20 min
      T2 fy-10-15 A scams, phone, referred to the police, 40 min
      T3 fy-10-21 B basics, visit, resolved, 10 min

    Returns {"a": venue A, "b": venue B}.
    """
    venue_a = handle.execute("select id from venues order by id").fetchone()[0]
    room_a = handle.execute("select id from rooms where venue_id = ? order by id", [venue_a]).fetchone()[0]
    venue_b = venues.create_venue(handle, ADMIN, "みどり台北分室", "東京都みどり台市北1-1", "03-0000-0009")
    room_b = venues.create_room(handle, ADMIN, venue_b, "会議室", 6)
    people = [row[0] for row in handle.execute("select id from attendees order by id limit 6")]
    volunteer = handle.execute("select id from volunteers order by id").fetchone()[0]

    def session(room, lesson, day, capacity):
        starts = datetime.combine(day, time(10), tzinfo=JST)
        return handle["sessions"].insert(
            {
                "lesson_id": lesson,
                "room_id": room,
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(minutes=90)).isoformat(),
                "capacity": capacity,
                "helpers_needed": 0,
                "status": "scheduled",
                "created_at": "2020-01-01T00:00:00+00:00",
            }
        ).last_pk

    def booking(session_id, person, status):
        handle["bookings"].insert(
            {"session_id": session_id, "attendee_id": people[person - 1], "status": status, "queued_at": "2020-01-01T00:00:00+00:00"}
        )

    s1 = session(room_a, "phone-basics", date(fy, 5, 12), 12)
    s2 = session(room_a, "line-basics", date(fy, 10, 14), 8)
    s3 = session(room_b, "scams-safety", date(fy, 10, 20), 6)
    for person in (1, 2, 3):
        booking(s1, person, "attended")
    booking(s1, 4, "absent")
    booking(s2, 1, "attended")
    booking(s2, 5, "attended")
    booking(s3, 6, "attended")
    handle["shifts"].insert({"session_id": s1, "volunteer_id": volunteer, "role": "lead", "status": "assigned"})
    for n, (day, venue, channel, category, resolution, minutes, referral) in enumerate(
        (
            (date(fy, 5, 20), venue_a, "visit", "line", "resolved", 20, ""),
            (date(fy, 10, 15), venue_a, "phone", "scams", "referred", 40, "police"),
            (date(fy, 10, 21), venue_b, "visit", "basics", "resolved", 10, ""),
        ),
        1,
    ):
        opened = datetime.combine(day, time(11), tzinfo=JST).astimezone(timezone.utc)
        handle["tickets"].insert(
            {
                "number": f"{fy}-9{n:03d}",
                "opened_at": opened.isoformat(timespec="seconds"),
                "venue_id": venue,
                "channel": channel,
                "category": category,
                "summary": "相談",
                "status": "closed",
                "resolution": resolution,
                "minutes": minutes,
                "referral_to": referral,
            }
        )
    return {"a": venue_a, "b": venue_b}


@pytest.fixture
def past_year(demo_db):
    with db.connect(demo_db) as handle:
        return seed_past_year(handle)


def table(app, first_column: str):
    """The page table whose first column is `first_column`, as {first cell: row}."""
    frame = next(t.value for t in app.table if t.value.columns[0] == first_column)
    return {row.iloc[0]: list(row.iloc[1:]) for _i, row in frame.iterrows()}


def figure(app, label: str) -> str:
    """A figure of the 教室 / 相談窓口 / ボランティア summary tables."""
    for t in app.table:
        frame = t.value
        if list(frame.columns) == ["項目", "実績"] and label in set(frame["項目"]):
            return frame.set_index("項目").loc[label, "実績"]
    raise KeyError(label)


def show(app, section: str):
    """The page with one section chosen (教室 is shown first)."""
    return app.segmented_control(key="rep_section").set_value(section).run()


def past_page(who=STAFF_USER):
    app = open_page(PAGE, who)
    return app.selectbox(key="rep_year").set_value(PAST).run()


def test_staff_see_the_year_in_tables_and_no_target_form(past_year):
    app = open_page(PAGE, STAFF_USER)
    assert not app.exception
    assert app.selectbox(key="rep_year").value == reports.fiscal_year_of(today_jst())
    assert "令和" in app.selectbox(key="rep_year").format_func(PAST)
    app = app.selectbox(key="rep_year").set_value(PAST).run()
    # 教室 first: only its section is read and drawn.
    assert [o for o in app.segmented_control(key="rep_section").options] == [
        "教室", "相談窓口", "ボランティア", "月別の推移", "受講後アンケート", "成果目標"]
    assert (figure(app, "開催回数"), figure(app, "延べ参加者数"), figure(app, "実参加者数")) == ("3", "6", "5")
    assert (figure(app, "欠席"), figure(app, "欠席率")) == ("1", "14.3%")  # 1 ÷ (6 + 1)
    assert {"参加者の内訳", "人気の講座"} <= {s.value for s in app.subheader}
    with pytest.raises(KeyError):
        figure(app, "相談件数")
    csv_keys(app)
    app = show(app, "desk")
    assert figure(app, "相談件数") == "3" and figure(app, "解決率") == "66.7%"
    assert table(app, "分類")["詐欺・セキュリティ"] == ["1", "33.3%"]
    assert table(app, "案内先")["警察相談専用電話（#9110）"] == ["1", "100.0%"]
    csv_keys(app)
    app = show(app, "volunteers")
    assert figure(app, "活動時間") == "1時間30分"
    app = show(app, "months")
    months = table(app, "月")
    assert months["5月"] == ["1", "3", "3", "1"] and months["10月"] == ["2", "3", "3", "2"]
    assert months["合計"][0] == "3"
    charts = [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]
    titles = [c.get("title") for c in charts]
    assert [t for t in titles if t] == ["開催回数（月別）（単位：回）", "延べ参加者数（月別）（単位：人）", "相談件数（月別）（単位：件）"]
    for chart in charts:
        marks = [layer["mark"]["type"] for layer in chart["layer"]]
        assert marks == ["bar", "text"], "every bar carries its value"
        assert not any("color" in layer.get("encoding", {}) for layer in chart["layer"]), "no colour-coded series"
    csv_keys(app)
    app = show(app, "progress")
    assert "成果目標を設定する" not in [e.label for e in app.expander]
    assert not [n for n in app.number_input if n.key.startswith("target_")]


def csv_keys(app) -> None:
    """Every table drawn has its CSV download, and the PDF of everything is there."""
    keys = [b.key for b in app.get("download_button")]
    assert "rep_pdf" in keys and len([k for k in keys if k.startswith("csv_")]) == len(app.table)


def test_month_and_venue_filters_change_the_figures(past_year):
    app = past_page()
    app = app.selectbox(key="rep_month").set_value(10).run()
    assert (figure(app, "開催回数"), figure(app, "延べ参加者数"), figure(show(app, "desk"), "相談件数")) == ("2", "3", "2")
    app = show(app.selectbox(key="rep_venue").set_value(past_year["b"]).run(), "classes")
    assert (figure(app, "開催回数"), figure(app, "延べ参加者数"), figure(show(app, "desk"), "相談件数")) == ("1", "1", "1")
    assert "みどり台北分室" in " ".join(c.value for c in app.caption)
    app = app.selectbox(key="rep_month").set_value(5).run()
    assert figure(app, "相談件数") == "0"
    app = show(app, "classes")
    assert figure(app, "開催回数") == "0" and figure(app, "欠席率") == "—"


def test_an_admin_sets_a_target_and_sees_progress(past_year):
    app = show(past_page(ADMIN_USER), "progress")
    assert "成果目標は設定されていません" in texts(app, "info")
    app.number_input(key=f"target_{PAST}_sessions_held").set_value(4)
    app.number_input(key=f"target_{PAST}_tickets").set_value(3)
    app = app.button(key="targets_save").click().run()
    assert not app.exception
    assert "成果目標を保存しました（2件）。" in texts(app, "success")
    with db.connect() as handle:
        assert reports.targets(handle, STAFF_USER, PAST) == {"sessions_held": 4, "tickets": 3}
    goals = table(app, "指標")
    assert goals["開催回数"] == ["4回", "3回", "75.0%", "要努力"]
    assert goals["相談件数"] == ["3件", "3件", "100.0%", "達成"]
    bars = {p.text: p.value for p in app.get("progress")}
    assert any("開催回数" in text and "75.0%" in text for text in bars)
    assert sorted(bars.values()) == [75, 100]


def test_a_refused_target_shows_the_reason_and_saves_nothing(past_year):
    app = show(past_page(ADMIN_USER), "progress")
    # The input stops values above the maximum before they reach the database.
    assert app.number_input(key=f"target_{PAST}_attendances").proto.max == reports.TARGET_MAX
    app.number_input(key=f"target_{PAST}_attendances").set_value(500)
    # The account lost its admin role while the form was open: the database refuses.
    app.session_state["actor"] = STAFF_USER
    app = app.button(key="targets_save").click().run()
    assert not app.exception
    assert texts(app, "error") and not app.success
    with db.connect() as handle:
        assert reports.targets(handle, STAFF_USER, PAST) == {}


def test_volunteers_are_refused(demo_db):
    with db.connect(demo_db) as handle:
        volunteer_id = handle.execute("select volunteer_id from users where username = 'tanaka'").fetchone()[0]
    app = open_page(PAGE, Actor("tanaka", "volunteer", volunteer_id))
    assert "このページを見る権限がありません。" in texts(app, "error")
    assert not app.table and not app.get("download_button")
