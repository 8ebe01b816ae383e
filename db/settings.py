"""Centre-wide settings (key/value rows in ``settings``)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
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
    offer_hours: how long a freed seat is held for the first waiting attendee
        (繰り上げ連絡の期限, DESIGN.md §7, default 48).
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
    offer_hours: int = 48
    centre_url: str = ""


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
            retention outside 1–10 years, backups kept outside 1–365, offer
            hours outside 1–168, a centre URL that is not https:// or
            http:// with a host, or longer than 200 characters.
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
    if "offer_hours" in changes and not 1 <= int(changes["offer_hours"]) <= 168:
        raise InvalidInput("offer_hours", _("繰り上げ連絡の期限は 1〜168 時間で指定してください。"))
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
