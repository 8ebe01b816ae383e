"""Domain errors: every rule the desk refuses, in one place.

Each carries a Japanese message fit to show the user as is (`str(err)`); the
docstrings quote the message patterns raised (placeholders in {braces}). Pages
show them through `ui.run_write` / `ui.attempt`; none ever contains a My Number,
a password or a PIN.
"""

from __future__ import annotations

from datetime import datetime

from db.clock import now_utc
from locales import _


class DeskError(Exception):
    """Base of every rule the desk refuses; `str(err)` is the user-facing message."""


class NotFound(DeskError):
    """The record does not exist (or no longer does): 「開催回が見つかりません。」,
    「受講者が見つかりません。」, 「予約が見つかりません。」, 「ボランティアが見つかりません。」…"""


class InvalidInput(DeskError):
    """A field's value is refused; `field` names the form field. The message says
    what is expected, e.g. 「定員は 1〜{seats} 人（部屋の席数まで）です。」."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class SessionFull(DeskError):
    """Every seat of the session is taken: 「満席です（定員 {capacity} 人）。予約は登録していません。」"""


class AlreadyBooked(DeskError):
    """The attendee already holds a place in this session:
    「この方はすでにこの開催回を予約しています。」 / 「この方はすでにキャンセル待ちに入っています。」"""


class SessionNotOpen(DeskError):
    """The session is cancelled or already over:
    「この開催回は予約を受け付けていません（中止または開始済み）。」"""


class AttendanceClosed(DeskError):
    """Attendance is marked only from shortly before a session until 14 days after:
    「出欠は開始の{minutes}分前（{month}月{day}日 {time}）からつけられます。」 /
    「開催から{days}日を過ぎたため、出欠は変えられません。」"""


class RoomTaken(DeskError):
    """Another session uses the room at an overlapping time:
    「{room} はその時間に別の開催回があります（{session}）。」"""


class VenueClosed(DeskError):
    """The venue is closed (休館日) on that date: 「{date} は休館日です（{reason}）。」"""


class ShiftConflict(DeskError):
    """A volunteer assignment breaks a staffing rule: 「この方はすでにこの開催回の担当です。」,
    「この開催回の講師はすでに決まっています。」, 「この方の{month}月の担当は上限の{limit}回に達しています。」…"""


class PermissionDenied(DeskError):
    """The signed-in user's role may not do this: 「この操作をする権限がありません。」, or a
    narrower one such as 「ご自身の予定だけを見られます。」 (db.permissions.require)."""


class AuthFailed(DeskError):
    """Wrong username or password, deliberately not saying which:
    「ユーザー名またはパスワードが違います。」 / 「いまのパスワードが違います。」"""


class AccountLocked(DeskError):
    """Too many failed sign-ins from this browser; `until` is when the lock ends (UTC):
    「サインインに続けて失敗したため、この端末からは一時的にサインインできません。
    約{minutes}分後にもう一度お試しください。…」"""

    def __init__(self, until: datetime):
        minutes = max(1, int((until - now_utc()).total_seconds() // 60) + 1)
        super().__init__(
            _(
                "サインインに続けて失敗したため、この端末からは一時的にサインインできません。"
                "約{minutes}分後にもう一度お試しください。急ぐときは管理者にロック解除を頼んでください。"
            ).format(minutes=minutes)
        )
        self.until = until


class DuplicateAttendee(InvalidInput):
    """Likely already registered: same phone number, or same name and フリガナ:
    「同じ方が登録されているかもしれません：{name}（{phone}）、…」

    `existing` lists them (`db.attendees.Attendee` rows) so staff can pick the
    person instead, or confirm a different person (e.g. a family sharing a landline).
    """

    def __init__(self, existing: list):
        names = "、".join(f"{a.name}（{a.phone}）" for a in existing)
        super().__init__("phone", _("同じ方が登録されているかもしれません：{names}").format(names=names))
        self.existing = existing


class MyNumberRejected(InvalidInput):
    """A field holds what looks like a マイナンバー (DESIGN.md §5, §7):
    「「{field}」に、マイナンバー（個人番号）と思われる12桁の数字があります。マイナンバーは記録できません。…」

    An `InvalidInput`, so forms show it next to the field like any refused value.
    The message names the field and never contains the number (db.guard).
    """


class ImportRefused(InvalidInput):
    """The file cannot be imported; nothing was written: 「CSVファイルとして読み取れません。
    Excelで保存し直してください。」, or a message naming the rows at fault.

    `lines` lists the spreadsheet rows at fault (empty when the file as a whole is
    unreadable: encoding, format, header).
    """

    def __init__(self, message: str, lines: tuple[int, ...] = ()):
        super().__init__("file", message)
        self.lines = lines


class RestoreRefused(DeskError):
    """The file failed a check of `db.backup.check_backup`; nothing was replaced:
    「バックアップが壊れています（integrity_check）。何も置き換えていません。」,
    「スマホ教室デスクのデータベースではありません。何も置き換えていません。」…"""


class WalNotCleared(DeskError):
    """The erasure is saved, but a reader kept the write-ahead log from being
    truncated in time; `erased` residents were anonymised:
    「{n} 人の個人情報を削除しました。ただし、ほかの画面が読み込み中のため、…」"""

    def __init__(self, erased: int):
        super().__init__(
            _(
                "{n} 人の個人情報を削除しました。ただし、ほかの画面が読み込み中のため、消した文字がまだ一時ファイル（-wal）に残っています。"
                "ほかの画面を閉じてから、「一時ファイルを片付ける」を押してください。"
            ).format(n=erased)
        )
        self.erased = erased


class LoanShortfall(DeskError):
    """Fewer free loan phones (貸出機) than attendees who need one; `kind` and
    `missing` name it: 「{kind} が {missing} 台足りません（必要 {needed} 台・貸せるのは
    {free} 台）。貸出機は割り当てていません。」 (db.loans.allocate)"""

    def __init__(self, kind: str, missing: int, needed: int, free: int):
        super().__init__(
            _("{kind} が {missing} 台足りません（必要 {needed} 台・貸せるのは {free} 台）。貸出機は割り当てていません。").format(
                kind=kind, missing=missing, needed=needed, free=free
            )
        )
        self.kind, self.missing = kind, missing


class PhoneUnavailable(DeskError):
    """The chosen loan phone cannot be lent for this session: 「「{label}」は{status}です。」,
    「「{label}」はこの開催回の施設の貸出機ではありません。」, 「「{label}」は {where} に貸し出しています。」,
    「中止した開催回には貸出機を割り当てられません。」… (db.loans.assign)"""


class IllegalTransition(DeskError):
    """An 出前講座・出張相談 request cannot take that step from where it is:
    「「{status}」の依頼を「{target}」にはできません。次にできるのは「{allowed}」です。」 (db.outreach)"""


class TooManySheets(DeskError):
    """More 受講後アンケート sheets than attendees marked 出席 in the session:
    「この回の出席は{attended}人で、入力済みの用紙が{entered}枚あります。あと{left}枚までしか
    入力できません。…」 (db.surveys.enter_sheets)"""


class ApplicationRefused(DeskError):
    """An application (申込) the lottery does not take: 「この方はすでに申し込んでいます
    （受付番号 {number}）。」, 「受付期間は {when} で終わりました。申込は受け付けていません。」,
    「申込の受付は {when} からです。まだ受け付けていません。」 (db.lottery)"""


class DrawRefused(DeskError):
    """The draw cannot run: 「受付期間が終わるまで抽選できません（締切 {when}）。」,
    「この抽選はすでに行いました。」 (db.lottery.run_draw)"""


class EditConflict(DeskError):
    """A record changed since the form that edits it was opened, so saving would
    silently undo someone else's change: 「この依頼は、開いている間にほかの方が
    変更しました。…」 (db.outreach.update_request)"""
