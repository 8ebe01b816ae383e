"""Centre-wide settings (key/value rows in ``settings``)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from sqlite_utils import Database

from db import audit
from db.errors import InvalidInput
from db.text import normalise_phone
from locales import _

BODY_SIZES_PT = (16, 20, 24)


@dataclass(frozen=True)
class Settings:
    """Settings with their defaults.

    centre_name / centre_phone: printed in every printout's footer (DESIGN.md §8).
    helper_ratio: one helper (補助) per this many seats (DESIGN.md §7, default 4).
    body_pt: printout body size in pt, one of 16 / 20 / 24 (DESIGN.md §8).
    """

    centre_name: str = ""
    centre_phone: str = ""
    helper_ratio: int = 4
    body_pt: int = 16


def get_settings(db: Database) -> Settings:
    """Read the settings; keys never stored keep their defaults."""
    stored = {row["key"]: row["value"] for row in db["settings"].rows}
    values = {}
    for f in fields(Settings):
        if f.name in stored:
            values[f.name] = int(stored[f.name]) if f.type == "int" else stored[f.name]
    return Settings(**values)


def update_settings(db: Database, actor: str, **changes: object) -> Settings:
    """Validate and store changed settings.

    Args:
        changes: any of the `Settings` fields.
    Returns:
        the settings after the change.
    Raises:
        InvalidInput: unknown key, empty centre name, bad phone, ratio outside
            1–15, body size not 16/20/24.
    """
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
    updated = replace(current, **changes)
    with db.atomic():
        db["settings"].upsert_all(
            [{"key": k, "value": str(getattr(updated, k))} for k in changes], pk="key"
        )
        audit.record(db, actor, "update", "settings", None, {k: str(v) for k, v in changes.items()})
    return updated
