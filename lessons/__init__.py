"""The lesson catalogue (講座): one YAML file per lesson in this folder.

Adding a lesson is adding a file. `load_catalogue()` reads and validates every file;
a file that breaks a rule raises `CatalogueError` naming the file and the field, so a
bad lesson never reaches a handout.

File shape (see any ``*.yaml`` here)::

    id: phone-basics            # equals the file name without .yaml
    order: 10                   # place in the catalogue (MIC themes, DESIGN.md §9)
    sheet_number: 1             # the number beside its box on the survey sheet (アンケート):
                                # never changed or reused, so sheets printed before a
                                # deploy are keyed the same after it (`RETIRED_SHEET_NUMBERS`)
    title: スマホの基本操作       # Japanese title
    short_title: スマホの基本操作 # for the booking slip and the flyer: ≤ 14 full-width characters
    level: 基本                  # 基本 (basic) or 応用 (applied), DESIGN.md §9
    minutes: 90                 # 60–90 (DESIGN.md §7)
    summary: 一文の紹介
    skills: [iPhone, Android]   # volunteer skills that fit the lesson
    objectives: [...]
    steps:                      # one action per step
      - text: 電源ボタンを長く押します。
        iphone: 右側のボタンです。   # optional device notes
        android: 右側の上のボタンです。
    bring: [...]                # never a PIN or password (DESIGN.md §7)
    remember: [...]             # optional: 「…の暗証番号（数字4桁）を覚えてきてください」
    guides:                     # official pages for the topic only (DESIGN.md §9)
      - title: マイナポータル よくあるご質問
        url: https://faq.myna.go.jp/
    sources:                    # where the lesson's facts were checked, and when
      - url: https://…
        checked: 2026-12-01
        note: what the page confirmed
    slip:                       # the booking slip's (予約票) short lines: it must fit A6
      bring: 充電したスマホ・マイナンバーカード・老眼鏡
      remember: カードの暗証番号（数字4桁）を覚えてきてください。  # when `remember` asks to
      easy:                     # memorise something; `easy`: the same in やさしい日本語,
        bring: スマホ・マイナンバーカード        # one line each (ふりがな take room)
        remember: 暗証番号を覚えてきてください。
    easy:                       # optional: the やさしい日本語 version (DESIGN.md §8)
      title, short_title, summary, objectives, steps, bring, remember   # as above;
                                # short_title needed only when the title is longer than one
      readings: {方: かた}       # ふりがな overrides for words the analyser misreads
    en:                         # required: the English version, the same facts
      title, short_title, summary, objectives, steps, bring, remember, slip   # item for item;
                                # short_title ≤ 32 characters
      guides: [English title of each guide, in order]
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

LESSON_DIR = Path(__file__).resolve().parent

LEVELS = ("基本", "応用")

# Official domains a handout may link to (DESIGN.md §9); subdomains count.
OFFICIAL_DOMAINS = (
    "myna.go.jp",
    "digital.go.jp",
    "kojinbango-card.go.jp",
    "jpki.go.jp",
    "mhlw.go.jp",
    "nta.go.jp",
    "digi-katsu.go.jp",
    "moj.go.jp",
    "soumu.go.jp",
    "npa.go.jp",
    "caa.go.jp",
    "kokusen.go.jp",
    "jma.go.jp",
    "fdma.go.jp",
    "bousai.go.jp",
    "gov-online.go.jp",
    "gsi.go.jp",
    # The service's own help pages, where the best guide for a topic lives.
    "support.apple.com",
    "support.google.com",
    "android.com",
    "guide.line.me",
    "ntt-east.co.jp",
    "ntt-west.co.jp",
)
# Home pages and folders are no guide for a topic (issue 14): link the topic's page.
GENERIC_PAGES = (
    "https://www.digi-katsu.go.jp/",
    "https://digi-katsu.go.jp/",
    "https://www.digi-katsu.go.jp/teaching-materials/",
    "https://myna.go.jp/",
    "https://www.jpki.go.jp/",
    "https://www.kojinbango-card.go.jp/",
)
# A lesson not checked against its sources for this long is flagged to staff.
STALE_AFTER_DAYS = 365
# A 持ち物 item naming a card secret (「…の暗証番号（数字4桁）」, 「署名用電子証明書の
# パスワード」): a PIN is remembered, never carried on paper with the card (DESIGN.md §7).
_SECRET = re.compile(r"^[^（(]*(暗証番号|電子証明書[^（(]*パスワード)(?:[（(]|$)")
# App-store listings are allowed only as exact hosts.
APP_STORE_HOSTS = ("apps.apple.com", "play.google.com")

MIN_MINUTES, MAX_MINUTES = 60, 90

# Volunteer skills (得意分野) a lesson can ask for; volunteer profiles use the same list.
SKILLS = ("iPhone", "Android", "LINE", "マイナンバーカード・マイナポータル", "詐欺対策", "キャッシュレス", "防災", "インターネット")
FIELDS = {
    "id", "order", "sheet_number", "title", "short_title", "level", "minutes", "summary", "skills", "objectives", "steps", "bring", "remember",
    "guides", "sources", "slip", "easy", "en",
}
EASY_FIELDS = {"title", "short_title", "summary", "objectives", "steps", "bring", "remember", "readings"}
EN_FIELDS = {"title", "short_title", "summary", "objectives", "steps", "bring", "remember", "slip", "guides"}
SLIP_FIELDS = {"bring", "remember", "easy"}
# A short title fits one line of a booking slip at 16 pt and of the flyer at 24 pt:
# at most this many full-width characters (a Latin letter or digit counts half), or
# this many characters in English.
SHORT_TITLE_EM = 14
# Survey-sheet numbers of lessons taken out of the catalogue, with their ids: a
# sheet printed before they went may still be keyed (db.surveys reads the number
# as that lesson), so no new lesson takes one of them.
RETIRED_SHEET_NUMBERS: dict[int, str] = {}
SHORT_TITLE_EN = 32
# Japanese script: the English text has none (issue 14); names that have an English
# form use it (My Number Card, Mynaportal), others are written in rōmaji.
_JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# A 持ち物 line asking the resident to memorise something brings a slip line too.
_REMEMBER_TO_BRING = "覚えてきてください"


class CatalogueError(ValueError):
    """A lesson file breaks a catalogue rule; the message names file and field."""


@dataclass(frozen=True)
class Guide:
    """An official web page (公式案内) a handout links to with a QR code."""

    title: str
    url: str


@dataclass(frozen=True)
class Step:
    """One numbered step: one action, with optional iPhone / Android notes."""

    text: str
    iphone: str = ""
    android: str = ""


@dataclass(frozen=True)
class Source:
    """Where a lesson's facts were checked (issue 14).

    Attributes:
        url: the official page (https); checked: the day it was read;
        note: what it confirmed, "" for none.
    """

    url: str
    checked: datetime.date
    note: str = ""


@dataclass(frozen=True)
class SlipText:
    """What a booking slip (予約票) says of the lesson: one short line each, so a
    slip fits an A6 quarter of an A4 sheet at 16 pt (DESIGN.md §8).

    Attributes:
        bring: what to bring, e.g. "充電したスマホ・マイナンバーカード・老眼鏡".
        remember: what to memorise, e.g. the card's PIN (never to bring), or "".
        easy: the same in やさしい日本語 (shorter still: ふりがな add to every line),
            or None.
    """

    bring: str
    remember: str = ""
    easy: SlipText | None = None


@dataclass(frozen=True)
class LessonText:
    """A lesson's words in one register, as a printout takes them.

    Attributes:
        title, short_title, summary, objectives, steps, bring, remember: as in `Lesson`.
        guides: the guides with their titles in this register (same URLs).
        slip: the booking slip's lines.
        readings: ふりがな overrides (やさしい日本語), else {}.
    """

    title: str
    short_title: str
    summary: str
    objectives: tuple[str, ...]
    steps: tuple[Step, ...]
    bring: tuple[str, ...]
    remember: tuple[str, ...]
    guides: tuple[Guide, ...]
    slip: SlipText
    readings: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EnglishText:
    """A lesson's text in English: the Japanese text translated item for item,
    official English names (My Number Card, Mynaportal, Myna App, My Number
    health insurance card, e-Tax), no Japanese script.

    Attributes:
        title, short_title, summary, objectives, steps, bring, remember, slip: as in `Lesson`.
        guide_titles: the English title of each guide, in the order of `Lesson.guides`.
    """

    title: str
    short_title: str
    summary: str
    objectives: tuple[str, ...]
    steps: tuple[Step, ...]
    bring: tuple[str, ...]
    remember: tuple[str, ...]
    guide_titles: tuple[str, ...]
    slip: SlipText


@dataclass(frozen=True)
class EasyText:
    """A lesson's text in やさしい日本語 (短い文, 一つの文に一つのこと; the 2020
    guideline of 出入国在留管理庁・文化庁). Printed with ふりがな over every kanji.

    Attributes:
        title, summary, objectives, steps, bring, remember: as in `Lesson`.
        short_title: the title when it is short enough, else a shorter one.
        readings: {word: hiragana} for words the analyser reads wrong.
    """

    title: str
    short_title: str
    summary: str
    objectives: tuple[str, ...]
    steps: tuple[Step, ...]
    bring: tuple[str, ...]
    remember: tuple[str, ...] = ()
    readings: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Lesson:
    """A lesson of the catalogue, validated.

    `short_title` names the lesson on a booking slip and the flyer (the title when
    none is given); `remember` holds what to memorise rather than bring (a PIN,
    DESIGN.md §7);
    `sources` where the facts were checked; `slip` the booking slip's short
    lines; `easy` the やさしい日本語 text or None; `en` the English text (every
    catalogue lesson has one; `text("en")` raises without it).
    """

    id: str
    order: int
    title: str
    level: str
    minutes: int
    summary: str
    skills: tuple[str, ...]
    objectives: tuple[str, ...]
    steps: tuple[Step, ...]
    bring: tuple[str, ...]
    guides: tuple[Guide, ...]
    remember: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    slip: SlipText | None = None
    easy: EasyText | None = None
    en: EnglishText | None = None
    short_title: str = ""
    sheet_number: int = 0

    def text(self, register: str = "standard") -> LessonText:
        """The lesson's words in `register`.

        Args:
            register: "standard", "easy" (the やさしい日本語 text, or the standard
                one with its slip where the lesson has none) or "en".
        Returns:
            LessonText; a lesson built without `slip` gets one from its first
            items (bracketed notes left out) and its first `remember` line.
        Raises:
            ValueError: an unknown register, or "en" for a lesson without English.
        """
        slip = self.slip or SlipText("・".join(_short(item) for item in self.bring), self.remember[0] if self.remember else "")
        short = self.short_title or self.title
        if register == "standard":
            return LessonText(
                self.title, short, self.summary, self.objectives, self.steps, self.bring, self.remember, self.guides, slip
            )
        if register == "easy":
            easy_slip = slip.easy or slip
            if self.easy is None:
                return LessonText(
                    self.title, short, self.summary, self.objectives, self.steps, self.bring, self.remember,
                    self.guides, easy_slip,
                )
            e = self.easy
            return LessonText(
                e.title, e.short_title, e.summary, e.objectives, e.steps, e.bring, e.remember, self.guides,
                easy_slip, e.readings,
            )
        if register == "en":
            if self.en is None:
                raise ValueError(f"lesson {self.id} has no English text")
            en = self.en
            guides = tuple(Guide(title, guide.url) for title, guide in zip(en.guide_titles, self.guides))
            return LessonText(
                en.title, en.short_title, en.summary, en.objectives, en.steps, en.bring, en.remember, guides, en.slip
            )
        raise ValueError(f"unknown register {register!r}")

    @property
    def checked(self) -> datetime.date | None:
        """The oldest `checked` date of the sources (the lesson is as fresh as its
        stalest fact), or None without sources."""
        return min((s.checked for s in self.sources), default=None)

    def is_stale(self, today: datetime.date) -> bool:
        """True when the lesson was last checked more than `STALE_AFTER_DAYS` before
        `today` (or never): staff should check it against its sources again."""
        checked = self.checked
        return checked is None or (today - checked).days > STALE_AFTER_DAYS


def _short(thing: str) -> str:
    # 「老眼鏡（お使いの方）」 → 「老眼鏡」: the bracketed note stays on the handout.
    return re.sub(r"（[^）]*）$", "", thing).strip() or thing


def is_official_url(url: str) -> bool:
    """True when `url` is https on an official domain of DESIGN.md §9.

    Args:
        url: absolute URL.
    Returns:
        bool; `http:`, `tel:`, IP hosts and look-alike hosts (``evil-myna.go.jp``) are
        refused.
    """
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return False
    host = parts.hostname.lower()
    if host in APP_STORE_HOSTS:
        return True
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


def stale_lessons(today: datetime.date, catalogue: dict[str, Lesson] | None = None) -> list[Lesson]:
    """Lessons not checked against their sources for over 12 months, oldest first.

    Args:
        today: the day to judge by (from `db.clock` in the app).
        catalogue: {id: Lesson}; the shipped catalogue when None.
    Returns:
        list of Lesson.
    """
    lessons = (catalogue if catalogue is not None else load_catalogue()).values()
    stale = [lesson for lesson in lessons if lesson.is_stale(today)]
    return sorted(stale, key=lambda l: (l.checked or datetime.date.min, l.order))


def _text(data: dict, key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: '{key}' は空でない文字列が必要です")
    return value.strip()


def _text_list(data: dict, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise CatalogueError(f"{where}: '{key}' は1つ以上の項目が必要です")
    items = []
    for i, item in enumerate(value, 1):
        if not isinstance(item, str) or not item.strip():
            raise CatalogueError(f"{where}: '{key}' の{i}番目が空です")
        items.append(item.strip())
    return tuple(items)


def parse_lesson(data: object, where: str) -> Lesson:
    """Validate one lesson's parsed YAML.

    Args:
        data: the mapping read from the file.
        where: the file name, used in error messages.
    Returns:
        Lesson.
    Raises:
        CatalogueError: an unknown or missing field, an empty one, a level other
            than 基本/応用, minutes outside 60–90 (DESIGN.md §7), a skill not in
            `SKILLS`, a PIN or password under `bring` (DESIGN.md §7), a guide URL
            not https on an official domain or a home page (DESIGN.md §9), a
            source without an https URL and a `checked` date, a missing or
            malformed `slip` (a PIN under its `bring`, or no `remember` line when
            the lesson asks to memorise one), a malformed `easy`, or a missing
            or malformed `en` (not item for item the Japanese text, or with
            Japanese script in it).
    """
    if not isinstance(data, dict):
        raise CatalogueError(f"{where}: 講座ファイルの形式が正しくありません")
    unknown = set(data) - FIELDS
    if unknown:
        raise CatalogueError(f"{where}: 不明な項目 {sorted(unknown)}")
    lesson_id = _text(data, "id", where)
    level = _text(data, "level", where)
    if level not in LEVELS:
        raise CatalogueError(f"{where}: 'level' は 基本 か 応用 です（{level}）")
    minutes = data.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise CatalogueError(f"{where}: 'minutes' は {MIN_MINUTES}〜{MAX_MINUTES} の整数です")
    steps = _steps(data, where)
    bring = _bring(data, where)
    raw_guides = data.get("guides")
    if not isinstance(raw_guides, list) or not raw_guides:
        raise CatalogueError(f"{where}: 'guides' は1つ以上の公式案内が必要です")
    guides = []
    for i, raw in enumerate(raw_guides, 1):
        if not isinstance(raw, dict):
            raise CatalogueError(f"{where}: 公式案内{i} の形式が正しくありません")
        url = _text(raw, "url", f"{where} 公式案内{i}")
        if not is_official_url(url):
            raise CatalogueError(f"{where}: 公式案内{i} のURLは公式ドメインの https のみです（{url}）")
        if url in GENERIC_PAGES:
            raise CatalogueError(f"{where}: 公式案内{i} はトップページではなく、講座の内容のページにします（{url}）")
        guides.append(Guide(title=_text(raw, "title", f"{where} 公式案内{i}"), url=url))
    skills = data.get("skills") or []
    if not isinstance(skills, list) or not all(s in SKILLS for s in skills):
        raise CatalogueError(f"{where}: 'skills' は {'、'.join(SKILLS)} から選びます")
    order = data.get("order")
    if isinstance(order, bool) or not isinstance(order, int) or order < 0:
        raise CatalogueError(f"{where}: 'order' は0以上の整数です")
    sheet_number = data.get("sheet_number")
    if isinstance(sheet_number, bool) or not isinstance(sheet_number, int) or not 1 <= sheet_number <= 99:
        raise CatalogueError(f"{where}: 'sheet_number'（アンケート用紙の番号）は1〜99の整数です")
    if sheet_number in RETIRED_SHEET_NUMBERS:
        raise CatalogueError(f"{where}: 'sheet_number' {sheet_number} は削除した講座の番号です。使われていない番号にしてください")
    return Lesson(
        id=lesson_id,
        order=order,
        sheet_number=sheet_number,
        title=_text(data, "title", where),
        short_title=_short_title(data, where),
        level=level,
        minutes=minutes,
        summary=_text(data, "summary", where),
        skills=tuple(skills),
        objectives=_text_list(data, "objectives", where),
        steps=steps,
        bring=bring,
        guides=tuple(guides),
        remember=_optional_list(data, "remember", where),
        sources=_sources(data, where),
        slip=_slip(data, where),
        easy=_easy(data.get("easy"), where),
        en=_english(data, where),
    )


def _steps(data: dict, where: str) -> tuple[Step, ...]:
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise CatalogueError(f"{where}: 'steps' は1つ以上の手順が必要です")
    steps = []
    for i, raw in enumerate(raw_steps, 1):
        if not isinstance(raw, dict):
            raise CatalogueError(f"{where}: 手順{i} の形式が正しくありません")
        extra = set(raw) - {"text", "iphone", "android"}
        if extra:
            raise CatalogueError(f"{where}: 手順{i} に不明な項目 {sorted(extra)}")
        steps.append(
            Step(
                text=_text(raw, "text", f"{where} 手順{i}"),
                iphone=str(raw.get("iphone") or "").strip(),
                android=str(raw.get("android") or "").strip(),
            )
        )
    return tuple(steps)


def _bring(data: dict, where: str) -> tuple[str, ...]:
    bring = _text_list(data, "bring", where)
    for item in bring:
        if _SECRET.match(item):
            raise CatalogueError(
                f"{where}: 'bring' に暗証番号・パスワードは書けません。'remember'（覚えてきてください）に書きます（{item}）"
            )
    return bring


def _optional_list(data: dict, key: str, where: str) -> tuple[str, ...]:
    return _text_list(data, key, where) if data.get(key) is not None else ()


def _sources(data: dict, where: str) -> tuple[Source, ...]:
    raw = data.get("sources")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CatalogueError(f"{where}: 'sources' は一覧で書きます")
    sources = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict) or set(item) - {"url", "checked", "note"}:
            raise CatalogueError(f"{where}: 出典{i} は url・checked・note で書きます")
        url = _text(item, "url", f"{where} 出典{i}")
        if not url.startswith("https://"):
            raise CatalogueError(f"{where}: 出典{i} のURLは https のみです（{url}）")
        checked = item.get("checked")
        if not isinstance(checked, datetime.date) or isinstance(checked, datetime.datetime):
            raise CatalogueError(f"{where}: 出典{i} の 'checked' は日付（2026-12-01）です")
        sources.append(Source(url=url, checked=checked, note=str(item.get("note") or "").strip()))
    return tuple(sources)


def _slip(data: dict, where: str, easy: bool = True, label: str = "slip") -> SlipText:
    # `data` holds "slip" and the lesson's Japanese "remember"; `easy`: the slip
    # has its やさしい日本語 lines under "easy".
    raw = data.get("slip")
    where = f"{where} {label}"
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: 予約票の 'slip'（bring・remember）が必要です")
    unknown = set(raw) - (SLIP_FIELDS if easy else SLIP_FIELDS - {"easy"})
    if unknown:
        raise CatalogueError(f"{where}: 不明な項目 {sorted(unknown)}")
    bring = _text(raw, "bring", where)
    if _SECRET.match(bring) or any(_SECRET.match(part) for part in bring.split("・")):
        raise CatalogueError(f"{where}: 'bring' に暗証番号・パスワードは書けません。'remember' に書きます（{bring}）")
    remember = _text(raw, "remember", where) if raw.get("remember") is not None else ""
    asks = [line for line in data.get("remember") or [] if isinstance(line, str) and _REMEMBER_TO_BRING in line]
    if asks and not remember:
        raise CatalogueError(f"{where}: 'remember'（覚えてきてください）が1行必要です（{asks[0]}）")
    plain = None
    if easy:
        plain = _slip({"slip": raw.get("easy"), "remember": data.get("remember")}, where, easy=False, label="easy")
    return SlipText(bring=bring, remember=remember, easy=plain)


def _short_title(data: dict, where: str, english: bool = False) -> str:
    title = _text(data, "short_title", where)
    if english and len(title) > SHORT_TITLE_EN:
        raise CatalogueError(f"{where}: 'short_title' は{SHORT_TITLE_EN}文字までです（{title}）")
    if not english and sum(0.5 if ch.isascii() else 1 for ch in title) > SHORT_TITLE_EM:
        raise CatalogueError(f"{where}: 'short_title' は全角{SHORT_TITLE_EM}文字までです（{title}）")
    return title


def _same_shape(what: str, english: tuple, japanese: tuple, where: str) -> None:
    if len(english) != len(japanese):
        raise CatalogueError(f"{where}: '{what}' は日本語と同じ{len(japanese)}項目にします（{len(english)}項目）")


def _english(data: dict, where: str) -> EnglishText:
    raw = data.get("en")
    where = f"{where} en"
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: 英語の 'en'（title・summary・objectives・steps・bring・guides・slip）が必要です")
    unknown = set(raw) - EN_FIELDS
    if unknown:
        raise CatalogueError(f"{where}: 不明な項目 {sorted(unknown)}")
    steps = _steps(raw, where)
    japanese_steps = data.get("steps") or []
    _same_shape("steps", steps, tuple(japanese_steps), where)
    for i, (step, ja) in enumerate(zip(steps, japanese_steps), 1):
        for device in ("iphone", "android"):
            if bool(getattr(step, device)) != bool(isinstance(ja, dict) and ja.get(device)):
                raise CatalogueError(f"{where}: 手順{i} の '{device}' は日本語と同じく書くか、書かないかにします")
    text = EnglishText(
        title=_text(raw, "title", where),
        short_title=_short_title(raw, where, english=True),
        summary=_text(raw, "summary", where),
        objectives=_text_list(raw, "objectives", where),
        steps=steps,
        bring=_text_list(raw, "bring", where),
        remember=_optional_list(raw, "remember", where),
        guide_titles=_text_list(raw, "guides", where),
        slip=_slip({**raw, "remember": data.get("remember")}, where, easy=False),
    )
    _same_shape("objectives", text.objectives, tuple(data.get("objectives") or ()), where)
    _same_shape("bring", text.bring, tuple(data.get("bring") or ()), where)
    _same_shape("remember", text.remember, tuple(data.get("remember") or ()), where)
    _same_shape("guides", text.guide_titles, tuple(data.get("guides") or ()), where)
    words = [text.title, text.short_title, text.summary, *text.objectives, *text.bring, *text.remember, *text.guide_titles]
    words += [part for s in steps for part in (s.text, s.iphone, s.android)] + [text.slip.bring, text.slip.remember]
    for item in words:
        if _JAPANESE.search(item):
            raise CatalogueError(f"{where}: 英語の文に日本語の文字があります。英語名かローマ字にします（{item}）")
    return text


def _easy(raw: object, where: str) -> EasyText | None:
    if raw is None:
        return None
    where = f"{where} easy"
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: やさしい日本語の形式が正しくありません")
    unknown = set(raw) - EASY_FIELDS
    if unknown:
        raise CatalogueError(f"{where}: 不明な項目 {sorted(unknown)}")
    readings = raw.get("readings") or {}
    if not isinstance(readings, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in readings.items()):
        raise CatalogueError(f"{where}: 'readings' は 言葉: よみ の形で書きます")
    title = _text(raw, "title", where)
    return EasyText(
        title=title,
        short_title=_short_title({"short_title": title, **raw}, where),
        summary=_text(raw, "summary", where),
        objectives=_text_list(raw, "objectives", where),
        steps=_steps(raw, where),
        bring=_bring(raw, where),
        remember=_optional_list(raw, "remember", where),
        readings=dict(readings),
    )


def load_file(path: Path) -> Lesson:
    """Read and validate one lesson file.

    Raises:
        CatalogueError: unreadable YAML, a rule of `parse_lesson`, or an id that
            differs from the file name.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name}: YAML を読めません: {exc}") from exc
    lesson = parse_lesson(data, path.name)
    if lesson.id != path.stem:
        raise CatalogueError(f"{path.name}: 'id' はファイル名と同じにしてください（{lesson.id}）")
    return lesson


def load_catalogue(directory: Path = LESSON_DIR) -> dict[str, Lesson]:
    """Load every ``*.yaml`` lesson in `directory`.

    Returns:
        {lesson id: Lesson} in catalogue order (`order`, then id).
    Raises:
        CatalogueError: any file breaks a rule (the first one found).
    """
    lessons = [load_file(p) for p in sorted(directory.glob("*.yaml"))]
    lessons.sort(key=lambda l: (l.order, l.id))
    taken: dict[int, str] = {}
    for lesson in lessons:
        if lesson.sheet_number in taken:
            raise CatalogueError(
                f"{lesson.id}.yaml: 'sheet_number' {lesson.sheet_number} は {taken[lesson.sheet_number]}.yaml と同じです"
            )
        taken[lesson.sheet_number] = lesson.id
    return {lesson.id: lesson for lesson in lessons}


@functools.lru_cache(maxsize=1)
def catalogue() -> dict[str, Lesson]:
    """The shipped catalogue, loaded once per process (files change only on deploy)."""
    return load_catalogue()


def title_of(lesson_id: str) -> str:
    """The lesson's title, or its id when it is no longer in the catalogue (old
    sessions, bookings and sheets keep the id of a lesson taken out)."""
    lesson = catalogue().get(lesson_id)
    return lesson.title if lesson else lesson_id
