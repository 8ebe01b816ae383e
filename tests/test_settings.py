"""Centre settings: every value validated, bad ones refused in Japanese with nothing changed."""

from __future__ import annotations

import pytest

from db import settings
from db.errors import InvalidInput
from db.permissions import PermissionDenied
from tests.conftest import ADMIN, STAFF


def test_the_centre_page_address_is_kept_and_cleared(database):
    assert settings.get_settings(database).centre_url == ""
    settings.update_settings(database, ADMIN, centre_url="  https://www.example.lg.jp/midori/  ")
    assert settings.get_settings(database).centre_url == "https://www.example.lg.jp/midori/"
    settings.update_settings(database, ADMIN, centre_url="")
    assert settings.get_settings(database).centre_url == ""


@pytest.mark.parametrize(
    "changes",
    [
        {"centre_url": "www.example.lg.jp"},
        {"centre_url": "javascript:alert(1)"},
        {"centre_url": "https://"},
        {"centre_url": "https://example.jp/a b"},
        {"centre_url": "https://example.jp/" + "a" * 200},
        {"helper_ratio": 0},
        {"body_pt": 18},
        {"idle_timeout_min": 4},
        {"retention_years": 11},
        {"offer_open_days": 0},
        {"offer_open_days": 8},
        {"desk_opens": "25:00"},
        {"desk_closes": "5時"},
        {"desk_opens": "18:00"},
        {"attendance_opens_min": -1},
        {"attendance_opens_min": 241},
        {"backup_keep": 366},
        {"centre_name": "  "},
        {"colour": "red"},
    ],
)
def test_bad_values_are_refused_and_nothing_changes(database, changes):
    settings.update_settings(database, ADMIN, centre_name="みどり台", centre_url="https://example.jp/")
    before = settings.get_settings(database)
    with pytest.raises(InvalidInput):
        settings.update_settings(database, ADMIN, **changes)
    assert settings.get_settings(database) == before


def test_only_admins_change_settings(database):
    with pytest.raises(PermissionDenied):
        settings.update_settings(database, STAFF, centre_url="https://example.jp/")
