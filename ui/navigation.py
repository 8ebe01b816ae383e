"""The screens and who may open each (README "Permissions")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """A screen: its file, title, icon, URL, the roles that may open it, and the
    menu section it is listed under (a key of `SECTIONS`)."""

    key: str
    title: str
    icon: str
    roles: frozenset[str]
    section: str


ALL = frozenset({"admin", "staff", "volunteer"})
STAFF = frozenset({"admin", "staff"})
ADMIN = frozenset({"admin"})

# The menu's sections, in order (msgids; translated where drawn).
SECTIONS = ("今日", "教室", "相談", "ボランティア", "報告", "管理", "自分の設定")

# The permission matrix for pages (README "Permissions" lists the same).
PAGES = (
    PageSpec("today", "今日", ":material/today:", STAFF, "今日"),
    PageSpec("my_schedule", "わたしの予定", ":material/event_available:", frozenset({"volunteer"}), "今日"),
    PageSpec("schedule", "開催予定", ":material/edit_calendar:", STAFF, "教室"),
    PageSpec("calendar", "予定表", ":material/calendar_month:", ALL, "教室"),
    PageSpec("bookings", "予約", ":material/event_seat:", STAFF, "教室"),
    PageSpec("attendance", "出欠", ":material/how_to_reg:", STAFF, "教室"),
    PageSpec("attendees", "受講者", ":material/groups:", STAFF, "教室"),
    PageSpec("printouts", "印刷", ":material/print:", STAFF, "教室"),
    PageSpec("surveys", "アンケート", ":material/rate_review:", STAFF, "教室"),
    PageSpec("lessons", "講座一覧", ":material/menu_book:", ALL, "教室"),
    PageSpec("outreach", "出前講座・出張相談", ":material/home_work:", STAFF, "教室"),
    PageSpec("helpdesk", "相談窓口", ":material/support_agent:", ALL, "相談"),
    PageSpec("volunteers", "ボランティア", ":material/volunteer_activism:", STAFF, "ボランティア"),
    PageSpec("reports", "実績報告", ":material/monitoring:", STAFF, "報告"),
    PageSpec("venues", "施設と設定", ":material/apartment:", STAFF, "管理"),
    PageSpec("accounts", "アカウント", ":material/manage_accounts:", ADMIN, "管理"),
    PageSpec("audit", "操作の記録", ":material/history:", ADMIN, "管理"),
    PageSpec("retention", "個人情報の削除", ":material/person_remove:", ADMIN, "管理"),
    PageSpec("backups", "バックアップ", ":material/backup:", ADMIN, "管理"),
    PageSpec("account", "パスワード変更", ":material/key:", ALL, "自分の設定"),
)
PAGE_BY_KEY = {p.key: p for p in PAGES}
# Where a role lands after signing in (else its first page in the menu).
HOME = {"admin": "today", "staff": "today", "volunteer": "my_schedule"}


def home_page(role: str) -> str | None:
    """The page key a role lands on, or None when it may open no page."""
    return HOME.get(role) or next((p.key for p in PAGES if role in p.roles), None)


def may_open(role: str, page_key: str) -> bool:
    """Whether a role may open a page (False for an unknown page)."""
    spec = PAGE_BY_KEY.get(page_key)
    return spec is not None and role in spec.roles
