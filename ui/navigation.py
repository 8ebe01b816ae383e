"""The screens and who may open each (README "Permissions")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """A screen: its file, title, icon, URL and the roles that may open it."""

    key: str
    title: str
    icon: str
    roles: frozenset[str]


ALL = frozenset({"admin", "staff", "volunteer"})
STAFF = frozenset({"admin", "staff"})
ADMIN = frozenset({"admin"})

# The permission matrix for pages (README "Permissions" lists the same).
PAGES = (
    PageSpec("schedule", "開催予定", ":material/edit_calendar:", STAFF),
    PageSpec("calendar", "予定表", ":material/calendar_month:", ALL),
    PageSpec("bookings", "予約", ":material/event_seat:", STAFF),
    PageSpec("attendance", "出欠", ":material/how_to_reg:", STAFF),
    PageSpec("attendees", "受講者", ":material/groups:", STAFF),
    PageSpec("volunteers", "ボランティア", ":material/volunteer_activism:", STAFF),
    PageSpec("printouts", "印刷", ":material/print:", STAFF),
    PageSpec("helpdesk", "相談窓口", ":material/support_agent:", ALL),
    PageSpec("reports", "実績報告", ":material/monitoring:", STAFF),
    PageSpec("my_schedule", "わたしの予定", ":material/event_available:", frozenset({"volunteer"})),
    PageSpec("lessons", "講座一覧", ":material/menu_book:", ALL),
    PageSpec("account", "パスワード変更", ":material/key:", ALL),
    PageSpec("venues", "施設と設定", ":material/apartment:", ADMIN),
    PageSpec("accounts", "アカウント", ":material/manage_accounts:", ADMIN),
    PageSpec("audit", "操作の記録", ":material/history:", ADMIN),
    PageSpec("retention", "個人情報の削除", ":material/person_remove:", ADMIN),
    PageSpec("backups", "バックアップ", ":material/backup:", ADMIN),
)
PAGE_BY_KEY = {p.key: p for p in PAGES}
# Where a role lands after signing in (else its first page in the menu).
HOME = {"volunteer": "my_schedule"}


def home_page(role: str) -> str | None:
    """The page key a role lands on, or None when it may open no page."""
    return HOME.get(role) or next((p.key for p in PAGES if role in p.roles), None)


def may_open(role: str, page_key: str) -> bool:
    """Whether a role may open a page (False for an unknown page)."""
    spec = PAGE_BY_KEY.get(page_key)
    return spec is not None and role in spec.roles
