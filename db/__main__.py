"""Command line for the database (run with the venv's python, from the project folder).

    python -m db init [--demo]          create or migrate; --demo fills an empty one
    python -m db create-admin USERNAME  the first administrator (asks for the password;
                                        SUMAHO_ADMIN_PASSWORD is read when there is no terminal)
    python -m db backup                 a backup now, into backups/ (or $SUMAHO_BACKUPS)
    python -m db housekeeping           everything due by the clock, once (for cron):
                                        offers passing on, the daily backup, sign-ins ending
    python -m db restore FILE           check FILE fully, keep the live file aside, restore FILE
                                        (with the app stopped; the live file is never opened)

The database is ``$SUMAHO_DB`` or ``db/desk.sqlite3``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from db import accounts, backup, connect, db_path, demo, housekeeping, init_db, settings
from db.errors import DeskError
from db.permissions import SYSTEM


def _password() -> str:
    if not sys.stdin.isatty():
        return os.environ.get("SUMAHO_ADMIN_PASSWORD", "")
    first = getpass.getpass("パスワード（10文字以上）: ")
    if getpass.getpass("もう一度: ") != first:
        raise DeskError("パスワードが一致しません。")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m db", description="Sumaho Desk database")
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="create or migrate the database")
    init.add_argument("--demo", action="store_true", help="add demo data and demo accounts to an empty database")
    admin = sub.add_parser("create-admin", help="create the first administrator")
    admin.add_argument("username")
    sub.add_parser("backup", help="take a backup now")
    sub.add_parser("housekeeping", help="run everything that is due by the clock, once (cron)")
    restore = sub.add_parser("restore", help="restore a backup after checking it")
    restore.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "restore":
            # The tool of last resort: the live file may be garbage, so nothing opens it first.
            done = backup.restore(args.file, db_path())
            print(f"restored {args.file} into {db_path()}")
            if done.replaced is not None:
                print(f"the replaced database is kept as {done.replaced}; delete it once the restore is confirmed")
            if done.erased_again:
                print(f"erased again: {done.erased_again} residents erased after this backup was taken")
            return 0
        path = init_db()
        if args.command == "init":
            if args.demo:
                with connect(path) as db:
                    demo.seed(db)
            print(f"database ready: {path}")
        elif args.command == "create-admin":
            with connect(path) as db:
                accounts.create_first_admin(db, args.username, _password())
            print(f"administrator created: {args.username}")
        elif args.command == "backup":
            with connect(path) as db:
                keep = settings.get_settings(db).backup_keep
            print(backup.backup_now(path, backup.backup_dir(path), keep, SYSTEM))
        elif args.command == "housekeeping":
            report = housekeeping.run(path)
            print(
                f"offers passed on: {report.offers_expired}, sign-ins ended: {report.sign_ins_ended}, "
                f"backup: {report.backup or 'not due'}"
            )
    except DeskError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
