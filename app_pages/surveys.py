"""アンケート: key in a pile of 受講後アンケート sheets for a session, and see the
answers per session and per lesson (issue 17).

Entry is a grid, one sheet per row (st.data_editor): digits, Tab and Enter only.
Staff type 理解度 and 満足度 as the circled number, 「次に学びたいこと」 as the
numbers beside the ticked boxes ("3 12"), then the comment and any name written;
arrow keys go back to a row to correct it, and one 保存 saves the pile. A form
per sheet would rerun the page after every sheet and leave the cursor outside
the form, and a multiselect needs a popup per choice: the grid is the fastest
with a keyboard. The pile is saved all or nothing; a refused sheet is named by
its row and the grid keeps what was typed.
"""

from datetime import timedelta

import pandas as pd
import streamlit as st

import lessons
import ui
from db import reports, sessions, surveys
from db.clock import now_jst, today_jst
from locales import _
from printouts.dates import fiscal_year_label
from ui import plain
from views import surveys as survey_view

who = ui.guard("surveys")
st.title(_("アンケート"))
ui.show_flash()
state = st.session_state

COLUMNS = ("understanding", "satisfaction", "wishes", "comment", "name")
LOOK_BACK_DAYS = 90


def _grid_key(session_id: int) -> str:
    return f"survey_grid_{session_id}_{state.get('survey_grid_round', 0)}"


def _cell(row: dict, column: str) -> object:
    value = row.get(column)
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.strip() if isinstance(value, str) else value


def _sheets(edits: dict) -> list[surveys.SheetInput]:
    """The grid's rows as sheets; rows left wholly empty are dropped."""
    deleted = set(edits.get("deleted_rows", []))
    sheets = []
    for n, row in enumerate(edits.get("added_rows", [])):
        if n in deleted:
            continue
        values = {c: _cell(row, c) for c in COLUMNS}
        if all(v in (None, "") for v in values.values()):
            continue
        sheets.append(
            surveys.SheetInput(
                understanding=values["understanding"],
                satisfaction=values["satisfaction"],
                wishes=str(values["wishes"] or ""),
                comment=str(values["comment"] or ""),
                name=str(values["name"] or ""),
            )
        )
    return sheets


def save(session_id: int, key: str) -> None:
    """Save the grid's sheets; on success, start a fresh grid."""
    sheets = _sheets(state.get(key) or {})
    if not sheets:
        ui.flash("warning", _("入力された用紙がありません。"))
        return
    if ui.attempt(surveys.enter_sheets, session_id, sheets, success=lambda n: _("アンケート {n} 枚を保存しました。").format(n=n)):
        state["survey_grid_round"] = state.get("survey_grid_round", 0) + 1


def take_back(survey_id: int) -> None:
    ui.attempt(surveys.delete_survey, survey_id, success=_("1枚の回答を取り消しました。"))


def show(table) -> None:
    """A small report table (users' text shown as text)."""
    st.markdown(f"**{table.title}**")
    if table.rows:
        cells = [[plain.md(c) for c in row] for row in table.rows]
        st.table(pd.DataFrame(cells, columns=list(table.columns)), hide_index=True)
    else:
        st.caption(_("該当するデータはありません。"))
    if table.note:
        st.caption(table.note)


today = today_jst()
now = now_jst()
session = ui.session_picker(
    "survey",
    keep=lambda s: s.status != "cancelled" and s.starts_at <= now,
    first=today - timedelta(days=LOOK_BACK_DAYS),
    last=today,
    default_day=ui.read(sessions.previous_session_day, today, today - timedelta(days=LOOK_BACK_DAYS)) or today,
)
if session is None:
    st.stop()
st.markdown(f"**{plain.md(session.lesson_title)}**")

st.subheader(_("用紙を入力する"))
st.caption(
    _("1枚を1行に入力します。理解度・満足度は○の付いた番号（1〜5、空欄は未回答）、「次に学びたいこと」は✓の付いた講座の番号を空白で区切って（例：3 12）。"
      "Tabで次の欄、Enterで次の行へ進みます。お名前は書いてある用紙だけ入力してください（書いていなければ無記名の回答になります）。")
)
with st.expander(_("「次に学びたいこと」の番号（用紙と同じ）")):
    catalogue = lessons.catalogue()
    st.markdown("  \n".join(f"{n}. {plain.md(catalogue[lid].short_title)}" for n, lid in surveys.numbered_lessons()))
key = _grid_key(session.id)
empty = pd.DataFrame(
    {
        "understanding": pd.Series(dtype="Int64"),
        "satisfaction": pd.Series(dtype="Int64"),
        "wishes": pd.Series(dtype="string"),
        "comment": pd.Series(dtype="string"),
        "name": pd.Series(dtype="string"),
    }
)
level_help = _("1〜5。空欄は未回答。")
st.data_editor(
    empty,
    key=key,
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    column_config={
        "understanding": st.column_config.NumberColumn(_("理解度"), min_value=1, max_value=5, step=1, format="%d", help=level_help),
        "satisfaction": st.column_config.NumberColumn(_("満足度"), min_value=1, max_value=5, step=1, format="%d", help=level_help),
        "wishes": st.column_config.TextColumn(_("次に学びたいこと"), help=_("用紙の番号を空白で区切って。例：3 12"), max_chars=80),
        "comment": st.column_config.TextColumn(_("ご意見・ご感想"), width="large", max_chars=surveys.COMMENT_MAX),
        "name": st.column_config.TextColumn(_("お名前（任意）"), max_chars=40),
    },
)
st.button(_("保存する"), type="primary", icon=":material/save:", on_click=save, args=(session.id, key), key="survey_save")

entered = ui.read(surveys.list_surveys, who, session.id)
st.subheader(_("入力済みの用紙（{n} 枚）").format(n=len(entered)))
if entered:
    numbers = {lid: n for n, lid in surveys.numbered_lessons()}
    # A data frame draws cells as plain text: comments and names need no escaping.
    st.dataframe(
        pd.DataFrame(
            [
                {
                    _("No."): n,
                    _("理解度"): survey_view.level_label("understanding", s.understanding),
                    _("満足度"): survey_view.level_label("satisfaction", s.satisfaction),
                    _("次に学びたいこと"): " ".join(str(numbers.get(w, w)) for w in s.wishes),
                    _("ご意見・ご感想"): s.comment,
                    _("お名前"): s.name or _("無記名"),
                }
                for n, s in enumerate(entered, 1)
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    by_number = {n: s.id for n, s in enumerate(entered, 1)}
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    chosen = left.selectbox(_("取り消す用紙（No.）"), options=list(by_number), index=None, placeholder=_("選んでください"), key="survey_take_back")
    right.button(
        _("この用紙を取り消す"),
        disabled=chosen is None,
        on_click=take_back,
        args=(by_number.get(chosen),),
        key="survey_take_back_button",
    )
else:
    st.caption(_("この回の用紙はまだ入力されていません。"))

st.subheader(_("この回の結果"))
result = ui.read(surveys.summary, who, session_id=session.id)
show(survey_view.overview(result))
left, right = st.columns(2)
with left:
    show(survey_view.distribution(result, "understanding")[0])
with right:
    show(survey_view.distribution(result, "satisfaction")[0])
show(survey_view.wishes(result))

fiscal_year = reports.fiscal_year_of(session.starts_at.date())
st.subheader(_("{lesson}の結果（{year}）").format(lesson=plain.md(session.lesson_title), year=fiscal_year_label(fiscal_year)))
lesson_result = ui.read(surveys.summary, who, fiscal_year=fiscal_year, lesson_id=session.lesson_id)
show(survey_view.overview(lesson_result))
st.subheader(_("講座別の結果（{year}）").format(year=fiscal_year_label(fiscal_year)))
show(survey_view.lesson_table(ui.read(surveys.by_lesson, who, fiscal_year)))
