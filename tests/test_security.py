"""Security basics: owner-only files, no HTML from user text, no secrets in git."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import db
from db import attendees
from tests.conftest import STAFF

ROOT = Path(__file__).resolve().parent.parent


def test_database_and_its_wal_are_owner_only(tmp_path):
    path = tmp_path / "desk.sqlite3"
    db.init_db(path)
    with db.connect(path) as handle:
        attendees.register_attendee(handle, STAFF, "権限 確認", "ケンゲン カクニン", "090-0000-0001", True)
    for file in [path, *tmp_path.glob("desk.sqlite3-*")]:
        assert stat.S_IMODE(os.stat(file).st_mode) & 0o077 == 0, file


def test_no_code_renders_html_from_text():
    code = [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts and "tests" not in p.parts]
    offenders = [str(p) for p in code if "unsafe_allow_html" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_secrets_and_databases_are_ignored_by_git():
    for path in (".streamlit/secrets.toml", "db/desk.sqlite3", "db/backups/desk-20261121-000000.sqlite3"):
        result = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
        assert result.returncode == 0, path
