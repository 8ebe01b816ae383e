"""Msgids that `pybabel extract` cannot see in the code, listed so the catalogue keeps them.

* Labels translated through a variable, e.g. ``_(p.title)`` or ``_(ROLES[role])``: the
  printout registers ``printouts.model.REGISTER_LABELS``, the
  values of ``ui.PAGES`` (titles), ``db.permissions.ROLES``, ``db.volunteers.ROLES``,
  ``db.bookings.STATUS_LABELS``, ``db.exports.STATUS_LABELS``,
  ``printouts.signin_sheet.STATUS_LABELS``, ``db.volunteers.KINDS``, the help-desk
  labels ``db.tickets.CHANNELS``, ``CATEGORIES``, ``STATUSES`` and ``REFERRALS``, and
  the loan phones' ``db.loans.STATUSES`` and ``db.loans.RETURNS``, the reports'
  ``db.reports.TARGET_METRICS``, ``db.reports.NOT_GIVEN`` and
  ``views.year_report.TARGET_UNITS``, and the lottery's ``db.lottery.STAGES``.
* ``_('…')`` written inside an f-string, which babel's extractor does not read on
  Python 3.11.

Nothing imports this module; it is only read by `pybabel extract` (locales/README.md).
tests/test_locales.py fails when a label or msgid above is missing here.
"""


def _(message: str) -> str:
    return message


# Printout registers (printouts.model.REGISTER_LABELS).
REGISTERS = (
    _("標準"),
    _("やさしい日本語"),
    _("English"),
)

# Page titles (ui.PAGES).
PAGE_TITLES = (
    _("今日"),
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

# Menu sections (ui.navigation.SECTIONS).
SECTIONS = (
    _("今日"),
    _("教室"),
    _("相談"),
    _("ボランティア"),
    _("報告"),
    _("管理"),
    _("自分の設定"),
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

# Volunteer kinds (db.volunteers.KINDS).
LOAN_STATUSES = (
    _("使用可"),
    _("修理中"),
    _("使用終了"),
)
LOAN_RETURNS = (
    _("返却済み"),
    _("未返却"),
)
VOLUNTEER_KINDS = (
    _("デジタル推進委員"),
    _("デジタル活用支援員"),
    _("学生"),
    _("職員"),
    _("その他"),
)

# Help-desk intake channels (db.tickets.CHANNELS).
TICKET_CHANNELS = (
    _("来所"),
    _("電話"),
    _("教室後"),
    _("訪問"),
)

# Help-desk categories (db.tickets.CATEGORIES).
TICKET_CATEGORIES = (
    _("スマホ基本操作"),
    _("電話・メール"),
    _("LINE"),
    _("インターネット"),
    _("アプリ"),
    _("マイナンバーカード申請"),
    _("マイナポータル・マイナアプリ"),
    _("マイナ保険証"),
    _("公金受取口座"),
    _("電子証明書"),
    _("行政手続"),
    _("詐欺・セキュリティ"),
    _("キャッシュレス"),
    _("その他"),
)

# Help-desk statuses (db.tickets.STATUSES).
TICKET_STATUSES = (
    _("新規"),
    _("対応中"),
    _("保留"),
    _("解決"),
    _("他機関へ案内"),
    _("終了"),
)

# Where a help-desk case was referred (db.tickets.REFERRALS).
TICKET_REFERRALS = (
    _("携帯電話ショップ"),
    _("市役所・区役所の窓口"),
    _("マイナンバー総合フリーダイヤル（0120-95-0178）"),
    _("消費生活センター（188）"),
    _("警察相談専用電話（#9110）"),
    _("その他"),
)

# Outcome targets (db.reports.TARGET_METRICS), their units (views.year_report.TARGET_UNITS)
# and the label of a blank value (db.reports.NOT_GIVEN).
REPORTS = (
    _("開催回数"),
    _("延べ参加者数"),
    _("実参加者数"),
    _("新規参加者数"),
    _("相談件数"),
    _("活動ボランティア数"),
    _("回"),
    _("人"),
    _("件"),
    _("未記入"),
)

# Lesson levels (lessons.LEVELS), printed on the handout.
LESSON_LEVELS = (
    _("基本"),
    _("応用"),
)

# `_('…')` inside f-strings.
IN_F_STRINGS = (
    _("得意分野なし"),  # app_pages/volunteers.py
    _("{name} 様"),  # printouts/booking_slip.py
    _("お伝えすること："),  # printouts/call_list.py
    _("iPhone："),  # printouts/handout.py
    _("Android："),  # printouts/handout.py
)

# 出前講座・出張相談 (db.outreach): page title, kinds, groups, statuses, the place's room.
OUTREACH = (
    _("出前講座・出張相談"),
    _("出前講座"),
    _("出張相談"),
    _("自治会・町内会"),
    _("サロン"),
    _("老人クラブ"),
    _("サークル・クラブ"),
    _("その他"),
    _("受付"),
    _("調整中"),
    _("決定"),
    _("実施"),
    _("報告"),
    _("取り下げ"),
    _("会場"),
)


# 受講後アンケート (issue 17): the questions and levels (db.surveys.QUESTIONS, SCALES),
# the survey targets (db.surveys.TARGET_METRICS), the entry grid's columns
# (app_pages/surveys.py COLUMNS) and the sheet's own words (printouts/survey_sheet.py,
# passed through its `_words`).
SURVEYS = (
    _("理解度"),
    _("満足度"),
    _("よくわかった"),
    _("だいたいわかった"),
    _("半分くらいわかった"),
    _("あまりわからなかった"),
    _("わからなかった"),
    _("とても満足"),
    _("満足"),
    _("ふつう"),
    _("やや不満"),
    _("不満"),
    _("理解度4〜5の割合"),
    _("満足度4〜5の割合"),
    _("次に学びたいこと"),
    _("ご意見・ご感想"),
    _("お名前（任意）"),
    _("受講後アンケート"),
    _("当てはまる番号を、1つ○で囲んでください。"),
    _("1. 内容はわかりましたか（理解度）"),
    _("2. 満足しましたか（満足度）"),
    _("3. ご意見・ご感想"),
    _("お名前（書かなくてもかまいません）"),
    _("4. 次に学びたいこと（いくつでも✓）"),
    _("学びたい講座の□に✓を付けてください。"),
    _("ご協力ありがとうございました。"),
)


# Where a lottery stands (db.lottery.STAGES).
LOTTERY_STAGES = (
    _("受付前"),
    _("受付中"),
    _("締切（抽選待ち）"),
    _("抽選済み"),
)
