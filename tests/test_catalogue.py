"""The lesson catalogue: every shipped file loads, and the loader refuses bad ones."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

import lessons
from lessons import CatalogueError, is_official_url, load_catalogue

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "official_guides.csv"

GOOD = {
    "id": "sample",
    "order": 10,
    "title": "見本の講座",
    "level": "基本",
    "minutes": 90,
    "summary": "見本です。",
    "skills": ["iPhone"],
    "objectives": ["電源を入れられる"],
    "steps": [{"text": "電源ボタンを押します。", "iphone": "右側です。"}],
    "bring": ["充電したスマートフォン"],
    "guides": [{"title": "デジタル活用支援", "url": "https://www.digi-katsu.go.jp/"}],
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
    assert "QRコード" not in text  # 「二次元コード」 (DENSO WAVE trademark, DESIGN.md §8)


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared/reference not beside the checkout")
def test_every_guide_url_is_a_researched_official_url():
    with REFERENCE.open(encoding="utf-8") as f:
        researched = {row["url"] for row in csv.DictReader(f)}
    for lesson in load_catalogue().values():
        for guide in lesson.guides:
            assert guide.url in researched, f"{lesson.id}: {guide.url}"


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
    assert lesson.guides[0].url == "https://www.digi-katsu.go.jp/"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "title"),
        ({"level": "中級"}, "level"),
        ({"minutes": 120}, "minutes"),
        ({"minutes": "90"}, "minutes"),
        ({"minutes": True}, "minutes"),
        ({"order": "1"}, "order"),
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


def test_broken_yaml_is_refused(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match="broken.yaml"):
        load_catalogue(tmp_path)


def test_shipped_catalogue_is_cached_once():
    assert lessons.catalogue() is lessons.catalogue()


@pytest.mark.parametrize("lesson", list(load_catalogue().values()), ids=lambda l: l.id)
def test_every_character_of_a_lesson_exists_in_the_handout_font(lesson):
    from printouts.layout import missing_glyphs

    parts = [lesson.title, lesson.summary, *lesson.objectives, *lesson.bring]
    parts += [s.text + s.iphone + s.android for s in lesson.steps]
    parts += [g.title + g.url for g in lesson.guides]
    assert missing_glyphs("".join(parts)) == set()
