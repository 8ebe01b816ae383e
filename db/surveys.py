"""The 受講後アンケート (issue 17, item 4): what attendees understood, how satisfied
they were, and what they want to learn next.

A sheet (printouts/survey_sheet.py) asks 理解度 and 満足度 on 5 levels, printed as
numbers and words (`SCALES`), 「次に学びたいこと」 as numbered checkboxes of the
catalogue's lessons (`numbered_lessons`), and one comment. Staff key a pile of
sheets in at once (`enter_sheets`); the whole pile is saved, or nothing is.

Rules:
- Sheets are keyed for a session that was not cancelled and has started, and
  never more sheets than attendees marked 出席 (a pile keyed twice is refused).
- 理解度 / 満足度: whole numbers 1–5, or blank (未回答). A sheet with nothing on
  it is refused.
- 次に学びたいこと: the numbers printed beside the checkboxes, typed separated by
  spaces, commas or 「、」; each must be on the sheet.
- The comment: at most `COMMENT_MAX` characters and never a マイナンバー
  (db.guard, 番号法 第20条).
- Answers are anonymous. A name written on the sheet links the answer to that
  attendee only when it matches exactly one person booked in the session (by
  name or フリガナ); the name itself is not stored, and one attendee has at most
  one answer per session. A linked answer's comment is erased with the resident
  (db/retention.py ERASE).

The figures (`summary`, `by_lesson`) count the sheets of sessions in a window;
理解度 "understood" is 4 or 5 (「よくわかった」「だいたいわかった」), as the
carriers' and the national programme's reports count satisfaction (top two of 5).
Admins set a yearly target for both shares (`set_target`), kept in the
`targets` table beside the other 成果目標.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from sqlite_utils import Database

import lessons
from db import audit, immediate
from db.clock import now_jst, now_utc_iso
from db.errors import InvalidInput, NotFound, TooManySheets
from db.guard import check_free_text
from db.permissions import Actor, require
from db.reports import FISCAL_YEARS, fiscal_year_window
from db.sessions import SEAT_STATUSES
from db.text import kana_key, normalise_name
from locales import _

LEVELS = (5, 4, 3, 2, 1)
UNDERSTOOD = (4, 5)  # the levels counted as "understood" / "satisfied"
COMMENT_MAX = 500
MAX_SHEETS = 200  # one pile: more than any class has attendees
QUESTIONS = {"understanding": "理解度", "satisfaction": "満足度"}
# The 5 levels of each question as printed and shown (msgids); 5 is the best.
SCALES = {
    "understanding": {5: "よくわかった", 4: "だいたいわかった", 3: "半分くらいわかった", 2: "あまりわからなかった", 1: "わからなかった"},
    "satisfaction": {5: "とても満足", 4: "満足", 3: "ふつう", 2: "やや不満", 1: "不満"},
}
# The same levels in やさしい日本語 (short, one idea each; 出入国在留管理庁・文化庁 2020).
EASY_SCALES = {
    "understanding": {5: "よく わかった", 4: "だいたい わかった", 3: "半分 くらい わかった", 2: "あまり わからなかった", 1: "わからなかった"},
    "satisfaction": {5: "とても よかった", 4: "よかった", 3: "ふつう", 2: "あまり よくなかった", 1: "よくなかった"},
}
# Yearly targets (成果目標) for the shares, in percent: metric → label (msgids).
TARGET_METRICS = {"survey_understood": "理解度4〜5の割合", "survey_satisfied": "満足度4〜5の割合"}

_WISH_SPLIT = re.compile(r"[\s,、，・/]+")


@dataclass(frozen=True)
class SheetInput:
    """One sheet as keyed in.

    understanding, satisfaction: 1–5, or None when left blank.
    wishes: the numbers ticked under 「次に学びたいこと」 as typed, e.g. "3 12"
        (see `parse_wishes`), or "".
    comment: the free text as typed. name: the name written on the sheet, or "".
    """

    understanding: int | None = None
    satisfaction: int | None = None
    wishes: str = ""
    comment: str = ""
    name: str = ""


@dataclass(frozen=True)
class SurveyRow:
    """A sheet keyed in: wishes are lesson ids; name is the linked attendee's
    name, "" for an anonymous answer."""

    id: int
    understanding: int | None
    satisfaction: int | None
    wishes: tuple[str, ...]
    comment: str
    name: str
    entered_at: str


@dataclass(frozen=True)
class Wish:
    """A lesson wanted next: its id, title (the id when no longer in the
    catalogue) and how many sheets ticked it."""

    lesson_id: str
    title: str
    count: int


@dataclass(frozen=True)
class SurveySummary:
    """The sheets of a window, a session or a lesson.

    answers: sheets. understanding / satisfaction: level → sheets, for 5…1 (zeros
    included); *_blank: sheets that left the question blank. understood /
    satisfied: sheets answering 4 or 5; the shares divide them by the sheets that
    answered the question (None when none did). wishes: the most-wanted lessons,
    most first (ties by catalogue order). comments: sheets with a comment.
    """

    answers: int
    understanding: dict[int, int]
    understanding_blank: int
    satisfaction: dict[int, int]
    satisfaction_blank: int
    understood: int
    satisfied: int
    wishes: tuple[Wish, ...]
    comments: int

    @property
    def understood_share(self) -> float | None:
        answered = sum(self.understanding.values())
        return self.understood / answered if answered else None

    @property
    def satisfied_share(self) -> float | None:
        answered = sum(self.satisfaction.values())
        return self.satisfied / answered if answered else None


@dataclass(frozen=True)
class LessonSurvey:
    """One lesson's sheets in a window: sessions with at least one sheet, sheets,
    and the shares as in `SurveySummary` (None when nobody answered)."""

    lesson_id: str
    title: str
    sessions: int
    answers: int
    understood_share: float | None
    satisfied_share: float | None


@dataclass(frozen=True)
class TargetProgress:
    """A survey target against the year's share: target and actual in whole
    percent (actual rounded down, None when nobody answered)."""

    metric: str
    target: int
    actual: int | None


def numbered_lessons() -> list[tuple[int, str]]:
    """The catalogue's lessons as numbered on the sheet: [(1, "phone-basics"), …],
    in catalogue order (lessons/ `order`). Each number is the lesson's own
    `sheet_number`, not its place, so a lesson added or taken out by a deploy
    does not change what a sheet printed before it means."""
    return [(lesson.sheet_number, lesson_id) for lesson_id, lesson in lessons.catalogue().items()]


def _places() -> dict[str, int]:
    """{lesson id: place in catalogue order}; callers sort lessons taken out last."""
    return {lesson_id: place for place, lesson_id in enumerate(lessons.catalogue())}


def check_level(value: object, question: str) -> int | None:
    """A 理解度 / 満足度 answer: None (blank) or a whole number 1–5.

    Args:
        value: as keyed (an int, a whole float such as 4.0 from a number cell,
            None or NaN for blank).
        question: a key of `QUESTIONS`, named in the message.
    Returns:
        the level, or None.
    Raises:
        InvalidInput: anything else.
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise InvalidInput(question, _("{question}は1〜5の数字で入力してください（空欄は未回答）。").format(question=_(QUESTIONS[question])))
    return value


def parse_wishes(text: str) -> tuple[str, ...]:
    """「次に学びたいこと」 as typed: the numbers beside the ticked boxes, separated
    by spaces, commas, 「、」 or 「・」, full-width digits allowed ("3 12", "３、１２").

    Returns:
        the lesson ids, in catalogue order, each once; the number of a lesson
        taken out since the sheet was printed gives that lesson's id, last
        (`lessons.RETIRED_SHEET_NUMBERS`).
    Raises:
        InvalidInput: a piece that is not a number on the sheet.
    """
    numbered = numbered_lessons() + sorted(lessons.RETIRED_SHEET_NUMBERS.items())
    on_sheet = {n for n, _lesson_id in numbered}
    chosen = set()
    for piece in _WISH_SPLIT.split(unicodedata.normalize("NFKC", text or "").strip()):
        if not piece:
            continue
        if not piece.isdigit() or int(piece) not in on_sheet:
            raise InvalidInput(
                "wishes",
                _("「次に学びたいこと」の「{piece}」は用紙にない番号です。用紙の番号を空白か「、」で区切って入力してください。").format(piece=piece),
            )
        chosen.add(int(piece))
    return tuple(lesson_id for n, lesson_id in numbered if n in chosen)


def _attendee_for(db: Database, session_id: int, name: str) -> int | None:
    """The attendee of the session a written name points to, or None for no name.

    Raises:
        InvalidInput: a name that matches nobody, or more than one person, seated
            in the session.
    """
    if not (name or "").strip():
        return None
    typed = normalise_name(name)
    compact = typed.replace("\u3000", "")
    key = kana_key(typed)
    rows = db.execute(
        f"select a.id from bookings b join attendees a on a.id = b.attendee_id where b.session_id = ? "
        f"and b.status in ({','.join('?' * len(SEAT_STATUSES))}) and a.anonymised_at is null "
        "and (replace(replace(a.name, ' ', ''), '\u3000', '') = ? or a.kana_key = ?)",
        [session_id, *SEAT_STATUSES, compact, key],
    ).fetchall()
    if len(rows) != 1:
        raise InvalidInput(
            "name",
            _("お名前に当たる方がこの回の予約にいません。名前の欄を空にすれば、無記名の回答として保存できます。")
            if not rows
            else _("お名前に当たる方がこの回に2人以上います。フリガナで入力してください。"),
        )
    return rows[0][0]


def _clean(db: Database, session_id: int, sheet: SheetInput) -> tuple[int | None, int | None, tuple[str, ...], str, int | None]:
    understanding = check_level(sheet.understanding, "understanding")
    satisfaction = check_level(sheet.satisfaction, "satisfaction")
    wishes = parse_wishes(sheet.wishes)
    comment = (sheet.comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput("comment", _("ご意見・ご感想は{n}文字以内で入力してください。").format(n=COMMENT_MAX))
    check_free_text("comment", comment, _("ご意見・ご感想"))
    if understanding is None and satisfaction is None and not wishes and not comment:
        raise InvalidInput("sheet", _("何も記入されていない用紙です。行を消してください。"))
    return understanding, satisfaction, wishes, comment, _attendee_for(db, session_id, sheet.name)


def _session_open_for_sheets(db: Database, session_id: int) -> None:
    row = db.execute("select status, starts_at from sessions where id = ?", [session_id]).fetchone()
    if row is None:
        raise NotFound(_("開催回が見つかりません。"))
    if row[0] == "cancelled":
        raise InvalidInput("session", _("中止した回のアンケートは入力できません。"))
    if row[1] > now_jst().isoformat(timespec="seconds"):
        raise InvalidInput("session", _("まだ始まっていない回のアンケートは入力できません。"))


def enter_sheets(db: Database, actor: Actor, session_id: int, sheets: list[SheetInput]) -> int:
    """Save a pile of sheets for one session, all or none.

    Args:
        sheets: 1–`MAX_SHEETS` sheets in the order keyed (the messages count them
            「○枚目」 in this order).
    Returns:
        how many were saved.
    Raises:
        PermissionDenied: not staff. NotFound: no such session.
        InvalidInput: a refused session (cancelled, not started), no sheets or too
            many, or a refused sheet (see the module's rules; the message starts
            with 「○枚目：」 and names the field). MyNumberRejected (an
            InvalidInput): a comment holding a マイナンバー.
        TooManySheets: more sheets than attendees marked 出席.
    """
    require(actor, "surveys.enter")
    if not sheets:
        raise InvalidInput("sheets", _("入力された用紙がありません。"))
    if len(sheets) > MAX_SHEETS:
        raise InvalidInput("sheets", _("一度に保存できるのは{n}枚までです。").format(n=MAX_SHEETS))
    with immediate(db):
        _session_open_for_sheets(db, session_id)
        cleaned = []
        for n, sheet in enumerate(sheets, 1):
            try:
                cleaned.append(_clean(db, session_id, sheet))
            except InvalidInput as err:
                raise type(err)(err.field, _("{n}枚目：{message}").format(n=n, message=str(err))) from None
        attended, entered = db.execute(
            "select (select count(*) from bookings where session_id = :s and status = 'attended'), "
            "(select count(*) from surveys where session_id = :s)",
            {"s": session_id},
        ).fetchone()
        if entered + len(sheets) > attended:
            raise TooManySheets(
                _("この回の出席は{attended}人で、入力済みの用紙が{entered}枚あります。あと{left}枚までしか入力できません。"
                  "同じ用紙を二度入力していないか、出欠の記録が済んでいるかを確かめてください。").format(
                    attended=attended, entered=entered, left=max(attended - entered, 0)
                )
            )
        named = [c[4] for c in cleaned if c[4] is not None]
        taken = {r[0] for r in db.execute(
            "select attendee_id from surveys where session_id = ? and attendee_id is not null", [session_id]
        ).fetchall()}
        for n, (*_rest, attendee_id) in enumerate(cleaned, 1):
            if attendee_id is not None and attendee_id in taken:
                raise InvalidInput("name", _("{n}枚目：同じ方の回答がこの回にもう1枚あります。").format(n=n))
            taken.add(attendee_id)
        stamp = now_utc_iso()
        for understanding, satisfaction, wishes, comment, attendee_id in cleaned:
            survey_id = db.execute(
                "insert into surveys (session_id, attendee_id, understanding, satisfaction, comment, entered_at, entered_by) "
                "values (?, ?, ?, ?, ?, ?, ?)",
                [session_id, attendee_id, understanding, satisfaction, comment, stamp, actor.username],
            ).lastrowid
            db.conn.executemany("insert into survey_wishes (survey_id, lesson_id) values (?, ?)", [(survey_id, w) for w in wishes])
        audit.record(db, actor, "enter_surveys", "sessions", session_id, {"sheets": len(cleaned), "named": len(named)})
    return len(cleaned)


def list_surveys(db: Database, actor: Actor, session_id: int) -> list[SurveyRow]:
    """The sheets keyed in for a session, in the order keyed.

    Raises:
        PermissionDenied: not staff.
    """
    require(actor, "surveys.read")
    rows = db.execute(
        "select s.id, s.understanding, s.satisfaction, "
        "coalesce((select group_concat(lesson_id, ' ') from survey_wishes w where w.survey_id = s.id), ''), "
        "s.comment, coalesce(a.name, ''), s.entered_at "
        "from surveys s left join attendees a on a.id = s.attendee_id where s.session_id = ? order by s.id",
        [session_id],
    ).fetchall()
    order = _places()
    return [
        SurveyRow(r[0], r[1], r[2], tuple(sorted(r[3].split(), key=lambda w: order.get(w, 999))), r[4], r[5], r[6])
        for r in rows
    ]


def delete_survey(db: Database, actor: Actor, survey_id: int) -> None:
    """Take back one sheet keyed by mistake (its wishes go with it).

    Raises:
        PermissionDenied: not staff. NotFound: no such sheet.
    """
    require(actor, "surveys.enter")
    with immediate(db):
        row = db.execute("select session_id from surveys where id = ?", [survey_id]).fetchone()
        if row is None:
            raise NotFound(_("その回答は見つかりません（すでに取り消されています）。"))
        db.execute("delete from survey_wishes where survey_id = ?", [survey_id])
        db.execute("delete from surveys where id = ?", [survey_id])
        audit.record(db, actor, "delete_survey", "surveys", survey_id, {"session": row[0]})


def _window(fiscal_year: int | None, month: int | None, venue_id: int | None, session_id: int | None, lesson_id: str | None) -> tuple[str, dict]:
    """The sessions a summary covers, as SQL over `sessions x` (and `rooms r`)."""
    where, p = ["x.status != 'cancelled'"], {}
    if fiscal_year is not None:
        start, end = fiscal_year_window(fiscal_year, month)
        where.append("x.starts_at >= :start and x.starts_at < :end")
        p.update(start=start.isoformat(), end=end.isoformat())
    if venue_id is not None:
        where.append("x.room_id in (select id from rooms where venue_id = :venue)")
        p["venue"] = venue_id
    if session_id is not None:
        where.append("x.id = :session")
        p["session"] = session_id
    if lesson_id is not None:
        where.append("x.lesson_id = :lesson")
        p["lesson"] = lesson_id
    return " and ".join(where), p


def summary(
    db: Database,
    actor: Actor,
    *,
    fiscal_year: int | None = None,
    month: int | None = None,
    venue_id: int | None = None,
    session_id: int | None = None,
    lesson_id: str | None = None,
    top: int = 5,
) -> SurveySummary:
    """The sheets of the sessions (not cancelled) that match every filter given.

    Args:
        fiscal_year, month: the window (db.reports.fiscal_year_window), or None
            for all time. venue_id, session_id, lesson_id: narrow it further.
        top: how many most-wanted lessons to list.
    Raises:
        PermissionDenied: not staff. InvalidInput: a bad year or month.
    """
    require(actor, "surveys.read")
    where, p = _window(fiscal_year, month, venue_id, session_id, lesson_id)
    # Two passes over the window's sheets: the answers (both questions, comments),
    # then the wishes.
    levels = {q: {n: 0 for n in LEVELS} for q in QUESTIONS}
    blank = dict.fromkeys(QUESTIONS, 0)
    answers = comments = 0
    for understanding, satisfaction, count, commented in db.execute(
        "select s.understanding, s.satisfaction, count(*), sum(s.comment != '') "
        f"from sessions x join surveys s on s.session_id = x.id where {where} group by 1, 2",
        p,
    ).fetchall():
        answers += count
        comments += commented
        for question, level in (("understanding", understanding), ("satisfaction", satisfaction)):
            if level is None:
                blank[question] += count
            else:
                levels[question][level] += count
    order = _places()
    counted = db.execute(
        "select w.lesson_id, count(*) from sessions x join surveys s on s.session_id = x.id "
        f"join survey_wishes w on w.survey_id = s.id where {where} group by 1",
        p,
    ).fetchall()
    ranked = sorted(counted, key=lambda r: (-r[1], order.get(r[0], 999), r[0]))[:top]
    return SurveySummary(
        answers=answers,
        understanding=levels["understanding"],
        understanding_blank=blank["understanding"],
        satisfaction=levels["satisfaction"],
        satisfaction_blank=blank["satisfaction"],
        understood=sum(levels["understanding"][n] for n in UNDERSTOOD),
        satisfied=sum(levels["satisfaction"][n] for n in UNDERSTOOD),
        wishes=tuple(Wish(lid, lessons.title_of(lid), n) for lid, n in ranked),
        comments=comments,
    )


def by_lesson(db: Database, actor: Actor, fiscal_year: int, month: int | None = None, venue_id: int | None = None) -> list[LessonSurvey]:
    """Each lesson's sheets in the window, in catalogue order (lessons no longer in
    the catalogue last); lessons without a sheet are left out.

    Raises:
        PermissionDenied: not staff. InvalidInput: a bad year or month.
    """
    require(actor, "surveys.read")
    where, p = _window(fiscal_year, month, venue_id, None, None)
    rows = db.execute(
        "select x.lesson_id, count(distinct x.id), count(*), "
        "sum(s.understanding >= 4), count(s.understanding), sum(s.satisfaction >= 4), count(s.satisfaction) "
        f"from sessions x join surveys s on s.session_id = x.id where {where} group by x.lesson_id",
        p,
    ).fetchall()
    order = _places()
    return [
        LessonSurvey(
            lesson_id=lid,
            title=lessons.title_of(lid),
            sessions=n_sessions,
            answers=n,
            understood_share=(u / nu) if nu else None,
            satisfied_share=(s / ns) if ns else None,
        )
        for lid, n_sessions, n, u, nu, s, ns in sorted(rows, key=lambda r: (order.get(r[0], 999), r[0]))
    ]


def _check_target(fiscal_year: int, metric: str) -> None:
    if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int) or fiscal_year not in FISCAL_YEARS:
        raise InvalidInput("fiscal_year", _("年度が正しくありません。"))
    if metric not in TARGET_METRICS:
        raise InvalidInput("metric", _("目標の項目を選んでください。"))


def set_target(db: Database, actor: Actor, fiscal_year: int, metric: str, percent: int | None) -> None:
    """Set, replace or (None) remove a fiscal year's survey target.

    Args:
        metric: a key of `TARGET_METRICS`. percent: a whole number 0–100, or None.
    Raises:
        PermissionDenied: not an admin. InvalidInput: an unknown metric, a year
            outside 2000–2100, or a percent that is not a whole number 0–100.
    """
    require(actor, "targets.set")
    _check_target(fiscal_year, metric)
    if percent is not None and (isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100):
        raise InvalidInput("value", _("目標の割合は0〜100の整数（%）で入力してください。"))
    with immediate(db):
        before = db.execute("select value from targets where fiscal_year = ? and metric = ?", [fiscal_year, metric]).fetchone()
        if percent is None:
            db.execute("delete from targets where fiscal_year = ? and metric = ?", [fiscal_year, metric])
        else:
            db.execute(
                "insert into targets (fiscal_year, metric, value, updated_at, updated_by) values (?, ?, ?, ?, ?) "
                "on conflict (fiscal_year, metric) do update set value = excluded.value, "
                "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                [fiscal_year, metric, percent, now_utc_iso(), actor.username],
            )
        audit.record(
            db, actor, "set_target", "targets", f"{fiscal_year}:{metric}",
            {"fiscal_year": fiscal_year, "metric": metric, "value": [before[0] if before else None, percent]},
        )


def targets(db: Database, actor: Actor, fiscal_year: int) -> dict[str, int]:
    """A fiscal year's survey targets: metric → percent, in `TARGET_METRICS` order,
    only those set.

    Raises:
        PermissionDenied: not staff. InvalidInput: a year outside 2000–2100.
    """
    require(actor, "surveys.read")
    _check_target(fiscal_year, next(iter(TARGET_METRICS)))
    stored = dict(db.execute("select metric, value from targets where fiscal_year = ?", [fiscal_year]).fetchall())
    return {m: stored[m] for m in TARGET_METRICS if m in stored}


def progress(targets_set: dict[str, int], year: SurveySummary) -> tuple[TargetProgress, ...]:
    """Each survey target set against the year's share (whole percent, rounded
    down so a printed figure never claims more than was reached)."""
    shares = {"survey_understood": (year.understood, sum(year.understanding.values())),
              "survey_satisfied": (year.satisfied, sum(year.satisfaction.values()))}
    out = []
    for metric, goal in targets_set.items():
        hit, answered = shares[metric]
        out.append(TargetProgress(metric, goal, hit * 100 // answered if answered else None))
    return tuple(out)

