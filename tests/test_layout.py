"""README.md's Layout table names every top-level folder and file of the project,
and every module of the packages it describes: a new module has to say where it
belongs (issue 16)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Packages whose modules the table names one by one, in their own row.
PACKAGES = ("db", "ui", "views", "printouts")
# The README is the table's home, and .gitignore needs no words.
UNLISTED = {"README.md", ".gitignore"}


def layout() -> dict[str, str]:
    """The Layout table of README.md: {path as written: what it holds}."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `([^`]+)` \| (.+) \|$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def tracked_top_level() -> set[str]:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return {f.split("/")[0] + ("/" if "/" in f else "") for f in files} - UNLISTED


def test_every_top_level_folder_and_file_has_a_row():
    rows = layout()
    missing = sorted(tracked_top_level() - set(rows))
    assert not missing, f"add these to README.md's Layout table: {missing}"
    gone = sorted(path for path in rows if not (ROOT / path).exists())
    assert not gone, f"README.md's Layout table names what is not there: {gone}"


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_of_a_package_is_named_in_its_row(package):
    row = layout()[f"{package}/"]
    named = set(re.findall(r"`([a-z_]+)`", row))
    modules = {p.stem for p in (ROOT / package).glob("*.py")} - {"__init__"}
    missing = sorted(modules - named)
    assert not missing, f"name these {package}/ modules in README.md's Layout table: {missing}"


def test_every_refusal_lives_in_db_errors():
    """Issue 16: each DeskError subclass is in db/errors.py with its message."""
    import importlib
    import inspect

    from db.errors import DeskError

    elsewhere = []
    for path in sorted((ROOT / "db").glob("*.py")):
        module = importlib.import_module(f"db.{path.stem}" if path.stem != "__init__" else "db")
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, DeskError) and value.__module__ != "db.errors":
                elsewhere.append(f"{value.__module__}.{name}")
    assert not elsewhere, f"move these to db/errors.py: {sorted(set(elsewhere))}"
