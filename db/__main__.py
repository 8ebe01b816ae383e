"""Command line: ``python -m db init [--demo]``.

``init`` creates or migrates the database file (``$SUMAHO_DB`` or
``db/desk.sqlite3``); with ``--demo`` an empty database also gets the demo centre.
"""

from __future__ import annotations

import argparse

from db import connect, demo, init_db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m db", description="Sumaho Desk database")
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="create or migrate the database")
    init.add_argument("--demo", action="store_true", help="add demo data to an empty database")
    args = parser.parse_args(argv)
    if args.command == "init":
        path = init_db()
        if args.demo:
            with connect(path) as db:
                demo.seed(db)
        print(f"database ready: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
