"""実績報告: a fiscal year's numbers (issue 7), for the year or one month, every
venue or one: progress against the outcome targets (成果目標), classes, who came,
the most requested lessons, the help desk, volunteers and the monthly trend.
Each table has a CSV file; the annual report (実績報告書) is a PDF. Charts are
black and grey with every bar labelled, so they read without colour.

The report is read once a minute at most per (database, year, month, venue, role)
(DESIGN.md §10) and read again at once after a target is saved.
"""

import contextvars
import functools
import re

import altair as alt
import pandas as pd
import streamlit as st

import db
import ui
from db import reports, settings, venues
from db.clock import today_jst
from db.permissions import Actor, allowed
from locales import _, current_language, set_language
from printouts.annual_report import Breakdown, MonthlySeries, ReportTable, render_annual_report
from printouts.csv_export import to_csv
from printouts.dates import fiscal_year_label
from printouts.model import Centre
from ui import plain
from views import year_report

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


@st.cache_data(ttl=60, show_spinner=False)
def load(path: str, fiscal_year: int, month: int | None, venue_id: int | None, role: str, _who: Actor) -> reports.YearReport:
    """The report of a window, cached by database, window and role (`_who` is
    left out of the key: every account of a role sees the same figures)."""
    with db.connect(path) as database:
        return reports.year_report(database, _who, fiscal_year, month, venue_id)


def annual_pdf(language: str, actor: Actor, fiscal_year: int, venue_id: int | None, scope: str, centre: Centre, body_pt: int) -> bytes:
    """The 実績報告書 of the whole fiscal year, made when the button is clicked
    (outside the script run, so in the page's language set here)."""

    def render() -> bytes:
        set_language(language)
        report = ui.read(reports.year_report, actor, fiscal_year, None, venue_id)
        return render_annual_report(year_report.annual_report(report, centre, scope, today_jst()), body_pt)

    return contextvars.copy_context().run(render)


def save_targets(fiscal_year: int, current: dict[str, int]) -> None:
    """Save the targets whose inputs changed; stop at the first refusal."""
    changed = 0
    for metric in reports.TARGET_METRICS:
        value = state.get(f"target_{fiscal_year}_{metric}")
        if value is None or value == current.get(metric):
            continue
        if not ui.attempt(reports.set_target, fiscal_year, metric, int(value)):
            load.clear()
            return
        changed += 1
    # Progress is part of the cached report: read it again now.
    load.clear()
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
        frame = pd.DataFrame(cells, columns=list(table.columns))
        # Figures line up on the right. The table aligns text cells left inline,
        # so the rule needs !important to win.
        figures = [i for i in range(1, len(table.columns)) if all(FIGURE.match(row[i]) for row in table.rows)]
        styler = frame.style.set_properties(subset=[table.columns[i] for i in figures], **{"text-align": "right !important"})
        styler = styler.set_table_styles([{"selector": f"th.col{i}", "props": "text-align: right !important;"} for i in figures])
        st.table(styler, hide_index=True)
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


def month_chart(series: MonthlySeries) -> alt.LayerChart:
    """One measure by month: grey bars, each with its value written above it."""
    name, values = series.series[0]
    frame = pd.DataFrame({"month": list(series.months), "value": list(values)})
    base = alt.Chart(frame).encode(
        x=alt.X("month:N", sort=list(series.months), title=None, axis=alt.Axis(labelAngle=0, labelOverlap=False)),
        y=alt.Y("value:Q", title=None, axis=alt.Axis(tickMinStep=1), scale=alt.Scale(domainMin=0, nice=True)),
        tooltip=[alt.Tooltip("month:N", title=_("月")), alt.Tooltip("value:Q", title=name, format=",")],
    )
    labels = base.mark_text(dy=-8, color=INK, fontSize=14).encode(text=alt.Text("value:Q", format=","))
    return (base.mark_bar(color=BAR) + labels).properties(
        title=_("{title}（単位：{unit}）").format(title=series.title, unit=series.unit),
        padding={"top": 5, "right": 30, "bottom": 5, "left": 5},
    )


def breakdown_chart(chart: Breakdown) -> alt.LayerChart:
    """A breakdown as horizontal grey bars, each with its value at its end."""
    frame = pd.DataFrame({"label": [label for label, _n in chart.items], "value": [n for _label, n in chart.items]})
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", sort=list(frame["label"]), title=None, axis=alt.Axis(labelLimit=300, labelOverlap=False)),
        x=alt.X("value:Q", title=_("単位：{unit}").format(unit=chart.unit), axis=alt.Axis(tickMinStep=1)),
    )
    labels = base.mark_text(align="left", dx=4, color=INK, fontSize=14).encode(text=alt.Text("value:Q", format=","))
    # The right padding keeps the longest bar's figure inside the chart.
    return (base.mark_bar(color=BAR) + labels).properties(height=alt.Step(30), padding={"top": 5, "right": 30, "bottom": 5, "left": 5})


# Turning an Altair chart into Vega-Lite (validated) takes ~15 ms: nine charts
# would use most of a page run's 200 ms (DESIGN.md §10), so specs are kept.
@st.cache_data(max_entries=512, show_spinner=False)
def month_spec(series: MonthlySeries) -> dict:
    """`month_chart` as a Vega-Lite spec."""
    return month_chart(series).to_dict()


@st.cache_data(max_entries=512, show_spinner=False)
def breakdown_spec(chart: Breakdown) -> dict:
    """`breakdown_chart` as a Vega-Lite spec."""
    return breakdown_chart(chart).to_dict()


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
report = load(str(db.db_path()), fiscal_year, month, venue_id, who.role, who)
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
    help=_("年度全体（4月〜3月）の報告書です。会場の選択は反映され、月の選択は反映されません。"),
    key="rep_pdf",
)

st.subheader(_("成果目標の進捗"))
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

st.subheader(_("教室"))
show_table(view.classes, "classes")

st.subheader(_("参加者の内訳"))
left, right = st.columns(2)
with left:
    show_breakdown(view.age_bands, view.age_chart, "age-bands")
with right:
    show_breakdown(view.devices, view.device_chart, "devices")

st.subheader(_("人気の講座"))
show_table(view.top_lessons, "top-lessons")

st.subheader(_("相談窓口"))
show_table(view.desk, "desk")
left, right = st.columns(2)
with left:
    show_breakdown(view.categories, view.category_chart, "categories")
with right:
    show_breakdown(view.channels, view.channel_chart, "channels")
    show_breakdown(view.referrals, view.referral_chart, "referrals")

st.subheader(_("ボランティア"))
left, right = st.columns(2)
with left:
    show_table(view.volunteers, "volunteers")
with right:
    show_breakdown(view.volunteer_kinds, view.kind_chart, "volunteer-kinds")

st.subheader(_("月別の推移"))
for series in view.monthly:
    st.vega_lite_chart(month_spec(series), width="stretch", height=240)
show_table(view.months, "months")
