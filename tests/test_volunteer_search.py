"""Thousands of volunteers: found by search, listed page by page, and only the
open tab of the ボランティア page is computed."""

from __future__ import annotations

import pytest

import db
from db import volunteers
from tests.conftest import open_page


@pytest.fixture
def crowd(demo_db):
    """120 more volunteers: ヤマダ 001…120, phones 080-0000-0001…0120; every tenth inactive."""
    with db.connect() as handle:
        handle["volunteers"].insert_all(
            {"name": f"山田\u3000{n:03d}", "name_kana": f"ヤマダ\u3000{n:03d}", "phone": f"080-0000-{n:04d}",
             "kind": "student", "skills": "[]", "active": int(n % 10 != 0)}
            for n in range(1, 121)
        )
        handle.conn.commit()
    return demo_db


def test_volunteers_are_found_by_name_kana_or_phone(crowd):
    with db.connect() as handle:
        assert [v.name for v in volunteers.find_volunteers(handle, "田中")] == ["田中\u3000美咲"]
        assert [v.name for v in volunteers.find_volunteers(handle, "たなか みさき")] == ["田中\u3000美咲"]
        assert [v.phone for v in volunteers.find_volunteers(handle, "０８０００００００４２")] == ["080-0000-0042"]
        assert volunteers.count_volunteers(handle, "ヤマダ") == 120
        assert volunteers.count_volunteers(handle, "ヤマダ", active_only=True) == 108
        second = volunteers.find_volunteers(handle, "やまだ", limit=50, offset=50)
        assert (second[0].name_kana, len(second)) == ("ヤマダ\u3000051", 50)
        assert volunteers.find_volunteers(handle, "存在しない名前") == []


def test_the_list_shows_one_page_at_a_time_and_searches(crowd):
    at = open_page("app_pages/volunteers.py")
    at.session_state["volunteer_tab"] = "ボランティア一覧"
    at.run()
    assert len(at.table[0].value) == volunteers.PAGE_SIZE
    assert "124 人中 1〜50 人目" in [c.value for c in at.caption]
    at.number_input(key="vol_list_page").set_value(3).run()
    assert len(at.table[0].value) == 24
    at.text_input(key="vol_list_query").input("やまだ 11").run()
    assert list(at.table[0].value["氏名"]) == [f"山田\u3000{n}" for n in range(110, 120)]


def test_a_volunteer_is_picked_by_searching_and_other_tabs_are_not_drawn(crowd):
    at = open_page("app_pages/volunteers.py")
    at.session_state["volunteer_tab"] = "活動時間・証明書"
    at.run()
    assert len(at.selectbox(key="hours_volunteer").options) == 20
    at.text_input(key="hours_volunteer_query").input("080-0000-0042").run()
    assert at.selectbox(key="hours_volunteer").options == ["山田\u3000042（学生・得意分野なし）"]
    keys = {w.key for w in at.text_input} | {w.key for w in at.selectbox}
    assert "vol_name" not in keys and "vol_list_query" not in keys and "assign_pick" not in keys


def test_a_volunteer_account_links_a_volunteer_found_by_searching(crowd):
    from db.permissions import Actor

    at = open_page("app_pages/accounts.py", Actor("admin", "admin"))
    assert len(at.selectbox(key="acc_volunteer").options) == 20
    at.text_input(key="acc_volunteer_query").input("ヤマダ 007").run()
    assert at.selectbox(key="acc_volunteer").options == ["山田\u3000007"]
