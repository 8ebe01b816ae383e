"""The 受講後アンケート as paper and as figures (issue 17): sheet models for
printouts/survey_sheet.py, and the tables and breakdowns the アンケート page, the
実績報告 page and its PDF show. Pure functions: no Streamlit, no SQL."""

from __future__ import annotations

from dataclasses import replace

import lessons
from db.surveys import EASY_SCALES, LEVELS, QUESTIONS, SCALES, TARGET_METRICS, LessonSurvey, SurveySummary, TargetProgress
from lessons import Lesson
from locales import _, language
from printouts.annual_report import AnnualReport, Breakdown, ReportTable, TargetRow, achievement
from printouts.model import SessionInfo, register_language
from printouts.survey_sheet import SurveySheet
from views.year_report import NONE_TEXT, number, percent, share


def scale_words(question: str, register: str) -> tuple[tuple[int, str], ...]:
    """A question's 5 levels as (number, words) in `register`, best first.

    Raises:
        KeyError: an unknown question. ValueError: an unknown register.
    """
    if register == "easy":
        return tuple((n, EASY_SCALES[question][n]) for n in LEVELS)
    with language(register_language(register)):
        return tuple((n, _(SCALES[question][n])) for n in LEVELS)


def sheet(lesson: Lesson, session: SessionInfo, register: str = "standard") -> SurveySheet:
    """One sheet for a session of `lesson` in `register`, the catalogue numbered as
    `db.surveys.numbered_lessons` numbers it (the numbers staff key in).

    Raises:
        ValueError: an unknown register, or "en" for a lesson without English.
    """
    catalogue = lessons.catalogue()
    return SurveySheet(
        lesson_title=lesson.text(register).title,
        session=session,
        understanding=scale_words("understanding", register),
        satisfaction=scale_words("satisfaction", register),
        lessons=tuple((item.sheet_number, item.text(register).short_title) for item in catalogue.values()),
        register=register,
    )


def level_label(question: str, level: int | None) -> str:
    """「4 だいたいわかった」 for a level, 「未回答」 for None."""
    return _("未回答") if level is None else f"{level} {_(SCALES[question][level])}"


def distribution(summary: SurveySummary, question: str) -> tuple[ReportTable, Breakdown]:
    """One question's answers by level, 5 first, then 未回答: the table (回答 /
    人数 / 割合 of those who answered) and its chart (levels only)."""
    counts = summary.understanding if question == "understanding" else summary.satisfaction
    blank = summary.understanding_blank if question == "understanding" else summary.satisfaction_blank
    answered = sum(counts.values())
    title = _("{question}の分布").format(question=_(QUESTIONS[question]))
    rows = tuple((level_label(question, n), number(counts[n]), share(counts[n], answered)) for n in LEVELS)
    rows += ((_("未回答"), number(blank), NONE_TEXT),)
    table = ReportTable(title, (_("回答"), _("人数"), _("割合")), rows, _("割合は、この問いに答えた人に対する割合です。"))
    return table, Breakdown(title, tuple((level_label(question, n), counts[n]) for n in LEVELS), _("人"))


def overview(summary: SurveySummary) -> ReportTable:
    """The headline figures: sheets, the share who understood (4–5), the share
    satisfied (4–5), sheets with a comment."""
    return ReportTable(
        _("受講後アンケートの結果"),
        (_("項目"), _("実績")),
        (
            (_("回答数"), number(summary.answers)),
            (_("理解度4〜5の割合"), percent(summary.understood_share)),
            (_("満足度4〜5の割合"), percent(summary.satisfied_share)),
            (_("ご意見・ご感想の記入"), number(summary.comments)),
        ),
        _("理解度4〜5＝「よくわかった」「だいたいわかった」。満足度4〜5＝「とても満足」「満足」。割合は答えた人に対する割合です。"),
    )


def wishes(summary: SurveySummary) -> ReportTable:
    """The most-wanted next lessons (次に学びたいこと), most first."""
    return ReportTable(
        _("次に学びたい講座"),
        (_("順位"), _("講座"), _("人数"), _("回答者に対する割合")),
        tuple((number(rank), w.title, number(w.count), share(w.count, summary.answers)) for rank, w in enumerate(summary.wishes, 1)),
        _("アンケートの「次に学びたいこと」の集計です。来年度の講座計画の参考にしてください。"),
    )


def lesson_table(rows: list[LessonSurvey]) -> ReportTable:
    """Per lesson: sessions with sheets, sheets, and both shares."""
    return ReportTable(
        _("講座別のアンケート結果"),
        (_("講座"), _("回数"), _("回答数"), _("理解度4〜5"), _("満足度4〜5")),
        tuple(
            (r.title, number(r.sessions), number(r.answers), percent(r.understood_share), percent(r.satisfied_share))
            for r in rows
        ),
        _("回数＝アンケートを入力した開催回の数。"),
    )


def target_rows(goals: tuple[TargetProgress, ...]) -> tuple[TargetRow, ...]:
    """The survey targets as rows of the annual report's 成果目標 table (in %);
    a year without answers counts as 0 %."""
    return tuple(TargetRow(_(TARGET_METRICS[g.metric]), g.target, g.actual or 0, "%") for g in goals)


def target_table(goals: tuple[TargetProgress, ...]) -> ReportTable:
    """指標 / 目標 / 実績 / 達成率 / 評価 for the survey targets set."""
    rows = []
    for g in goals:
        tenths, grade = achievement(g.target, g.actual or 0)
        rows.append(
            (
                _(TARGET_METRICS[g.metric]),
                f"{g.target}%",
                NONE_TEXT if g.actual is None else f"{g.actual}%",
                NONE_TEXT if tenths is None else f"{tenths // 10:,}.{tenths % 10}%",
                grade if g.actual is not None else _("回答なし"),
            )
        )
    return ReportTable(
        _("アンケートの目標と実績"),
        (_("指標"), _("目標"), _("実績"), _("達成率"), _("評価")),
        tuple(rows),
        _("実績は年度全体・全会場の割合（小数点以下切り捨て）です。"),
    )


def with_surveys(
    report: AnnualReport, summary: SurveySummary, per_lesson: list[LessonSurvey], goals: tuple[TargetProgress, ...]
) -> AnnualReport:
    """The annual report with the year's survey added: the targets among the
    成果目標, the overview, both distributions, the per-lesson table and the
    most-wanted lessons among the tables, and the distributions as charts.
    Unchanged when the year has no sheet and no survey target."""
    if not summary.answers and not goals:
        return report
    understanding, understanding_chart = distribution(summary, "understanding")
    satisfaction, satisfaction_chart = distribution(summary, "satisfaction")
    tables = (overview(summary), understanding, satisfaction, lesson_table(per_lesson), wishes(summary))
    charts = tuple(c for c in (understanding_chart, satisfaction_chart) if any(n for _label, n in c.items))
    return replace(
        report,
        targets=report.targets + target_rows(goals),
        tables=report.tables + (tables if summary.answers else ()),
        breakdowns=report.breakdowns + charts,
    )
