"""Centre-wide settings (key/value rows in ``settings``)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime, time
from urllib.parse import urlsplit

from sqlite_utils import Database

from db import audit
from db.errors import InvalidInput
from db.permissions import Actor, require
from db.text import normalise_phone
from locales import _

BODY_SIZES_PT = (16, 20, 24)


@dataclass(frozen=True)
class Settings:
    """Settings with their defaults.

    centre_name / centre_phone: printed in every printout's footer (DESIGN.md §8).
    helper_ratio: one helper (補助) per this many seats (DESIGN.md §7, default 4).
    body_pt: printout body size in pt, one of 16 / 20 / 24 (DESIGN.md §8).
    idle_timeout_min: minutes without activity before a sign-out (default 30).
    retention_years: years without booking, attendance or ticket before a
        resident is listed for anonymisation (DESIGN.md §7, default 3).
    backup_keep: daily backups kept (default 14).
    desk_opens / desk_closes: the desk's opening hours, "HH:MM" JST (default
        09:00–17:00): when staff can phone residents. An offer (繰り上げ連絡) holds
        until `desk_closes` of its last open day (DESIGN.md §7).
    offer_open_days: the offer holds until the close of this many open days
        after it is made (default 2; DESIGN.md §7).
    attendance_opens_min: minutes before a session starts from which its
        attendance (出欠) can be marked (default 30; DESIGN.md §7).
    centre_url: the centre's own web page, printed as a 二次元コード on the
        monthly flyer (issue 5); "" for none.
    """

    centre_name: str = ""
    centre_phone: str = ""
    helper_ratio: int = 4
    body_pt: int = 16
    idle_timeout_min: int = 30
    retention_years: int = 3
    backup_keep: int = 14
    desk_opens: str = "09:00"
    desk_closes: str = "17:00"
    offer_open_days: int = 2
    attendance_opens_min: int = 30
    centre_url: str = ""


def _clock_text(field: str, value: object) -> str:
    """ "9:00", "09:00" or a `datetime.time` as "HH:MM"; InvalidInput otherwise."""
    text = value.strftime("%H:%M") if isinstance(value, time) else str(value).strip()
    try:
        return datetime.strptime(text, "%H:%M").strftime("%H:%M")
    except ValueError:
        raise InvalidInput(field, _("時刻は 9:00 のように入力してください。")) from None


def desk_hours(config: Settings) -> tuple[time, time]:
    """The desk's opening hours as (opens, closes), JST wall-clock times."""
    return time.fromisoformat(config.desk_opens), time.fromisoformat(config.desk_closes)


def get_settings(db: Database) -> Settings:
    """Read the settings; keys never stored keep their defaults."""
    stored = {row["key"]: row["value"] for row in db["settings"].rows}
    values = {}
    for f in fields(Settings):
        if f.name in stored:
            values[f.name] = int(stored[f.name]) if f.type == "int" else stored[f.name]
    return Settings(**values)


def update_settings(db: Database, actor: Actor, **changes: object) -> Settings:
    """Validate and store changed settings.

    Args:
        changes: any of the `Settings` fields.
    Returns:
        the settings after the change.
    Raises:
        PermissionDenied: not an admin.
        InvalidInput: unknown key, empty centre name, bad phone, ratio outside
            1–15, body size not 16/20/24, idle timeout outside 5–480 min,
            retention outside 1–10 years, backups kept outside 1–365, desk
            hours that are not HH:MM or do not open before they close, offer
            open days outside 1–7, attendance opening outside 0–240 min, a
            centre URL that is not https:// or http:// with a host, or longer
            than 200 characters.
    """
    require(actor, "settings.update")
    current = get_settings(db)
    known = {f.name for f in fields(Settings)}
    unknown = set(changes) - known
    if unknown:
        raise InvalidInput(sorted(unknown)[0], _("不明な設定です。"))
    if "centre_name" in changes:
        name = str(changes["centre_name"]).strip()
        if not name:
            raise InvalidInput("centre_name", _("施設名を入力してください。"))
        changes["centre_name"] = name
    if "centre_phone" in changes:
        changes["centre_phone"] = normalise_phone(str(changes["centre_phone"]))[0]
    if "helper_ratio" in changes and not 1 <= int(changes["helper_ratio"]) <= 15:
        raise InvalidInput("helper_ratio", _("補助の人数の目安は 1〜15 人に1人で指定してください。"))
    if "body_pt" in changes and int(changes["body_pt"]) not in BODY_SIZES_PT:
        raise InvalidInput("body_pt", _("文字の大きさは 16・20・24 ポイントから選んでください。"))
    if "idle_timeout_min" in changes and not 5 <= int(changes["idle_timeout_min"]) <= 480:
        raise InvalidInput("idle_timeout_min", _("自動サインアウトまでの時間は 5〜480 分で指定してください。"))
    if "retention_years" in changes and not 1 <= int(changes["retention_years"]) <= 10:
        raise InvalidInput("retention_years", _("保存期間は 1〜10 年で指定してください。"))
    for key in ("desk_opens", "desk_closes"):
        if key in changes:
            changes[key] = _clock_text(key, changes[key])
    opens, closes = changes.get("desk_opens", current.desk_opens), changes.get("desk_closes", current.desk_closes)
    if opens >= closes:
        raise InvalidInput("desk_closes", _("窓口の終了時刻は開始時刻より後にしてください。"))
    if "offer_open_days" in changes and not 1 <= int(changes["offer_open_days"]) <= 7:
        raise InvalidInput("offer_open_days", _("繰り上げ連絡の期限は 1〜7 開館日で指定してください。"))
    if "attendance_opens_min" in changes and not 0 <= int(changes["attendance_opens_min"]) <= 240:
        raise InvalidInput("attendance_opens_min", _("出欠をつけ始める時刻は、開始の 0〜240 分前で指定してください。"))
    if "backup_keep" in changes and not 1 <= int(changes["backup_keep"]) <= 365:
        raise InvalidInput("backup_keep", _("残すバックアップの数は 1〜365 で指定してください。"))
    if "centre_url" in changes:
        url = str(changes["centre_url"]).strip()
        parts = urlsplit(url)
        if url and (parts.scheme not in ("https", "http") or not parts.netloc or len(url) > 200 or any(c.isspace() for c in url)):
            raise InvalidInput("centre_url", _("ホームページのアドレスは https:// から始まる形で入力してください。"))
        changes["centre_url"] = url
    updated = replace(current, **changes)
    with db.atomic():
        db["settings"].upsert_all(
            [{"key": k, "value": str(getattr(updated, k))} for k in changes], pk="key"
        )
        audit.record(db, actor, "update", "settings", None, {k: str(v) for k, v in changes.items()})
    return updated
