"""AppTest for sign-in, set-up, idle timeout, the volunteer's page and admin pages."""

from __future__ import annotations

import db
from db import accounts, backup, volunteers
from db.permissions import Actor
from tests.conftest import run_app as app
from tests.conftest import texts

ADMIN = Actor("admin", "admin")


def test_brand_new_database_shows_set_up_until_an_admin_exists(db_path):
    at = app()
    assert at.title[0].value == "はじめの設定"
    at.text_input(key="setup_username").input("kanri")
    at.text_input(key="setup_password").input("short")
    at.text_input(key="setup_password2").input("short")
    at.button(key="setup_submit").click().run()
    assert "10文字以上" in texts(at, "error")
    at.text_input(key="setup_password").input("kawasemi-no-hane-42")
    at.text_input(key="setup_password2").input("kawasemi-no-hane-42")
    at.button(key="setup_submit").click().run()
    assert at.session_state["actor"] == Actor("kanri", "admin")
    assert "管理者アカウントを作りました" in texts(at, "success")
    assert at.title[0].value.startswith("今日")
    assert app().title[0].value == "サインイン"  # a new browser session: no set-up page any more


def test_sign_in_with_demo_account_and_wrong_password(demo_db):
    at = app()
    assert at.title[0].value == "サインイン"
    at.text_input(key="login_username").input("staff")
    at.text_input(key="login_password").input("not-the-password")
    at.button(key="login_submit").click().run()
    assert "ユーザー名またはパスワードが違います" in texts(at, "error")
    assert at.text_input(key="login_password").value == ""
    at.text_input(key="login_password").input("midori-madoguchi-2026")
    at.button(key="login_submit").click().run()
    assert at.session_state["actor"].role == "staff"
    assert at.title[0].value.startswith("今日")


def test_fifth_failure_says_the_account_is_locked(demo_db):
    at = app()
    for _ in range(5):
        at.text_input(key="login_username").input("staff")
        at.text_input(key="login_password").input("not-the-password")
        at.button(key="login_submit").click().run()
    assert "この端末からは一時的にサインインできません" in texts(at, "error")


def test_idle_session_is_signed_out(demo_db):
    at = app(Actor("staff", "staff"), idle_s=31 * 60)
    assert at.title[0].value == "サインイン"
    assert "操作がなかったため、サインアウトしました" in texts(at, "info")
    with db.connect() as handle:
        ended = handle.execute("select user, detail from audit_log where action = 'end_sign_in'").fetchone()
    assert ended == ("system", '{"reason": "idle"}')
    assert app(Actor("staff", "staff"), idle_s=29 * 60).title[0].value.startswith("今日")


def test_sign_out_button(demo_db):
    at = app(Actor("staff", "staff"))
    at.button(key="sign_out").click().run()
    assert "actor" not in at.session_state
    assert at.title[0].value == "サインイン"
    with db.connect() as handle:
        assert handle.execute("select user from audit_log where action = 'sign_out'").fetchone() == ("staff",)


def test_volunteer_sees_own_roster_without_phones_and_takes_an_open_shift(demo_db):
    with db.connect() as handle:
        volunteer_id = handle.execute("select volunteer_id from users where username = 'tanaka'").fetchone()[0]
    who = Actor("tanaka", "volunteer", volunteer_id)
    at = app(who)
    assert at.title[0].value == "わたしの予定"
    roster = at.table[0].value
    assert list(roster.columns) == ["氏名", "フリガナ", "機種"]
    assert "090-0000" not in roster.to_string()
    take = [b for b in at.button if b.key and b.key.startswith("take_")]
    assert take
    session_id = int(take[0].key.removeprefix("take_"))
    take[0].click().run()
    assert "担当を引き受けました。" in texts(at, "success")
    with db.connect() as handle:
        shifts = [s.volunteer_id for s in __import__("db.volunteers").volunteers.list_shifts(handle, session_id)]
    assert volunteer_id in shifts


def test_volunteer_opening_a_staff_page_is_refused(demo_db):
    at = app(Actor("tanaka", "volunteer", 1))
    at.switch_page("app_pages/bookings.py").run()
    assert "このページを見る権限がありません" in texts(at, "error")
    assert not at.dataframe and not at.table


def test_admin_creates_an_account_and_resets_a_password(demo_db):
    at = app(ADMIN)
    at.switch_page("app_pages/accounts.py").run()
    at.text_input(key="acc_username").input("madoguchi2")
    at.text_input(key="acc_password").input("password123")
    at.button(key="acc_submit").click().run()
    assert "推測されやすい" in texts(at, "error")
    at.text_input(key="acc_password").input("kawasemi-no-hane-42")
    at.button(key="acc_submit").click().run()
    assert "アカウントを作りました。" in texts(at, "success")
    assert "madoguchi2" in list(at.dataframe[0].value["ユーザー名"])
    with db.connect() as handle:
        assert accounts.authenticate(handle, "madoguchi2", "kawasemi-no-hane-42").role == "staff"


def test_admin_browses_and_filters_the_audit_log(demo_db):
    at = app(ADMIN)
    at.switch_page("app_pages/audit.py").run()
    assert len(at.dataframe[0].value) > 10
    at.selectbox(key="audit_action").set_value("book").run()
    assert set(at.dataframe[0].value["操作"]) == {"予約"}


def test_admin_erases_a_resident_on_request(demo_db):
    at = app(ADMIN)
    at.switch_page("app_pages/retention.py").run()
    at.text_input(key="erase_query").input("ｱｵｷ").run()
    at.button(key="anonymise_request").click().run()
    assert "確認のチェック" in texts(at, "error")
    at.checkbox(key="confirm_request").check()
    at.button(key="anonymise_request").click().run()
    assert "1 人の個人情報を削除しました。" in texts(at, "success")
    with db.connect() as handle:
        assert handle.execute("select count(*) from attendees where name like '青木%'").fetchone()[0] == 0


def test_admin_takes_a_backup_now(demo_db):
    at = app(ADMIN)
    at.switch_page("app_pages/backups.py").run()
    before = len(backup.list_backups(backup.backup_dir(demo_db)))
    at.button(key="backup_now").click().run()
    assert "バックアップを作りました" in texts(at, "success")
    assert len(backup.list_backups(backup.backup_dir(demo_db))) == before + 1


def test_admin_saves_settings_and_adds_a_closure(demo_db):
    at = app(ADMIN)
    at.switch_page("app_pages/venues.py").run()
    at.text_input(key="set_centre_phone").input("12")
    at.button(key="settings_submit").click().run()
    assert "電話番号の形" in texts(at, "error")
    at.text_input(key="set_centre_phone").input("0300000001")
    at.button(key="settings_submit").click().run()
    assert "設定を保存しました。" in texts(at, "success")
    at.text_input(key="closure_reason").input("館内点検")
    at.button(key="closure_submit").click().run()
    assert "休館日を登録しました。" in texts(at, "success")
    with db.connect() as handle:
        assert handle["closures"].count == 1
        assert __import__("db.settings").settings.get_settings(handle).centre_phone == "03-0000-0001"


def test_change_own_password_page(demo_db):
    at = app(Actor("staff", "staff"))
    at.switch_page("app_pages/account.py").run()
    at.text_input(key="pw_current").input("midori-madoguchi-2026")
    at.text_input(key="pw_new").input("hoshizora-no-michi-8")
    at.text_input(key="pw_new2").input("hoshizora-no-michi-8")
    at.button(key="pw_submit").click().run()
    assert "パスワードを変更しました。" in texts(at, "success")
    # Every sign-in of the account ends with the old password, this one too.
    assert "新しいパスワードでサインインしてください" in texts(at, "info")
    assert at.title[0].value == "サインイン"
    at.text_input(key="login_username").input("staff")
    at.text_input(key="login_password").input("hoshizora-no-michi-8")
    at.button(key="login_submit").click().run()
    assert at.session_state["actor"].username == "staff"


def test_volunteer_sets_their_own_availability(demo_db):
    from datetime import time as clock_time

    with db.connect() as handle:
        volunteer_id = handle.execute("select volunteer_id from users where username = 'tanaka'").fetchone()[0]
    at = app(Actor("tanaka", "volunteer", volunteer_id))
    prefix = f"avail_{volunteer_id}"
    at.checkbox(key=f"{prefix}_on_2").check()
    at.time_input(key=f"{prefix}_from_2").set_value(clock_time(9, 30))
    at.time_input(key=f"{prefix}_to_2").set_value(clock_time(12, 0))
    at.button(key=f"{prefix}_save").click().run()
    assert "活動可能日を保存しました。" in texts(at, "success")
    with db.connect() as handle:
        slots = __import__("db.volunteers").volunteers.weekly_availability(handle, volunteer_id)
    assert [(s.weekday, s.starts, s.ends) for s in slots] == [(2, clock_time(9, 30), clock_time(12, 0))]


def test_volunteer_can_download_their_shifts_as_a_calendar(demo_db):
    with db.connect() as handle:
        volunteer_id = handle.execute("select volunteer_id from users where username = 'tanaka'").fetchone()[0]
    at = app(Actor("tanaka", "volunteer", volunteer_id))
    assert "わたしの予定をカレンダーに入れる（.ics）" in [b.label for b in at.get("download_button")]


def test_volunteer_issues_and_stops_a_calendar_subscription(demo_db):
    from serve import feed_body

    with db.connect() as handle:
        volunteer_id = handle.execute("select volunteer_id from users where username = 'tanaka'").fetchone()[0]
    at = app(Actor("tanaka", "volunteer", volunteer_id))
    assert at.metric[0].value == "0分", "the demo has no held sessions yet"
    at.button(key="feed_issue").click().run()
    assert "購読用のURLを発行しました。" in texts(at, "success")
    url = at.code[0].value
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert url.startswith("http") and "/calendar/" in url
    assert feed_body(token) is not None
    at.button(key="feed_revoke").click().run()
    assert "購読用のURLを止めました" in texts(at, "success")
    assert not at.code
    assert feed_body(token) is None


def test_open_shifts_come_ten_to_a_page_nearest_first(demo_db):
    # A city has a hundred understaffed classes at a time: the volunteer pages
    # through them rather than scrolling past a hundred buttons (issue 12).
    import lessons
    from datetime import timedelta

    from db import sessions
    from tests.conftest import STAFF_USER, at as jst, working_day

    with db.connect() as handle:
        volunteer_id = handle.execute("select volunteer_id from users where username = 'tanaka'").fetchone()[0]
        room = handle.execute("select id from rooms order by id limit 1").fetchone()[0]
        for n in range(14):
            start = jst(working_day(90 + n), 9 + 2 * (n % 4))
            sessions.create_session(handle, STAFF_USER, next(iter(lessons.catalogue())), room, start, start + timedelta(minutes=90), 12)
        handle.execute("update sessions set helpers_needed = 5")
        handle.conn.commit()
        wanted = [s.id for s in volunteers.open_shifts(handle, Actor("tanaka", "volunteer", volunteer_id))]
    assert len(wanted) > 10
    at = app(Actor("tanaka", "volunteer", volunteer_id))
    shown = [int(b.key.removeprefix("take_")) for b in at.button if b.key and b.key.startswith("take_")]
    assert shown == wanted[:10] and f"近い順に {len(wanted)} 回" in texts(at, "caption")
    at.number_input(key="open_shifts_page").set_value(2).run()
    shown = [int(b.key.removeprefix("take_")) for b in at.button if b.key and b.key.startswith("take_")]
    assert shown == wanted[10:20]
