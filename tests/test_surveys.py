"""受講後アンケート (issue 17, item 4): entry rules, privacy, figures, targets,
the sheet as printed, and the アンケート page."""

from __future__ import annotations

import dataclasses
import io
from datetime import timedelta

import pdfplumber
import pypdfium2
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

import lessons
from db import attendees, bookings, retention, sessions, surveys
from db.errors import InvalidInput, NotFound
from db.guard import MyNumberRejected, check_digit
from db.permissions import Actor, PermissionDenied
from db.surveys import SheetInput, TooManySheets
from printouts.model import REGISTERS, Centre
from printouts.survey_sheet import render_survey_sheets
from tests.conftest import ADMIN, STAFF, open_page, texts
from views import session_pack, surveys as survey_view

NUMBERS = {lid: n for n, lid in surveys.numbered_lessons()}
ON_SHEET = sorted(NUMBERS.values())
VOLUNTEER = Actor("suishin", "volunteer", 1)


def my_number(first_11: str = "12345678901") -> str:
    return first_11 + str(check_digit(first_11))


@pytest.fixture
def held(database, make_session, clock):
    """A class of 4 that began 30 minutes ago, three attendees marked 出席 and one 欠席.
    Returns (session id, [attendee ids])."""
    session_id = make_session(capacity=4, lesson_id="line-basics")
    people = [
        attendees.register_attendee(database, STAFF, name, kana, f"090-0000-07{n:02d}", True, allow_duplicate=True)
        for n, (name, kana) in enumerate([("山田 花子", "ヤマダ ハナコ"), ("鈴木 一郎", "スズキ イチロウ"), ("佐藤 和子", "サトウ カズコ"), ("田中 茂", "タナカ シゲル")])
    ]
    booked = [bookings.book(database, STAFF, session_id, p) for p in people]
    clock.move_to(sessions.get_session(database, session_id).starts_at + timedelta(minutes=30))
    for booking_id, mark in zip(booked, ["attended", "attended", "late", "absent"]):
        bookings.mark_attendance(database, STAFF, booking_id, mark)
    return session_id, people


def test_a_pile_is_saved_and_counted(database, held):
    session_id, _people = held
    saved = surveys.enter_sheets(
        database, STAFF, session_id,
        [SheetInput(5, 4, "3 12", "とても分かりやすかった"), SheetInput(4, 5, "12"), SheetInput(2, None, "")],
    )
    assert saved == 3
    result = surveys.summary(database, STAFF, session_id=session_id)
    assert result.answers == 3
    assert result.understanding == {5: 1, 4: 1, 3: 0, 2: 1, 1: 0}
    assert result.satisfaction_blank == 1
    assert result.understood == 2 and result.understood_share == pytest.approx(2 / 3)
    assert result.satisfied_share == 1.0
    assert [(w.lesson_id, w.count) for w in result.wishes] == [("myna-app", 2), ("web-search", 1)]
    assert result.comments == 1
    rows = surveys.list_surveys(database, STAFF, session_id)
    assert rows[0].wishes == ("web-search", "myna-app") and rows[0].name == ""
    last = database.execute("select action, detail from audit_log order by id desc limit 1").fetchone()
    assert last[0] == "enter_surveys" and "とても" not in last[1]


def test_one_bad_sheet_saves_nothing_and_names_its_row(database, held):
    session_id, _people = held
    with pytest.raises(InvalidInput, match="2枚目：理解度は1〜5"):
        surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 5), SheetInput(6, 5)])
    assert database["surveys"].count == 0 and database["survey_wishes"].count == 0


@pytest.mark.parametrize(
    "sheet, message",
    [
        (SheetInput(None, 0), "満足度は1〜5"),
        (SheetInput(3, 3, "3 99"), "用紙の番号"),
        (SheetInput(3, 3, "LINE"), "用紙の番号"),
        (SheetInput(), "何も記入されていない"),
        (SheetInput(3, 3, "", "あ" * (surveys.COMMENT_MAX + 1)), "500文字以内"),
        (SheetInput(3, 3, "", "", "存在 しない人"), "この回の予約にいません"),
    ],
)
def test_refused_sheets(database, held, sheet, message):
    session_id, _people = held
    with pytest.raises(InvalidInput, match=message):
        surveys.enter_sheets(database, STAFF, session_id, [sheet])
    assert database["surveys"].count == 0


@pytest.mark.parametrize("layout", ["{a} {b} {c}", "{a}-{b}-{c}", "{a}{b}{c}", "ｍｙ：{a}　{b}　{c}"])
def test_a_my_number_in_the_comment_is_refused(database, held, layout):
    session_id, _people = held
    number = my_number()
    text = "番号は" + layout.format(a=number[:4], b=number[4:8], c=number[8:])
    with pytest.raises(MyNumberRejected, match="1枚目：「ご意見・ご感想」に、マイナンバー"):
        surveys.enter_sheets(database, STAFF, session_id, [SheetInput(4, 4, "", text)])
    assert database["surveys"].count == 0


def test_a_written_name_links_the_answer_and_is_not_stored(database, held):
    session_id, people = held
    surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 5, "", "", "やまだ　はなこ"), SheetInput(4, 4, "", "", "鈴木一郎"), SheetInput(3, 3)])
    linked = [r[0] for r in database.execute("select attendee_id from surveys order by id")]
    assert linked == [people[0], people[1], None]
    columns = {c.name for c in database["surveys"].columns}
    assert "name" not in columns
    assert [r.name for r in surveys.list_surveys(database, STAFF, session_id)] == ["山田\u3000花子", "鈴木\u3000一郎", ""]


def test_one_answer_per_attendee_and_session(database, held):
    session_id, _people = held
    with pytest.raises(InvalidInput, match="2枚目：同じ方の回答"):
        surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 5, "", "", "山田 花子"), SheetInput(4, 4, "", "", "ヤマダ ハナコ")])
    surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 5, "", "", "山田 花子")])
    with pytest.raises(InvalidInput, match="同じ方の回答"):
        surveys.enter_sheets(database, STAFF, session_id, [SheetInput(4, 4, "", "", "山田花子")])


def test_never_more_sheets_than_attendees_marked_present(database, held):
    session_id, _people = held
    surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 5), SheetInput(4, 4)])
    with pytest.raises(TooManySheets, match="出席は3人"):
        surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 5), SheetInput(4, 4)])
    assert surveys.enter_sheets(database, STAFF, session_id, [SheetInput(3, 3)]) == 1


def test_sessions_not_started_or_cancelled_take_no_sheets(database, make_session):
    future = make_session()
    with pytest.raises(InvalidInput, match="まだ始まっていない回"):
        surveys.enter_sheets(database, STAFF, future, [SheetInput(5, 5)])
    sessions.cancel_session(database, STAFF, future, "講師の体調不良")
    with pytest.raises(InvalidInput, match="中止した回"):
        surveys.enter_sheets(database, STAFF, future, [SheetInput(5, 5)])
    with pytest.raises(NotFound):
        surveys.enter_sheets(database, STAFF, 9999, [SheetInput(5, 5)])


def test_volunteers_may_not_key_or_read(database, held):
    session_id, _people = held
    with pytest.raises(PermissionDenied):
        surveys.enter_sheets(database, VOLUNTEER, session_id, [SheetInput(5, 5)])
    with pytest.raises(PermissionDenied):
        surveys.summary(database, VOLUNTEER, session_id=session_id)


def test_taking_back_a_sheet(database, held):
    session_id, _people = held
    surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 5, "1 2"), SheetInput(1, 1)])
    first = surveys.list_surveys(database, STAFF, session_id)[0].id
    surveys.delete_survey(database, STAFF, first)
    assert [r.understanding for r in surveys.list_surveys(database, STAFF, session_id)] == [1]
    assert database["survey_wishes"].count == 0
    with pytest.raises(NotFound):
        surveys.delete_survey(database, STAFF, first)


def test_erasing_a_resident_erases_their_comment_only(database, held):
    session_id, people = held
    surveys.enter_sheets(
        database, STAFF, session_id,
        [SheetInput(5, 5, "1", "孫に教わります", "山田 花子"), SheetInput(4, 4, "", "無記名の感想")],
    )
    retention.anonymise(database, ADMIN, [people[0]], "request")
    comments = [r[0] for r in database.execute("select comment from surveys order by id")]
    assert comments == ["", "無記名の感想"]
    assert surveys.summary(database, STAFF, session_id=session_id).answers == 2


def test_per_lesson_and_per_year(database, held):
    session_id, _people = held
    surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 2), SheetInput(3, 5)])
    year = sessions.get_session(database, session_id).starts_at
    fiscal_year = year.year if year.month >= 4 else year.year - 1
    [row] = surveys.by_lesson(database, STAFF, fiscal_year)
    assert (row.lesson_id, row.sessions, row.answers, row.understood_share, row.satisfied_share) == ("line-basics", 1, 2, 0.5, 0.5)
    assert surveys.summary(database, STAFF, fiscal_year=fiscal_year, lesson_id="phone-basics").answers == 0
    assert surveys.summary(database, STAFF, fiscal_year=fiscal_year - 1).answers == 0


def test_targets(database, held):
    session_id, _people = held
    surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 5), SheetInput(4, 2), SheetInput(1, 5)])
    with pytest.raises(PermissionDenied):
        surveys.set_target(database, STAFF, 2027, "survey_understood", 80)
    for bad in (101, -1, 80.5, True, "80"):
        with pytest.raises(InvalidInput):
            surveys.set_target(database, ADMIN, 2027, "survey_understood", bad)
    with pytest.raises(InvalidInput):
        surveys.set_target(database, ADMIN, 2027, "attendances", 80)
    surveys.set_target(database, ADMIN, 2027, "survey_understood", 80)
    surveys.set_target(database, ADMIN, 2027, "survey_satisfied", 70)
    goals = surveys.targets(database, STAFF, 2027)
    assert goals == {"survey_understood": 80, "survey_satisfied": 70}
    # The other 成果目標 are not disturbed by the survey's.
    from db import reports

    assert reports.targets(database, STAFF, 2027) == {}
    progress = surveys.progress(goals, surveys.summary(database, STAFF, fiscal_year=2027))
    assert [(p.metric, p.target, p.actual) for p in progress] == [("survey_understood", 80, 66), ("survey_satisfied", 70, 66)]
    rows = survey_view.target_table(progress).rows
    assert rows[0][1:4] == ("80%", "66%", "82.5%") and rows[0][4] == "概ね順調（80%以上）"
    surveys.set_target(database, ADMIN, 2027, "survey_satisfied", None)
    assert surveys.targets(database, STAFF, 2027) == {"survey_understood": 80}


@given(st.one_of(st.none(), st.integers(-10, 10), st.floats(allow_nan=True), st.booleans(), st.text(max_size=3)))
def test_check_level_accepts_exactly_blank_and_1_to_5(value):
    whole = isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and value.is_integer()
    if value is None or (isinstance(value, float) and value != value):
        assert surveys.check_level(value, "understanding") is None
    elif whole and 1 <= value <= 5:
        assert surveys.check_level(value, "understanding") == int(value)
    else:
        with pytest.raises(InvalidInput, match="理解度は1〜5"):
            surveys.check_level(value, "understanding")


@given(st.lists(st.sampled_from(ON_SHEET), max_size=8), st.lists(st.sampled_from([" ", "、", ",", "　", "・", "  ", "，"]), min_size=8, max_size=8), st.booleans())
def test_parse_wishes_reads_any_separator_and_width(numbers, separators, wide):
    text = "".join(f"{n}{sep}" for n, sep in zip(numbers, separators))
    if wide:
        text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    result = surveys.parse_wishes(text)
    assert set(result) == {lid for lid, n in NUMBERS.items() if n in numbers}
    assert list(result) == [lid for lid in lessons.catalogue() if lid in result]


@given(st.text(min_size=1, max_size=6).filter(lambda t: any(c.isalpha() for c in t) or t.strip().lstrip("0") == ""))
@hsettings(suppress_health_check=[HealthCheck.filter_too_much])
def test_parse_wishes_refuses_what_is_not_on_the_sheet(piece):
    tokens = [p for p in surveys._WISH_SPLIT.split(__import__("unicodedata").normalize("NFKC", piece)) if p]
    valid = all(t.isdigit() and int(t) in ON_SHEET for t in tokens)
    if valid:
        surveys.parse_wishes(piece)
    else:
        with pytest.raises(InvalidInput, match="用紙の番号"):
            surveys.parse_wishes(piece)


def test_a_lesson_added_by_a_deploy_leaves_printed_sheets_meaning_the_same(monkeypatch):
    # Sheets printed last month are keyed after a deploy that put a new lesson
    # first in the catalogue: each number still means the lesson it meant.
    shipped = lessons.catalogue()
    before = surveys.parse_wishes("1 5 12")
    first = next(iter(shipped.values()))
    added = dataclasses.replace(first, id="new-lesson", order=first.order - 1, sheet_number=max(ON_SHEET) + 1)
    monkeypatch.setattr(lessons, "catalogue", lambda: {"new-lesson": added, **shipped})
    assert surveys.parse_wishes("1 5 12") == before
    assert surveys.parse_wishes(f"1 {added.sheet_number}") == ("new-lesson", before[0])
    from printouts.model import SessionInfo
    from tests.conftest import at, working_day

    day = working_day()
    sheet = survey_view.sheet(first, SessionInfo(at(day, 10), at(day, 11), "第1会議室", "中央公民館"))
    assert sheet.lessons[:2] == ((added.sheet_number, first.short_title), (1, first.short_title))


def test_the_number_of_a_lesson_taken_out_still_reads_as_that_lesson(monkeypatch):
    # A sheet printed before a deploy that took lesson 20 out is keyed after it.
    shipped = lessons.catalogue()
    gone = next(lid for lid, n in NUMBERS.items() if n == 20)
    monkeypatch.setattr(lessons, "catalogue", lambda: {k: v for k, v in shipped.items() if k != gone})
    monkeypatch.setattr(lessons, "RETIRED_SHEET_NUMBERS", {20: gone})
    assert surveys.parse_wishes("20 1") == (next(iter(shipped)), gone)
    assert 20 not in dict(surveys.numbered_lessons())


# ---------------------------------------------------------------- the sheet


def _pdf_pages(pdf: bytes):
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [(page.extract_text() or "", [c["size"] for c in page.chars]) for page in doc.pages]


def _columns_text(pdf: bytes) -> str:
    """The text read column by column (the lesson list is two columns), no spaces."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        halves = [page.crop((x0, 0, x1, page.height)) for page in doc.pages for x0, x1 in ((0, page.width / 2), (page.width / 2, page.width))]
        return "".join((half.extract_text() or "") for half in halves).replace("\n", "").replace(" ", "")


def _boxes(pdf: bytes) -> list[str]:
    """The text of each ruled box (the levels are boxes), spaces and breaks removed."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [
            "".join(cell for cell in row if cell).replace("\n", "").replace(" ", "")
            for page in doc.pages for table in page.extract_tables() for row in table
        ] + [
            (cell or "").replace("\n", "").replace(" ", "")
            for page in doc.pages for table in page.extract_tables() for row in table for cell in row
        ]


@pytest.mark.parametrize("body_pt", [16, 24])
@pytest.mark.parametrize("register", REGISTERS)
def test_the_sheet_prints_words_numbers_and_every_lesson(register, body_pt):
    lesson = lessons.catalogue()["line-basics"]
    from printouts.model import SessionInfo
    from tests.conftest import at, working_day

    day = working_day()
    info = SessionInfo(at(day, 10), at(day, 11, 30), "第1会議室", "中央公民館")
    pdf = render_survey_sheets([survey_view.sheet(lesson, info, register)], Centre("テスト公民館", "03-0000-0000"), body_pt)
    pages = _pdf_pages(pdf)
    # At 16 pt both sides of one A4 sheet; in large print at most three sheets.
    assert len(pages) == 2 if body_pt == 16 else 3 <= len(pages) <= 6
    text = "".join(t for t, _sizes in pages).replace("\n", "").replace(" ", "")
    boxes, columns = _boxes(pdf), _columns_text(pdf)
    for question in ("understanding", "satisfaction"):
        for level, words in survey_view.scale_words(question, register):
            if register != "easy":  # easy words carry ruby between their characters
                assert any(box.startswith(f"{level}{words.replace(' ', '')}") for box in boxes), (level, words)
    for item in lessons.catalogue().values():
        assert str(item.sheet_number) in text
        if register != "easy":
            # Two columns, or one when a word would not fit half the line.
            title = item.text(register).short_title.replace(" ", "")
            assert title in columns or title in text, title
    assert "03-0000-0000" in text
    for _text, sizes in pages:
        # ふりがな is half its word's size (JIS X 4051); every other character is ≥ 16 pt.
        present = set(sizes)
        body = [s for s in sizes if register != "easy" or not any(abs(2 * s - t) < 0.5 for t in present)]
        assert body and min(body) >= 16 - 1e-6
    doc = pypdfium2.PdfDocument(pdf)
    assert all(page.get_size() == pytest.approx((595.28, 841.89), abs=0.5) for page in doc)  # A4 portrait


def test_the_session_pack_prints_one_sheet_per_booked_person_without_names(database, make_session):
    session_id = make_session(capacity=3, lesson_id="line-basics")
    a = attendees.register_attendee(database, STAFF, "山田 花子", "ヤマダ ハナコ", "090-0000-0801", True)
    b = attendees.register_attendee(database, STAFF, "鈴木 一郎", "スズキ イチロウ", "090-0000-0802", True, needs=[attendees.EASY_JAPANESE])
    for person in (a, b):
        bookings.book(database, STAFF, session_id, person)
    session = sessions.get_session(database, session_id)
    seated = bookings.list_bookings(database, STAFF, session_id)
    sheets = session_pack.survey_sheets(lessons.catalogue()["line-basics"], session, seated)
    assert sorted(s.register for s in sheets) == ["easy", "standard"]
    text = "".join(t for t, _s in _pdf_pages(render_survey_sheets(sheets, Centre("テスト", "03-0000-0000"))))
    assert "山田" not in text and "鈴木" not in text
    assert text.count("1/2ページ") == 2


# ---------------------------------------------------------------- the page


@pytest.fixture
def signed_up(database):
    """The centre has its first administrator, so the app shows its pages."""
    from db import accounts

    accounts.create_user(database, ADMIN, "kanri", "hoshi-no-umi-2027", "admin")


def _grid(at):
    [editor] = at.data_editor
    return editor.key


def test_the_page_saves_a_keyed_pile_and_shows_the_results(database, held, signed_up):
    session_id, _people = held
    at = open_page("app_pages/surveys.py")
    assert [e.editing_mode for e in at.data_editor] == ["dynamic"]
    key = _grid(at)
    at.session_state[key] = {
        "edited_rows": {},
        "added_rows": [
            {"understanding": 5, "satisfaction": 4, "wishes": "3 12", "comment": "よくわかりました"},
            {},
            {"understanding": 4, "satisfaction": 5, "name": "山田 花子"},
        ],
        "deleted_rows": [],
    }
    at.button(key="survey_save").click().run()
    assert not at.exception
    assert "アンケート 2 枚を保存しました" in texts(at, "success")
    assert database["surveys"].count == 2
    assert "入力済みの用紙（2 枚）" in " ".join(h.value for h in at.subheader)
    assert _grid(at) != key  # a fresh grid for the next pile
    [entered] = [d.value for d in at.dataframe if d.editing_mode == "read_only"]
    assert entered["ご意見・ご感想"].tolist() == ["よくわかりました", ""]
    assert entered["お名前"].tolist() == ["無記名", "山田\u3000花子"]
    assert entered["次に学びたいこと"].tolist() == ["3 12", ""]


def test_the_page_refuses_a_bad_pile_and_keeps_it(database, held, signed_up):
    _session_id, _people = held
    at = open_page("app_pages/surveys.py")
    key = _grid(at)
    number = my_number()
    edits = {"edited_rows": {}, "added_rows": [{"understanding": 5}, {"understanding": 3, "comment": f"番号 {number}"}], "deleted_rows": []}
    at.session_state[key] = edits
    at.button(key="survey_save").click().run()
    assert "2枚目：「ご意見・ご感想」に、マイナンバー" in texts(at, "error")
    assert database["surveys"].count == 0
    assert _grid(at) == key and at.session_state[key]["added_rows"] == edits["added_rows"]


def test_admins_set_survey_targets_on_the_reports_page(database, held, signed_up):
    session_id, _people = held
    surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 5), SheetInput(2, 4)])
    at = open_page("app_pages/reports.py", Actor("admin", "admin"))
    at.segmented_control(key="rep_section").set_value("survey").run()
    assert not at.exception
    year = at.selectbox(key="rep_year").value
    at.number_input(key=f"survey_target_{year}_survey_understood").set_value(80)
    at.button(key="survey_targets_save").click().run()
    assert not at.exception
    assert surveys.targets(database, STAFF, year) == {"survey_understood": 80}
    tables = " ".join(t.value.to_string() for t in at.table)
    assert "理解度4〜5の割合" in tables and "50.0%" in tables


def test_hostile_comments_and_names_are_shown_as_text(database, clock):
    from tests.test_shown_as_text import NAMES, NOTE, assert_nothing_formatted, seed

    hostile = seed(database)
    session_id = hostile["session"]
    clock.move_to(sessions.get_session(database, session_id).starts_at + timedelta(minutes=5))
    for booking in bookings.list_bookings(database, STAFF, session_id):
        bookings.mark_attendance(database, STAFF, booking.id, "attended")
    surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 5, "1", NOTE, NAMES[0]), SheetInput(3, 3, "", NAMES[2])])
    at = open_page("app_pages/surveys.py", Actor("staff-hostile", "staff"))
    shown = assert_nothing_formatted(at, "surveys")
    assert "入力済みの用紙（2 枚）" in shown
    [entered] = [d.value for d in at.dataframe if d.editing_mode == "read_only"]
    assert entered["ご意見・ご感想"].tolist() == [NOTE, NAMES[2]]  # drawn as plain text, as typed


def test_the_annual_report_pdf_carries_the_survey(database, held):
    from db import reports
    from printouts.annual_report import render_annual_report
    from views import year_report

    session_id, _people = held
    surveys.enter_sheets(database, STAFF, session_id, [SheetInput(5, 5, "12"), SheetInput(4, 2, "12 3"), SheetInput(1, 4)])
    fiscal_year = reports.fiscal_year_of(sessions.get_session(database, session_id).starts_at.date())
    surveys.set_target(database, ADMIN, fiscal_year, "survey_understood", 80)
    year = surveys.summary(database, STAFF, fiscal_year=fiscal_year, top=10)
    goals = surveys.progress(surveys.targets(database, STAFF, fiscal_year), year)
    report = reports.year_report(database, STAFF, fiscal_year)
    annual = year_report.annual_report(report, Centre("テスト公民館", "03-0000-0000"), "全会場", sessions.get_session(database, session_id).starts_at.date())
    plain_annual = annual
    annual = survey_view.with_surveys(annual, year, surveys.by_lesson(database, STAFF, fiscal_year), goals)
    assert annual.targets[-1].label == "理解度4〜5の割合" and (annual.targets[-1].target, annual.targets[-1].actual) == (80, 66)
    assert len(annual.tables) == len(plain_annual.tables) + 5
    text = "".join(t for t, _s in _pdf_pages(render_annual_report(annual, 16))).replace("\n", "")
    for words in ("受講後アンケートの結果", "理解度の分布", "満足度の分布", "講座別のアンケート結果", "次に学びたい講座", lessons.catalogue()["myna-app"].title[:6], "66.7%", "82.5%"):
        assert words in text, words
    # A year without sheets or survey targets leaves the report as it was.
    empty = surveys.summary(database, STAFF, fiscal_year=fiscal_year - 1)
    assert survey_view.with_surveys(plain_annual, empty, [], ()) is plain_annual
