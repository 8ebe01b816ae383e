"""実績報告: a fiscal year's numbers (issue 7), for the year or one month, every
venue or one, one section at a time: classes (who came, the most requested
lessons, loan phones, outreach), the help desk, volunteers, the monthly trend,
the 受講後アンケート and progress against the outcome targets (成果目標). Each
table has a CSV file; the annual report (実績報告書) is a PDF of everything.
Charts are black and grey with every bar labelled, so they read without colour.

Only the chosen section is read and drawn (issue 12: all of them took over a
second at a city's scale), afresh on every run, so a saved target shows at
once; no cache does the work (DESIGN.md §10).
"""

import contextvars
import functools
import re

import pandas as pd
import streamlit as st

import ui
from db import reports, settings, surveys, venues
from db.clock import today_jst
from db.permissions import Actor, allowed
from locales import _, current_language, set_language
from printouts.annual_report import Breakdown, MonthlySeries, ReportTable, render_annual_report
from printouts.csv_export import to_csv
from printouts.dates import fiscal_year_label
from printouts.model import Centre
from ui import plain
from views import surveys as survey_view, year_report

who = ui.guard("reports")
st.title(_("実績報告"))
ui.show_flash()

state = st.session_state
this_year = reports.fiscal_year_of(today_jst())
# Next year's targets are set before it starts; five past years for comparison.
YEARS = list(range(this_year + 1, this_year - 6, -1))
BAR = "#555555"
INK = "#000000"
# A cell that is a figure (count, rate, time, or "—"): its column is right-aligned.
FIGURE = re.compile(r"^(—|[\d,]+(\.\d+)?(%|回|人|件|分)?|[\d,]+時間\d{2}分)$")


# The `db.reports.PARTS` each section reads.
SECTION_PARTS = {"classes": ("classes",), "desk": ("desk",), "volunteers": ("volunteers",), "months": ("months",),
                 "survey": (), "progress": ("progress",)}


def load(fiscal_year: int, month: int | None, venue_id: int | None, section: str) -> reports.YearReport:
    """The section's part of the report of a window, read afresh on every run."""
    return ui.read(reports.year_report, who, fiscal_year, month, venue_id, parts=SECTION_PARTS[section])


def annual_pdf(language: str, actor: Actor, fiscal_year: int, venue_id: int | None, scope: str, centre: Centre, body_pt: int) -> bytes:
    """The 実績報告書 of the whole fiscal year, made when the button is clicked
    (outside the script run, so in the page's language set here)."""

    def render() -> bytes:
        set_language(language)
        report = ui.read(reports.year_report, actor, fiscal_year, None, venue_id)
        annual = year_report.annual_report(report, centre, scope, today_jst())
        return render_annual_report(with_survey(annual, actor, fiscal_year, venue_id), body_pt)

    return contextvars.copy_context().run(render)


def survey_progress(actor: Actor, fiscal_year: int, whole_year: surveys.SurveySummary | None = None) -> tuple[surveys.TargetProgress, ...]:
    """The survey targets against the whole year, every venue (as the other
    targets); `whole_year`: that summary when the caller has it already."""
    goals = ui.read(surveys.targets, actor, fiscal_year)
    if not goals:
        return ()
    return surveys.progress(goals, whole_year or ui.read(surveys.summary, actor, fiscal_year=fiscal_year))


def with_survey(annual, actor: Actor, fiscal_year: int, venue_id: int | None):
    """The annual report with the year's 受講後アンケート (views/surveys.py)."""
    year = ui.read(surveys.summary, actor, fiscal_year=fiscal_year, venue_id=venue_id, top=10)
    per_lesson = ui.read(surveys.by_lesson, actor, fiscal_year, None, venue_id)
    return survey_view.with_surveys(annual, year, per_lesson, survey_progress(actor, fiscal_year, year if venue_id is None else None))


def save_survey_targets(fiscal_year: int, current: dict[str, int]) -> None:
    """Save the survey targets whose inputs changed (a cleared input removes one)."""
    changed = 0
    for metric in surveys.TARGET_METRICS:
        value = state.get(f"survey_target_{fiscal_year}_{metric}")
        if value == current.get(metric):
            continue
        if not ui.attempt(surveys.set_target, fiscal_year, metric, None if value is None else int(value)):
            return
        changed += 1
    ui.flash("success" if changed else "info", _("アンケートの目標を保存しました（{n}件）。").format(n=changed) if changed else _("変更された目標はありません。"))


def save_targets(fiscal_year: int, current: dict[str, int]) -> None:
    """Save the targets whose inputs changed; stop at the first refusal."""
    changed = 0
    for metric in reports.TARGET_METRICS:
        value = state.get(f"target_{fiscal_year}_{metric}")
        if value is None or value == current.get(metric):
            continue
        if not ui.attempt(reports.set_target, fiscal_year, metric, int(value)):
            return
        changed += 1
    if changed:
        ui.flash("success", _("成果目標を保存しました（{n}件）。").format(n=changed))
    else:
        ui.flash("info", _("変更された目標はありません。"))


def show_table(table: ReportTable, slug: str) -> None:
    """A table with its title, note and CSV download."""
    st.markdown(f"**{table.title}**")
    if table.rows:
        # Venue and volunteer names are users' text: shown as text, not Markdown.
        cells = [[plain.md(c) if isinstance(c, str) else c for c in row] for row in table.rows]
        # Figures line up on the right: a style rule for this table's figure
        # columns, found by its container's key (!important beats the table's
        # inline left alignment). A pandas Styler cost ~10 ms a table (issue 12).
        figures = [i for i in range(1, len(table.columns)) if all(FIGURE.match(row[i]) for row in table.rows)]
        if figures:
            box = f".st-key-rep_table_{slug}"
            cells_at = ", ".join(f"{box} th:nth-child({i + 1}), {box} td:nth-child({i + 1})" for i in figures)
            st.html(f"<style>{cells_at} {{ text-align: right !important; }}</style>")
        with st.container(key=f"rep_table_{slug}"):
            st.table(pd.DataFrame(cells, columns=list(table.columns)), hide_index=True)
    else:
        st.caption(_("該当するデータはありません。"))
    if table.note:
        st.caption(table.note)
    st.download_button(
        _("CSVで保存"),
        data=to_csv(table.columns, table.rows),
        file_name=f"{file_stem}-{slug}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=f"csv_{slug}",
    )


def _tooltip(field: str, title: str, kind: str) -> dict:
    return {"field": field, "title": title, "type": kind, **({"format": ","} if kind == "quantitative" else {})}


def month_spec(series: MonthlySeries) -> dict:
    """One measure by month as a Vega-Lite spec: grey bars, each with its value
    written above it. Written out by hand: building it through Altair (validated)
    took ~15 ms a chart, most of a page run's 200 ms (DESIGN.md §10)."""
    name, values = series.series[0]
    months = list(series.months)
    encoding = {
        "x": {"field": "month", "type": "nominal", "sort": months, "title": None, "axis": {"labelAngle": 0, "labelOverlap": False}},
        "y": {"field": "value", "type": "quantitative", "title": None, "axis": {"tickMinStep": 1}, "scale": {"domainMin": 0, "nice": True}},
        "tooltip": [_tooltip("month", _("月"), "nominal"), _tooltip("value", name, "quantitative")],
    }
    return {
        "data": {"values": [{"month": m, "value": v} for m, v in zip(months, values)]},
        "title": _("{title}（単位：{unit}）").format(title=series.title, unit=series.unit),
        "padding": {"top": 5, "right": 30, "bottom": 5, "left": 5},
        "layer": [
            {"mark": {"type": "bar", "color": BAR}, "encoding": encoding},
            {"mark": {"type": "text", "dy": -8, "color": INK, "fontSize": 14},
             "encoding": {**encoding, "text": {"field": "value", "type": "quantitative", "format": ","}}},
        ],
    }


def breakdown_spec(chart: Breakdown) -> dict:
    """A breakdown as horizontal grey bars, each with its value at its end (a
    Vega-Lite spec, written out as `month_spec` is)."""
    labels = [label for label, _n in chart.items]
    encoding = {
        "y": {"field": "label", "type": "nominal", "sort": labels, "title": None, "axis": {"labelLimit": 300, "labelOverlap": False}},
        "x": {"field": "value", "type": "quantitative", "title": _("単位：{unit}").format(unit=chart.unit), "axis": {"tickMinStep": 1}},
    }
    return {
        "data": {"values": [{"label": label, "value": n} for label, n in chart.items]},
        "height": {"step": 30},
        # The right padding keeps the longest bar's figure inside the chart.
        "padding": {"top": 5, "right": 30, "bottom": 5, "left": 5},
        "layer": [
            {"mark": {"type": "bar", "color": BAR}, "encoding": encoding},
            {"mark": {"type": "text", "align": "left", "dx": 4, "color": INK, "fontSize": 14},
             "encoding": {**encoding, "text": {"field": "value", "type": "quantitative", "format": ","}}},
        ],
    }


def show_breakdown(table: ReportTable, chart: Breakdown, slug: str) -> None:
    """A breakdown's table, then its chart unless every count is 0."""
    show_table(table, slug)
    if any(n for _label, n in chart.items):
        st.vega_lite_chart(breakdown_spec(chart), width="stretch")


venue_names = {v["id"]: v["name"] for v in ui.read(venues.list_venues)}
left, mid, right = st.columns(3)
fiscal_year = left.selectbox(_("年度"), options=YEARS, index=YEARS.index(this_year), format_func=fiscal_year_label, key="rep_year")
# 0 stands for the whole year / every venue: a None option would offer to clear the box.
month = mid.selectbox(
    _("月"),
    options=[0, *year_report.FISCAL_MONTHS],
    format_func=lambda m: year_report.month_label(m) if m else _("年間"),
    key="rep_month",
) or None
venue_id = right.selectbox(
    _("会場"),
    options=[0, *venue_names],
    format_func=lambda v: year_report.scope_label(v or None, venue_names),
    key="rep_venue",
) or None
sections = {"classes": _("教室"), "desk": _("相談窓口"), "volunteers": _("ボランティア"), "months": _("月別の推移"),
            "survey": _("受講後アンケート"), "progress": _("成果目標")}
section = st.segmented_control(
    _("表示する内容"), options=list(sections), format_func=sections.get, default="classes", required=True, key="rep_section"
) or "classes"
report = load(fiscal_year, month, venue_id, section)
view = year_report.build_view(report)
scope = year_report.scope_label(venue_id, venue_names)
file_stem = "report-{year}{month}{venue}".format(
    year=fiscal_year, month=f"-{month:02d}" if month else "", venue=f"-venue{venue_id}" if venue_id else ""
)
config = ui.read(settings.get_settings)

caption, button = st.columns([3, 2], vertical_alignment="center")
caption.caption(_("対象：{period}・{scope}").format(period=view.period, scope=plain.md(scope)))
button.download_button(
    _("実績報告書（PDF）"),
    data=functools.partial(
        annual_pdf,
        current_language(),
        who,
        fiscal_year,
        venue_id,
        scope,
        Centre(name=config.centre_name, phone=config.centre_phone),
        config.body_pt,
    ),
    file_name=f"annual-report-{fiscal_year}{f'-venue{venue_id}' if venue_id else ''}.pdf",
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    on_click="ignore",
    help=_("年度全体（4月〜3月）の報告書で、すべての項目が入ります。会場の選択は反映され、月の選択は反映されません。"),
    key="rep_pdf",
)


def show_progress() -> None:
    if view.bars:
        for bar in view.bars:
            st.progress(bar.fraction, text=bar.text)
        show_table(view.targets, "targets")
    else:
        st.info(_("成果目標は設定されていません（目標未設定）。"), icon=":material/flag:")
    if allowed(who, "targets.set"):
        current = ui.read(reports.targets, who, fiscal_year)
        with st.expander(_("成果目標を設定する")):
            st.caption(_("{year}の目標です。空欄の項目は目標を設定しません。").format(year=fiscal_year_label(fiscal_year)))
            columns = st.columns(3)
            for n, (metric, label) in enumerate(reports.TARGET_METRICS.items()):
                columns[n % 3].number_input(
                    _(label),
                    min_value=0,
                    max_value=reports.TARGET_MAX,
                    value=current.get(metric),
                    step=1,
                    placeholder=_("未設定"),
                    key=f"target_{fiscal_year}_{metric}",
                )
            st.button(_("目標を保存"), type="primary", on_click=save_targets, args=(fiscal_year, current), key="targets_save")


def show_classes() -> None:
    show_table(view.classes, "classes")
    st.subheader(_("参加者の内訳"))
    left, right = st.columns(2)
    with left:
        show_breakdown(view.age_bands, view.age_chart, "age-bands")
    with right:
        show_breakdown(view.devices, view.device_chart, "devices")
    st.subheader(_("人気の講座"))
    show_table(view.top_lessons, "top-lessons")
    if view.loans is not None:
        st.subheader(_("貸出機"))
        show_table(view.loans, "loans")
    if view.outreach is not None:
        st.subheader(_("出前講座・出張相談"))
        show_table(view.outreach, "outreach")


def show_desk() -> None:
    show_table(view.desk, "desk")
    left, right = st.columns(2)
    with left:
        show_breakdown(view.categories, view.category_chart, "categories")
    with right:
        show_breakdown(view.channels, view.channel_chart, "channels")
        show_breakdown(view.referrals, view.referral_chart, "referrals")


def show_volunteers() -> None:
    left, right = st.columns(2)
    with left:
        show_table(view.volunteers, "volunteers")
    with right:
        show_breakdown(view.volunteer_kinds, view.kind_chart, "volunteer-kinds")


def show_months() -> None:
    for series in view.monthly:
        st.vega_lite_chart(month_spec(series), width="stretch", height=240)
    show_table(view.months, "months")


def show_survey() -> None:
    survey = ui.read(surveys.summary, who, fiscal_year=fiscal_year, month=month, venue_id=venue_id, top=10)
    for goal in survey_progress(who, fiscal_year, survey if month is None and venue_id is None else None):
        row = survey_view.target_table((goal,)).rows[0]
        st.progress(min(goal.actual or 0, goal.target) / goal.target if goal.target else 0.0,
                    text=_("{label}：実績 {actual} ／ 目標 {target}（{grade}）").format(label=row[0], actual=row[2], target=row[1], grade=row[4]))
    if allowed(who, "targets.set"):
        current_survey = ui.read(surveys.targets, who, fiscal_year)
        with st.expander(_("アンケートの目標を設定する")):
            columns = st.columns(2)
            for n, (metric, label) in enumerate(surveys.TARGET_METRICS.items()):
                columns[n].number_input(
                    _("{label}（%）").format(label=_(label)), min_value=0, max_value=100, value=current_survey.get(metric), step=1,
                    placeholder=_("未設定"), key=f"survey_target_{fiscal_year}_{metric}",
                )
            st.button(_("アンケートの目標を保存"), on_click=save_survey_targets, args=(fiscal_year, current_survey), key="survey_targets_save")
    if not survey.answers:
        st.caption(_("この期間のアンケートはまだ入力されていません（入力は「アンケート」の画面で）。"))
        return
    show_table(survey_view.overview(survey), "survey")
    left, right = st.columns(2)
    for column, question in ((left, "understanding"), (right, "satisfaction")):
        with column:
            table, chart = survey_view.distribution(survey, question)
            show_breakdown(table, chart, f"survey-{question}")
    show_table(survey_view.wishes(survey), "survey-wishes")
    show_table(survey_view.lesson_table(ui.read(surveys.by_lesson, who, fiscal_year, month, venue_id)), "survey-lessons")


{"classes": show_classes, "desk": show_desk, "volunteers": show_volunteers, "months": show_months,
 "survey": show_survey, "progress": show_progress}[section]()
