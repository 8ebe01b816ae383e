"""Msgids that `pybabel extract` cannot see in the code, listed so the catalogue keeps them.

* Labels translated through a variable, e.g. ``_(p.title)`` or ``_(ROLES[role])``: the
  values of ``ui.PAGES`` (titles), ``db.permissions.ROLES``, ``db.volunteers.ROLES``,
  ``db.bookings.STATUS_LABELS``, ``db.exports.STATUS_LABELS`` and
  ``printouts.signin_sheet.STATUS_LABELS``.
* ``_('…')`` written inside an f-string, which babel's extractor does not read on
  Python 3.11.

Nothing imports this module; it is only read by `pybabel extract` (locales/README.md).
tests/test_locales.py fails when a label or msgid above is missing here.
"""


def _(message: str) -> str:
    return message


# Page titles (ui.PAGES).
PAGE_TITLES = (
    _("開催予定"),
    _("予約"),
    _("出欠"),
    _("受講者"),
    _("ボランティア"),
    _("印刷"),
    _("わたしの予定"),
    _("講座一覧"),
    _("パスワード変更"),
    _("施設と設定"),
    _("アカウント"),
    _("操作の記録"),
    _("個人情報の削除"),
    _("バックアップ"),
)

# Account roles (db.permissions.ROLES) and shift roles (db.volunteers.ROLES).
ROLES = (
    _("管理者"),
    _("職員"),
    _("ボランティア"),
    _("講師"),
    _("補助"),
)

# Booking statuses (db.bookings, db.exports and printouts.signin_sheet STATUS_LABELS).
STATUS_LABELS = (
    _("予約"),
    _("キャンセル待ち"),
    _("繰り上げ連絡中"),
    _("取消"),
    _("出席"),
    _("出席済"),
    _("欠席"),
    _("遅刻"),
)

# `_('…')` inside f-strings.
IN_F_STRINGS = (
    _("得意分野なし"),  # app_pages/volunteers.py
    _("{name} 様"),  # printouts/booking_slip.py
    _("まで"),  # printouts/booking_slip.py
    _("お伝えすること："),  # printouts/call_list.py
    _("iPhone："),  # printouts/handout.py
    _("Android："),  # printouts/handout.py
)
