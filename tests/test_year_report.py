"""views.year_report (issue 7): a hand-built YearReport, no database, formatted for the
page, the CSV files and the annual report — every figure written once the same
way, rates "—" when there is nothing to divide by, and the PDF reads back."""

from __future__ import annotations

import csv
import io
from datetime import date

import pdfplumber
import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.reports import NOT_GIVEN, ClassReport, DeskReport, LessonDemand, MonthRow, Progress, VolunteerReport, YearReport
from printouts.annual_report import render_annual_report
from printouts.csv_export import to_csv
from printouts.dates import duration
from printouts.model import Centre
from views import year_report as presenter

FY = 2025
START, END = date(2025, 4, 1), date(2026, 4, 1)
CENTRE = Centre("テスト市民センター", "03-0000-0000")
SESSIONS = (8, 9, 11, 10, 6, 12, 14, 13, 9, 7, 11, 12)
ATTENDANCES = (64, 71, 93, 88, 43, 102, 118, 111, 74, 57, 96, 1105)
TICKETS = (21, 18, 25, 19, 16, 27, 31, 26, 17, 15, 22, 24)


def year_report(month=None, empty=False) -> YearReport:
    classes = ClassReport(
        start=START,
        end=END,
        venue_id=None,
        sessions_held=0 if empty else 122,
        sessions_upcoming=3,
        sessions_cancelled=2,
        seats_offered=0 if empty else 1464,
        seats_filled=0 if empty else 1244,
        fill_rate=None if empty else 1244 / 1464,
        attendances=0 if empty else 1981,
        late=17,
        absences=0 if empty else 96,
        no_show_rate=None if empty else 96 / (1981 + 96),
        unique_attendees=412,
        new_attendees=233,
        returning_attendees=179,
        by_age_band={"〜59": 12, "60代": 88, "70代": 190, "80代": 101, "90代〜": 14, NOT_GIVEN: 7},
        by_device={"iPhone": 170, "Android": 150, "らくらくスマホ": 52, "携帯電話": 20, "なし": 13, NOT_GIVEN: 7},
        waitlist_demand=58,
        top_lessons=(
            LessonDemand("myna-app", "マイナアプリを使う", 311, 290, 21),
            LessonDemand("line-basics", "LINEをはじめる", 287, 280, 7),
        ),
    )
    desk = DeskReport(
        start=START,
        end=END,
        venue_id=None,
        tickets=0 if empty else 261,
        by_category={} if empty else {"mynaportal": 96, "line": 82, "scams": 47, "retired": 36},
        by_channel={} if empty else {"visit": 180, "phone": 81},
        resolved=0 if empty else 223,
        referred=0 if empty else 31,
        resolution_rate=None if empty else 223 / 261,
        median_minutes=None if empty else 22.5,
        referrals={} if empty else {"myna_dial": 19, "police": 12},
        open_follow_ups=4,
    )
    volunteers = VolunteerReport(
        start=START,
        end=END,
        venue_id=None,
        registered_by_kind={"promoter": 12, "supporter": 8, "student": 5, "staff": 3, "other": 0},
        active_by_kind={"promoter": 10, "supporter": 6, "student": 5, "staff": 2, "other": 0},
        shifts=244,
        minutes=21990,  # 366 h 30 min
        understaffed=9,
    )
    months = tuple(
        MonthRow(FY if m >= 4 else FY + 1, m, s, a, a // 2, t)
        for m, s, a, t in zip((4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3), SESSIONS, ATTENDANCES, TICKETS)
    )
    progress = (
        Progress("sessions_held", 150, 122, 122 / 150),
        Progress("attendances", 1500, 1981, 1981 / 1500),
        Progress("tickets", 0, 261, None),
    )
    return YearReport(FY, month, None, classes, desk, volunteers, months, progress)


def cells(view: presenter.ReportView) -> str:
    return " ".join(cell for _slug, table in view.tables() for row in table.rows for cell in row)


def row(table, label: str) -> tuple[str, ...]:
    return next(r for r in table.rows if r[0] == label)


def test_every_figure_appears_formatted_once_in_its_table():
    view = presenter.build_view(year_report())
    assert row(view.classes, "開催回数")[1] == "122"
    assert row(view.classes, "定員の合計")[1] == "1,464"
    assert row(view.classes, "延べ参加者数")[1] == "1,981"
    assert row(view.classes, "定員充足率")[1] == "85.0%"  # 1,244 ÷ 1,464 = 84.97 %
    assert row(view.classes, "欠席率")[1] == "4.6%"  # 96 ÷ 2,077
    assert [row(view.classes, k)[1] for k in ("実参加者数", "うち新規参加者", "うち継続参加者")] == ["412", "233", "179"]
    assert row(view.desk, "解決率")[1] == "85.4%"  # 223 ÷ 261
    assert row(view.desk, "対応時間（中央値）")[1] == "22.5分"
    assert row(view.volunteers, "活動時間")[1] == "366時間30分"
    assert row(view.volunteers, "活動したボランティア")[1] == "23"
    assert row(view.volunteer_kinds, "デジタル推進委員")[1:] == ("12", "10")
    assert row(view.age_bands, "70代")[1:] == ("190", "46.1%")  # 190 ÷ 412
    assert row(view.age_bands, "未記入")[1] == "7"
    assert row(view.categories, "マイナポータル・マイナアプリ")[1:] == ("96", "36.8%")
    assert row(view.categories, "retired")[1] == "36", "a code no longer known prints as stored"
    assert row(view.referrals, "警察相談専用電話（#9110）")[1] == "12"
    assert row(view.top_lessons, "1")[1:] == ("マイナアプリを使う", "311", "290", "21")
    assert row(view.months, "3月")[1:] == ("12", "1,105", "552", "24")
    assert row(view.months, "合計")[1:] == (f"{sum(SESSIONS):,}", f"{sum(ATTENDANCES):,}", "—", f"{sum(TICKETS):,}")


def test_targets_show_rate_and_grade_and_cap_the_bar():
    view = presenter.build_view(year_report())
    assert row(view.targets, "開催回数") == ("開催回数", "150回", "122回", "81.3%", "概ね順調（80%以上）")
    assert row(view.targets, "延べ参加者数")[1:] == ("1,500人", "1,981人", "132.0%", "達成")
    assert row(view.targets, "相談件数")[1:] == ("未設定", "261件", "—", "目標未設定")
    fractions = {bar.label: bar.fraction for bar in view.bars}
    assert fractions == {"開催回数": 0.813, "延べ参加者数": 1.0, "相談件数": 0.0}
    assert "81.3%" in view.bars[0].text


def test_rates_without_a_denominator_show_a_dash():
    view = presenter.build_view(year_report(empty=True))
    for label in ("定員充足率", "欠席率"):
        assert row(view.classes, label)[1] == "—"
    assert row(view.desk, "解決率")[1] == "—" and row(view.desk, "対応時間（中央値）")[1] == "—"
    assert view.categories.rows == () and view.referrals.rows == ()


def test_tables_are_rectangular_and_export_as_csv():
    view = presenter.build_view(year_report())
    for slug, table in view.tables():
        assert table.rows, slug
        assert all(len(r) == len(table.columns) for r in table.rows), slug
        data = to_csv(table.columns, table.rows)
        assert data.startswith("\ufeff".encode())
        read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert read == [list(table.columns), *map(list, table.rows)], slug


def test_a_lesson_title_that_looks_like_a_formula_is_neutralised_in_csv():
    report = year_report()
    classes = report.classes.__class__(**{**report.classes.__dict__, "top_lessons": (LessonDemand("x", "=1+2", 1, 1, 0),)})
    view = presenter.build_view(report.__class__(**{**report.__dict__, "classes": classes}))
    data = to_csv(view.top_lessons.columns, view.top_lessons.rows).decode("utf-8-sig")
    assert "'=1+2" in data


@given(st.integers(min_value=0, max_value=10**7))
def test_duration_reads_back_to_the_minutes(minutes):
    text = duration(minutes)
    hours, _sep, rest = text.rpartition("時間")
    assert int(hours.replace(",", "") or 0) * 60 + int(rest.removesuffix("分")) == minutes


def test_one_month_is_named_in_its_calendar_year():
    assert presenter.period_label(2025, None) == "令和7年度（2025年度）"
    assert presenter.period_label(2025, 1) == "令和7年度（2025年度） 2026年1月"
    assert presenter.period_label(2025, 10) == "令和7年度（2025年度） 2025年10月"


def test_the_annual_report_renders_the_same_figures():
    report = presenter.annual_report(year_report(), CENTRE, "全会場", date(2026, 4, 15))
    assert [t.label for t in report.targets] == ["開催回数", "延べ参加者数", "相談件数"]
    assert "成果目標の進捗管理表" not in [t.title for t in report.tables]
    pdf = render_annual_report(report, 16)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages).replace("\n", "")
    for figure in ("1,464", "85.0%", "366時間30分", "22.5分", "マイナアプリを使う", "81.3%", "テスト市民センター"):
        assert figure in text, figure
    with pytest.raises(ValueError):
        presenter.annual_report(year_report(month=10), CENTRE, "全会場", date(2026, 4, 15))
