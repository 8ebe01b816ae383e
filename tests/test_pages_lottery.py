"""The 抽選 section of the 予約 page through AppTest: set a lottery, take
applications through find and register, refuse a second one, draw after the
close and offer the notice; the same flow refuses bad settings."""

from __future__ import annotations

from datetime import timedelta

import db
from db import attendees, lottery
from db.permissions import Actor
from tests.conftest import STAFF, open_page, sign_in_session, texts


def _setup(database, make_session) -> int:
    session_id = make_session(capacity=2, offset=14)
    sign_in_session(Actor("admin", "admin"))  # an admin exists: no first-run setup
    for i, (name, kana) in enumerate((("青木 一郎", "アオキ イチロウ"), ("井上 二郎", "イノウエ ジロウ"), ("上田 三郎", "ウエダ サブロウ"))):
        attendees.register_attendee(database, STAFF, name, kana, f"090-0000-31{i:02d}", True)
    return session_id


def test_a_lottery_takes_applications_and_draws_after_the_close(database, make_session, clock):
    session_id = _setup(database, make_session)
    at = open_page("app_pages/bookings.py")
    at.button(key="lottery_set").click().run()
    assert "抽選にしました" in texts(at, "success")
    assert any("【受付中】" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.key == "book_found"]

    at.text_input(key="attendee_query").input("3100").run()
    with db.connect() as handle:
        first = handle.execute("select id from attendees where phone = '090-0000-3100'").fetchone()[0]
    at.radio(key="found_attendee").set_value(first)
    at.button(key="apply_found").click().run()
    assert "受付番号は 001 番です" in texts(at, "success")
    at.radio(key="found_attendee").set_value(first)
    at.button(key="apply_found").click().run()
    assert "すでに申し込んでいます（受付番号 001）" in texts(at, "error")

    at.text_input(key="reg_name").input("江藤 四郎")
    at.text_input(key="reg_kana").input("えとう しろう")
    at.text_input(key="reg_phone").input("090-0000-3199")
    at.checkbox(key="reg_consent").check()
    assert at.button(key="register_and_book").label == "登録して申し込む"
    at.button(key="register_and_book").click().run()
    assert "江藤 四郎 さんを登録し、申込を受け付けました。受付番号は 002 番です" in texts(at, "success")
    for phone in ("3101", "3102"):
        at.text_input(key="attendee_query").input(phone).run()
        at.radio(key="found_attendee").set_value(at.radio(key="found_attendee").options[0])
        at.button(key="apply_found").click().run()
    table = at.table[0].value
    assert list(table["受付番号"]) == ["001", "002", "003", "004"]

    lot = lottery.for_session(database, session_id)
    clock.move_to(lot.closes_at + timedelta(minutes=5))
    at = open_page("app_pages/bookings.py")
    assert any("【締切（抽選待ち）】" in m.value for m in at.markdown)
    at.text_input(key="attendee_query").input("3100").run()
    at.radio(key="found_attendee").set_value(first)
    at.button(key="apply_found").click().run()
    assert "受付期間は" in texts(at, "error") and "で終わりました" in texts(at, "error")
    at.button(key="lottery_draw").click().run()
    assert "抽選しました。当選 2 人、キャンセル待ち 2 人です。" in texts(at, "success")
    results = list(at.table[0].value["結果"])
    assert results.count("当選") == 2 and results.count("落選（キャンセル待ち）") == 2
    assert "抽選結果（掲示用・受付番号のみ）PDF" in [b.label for b in at.get("download_button")]
    # From now on the page books as usual.
    assert any(b.key == "book_found" for b in at.button)


def test_bad_settings_are_refused_and_nothing_is_set(database, make_session):
    session_id = _setup(database, make_session)
    at = open_page("app_pages/bookings.py")
    start = at.date_input(key="lot_close_date").value
    at.date_input(key="lot_close_date").set_value(start + timedelta(days=5))
    at.button(key="lottery_set").click().run()
    assert "24時間前まで" in texts(at, "error")
    at.date_input(key="lot_open_date").set_value(start + timedelta(days=1))
    at.date_input(key="lot_close_date").set_value(start)
    at.button(key="lottery_set").click().run()
    assert "受付開始は締切より前" in texts(at, "error")
    assert lottery.for_session(database, session_id) is None
    # Values typed stay in the form.
    assert at.date_input(key="lot_close_date").value == start
