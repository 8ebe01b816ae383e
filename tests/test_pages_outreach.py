"""出前講座・出張相談 (AppTest): take a request, warn about a small group, keep what
was typed when refused, and move a request from 受付 to 報告 or 取り下げ."""

from __future__ import annotations

from datetime import timedelta

import db
from db import outreach, volunteers
from db.clock import now_jst
from ui import plain
from tests.conftest import STAFF, open_page, texts, working_day

PAGE = "app_pages/outreach.py"
HOSTILE = "![x](http://example.com/x.gif)"


def stored() -> list[dict]:
    """The requests this test took on the page (the demo centre has its own)."""
    with db.connect() as handle:
        return list(handle.query("select * from outreach_requests where created_by = 'staff' order by id"))


def fill(app, expected=14, phone="090-0000-4321", notes="2階の和室"):
    app.selectbox(key="or_group_kind").set_value("salon")
    app.text_input(key="or_group").input("はなみずき会")
    app.text_input(key="or_contact").input("町田 和子")
    app.text_input(key="or_phone").input(phone)
    app.text_input(key="or_place_name").input("ひまわり会館")
    app.text_input(key="or_place_address").input("テスト市ひまわり1-2")
    app.date_input(key="or_date_1").set_value(working_day(30))
    app.date_input(key="or_date_2").set_value(working_day(40))
    app.number_input(key="or_expected").set_value(expected)
    app.number_input(key="or_iphone").set_value(min(5, expected))
    app.number_input(key="or_loans").set_value(1)
    app.selectbox(key="or_lesson").set_value("line-basics")
    app.text_area(key="or_notes").input(notes)
    return app.button(key="or_submit").click().run()


def test_a_request_is_taken_from_the_form_and_opens(demo_db):
    app = fill(open_page(PAGE))
    assert not app.exception
    (row,) = stored()
    assert (row["group_name"], row["group_kind"], row["contact_phone"], row["expected"], row["iphone"], row["loan_phones"]) == (
        "はなみずき会", "salon", "090-0000-4321", 14, 5, 1
    )
    assert row["lesson_id"] == "line-basics" and row["status"] == "received"
    assert f"依頼を受け付けました（No.{row['id']}）。" in texts(app, "success")
    assert not texts(app, "warning")
    assert app.selectbox(key="or_chosen").value == row["id"]
    assert app.text_input(key="or_group").value == ""  # the form is cleared once saved
    assert "ひまわり会館" in " ".join(" ".join(map(str, t.value.to_numpy().ravel())) for t in app.table)


def test_a_small_group_is_warned_about_and_accepted(demo_db):
    app = fill(open_page(PAGE), expected=6)
    assert len(stored()) == 1
    assert "10人以上" in texts(app, "warning")


def test_a_refused_form_keeps_what_was_typed(demo_db):
    app = fill(open_page(PAGE), phone="090-0000-432")
    assert "電話番号" in texts(app, "error") and stored() == []
    assert app.text_input(key="or_group").value == "はなみずき会"
    assert app.text_area(key="or_notes").value == "2階の和室"
    app = fill(open_page(PAGE), notes="カード 1234 5678 9018")
    assert "マイナンバー" in texts(app, "error") and stored() == []


def test_a_request_goes_from_received_to_reported(demo_db):
    app = fill(open_page(PAGE))
    request_id = stored()[0]["id"]
    key = f"_{request_id}"
    app.button(key="or_arrange" + key).click().run()
    assert stored()[0]["status"] == "arranging"
    with db.connect() as handle:
        lead = volunteers.register_volunteer(handle, STAFF, "応援 花子", "オウエン ハナコ", "090-0000-0191", "promoter", [])
    app.run()
    assert app.date_input(key="or_day" + key).value == working_day(30)  # the first preferred date
    assert app.selectbox(key="or_decide_lesson" + key).value == "line-basics"
    app.text_input(key="or_lead" + key + "_query").input("オウエン").run()
    app.selectbox(key="or_lead" + key).set_value(lead)
    app.button(key="or_decide" + key).click().run()
    assert not texts(app, "error"), texts(app, "error")
    row = stored()[0]
    assert row["status"] == "decided" and row["session_id"]
    with db.connect() as handle:
        shifts = volunteers.list_shifts(handle, row["session_id"])
    assert [(s.volunteer_id, s.role) for s in shifts] == [(lead, "lead")]
    # Marking it held before the day is refused in words.
    app.button(key="or_held" + key).click().run()
    assert "開催日時の前" in texts(app, "error") and stored()[0]["status"] == "decided"
    with db.connect() as handle:
        starts = now_jst() - timedelta(hours=2)
        handle.execute("update sessions set starts_at = ?, ends_at = ? where id = ?",
                       [starts.isoformat(), (starts + timedelta(hours=1)).isoformat(), row["session_id"]])
        handle.conn.commit()
    app.button(key="or_held" + key).click().run()
    assert stored()[0]["status"] == "held"
    app.number_input(key="or_actual" + key).set_value(12)
    app.text_area(key="or_report" + key).input("LINEで写真を送るところまで全員できた")
    app.button(key="or_report_button" + key).click().run()
    row = stored()[0]
    assert (row["status"], row["actual_participants"]) == ("reported", 12)
    assert "報告を保存しました。" in texts(app, "success")


def test_a_request_is_corrected_and_a_refused_correction_keeps_what_was_typed(demo_db):
    app = fill(open_page(PAGE))
    request_id = stored()[0]["id"]
    key = f"_{request_id}"
    assert app.text_input(key="or_edit_phone" + key).value == "090-0000-4321"
    assert app.date_input(key="or_edit_date_2" + key).value == working_day(40)
    app.text_input(key="or_edit_phone" + key).input("090-0000-999")
    app.number_input(key="or_edit_expected" + key).set_value(20)
    app.button(key="or_edit_save" + key).click().run()
    assert "電話番号" in texts(app, "error") and stored()[0]["contact_phone"] == "090-0000-4321"
    assert app.text_input(key="or_edit_phone" + key).value == "090-0000-999"
    assert app.number_input(key="or_edit_expected" + key).value == 20
    app.text_input(key="or_edit_phone" + key).input("090-0000-9999")
    app.text_input(key="or_edit_group" + key).input(HOSTILE)
    app.button(key="or_edit_save" + key).click().run()
    row = stored()[0]
    assert (row["contact_phone"], row["expected"], row["group_name"]) == ("090-0000-9999", 20, HOSTILE)
    assert "依頼の内容を直しました。" in texts(app, "success")
    assert plain.md(HOSTILE) in " ".join(" ".join(map(str, t.value.to_numpy().ravel())) for t in app.table)
    app.button(key="or_edit_save" + key).click().run()
    assert "変わったところはありませんでした。" in texts(app, "success")
    # A new place typed in replaces the one chosen.
    app.text_input(key="or_edit_place_name" + key).input("すみれ集会所")
    app.text_input(key="or_edit_place_address" + key).input("テスト市すみれ2-3")
    app.button(key="or_edit_save" + key).click().run()
    with db.connect() as handle:
        assert outreach.get_request(handle, STAFF, request_id).place_name == "すみれ集会所"
    assert app.selectbox(key="or_edit_place" + key).value.name == "すみれ集会所"
    assert app.text_input(key="or_edit_place_name" + key).value == ""
    # Once decided, the place and the lesson are the session's.
    app.button(key="or_arrange" + key).click().run()
    app.date_input(key="or_day" + key).set_value(working_day(30))
    app.button(key="or_decide" + key).click().run()
    assert stored()[0]["status"] == "decided"
    assert app.selectbox(key="or_edit_lesson" + key).disabled
    assert not [s for s in app.selectbox if s.key == "or_edit_place" + key]
    app.number_input(key="or_edit_loans" + key).set_value(3)
    app.button(key="or_edit_save" + key).click().run()
    assert stored()[0]["loan_phones"] == 3 and not texts(app, "error")


def test_a_correction_saved_by_someone_else_meanwhile_is_not_undone(demo_db):
    app = fill(open_page(PAGE))
    request_id = stored()[0]["id"]
    key = f"_{request_id}"
    app.number_input(key="or_edit_expected" + key).set_value(25)
    with db.connect() as handle:  # a colleague's correction, saved meanwhile
        seen = outreach.get_request(handle, STAFF, request_id)
        outreach.update_request(handle, STAFF, request_id, seen=seen, kind=seen.kind, group_name=seen.group_name,
                                group_kind=seen.group_kind, contact_name=seen.contact_name, contact_phone=seen.contact_phone,
                                preferred_dates=[], expected=seen.expected, iphone=seen.iphone, android=seen.android,
                                other_devices=seen.other_devices, loan_phones=seen.loan_phones, lesson_id=seen.lesson_id,
                                notes="エレベーターあり")
    app.button(key="or_edit_save" + key).click().run()
    assert "ほかの方が変更しました" in texts(app, "error")
    assert (stored()[0]["expected"], stored()[0]["notes"]) == (14, "エレベーターあり")
    assert app.number_input(key="or_edit_expected" + key).value == 25


def test_a_request_is_withdrawn_with_a_reason(demo_db):
    app = fill(open_page(PAGE))
    request_id = stored()[0]["id"]
    key = f"_{request_id}"
    app.button(key="or_withdraw" + key).click().run()
    assert "取り下げの理由" in texts(app, "error") and stored()[0]["status"] == "received"
    app.text_input(key="or_reason" + key).input("会場が使えなくなった")
    app.button(key="or_withdraw" + key).click().run()
    assert stored()[0]["status"] == "withdrawn"
    # Closed requests leave the default list (open ones) but are found under 取り下げ.
    assert "はなみずき会" not in " ".join(" ".join(map(str, t.value.to_numpy().ravel())) for t in app.table)
    app.selectbox(key="or_status").set_value("withdrawn").run()
    assert "はなみずき会" in " ".join(" ".join(map(str, t.value.to_numpy().ravel())) for t in app.table)


def test_the_list_pages_and_finds_by_phone(demo_db):
    with db.connect() as handle:
        place = None
        for n in range(outreach.PAGE_SIZE + 3):
            request_id = outreach.create_request(
                handle, STAFF, place_id=place, place_name="会館", place_address="テスト市1", kind="consult",
                group_name=f"クラブ{n:02d}", group_kind="club", contact_name="連絡 次郎", contact_phone=f"090-0000-{n:04d}",
                preferred_dates=[], expected=10,
            )
            place = place or outreach.get_request(handle, STAFF, request_id).venue_id
        total = outreach.count_requests(handle, STAFF, "open")
    assert total > outreach.PAGE_SIZE
    app = open_page(PAGE)
    assert f"{total} 件（1 / 2 ページ）" in " ".join(c.value for c in app.caption)
    (listing,) = [t for t in app.table if "No." in str(t.value)]
    assert len(listing.value) == outreach.PAGE_SIZE
    app.button(key="or_next").click().run()
    assert f"{total} 件（2 / 2 ページ）" in " ".join(c.value for c in app.caption)
    app.text_input(key="or_query").input("0000-0007").run()
    assert "1 件（1 / 1 ページ）" in " ".join(c.value for c in app.caption)


def test_markup_in_a_group_name_is_shown_as_text(demo_db):
    with db.connect() as handle:
        outreach.create_request(
            handle, STAFF, place_name="**会館**", place_address="テスト市", kind="lecture", group_name=HOSTILE,
            group_kind="other", contact_name="連絡 三郎", contact_phone="090-0000-0303", preferred_dates=[], expected=10,
        )
    app = open_page(PAGE)
    (listing,) = [t for t in app.table if "No." in str(t.value)]
    shown = listing.value["団体"].tolist()
    assert plain.md(HOSTILE) in shown and HOSTILE not in shown


def test_an_admin_erases_a_contact_on_request(demo_db):
    from db.permissions import Actor

    app = fill(open_page(PAGE))
    request_id = stored()[0]["id"]
    app = open_page("app_pages/retention.py", Actor("admin", "admin"))
    app.text_input(key="contact_query").input("4321").run()
    assert app.selectbox(key="contact_target").value == request_id
    app.button(key="erase_contact").click().run()
    assert "確認のチェック" in texts(app, "error") and stored()[0]["contact_name"] != "（削除済み）"
    app.checkbox(key="confirm_contact").check()
    app.button(key="erase_contact").click().run()
    assert "連絡先を削除しました。" in texts(app, "success")
    row = stored()[0]
    assert (row["contact_name"], row["contact_phone"], row["notes"]) == ("（削除済み）", None, "")
    assert row["group_name"] == "はなみずき会"
    # Once erased it is no longer offered.
    app.text_input(key="contact_query").input("はなみずき").run()
    assert "見つかりません" in texts(app, "warning")
