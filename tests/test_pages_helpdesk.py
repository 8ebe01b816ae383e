"""相談窓口 (AppTest): quick intake, status changes, follow-up queue, search, printouts."""

from __future__ import annotations

from datetime import timedelta

import db
from db import tickets
from db.clock import today_jst
from db.permissions import Actor
from tests.conftest import STAFF_USER, open_page, texts

PAGE = "app_pages/helpdesk.py"


def stored() -> list[dict]:
    with db.connect() as handle:
        return list(handle.query("select * from tickets order by id"))


def intake(app, summary="LINEで写真が見られない", category="line"):
    app.radio(key="in_channel").set_value("visit")
    app.selectbox(key="in_category").set_value(category)
    app.text_input(key="in_summary").input(summary)
    app.selectbox(key="in_age").set_value("70代")
    app.selectbox(key="in_device").set_value("Android")
    app.number_input(key="in_minutes").set_value(20)
    return app.button(key="intake_submit").click().run()


def test_a_walk_in_is_recorded_from_one_form_and_opens(demo_db):
    app = intake(open_page(PAGE))
    assert not app.exception
    (row,) = stored()
    assert (row["channel"], row["category"], row["age_band"], row["device"], row["minutes"]) == ("visit", "line", "70代", "Android", 20)
    assert row["attendee_id"] is None and row["status"] == "new"
    assert f"相談記録 {row['number']} を記録しました。" in texts(app, "success")
    assert app.selectbox(key="ticket_open").value == row["id"]
    assert app.text_input(key="in_summary").value == ""


def test_a_summary_is_required_and_a_my_number_is_refused(demo_db):
    app = intake(open_page(PAGE), summary="")
    assert texts(app, "error") and stored() == []
    app = intake(open_page(PAGE), summary="番号は 1234 5678 9018 です")
    assert "マイナンバー" in texts(app, "error") and stored() == []


def test_hold_with_a_follow_up_date_then_resolve(demo_db):
    app = intake(open_page(PAGE))
    ticket_id = stored()[0]["id"]
    key = f"t{ticket_id}_"
    app.date_input(key=key + "follow").set_value(today_jst() + timedelta(days=3))
    app.number_input(key=key + "add").set_value(15)
    app.button(key=key + "to_on_hold").click().run()
    assert "状態を「保留」にしました。" in texts(app, "success")
    row = stored()[0]
    assert (row["status"], row["follow_up_on"], row["minutes"]) == ("on_hold", (today_jst() + timedelta(days=3)).isoformat(), 35)
    app.button(key=key + "to_resolved").click().run()
    assert stored()[0]["status"] == "resolved"
    assert app.button(key=key + "to_in_progress").label == "再開する"


def test_referral_needs_a_destination_and_changes_nothing_without(demo_db):
    app = intake(open_page(PAGE))
    key = f"t{stored()[0]['id']}_"
    app.button(key=key + "to_referred").click().run()
    assert texts(app, "error") and stored()[0]["status"] == "new"
    app.selectbox(key=key + "referral").set_value("myna_dial")
    app.button(key=key + "to_referred").click().run()
    assert (stored()[0]["status"], stored()[0]["referral_to"]) == ("referred", "myna_dial")


def test_follow_up_queue_lists_due_cases(demo_db):
    with db.connect() as handle:
        ticket_id = tickets.open_ticket(handle, STAFF_USER, channel="phone", category="scams", summary="不審なSMS")
        tickets.change_status(handle, STAFF_USER, ticket_id, "on_hold", follow_up_on=today_jst())
        number = tickets.get_ticket(handle, STAFF_USER, ticket_id).number
    app = open_page(PAGE)
    queue = app.table[0].value
    assert list(queue["番号"]) == [number]


def test_details_are_saved_and_the_memo_is_offered(demo_db):
    app = intake(open_page(PAGE))
    key = f"t{stored()[0]['id']}_"
    app.text_input(key=key + "os").input("Android 14")
    app.text_area(key=key + "outcome").input("写真の自動ダウンロードを有効にしました。")
    app.text_area(key=key + "next").input("家族に写真を送ってもらい、表示を確かめる。")
    app.button(key=key + "save").click().run()
    assert "相談記録を保存しました。" in texts(app, "success")
    row = stored()[0]
    assert (row["os"], row["outcome"]) == ("Android 14", "写真の自動ダウンロードを有効にしました。")
    labels = [b.label for b in app.get("download_button")]
    assert "相談メモ（PDF）" in labels and "配布資料（PDF）" in labels


def test_search_filters_by_status_and_text(demo_db):
    with db.connect() as handle:
        for summary, category in (("LINEの友だち追加", "line"), ("マイナポータルにログインできない", "mynaportal")):
            tickets.open_ticket(handle, STAFF_USER, channel="visit", category=category, summary=summary)
    app = open_page(PAGE)
    app.text_input(key="q_text").input("マイナポータル").run()
    shown = [t for t in app.table if "相談内容" in t.value.columns][-1].value
    assert list(shown["相談内容"]) == ["マイナポータルにログインできない"]


def test_volunteers_work_the_desk_without_seeing_phone_numbers(demo_db):
    with db.connect(demo_db) as handle:
        volunteer_id = handle.execute("select volunteer_id from users where username = 'tanaka'").fetchone()[0]
    app = open_page(PAGE, Actor("tanaka", "volunteer", volunteer_id))
    app = intake(app)
    assert not app.exception and len(stored()) == 1
    assert "090-" not in " ".join(m.value for m in app.markdown)


def test_a_long_search_result_is_drawn_fifty_rows_a_page(demo_db):
    # A city's desk opens hundreds of cases in 90 days: the table draws a page
    # at a time, newest first as the search returns them (issue 12).
    with db.connect() as handle:
        for n in range(60):
            tickets.open_ticket(handle, STAFF_USER, channel="visit", category="line", summary=f"写真の送り方 {n:02d}")
        expected = [t.number for t in tickets.search_tickets(handle, STAFF_USER, text="写真の送り方")]
    app = open_page(PAGE)
    app.text_input(key="q_text").input("写真の送り方").run()
    assert "60 件" in texts(app, "caption")
    shown = [t for t in app.table if "相談内容" in t.value.columns][-1].value
    assert list(shown["番号"]) == expected[:50]
    app.number_input(key="found_page").set_value(2).run()
    shown = [t for t in app.table if "相談内容" in t.value.columns][-1].value
    assert list(shown["番号"]) == expected[50:]
