"""バックアップ (admin): take a backup now and see the kept ones.

Restoring is done from the command line, with the app stopped:
``.venv/bin/python -m db restore db/backups/desk-YYYYmmdd-HHMMSS.sqlite3``.
"""

import streamlit as st

import ui
from db import backup, db_path, settings
from db.errors import DeskError
from locales import _

who = ui.guard("backups")
st.title(_("バックアップ"))
ui.show_flash()
keep = ui.read(settings.get_settings).backup_keep
directory = backup.backup_dir(db_path())


def _backup_now() -> None:
    try:
        made = backup.backup_now(db_path(), directory, keep, who)
    except DeskError as err:
        ui.flash("error", str(err))
        return
    ui.flash("success", _("バックアップを作りました：{name}").format(name=made.name))


st.write(_("アプリが動いている間、1日に1回自動でバックアップを作り、新しいものから {keep} 個を残します。").format(keep=keep))
st.caption(_("保存先：{path}").format(path=directory))
st.button(_("いますぐバックアップ"), type="primary", on_click=_backup_now, icon=":material/backup:", key="backup_now")
files = backup.list_backups(directory)
if files:
    st.dataframe(
        [{_("ファイル"): f.name, _("大きさ（KB）"): round(f.stat().st_size / 1024)} for f in files], hide_index=True, width="stretch"
    )
else:
    st.info(_("バックアップはまだありません。"))
st.subheader(_("元に戻すには"))
st.markdown(
    _("アプリを止めてから、次のコマンドを実行します。ファイルを検査（integrity_check）してから置き換えます。")
    + "\n\n```\n.venv/bin/python -m db restore db/backups/desk-YYYYmmdd-HHMMSS.sqlite3\n```"
)
