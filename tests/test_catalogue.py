"""The lesson catalogue: every shipped file loads, and the loader refuses bad ones."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

import lessons
from lessons import CatalogueError, is_official_url, load_catalogue

JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

ROOT = Path(__file__).resolve().parent.parent
# Every guide URL a lesson links, with where it was researched (issue 14).
RESEARCHED = Path(__file__).resolve().parent / "researched_guides.csv"
# The eight most-used lessons have a やさしい日本語 text (issue 14).
EASY_LESSONS = (
    "mynumber-card-apply", "myna-hokensho", "myna-app", "line-basics",
    "scams-safety", "phone-basics", "disaster-alerts", "cashless-payment",
)

GOOD = {
    "id": "sample",
    "order": 10,
    "sheet_number": 1,
    "title": "見本の講座",
    "level": "基本",
    "minutes": 90,
    "summary": "見本です。",
    "skills": ["iPhone"],
    "objectives": ["電源を入れられる"],
    "steps": [{"text": "電源ボタンを押します。", "iphone": "右側です。"}],
    "bring": ["充電したスマートフォン"],
    "guides": [{"title": "iPhoneでFace IDを設定する", "url": "https://support.apple.com/ja-jp/guide/iphone/iph6d162927a/15.0/ios/15.0"}],
    "sources": [{"url": "https://support.apple.com/ja-jp/guide/iphone/iph6d162927a/15.0/ios/15.0", "checked": date(2026, 12, 1)}],
    "short_title": "見本",
    "slip": {"bring": "充電したスマホ", "easy": {"bring": "スマホ"}},
    "en": {
        "title": "A sample lesson",
        "short_title": "Sample",
        "summary": "A sample.",
        "objectives": ["Turn the phone on"],
        "steps": [{"text": "Press the power button.", "iphone": "It is on the right."}],
        "bring": ["A charged smartphone"],
        "guides": ["Set up Face ID on iPhone"],
        "slip": {"bring": "a charged smartphone"},
    },
}


def test_whole_catalogue_loads_with_both_levels():
    catalogue = load_catalogue()
    assert len(catalogue) >= 16
    levels = {lesson.level for lesson in catalogue.values()}
    assert levels == {"基本", "応用"}
    assert sum(l.level == "基本" for l in catalogue.values()) >= 8
    assert sum(l.level == "応用" for l in catalogue.values()) >= 8


@pytest.mark.parametrize("lesson", list(load_catalogue().values()), ids=lambda l: l.id)
def test_each_lesson_is_written_for_a_senior_reader(lesson):
    assert 60 <= lesson.minutes <= 90
    assert len(lesson.steps) >= 5
    for step in lesson.steps:
        assert len(step.text) <= 80, f"step too long for one action: {step.text}"
    assert any("スマートフォン" in item or "スマホ" in item for item in lesson.bring)
    assert lesson.guides
    for guide in lesson.guides:
        assert is_official_url(guide.url)
    text = yaml.safe_dump([lesson.title, lesson.summary, [s.text for s in lesson.steps]], allow_unicode=True)
    # 「二次元コード」 (DENSO WAVE trademark, DESIGN.md §8); only the LINE lesson quotes
    # its app's 「QRコード」 button, and says it is the same thing.
    if lesson.id == "line-basics":
        assert any("QRコード" in s.text and "二次元コード" in s.text for s in lesson.steps)
    else:
        assert "QRコード" not in text


def test_every_guide_url_is_official_https_topic_specific_and_researched():
    with RESEARCHED.open(encoding="utf-8") as f:
        researched = {row["url"]: row for row in csv.DictReader(f)}
    for lesson in load_catalogue().values():
        for guide in lesson.guides:
            assert guide.url.startswith("https://") and is_official_url(guide.url), f"{lesson.id}: {guide.url}"
            assert guide.url not in lessons.GENERIC_PAGES, f"{lesson.id} links a home page: {guide.url}"
            assert guide.url in researched and researched[guide.url]["where_researched"], f"{lesson.id}: {guide.url}"


@pytest.mark.parametrize("lesson", list(load_catalogue().values()), ids=lambda l: l.id)
def test_each_lesson_records_its_sources_and_the_day_they_were_checked(lesson):
    assert lesson.sources
    assert {g.url for g in lesson.guides} <= {s.url for s in lesson.sources}
    assert all(s.url.startswith("https://") and isinstance(s.checked, date) for s in lesson.sources)


@pytest.mark.parametrize("lesson", list(load_catalogue().values()), ids=lambda l: l.id)
def test_a_pin_is_never_a_thing_to_bring_but_a_line_to_remember(lesson):
    for item in lesson.bring + (lesson.easy.bring if lesson.easy else ()):
        assert not lessons._SECRET.match(item) and not item.startswith("暗証番号"), item
    if any("暗証番号（数字4桁）" in s.text for s in lesson.steps):
        assert any("覚えてきてください" in r for r in lesson.remember), lesson.id


def test_a_pin_under_bring_is_refused(tmp_path):
    bad = {**GOOD, "bring": ["充電したスマートフォン", "利用者証明用電子証明書の暗証番号（数字4桁）"]}
    with pytest.raises(CatalogueError, match="remember"):
        load_catalogue(write(tmp_path, bad))
    line = "利用者証明用電子証明書の暗証番号（数字4桁）を覚えてきてください。"
    remember = {"remember": "カードの暗証番号を覚えてきてください。"}
    good = {
        **GOOD,
        "remember": [line],
        "slip": {**GOOD["slip"], **remember, "easy": {"bring": "スマホ", "remember": "暗証番号を覚えてきてください。"}},
        "en": {**GOOD["en"], "remember": ["Please remember your PIN."], "slip": {"bring": "a phone", "remember": "Remember your PIN."}},
    }
    assert load_catalogue(write(tmp_path, good))["sample"].remember
    # The slip says it too, in every register: a PIN is remembered, never brought.
    for where, change in [
        ("slip", {"slip": {**good["slip"], "remember": None}}),
        ("easy", {"slip": {**good["slip"], "easy": {"bring": "スマホ"}}}),
        ("en", {"en": {**good["en"], "slip": {"bring": "a phone"}}}),
        ("slip", {"slip": {**good["slip"], "bring": "スマホ・暗証番号（数字4桁）"}}),
    ]:
        with pytest.raises(CatalogueError, match=where):
            load_catalogue(write(tmp_path, {**good, **change}))


def test_every_lesson_has_english_item_for_item_and_no_japanese_in_it():
    for lesson in load_catalogue().values():
        en = lesson.text("en")
        assert len(en.steps) == len(lesson.steps) and len(en.bring) == len(lesson.bring)
        assert len(en.objectives) == len(lesson.objectives) and len(en.remember) == len(lesson.remember)
        assert [g.url for g in en.guides] == [g.url for g in lesson.guides]
        for step, ja in zip(en.steps, lesson.steps):
            assert bool(step.iphone) == bool(ja.iphone) and bool(step.android) == bool(ja.android), step.text
        text = " ".join([en.title, en.short_title, en.summary, *en.objectives, *en.bring, *en.remember, en.slip.bring])
        text += " ".join([*(g.title for g in en.guides), *(s.text + s.iphone + s.android for s in en.steps)])
        assert not JAPANESE.search(text), JAPANESE.findall(text)
        # The official English names (DESIGN.md §4 glossary).
        assert "Mynaportal app" not in text.replace("formerly the Mynaportal app", "")
        assert "My number card" not in text and "Myna Portal" not in text


@pytest.mark.parametrize(
    "change, message",
    [
        ({"en": None}, "en"),
        ({"en": {**GOOD["en"], "title": "見本の講座"}}, "日本語"),
        ({"en": {**GOOD["en"], "steps": GOOD["en"]["steps"] * 2}}, "steps"),
        ({"en": {**GOOD["en"], "steps": [{"text": "Press the power button."}]}}, "iphone"),
        ({"en": {**GOOD["en"], "guides": []}}, "guides"),
        ({"en": {**GOOD["en"], "bring": ["A phone", "Glasses"]}}, "bring"),
        ({"en": {**GOOD["en"], "short_title": "A sample lesson with a much too long short title"}}, "short_title"),
        ({"short_title": "とても長い短い題名で予約票に入らないもの"}, "short_title"),
        ({"slip": None}, "slip"),
        ({"slip": {"bring": "スマホ"}}, "easy"),
    ],
)
def test_a_lesson_without_a_faithful_english_text_or_slip_is_refused(tmp_path, change, message):
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(write(tmp_path, {**GOOD, **change}))


def test_a_home_page_is_no_guide(tmp_path):
    bad = {**GOOD, "guides": [{"title": "デジタル活用支援", "url": "https://www.digi-katsu.go.jp/"}]}
    with pytest.raises(CatalogueError, match="トップページ"):
        load_catalogue(write(tmp_path, bad))


def test_a_lesson_unchecked_for_twelve_months_is_stale(tmp_path):
    lesson = load_catalogue(write(tmp_path, GOOD))["sample"]
    assert not lesson.is_stale(date(2027, 12, 1))  # 365 days
    assert lesson.is_stale(date(2027, 12, 2))
    assert lessons.stale_lessons(date(2027, 12, 2), {"sample": lesson}) == [lesson]
    unchecked = load_catalogue(write(tmp_path, {k: v for k, v in GOOD.items() if k != "sources"}))["sample"]
    assert unchecked.is_stale(date(2026, 12, 1))


@pytest.mark.parametrize("lesson_id", EASY_LESSONS)
def test_the_most_used_lessons_have_easy_japanese_with_every_kanji_read(lesson_id):
    from printouts.furigana import unread_kanji

    easy = load_catalogue()[lesson_id].easy
    assert easy is not None
    texts = [easy.title, easy.summary, *easy.objectives, *easy.bring, *easy.remember]
    texts += [s.text + s.iphone + s.android for s in easy.steps]
    for text in texts:
        assert unread_kanji(text, easy.readings) == [], text
        # やさしい日本語: short sentences, one idea each (2020 guideline).
        for sentence in text.replace("。", "。\n").splitlines():
            assert len(sentence) <= 45, sentence


def test_the_line_lesson_bridges_qr_code_on_screen_to_niji_gen_code_on_paper():
    lesson = load_catalogue()["line-basics"]
    for text in (lesson, lesson.easy):
        bridge = [s.text for s in text.steps if "QRコード" in s.text and "二次元コード" in s.text]
        assert bridge and "同じ" in bridge[0]


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://myna.go.jp/", True),
        ("https://services.digital.go.jp/mynaapp/", True),
        ("https://www.mhlw.go.jp/stf/newpage_08277.html", True),
        ("https://apps.apple.com/jp/app/id1476359069", True),
        ("http://myna.go.jp/", False),
        ("https://myna.go.jp.example.com/", False),
        ("https://evil-myna.go.jp/", False),
        ("https://example.com/?u=https://myna.go.jp", False),
        ("tel:0120-95-0178", False),
        ("https://fake.apple.com/", False),
    ],
)
def test_official_url_rule(url, ok):
    assert is_official_url(url) is ok


def write(tmp_path: Path, data: dict, name: str = "sample") -> Path:
    (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_a_good_file_loads(tmp_path):
    lesson = load_catalogue(write(tmp_path, GOOD))["sample"]
    assert lesson.steps[0].iphone == "右側です。"
    assert lesson.guides[0].url == GOOD["guides"][0]["url"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "title"),
        ({"level": "中級"}, "level"),
        ({"minutes": 120}, "minutes"),
        ({"minutes": "90"}, "minutes"),
        ({"minutes": True}, "minutes"),
        ({"order": "1"}, "order"),
        ({"sheet_number": 0}, "sheet_number"),
        ({"sheet_number": "3"}, "sheet_number"),
        ({"sheet_number": True}, "sheet_number"),
        ({"sheet_number": None}, "sheet_number"),
        ({"guide": []}, "不明な項目"),
        ({"skills": ["料理"]}, "skills"),
        ({"steps": []}, "steps"),
        ({"steps": [{"text": ""}]}, "text"),
        ({"steps": [{"text": "押します。", "ipad": "x"}]}, "不明"),
        ({"bring": []}, "bring"),
        ({"objectives": None}, "objectives"),
        ({"guides": []}, "guides"),
        ({"guides": [{"title": "x", "url": "http://myna.go.jp/"}]}, "https"),
        ({"guides": [{"title": "x", "url": "https://example.com/"}]}, "公式"),
        ({"id": "other"}, "ファイル名"),
    ],
)
def test_bad_files_are_refused_naming_the_problem(tmp_path, change, message):
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(write(tmp_path, {**GOOD, **change}))


def test_two_lessons_never_share_a_survey_sheet_number(tmp_path):
    write(tmp_path, GOOD)
    write(tmp_path, {**GOOD, "id": "other", "order": 20}, name="other")
    with pytest.raises(CatalogueError, match="sheet_number.*sample.yaml"):
        load_catalogue(tmp_path)


def test_a_retired_survey_sheet_number_is_not_taken_again(tmp_path, monkeypatch):
    monkeypatch.setattr(lessons, "RETIRED_SHEET_NUMBERS", {1: "old-lesson"})
    with pytest.raises(CatalogueError, match="削除した講座の番号"):
        load_catalogue(write(tmp_path, GOOD))


# Printed survey sheets carry these numbers: changing one, or taking a lesson out
# without retiring its number, must be done here on purpose.
SHEET_NUMBERS = {
    "phone-basics": 1, "calls-camera": 2, "web-search": 3, "maps-app": 4, "line-basics": 5, "app-install": 6,
    "scams-safety": 7, "disaster-alerts": 8, "cashless-payment": 9, "mynumber-card-apply": 10, "mynumber-card-renewal": 11,
    "myna-app": 12, "myna-hokensho": 13, "koukin-account": 14, "mynumber-card-iphone": 15, "mynumber-card-android": 16,
    "online-moving": 17, "online-procedures": 18, "medical-info": 19, "e-tax": 20,
}


def test_the_shipped_lessons_keep_their_sheet_numbers():
    shipped = {lesson.id: lesson.sheet_number for lesson in load_catalogue().values()}
    # Every number printed so far still means its lesson, or is retired with it.
    for lesson_id, number in SHEET_NUMBERS.items():
        assert shipped.get(lesson_id) == number or lessons.RETIRED_SHEET_NUMBERS.get(number) == lesson_id, lesson_id
    assert not set(shipped.values()) & set(lessons.RETIRED_SHEET_NUMBERS)


def test_broken_yaml_is_refused(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match="broken.yaml"):
        load_catalogue(tmp_path)


def test_shipped_catalogue_is_cached_once():
    assert lessons.catalogue() is lessons.catalogue()


@pytest.mark.parametrize("lesson", list(load_catalogue().values()), ids=lambda l: l.id)
def test_every_character_of_a_lesson_exists_in_the_handout_font(lesson):
    from printouts.layout import missing_glyphs

    parts = []
    for register in ("standard", "easy", "en"):
        text = lesson.text(register)
        parts += [text.title, text.short_title, text.summary, *text.objectives, *text.bring, *text.remember]
        parts += [s.text + s.iphone + s.android for s in text.steps] + [text.slip.bring, text.slip.remember]
        parts += [g.title + g.url for g in text.guides]
    assert missing_glyphs("".join(parts)) == set()


def test_a_lesson_taken_out_of_the_catalogue_is_named_by_its_id():
    # Old sessions, bookings and sheets keep the id of a lesson no longer shipped.
    first = next(iter(lessons.catalogue().values()))
    assert lessons.title_of(first.id) == first.title
    assert lessons.title_of("retired-lesson") == "retired-lesson"
