"""The reports page's figures as text (issue 7): one `YearReport` turned into the
tables, progress bars, chart data and the annual report (実績報告書), so the page,
its CSV files and the PDF show the same numbers written the same way.

Pure functions: no Streamlit, no SQL. Counts print with thousands separators
("1,234"), rates to 0.1 % ("85.0%") or "—" when there is nothing to divide by,
volunteer time in hours and minutes (「12時間30分」). Labels come from the code
dictionaries of `db.tickets` and `db.volunteers` (Japanese
msgids, translated here); 年代 and devices print as stored, 「未記入」 when blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.outreach import KINDS as OUTREACH_KINDS
from db.reports import (
    NOT_GIVEN,
    TARGET_METRICS,
    ClassReport,
    DeskReport,
    MonthRow,
    OutreachReport,
    Progress,
    VolunteerReport,
    YearReport,
)
from db.tickets import CATEGORIES, CHANNELS, REFERRALS
from db.volunteers import KINDS
from locales import _
from printouts.annual_report import AnnualReport, Breakdown, MonthlySeries, ReportTable, TargetRow, achievement
from printouts.dates import duration, fiscal_year_label
from printouts.model import Centre

# Printed for a rate whose denominator is 0 (and a total that would mislead).
NONE_TEXT = "—"
# The unit of each outcome target (msgids), as the annual report prints it.
TARGET_UNITS = {
    "sessions_held": "回",
    "attendances": "人",
    "unique_attendees": "人",
    "new_attendees": "人",
    "tickets": "件",
    "active_volunteers": "人",
}
# Fiscal-year order of the months.
FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def number(value: int) -> str:
    """A count with thousands separators: 1234 → "1,234"."""
    return f"{value:,}"


def percent(ratio: float | None) -> str:
    """A rate to 0.1 %: 0.85 → "85.0%", 12.5 → "1,250.0%", None → "—"."""
    return NONE_TEXT if ratio is None else f"{ratio * 100:,.1f}%"


def minutes_figure(minutes: float | None) -> str:
    """A median in minutes to 0.1 min: 22.5 → 「22.5分」, 20.0 → 「20分」, None → "—"."""
    if minutes is None:
        return NONE_TEXT
    return _("{m}分").format(m=f"{minutes:,.1f}".removesuffix(".0"))


def share(value: int, total: int) -> str:
    """`value` as a share of `total`, rounded half up to 0.1 % as the annual
    report's charts print it: (1, 3) → "33.3%"; total 0 → "—"."""
    if not total:
        return NONE_TEXT
    tenths = (value * 2000 + total) // (2 * total)
    return f"{tenths // 10:,}.{tenths % 10}%"


def month_label(month: int) -> str:
    """「4月」 for 4."""
    return _("{month}月").format(month=month)


def period_label(fiscal_year: int, month: int | None) -> str:
    """The window a report covers: 「令和8年度（2026年度）」 or, for one month,
    「令和8年度（2026年度） 2027年1月」 (January–March belong to the next calendar year)."""
    label = fiscal_year_label(fiscal_year)
    if month is None:
        return label
    year = fiscal_year if month >= 4 else fiscal_year + 1
    return _("{fiscal_year} {year}年{month}月").format(fiscal_year=label, year=year, month=month)


def _label(code: str, labels: dict[str, str]) -> str:
    # A code no longer in the dictionary prints as stored; "" is 未記入.
    if not code or code == NOT_GIVEN:
        return _(NOT_GIVEN)
    return _(labels[code]) if code in labels else code


@dataclass(frozen=True)
class ProgressBar:
    """One target as the page's progress bar: fraction 0–1 of the bar filled
    (achievement capped at 100 %), text naming the target, result and rate."""

    label: str
    fraction: float
    text: str


@dataclass(frozen=True)
class ReportView:
    """Everything the reports page shows, formatted.

    period: 「令和8年度（2026年度）」 or with the month.
    targets: 指標 / 目標 / 実績 / 達成率 / 評価, one row per target set (no rows
        when none is); target_rows: the same for the PDF; bars: the same as
        progress bars.
    classes … months: the page's tables (`tables()` lists them with a slug).
    monthly: one chart per measure (開催回数, 延べ参加者数, 相談件数), April first.
    age_chart … kind_chart: the breakdowns behind the tables of the same name.
    """

    period: str
    # Each part is None when the `YearReport` does not carry it.
    targets: ReportTable | None = None
    target_rows: tuple[TargetRow, ...] | None = None
    bars: tuple[ProgressBar, ...] | None = None
    classes: ReportTable | None = None
    age_bands: ReportTable | None = None
    devices: ReportTable | None = None
    top_lessons: ReportTable | None = None
    desk: ReportTable | None = None
    categories: ReportTable | None = None
    channels: ReportTable | None = None
    referrals: ReportTable | None = None
    volunteers: ReportTable | None = None
    volunteer_kinds: ReportTable | None = None
    months: ReportTable | None = None
    monthly: tuple[MonthlySeries, ...] | None = None
    age_chart: Breakdown | None = None
    device_chart: Breakdown | None = None
    category_chart: Breakdown | None = None
    channel_chart: Breakdown | None = None
    referral_chart: Breakdown | None = None
    kind_chart: Breakdown | None = None
    # 貸出機の利用 (issue 17); None when the report carries no loan counts.
    loans: ReportTable | None = None
    # 出前講座・出張相談, when the report covers every venue (`YearReport.outreach`).
    outreach: ReportTable | None = None

    def tables(self) -> tuple[tuple[str, ReportTable], ...]:
        """Every table the view carries, with a slug for its CSV file name and
        widget keys, in page order."""
        tables = (
            ("targets", self.targets),
            ("classes", self.classes),
            ("age-bands", self.age_bands),
            ("devices", self.devices),
            ("top-lessons", self.top_lessons),
            ("loans", self.loans),
            ("outreach", self.outreach),
            ("desk", self.desk),
            ("categories", self.categories),
            ("channels", self.channels),
            ("referrals", self.referrals),
            ("volunteers", self.volunteers),
            ("volunteer-kinds", self.volunteer_kinds),
            ("months", self.months),
        )
        return tuple((slug, table) for slug, table in tables if table is not None)


def _split(
    title: str, head: str, counts: dict[str, int], labels: dict[str, str], people: bool, note: str = ""
) -> tuple[ReportTable, Breakdown]:
    """A count split by category: the table (head / 人数 or 件数 / 割合) and its chart."""
    total = sum(counts.values())
    items = tuple((_label(code, labels), n) for code, n in counts.items())
    rows = tuple((label, number(n), share(n, total)) for label, n in items)
    heading, unit = (_("人数"), _("人")) if people else (_("件数"), _("件"))
    return ReportTable(title, (head, heading, _("割合")), rows, note), Breakdown(title, items, unit)


def _targets(progress: tuple[Progress, ...]) -> dict:
    rows, target_rows, bars = [], [], []
    for p in progress:
        label, unit = _(TARGET_METRICS[p.metric]), _(TARGET_UNITS[p.metric])
        tenths, grade = achievement(p.target, p.actual)
        rate = NONE_TEXT if tenths is None else f"{tenths // 10:,}.{tenths % 10}%"
        target = number(p.target) + unit if p.target else _("未設定")
        actual = number(p.actual) + unit
        rows.append((label, target, actual, rate, grade))
        target_rows.append(TargetRow(label, p.target, p.actual, unit))
        bars.append(
            ProgressBar(
                label,
                0.0 if tenths is None else min(tenths, 1000) / 1000,
                _("{label}：実績 {actual} ／ 目標 {target}（達成率 {rate}・{grade}）").format(
                    label=label, actual=actual, target=target, rate=rate, grade=grade
                ),
            )
        )
    table = ReportTable(
        _("成果目標の進捗管理表"),
        (_("指標"), _("目標"), _("実績"), _("達成率"), _("評価")),
        tuple(rows),
        _("目標は年度全体・全会場の実績と比べます。達成率は小数第2位以下を切り捨てています。"),
    )
    return {"targets": table, "target_rows": tuple(target_rows), "bars": tuple(bars)}


def _loans(report: YearReport) -> ReportTable | None:
    """The 貸出機の利用 table: loans to attendees who came, per kind, borrowers,
    sessions with a loan, and phones recorded 未返却."""
    counts = report.loans
    if counts is None:
        return None
    return ReportTable(
        _("貸出機の利用"),
        (_("項目"), _("実績")),
        (
            (_("貸出件数"), number(counts.loans)),
            *((_("うち {kind}").format(kind=kind), number(n)) for kind, n in counts.by_kind.items()),
            (_("借りた人（実人数）"), number(counts.borrowers)),
            (_("貸出のあった回"), number(counts.sessions)),
            (_("未返却"), number(counts.not_returned)),
        ),
        _("出席した方に貸し出した件数です。未返却は、返却の記録が「未返却」のままのものです。"),
    )


def build_view(report: YearReport) -> ReportView:
    """Format one `YearReport` for the page, its CSV files and the PDF.

    Args:
        report: from `db.reports.year_report` (any window: a year or a month,
            every venue or one).
    Returns:
        `ReportView`; every table's rows are as long as its columns.
    """
    fields: dict = {"period": period_label(report.fiscal_year, report.month)}
    if report.progress is not None:
        fields |= _targets(report.progress)
    if report.classes is not None:
        fields |= _class_tables(report.classes)
        fields |= {"loans": _loans(report), "outreach": _outreach(report.outreach) if report.outreach is not None else None}
    if report.desk is not None:
        fields |= _desk_tables(report.desk)
    if report.volunteers is not None:
        fields |= _volunteer_tables(report.volunteers)
    if report.months is not None:
        fields |= _month_tables(report.months)
    return ReportView(**fields)


def _class_tables(c: ClassReport) -> dict:
    item = (_("項目"), _("実績"))
    classes = ReportTable(
        _("教室の実績"),
        item,
        (
            (_("開催回数"), number(c.sessions_held)),
            (_("開催予定（これから）"), number(c.sessions_upcoming)),
            (_("中止した回"), number(c.sessions_cancelled)),
            (_("定員の合計"), number(c.seats_offered)),
            (_("予約で埋まった席"), number(c.seats_filled)),
            (_("定員充足率"), percent(c.fill_rate)),
            (_("延べ参加者数"), number(c.attendances)),
            (_("うち遅刻"), number(c.late)),
            (_("欠席"), number(c.absences)),
            (_("欠席率"), percent(c.no_show_rate)),
            (_("実参加者数"), number(c.unique_attendees)),
            (_("うち新規参加者"), number(c.new_attendees)),
            (_("うち継続参加者"), number(c.returning_attendees)),
            (_("キャンセル待ちの人数"), number(c.waitlist_demand)),
        ),
        _("開催済みの回の数字です。定員充足率＝予約で埋まった席÷定員の合計。欠席率＝欠席÷（出席＋欠席）。"
          "新規参加者はこの期間に初めて出席した人です。") + _("出前講座・出張相談の回は含みません。"),
    )
    people_note = _("実参加者（出席した人）を1人1回数えます。")
    age_bands, age_chart = _split(_("年代別の参加者"), _("年代"), c.by_age_band, {}, True, people_note)
    devices, device_chart = _split(_("機種別の参加者"), _("機種"), c.by_device, {}, True, people_note)
    top_lessons = ReportTable(
        _("申込の多い講座"),
        (_("順位"), _("講座"), _("申込数"), _("席を確保"), _("キャンセル待ち")),
        tuple(
            (number(rank), lesson.title, number(lesson.requests), number(lesson.seated), number(lesson.waitlisted))
            for rank, lesson in enumerate(c.top_lessons, 1)
        ),
        _("申込数＝席を確保した予約＋キャンセル待ち。中止した回は含みません。"),
    )
    return {"classes": classes, "age_bands": age_bands, "devices": devices, "top_lessons": top_lessons,
            "age_chart": age_chart, "device_chart": device_chart}


def _desk_tables(d: DeskReport) -> dict:
    item = (_("項目"), _("実績"))
    desk = ReportTable(
        _("相談窓口の実績"),
        item,
        (
            (_("相談件数"), number(d.tickets)),
            (_("解決"), number(d.resolved)),
            (_("他機関へ案内"), number(d.referred)),
            (_("解決率"), percent(d.resolution_rate)),
            (_("対応時間（中央値）"), minutes_figure(d.median_minutes)),
            (_("フォロー待ち（現在の保留）"), number(d.open_follow_ups)),
        ),
        _("解決率＝解決÷相談件数。フォロー待ちは期間によらず、いま保留中の相談です。"),
    )
    categories, category_chart = _split(_("分類別の相談件数"), _("分類"), d.by_category, CATEGORIES, False)
    channels, channel_chart = _split(_("受付方法別の相談件数"), _("受付方法"), d.by_channel, CHANNELS, False)
    referrals, referral_chart = _split(_("案内先別の件数"), _("案内先"), d.referrals, REFERRALS, False)
    return {"desk": desk, "categories": categories, "channels": channels, "referrals": referrals,
            "category_chart": category_chart, "channel_chart": channel_chart, "referral_chart": referral_chart}


def _volunteer_tables(v: VolunteerReport) -> dict:
    item = (_("項目"), _("実績"))
    volunteers = ReportTable(
        _("ボランティアの活動"),
        item,
        (
            (_("活動したボランティア"), number(sum(v.active_by_kind.values()))),
            (_("担当回数"), number(v.shifts)),
            (_("活動時間"), duration(v.minutes)),
            (_("人手が足りなかった回"), number(v.understaffed)),
            (_("登録ボランティア（現在）"), number(sum(v.registered_by_kind.values()))),
        ),
        _("人手が足りなかった回＝講師がいない、または補助が必要数に足りなかった開催済みの回。"),
    )
    kinds = tuple(dict.fromkeys((*v.registered_by_kind, *v.active_by_kind)))
    volunteer_kinds = ReportTable(
        _("種別ごとのボランティア"),
        (_("種別"), _("登録者数（現在）"), _("活動した人数")),
        tuple(
            (_label(kind, KINDS), number(v.registered_by_kind.get(kind, 0)), number(v.active_by_kind.get(kind, 0)))
            for kind in kinds
        ),
    )
    kind_chart = Breakdown(
        _("種別ごとの活動した人数"), tuple((_label(kind, KINDS), v.active_by_kind.get(kind, 0)) for kind in kinds), _("人")
    )
    return {"volunteers": volunteers, "volunteer_kinds": volunteer_kinds, "kind_chart": kind_chart}


def _month_tables(report_months: tuple[MonthRow, ...]) -> dict:
    month_names = tuple(month_label(m.month) for m in report_months)
    months = ReportTable(
        _("月別の推移"),
        (_("月"), _("開催回数"), _("延べ参加者数"), _("実参加者数"), _("相談件数")),
        tuple(
            (name, number(m.sessions_held), number(m.attendances), number(m.unique_attendees), number(m.tickets))
            for name, m in zip(month_names, report_months)
        )
        + (
            (
                _("合計"),
                number(sum(m.sessions_held for m in report_months)),
                number(sum(m.attendances for m in report_months)),
                NONE_TEXT,
                number(sum(m.tickets for m in report_months)),
            ),
        ),
        _("年度の12か月です（月を選んでも年度全体を示します）。実参加者数は月ごとの人数で、同じ人が複数の月に数えられるため合計しません。"),
    )
    monthly = tuple(
        MonthlySeries(_("{measure}（月別）").format(measure=title), unit, month_names, ((title, values),))
        for title, unit, values in (
            (_("開催回数"), _("回"), tuple(m.sessions_held for m in report_months)),
            (_("延べ参加者数"), _("人"), tuple(m.attendances for m in report_months)),
            (_("相談件数"), _("件"), tuple(m.tickets for m in report_months)),
        )
    )
    return {"months": months, "monthly": monthly}


def _outreach(o: OutreachReport) -> ReportTable:
    """The 出前講座・出張相談 table: requests, how many were held and who came."""
    return ReportTable(
        _("出前講座・出張相談の実績"),
        (_("項目"), _("実績")),
        (
            (_("依頼件数"), number(o.requests)),
            *((_("うち{kind}").format(kind=_(OUTREACH_KINDS[kind])), number(n)) for kind, n in o.by_kind.items()),
            (_("うち取り下げ"), number(o.withdrawn)),
            (_("実施した回"), number(o.held)),
            (_("参加者数（報告済み）"), number(o.participants)),
            (_("報告待ちの回"), number(o.awaiting_report)),
            (_("決定済み（これから）"), number(o.upcoming)),
        ),
        _("依頼件数はこの期間に受け付けた件数、実施した回と参加者数はこの期間に開催した回の数字です。"
          "参加者数は報告された人数の合計で、教室の参加者数には含みません。"),
    )


def scope_label(venue_id: int | None, venue_names: dict[int, str]) -> str:
    """What a report covers: 「全会場」 for None, else the venue's name (its id
    when the venue is unknown)."""
    if venue_id is None:
        return _("全会場")
    return venue_names.get(venue_id, str(venue_id))


def annual_report(report: YearReport, centre: Centre, scope: str, prepared_on: date) -> AnnualReport:
    """The annual report (実績報告書) of a whole fiscal year, for
    `printouts.annual_report.render_annual_report`.

    Args:
        report: a whole-year `YearReport` (month None), for every venue or one.
        centre: printed in the footer. scope: `scope_label`. prepared_on: 作成日 (JST).
    Returns:
        `AnnualReport` with the targets, every table of `build_view` but the
        targets one (the report has its own), the three monthly charts and the
        breakdowns that have items.
    Raises:
        ValueError: a report of one month.
    """
    if report.month is not None:
        raise ValueError(f"an annual report covers the whole fiscal year, not month {report.month}")
    view = build_view(report)
    breakdowns = (view.age_chart, view.device_chart, view.category_chart, view.channel_chart, view.referral_chart, view.kind_chart)
    return AnnualReport(
        centre=centre,
        fiscal_year=report.fiscal_year,
        scope_label=scope,
        prepared_on=prepared_on,
        targets=view.target_rows,
        tables=tuple(table for slug, table in view.tables() if slug != "targets"),
        monthly=view.monthly,
        breakdowns=tuple(b for b in breakdowns if any(count for _name, count in b.items)),
    )
