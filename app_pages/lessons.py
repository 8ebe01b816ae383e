"""講座一覧: browse the catalogue, preview a lesson, download its handout."""

import functools

import streamlit as st

import lessons
import ui
from db import settings
from db.clock import today_jst
from locales import _
from printouts.dates import format_date
from printouts.handout import render_handout
from printouts.model import Centre

ui.guard("lessons")
st.title(_("講座一覧"))

catalogue = lessons.catalogue()
stale = lessons.stale_lessons(today_jst(), catalogue)
if stale:
    st.warning(
        _("{n} 講座が12か月以上、公式の情報と照らし合わせていません：{titles}").format(
            n=len(stale), titles="、".join(l.title for l in stale)
        ),
        icon=":material/update:",
    )
level = st.segmented_control(_("レベル"), options=[_("すべて"), *lessons.LEVELS], default=_("すべて"), key="lesson_level")
shown = [l for l in catalogue.values() if level in (None, _("すべて"), l.level)]
st.dataframe(
    [{_("講座"): l.title, _("レベル"): l.level, _("時間"): _("{minutes}分").format(minutes=l.minutes), _("内容"): l.summary} for l in shown],
    hide_index=True,
    width="stretch",
)

lesson_id = st.selectbox(_("内容を見る講座"), options=[l.id for l in shown], format_func=lambda i: catalogue[i].title, key="lesson_pick")
if lesson_id is None:
    st.stop()
lesson = catalogue[lesson_id]
config = ui.read(settings.get_settings)
centre = Centre(name=config.centre_name, phone=config.centre_phone)

st.header(lesson.title)
st.caption(f"{lesson.level} ・ {_('{minutes}分').format(minutes=lesson.minutes)}")
st.write(lesson.summary)
if lesson.is_stale(today_jst()):
    st.warning(_("この講座は12か月以上、公式の情報と照らし合わせていません。下の出典で確かめてください。"), icon=":material/update:")
register = ui.register_picker("lesson_register", _("やさしい日本語は、漢字にふりがなを付けて、短い文で印刷します。"))
if register == "easy" and lesson.easy is None:
    st.caption(_("この講座のやさしい日本語の文はまだありません。ふりがなを付けて印刷します。"))
st.download_button(
    _("配布資料（PDF）をダウンロード"),
    data=functools.partial(render_handout, lesson, centre, body_pt=config.body_pt, register=register),
    file_name=f"handout-{lesson.id}-{register}.pdf",
    mime="application/pdf",
    icon=":material/download:",
    key="lesson_handout",
    on_click="ignore",
)
left, right = st.columns(2)
with left:
    st.subheader(_("この講座でできること"))
    st.markdown("\n".join(f"- {o}" for o in lesson.objectives))
    st.subheader(_("持ち物"))
    st.markdown("\n".join(f"- {b}" for b in lesson.bring))
    for line in lesson.remember:
        st.markdown(f"**※ {line}**")
    st.subheader(_("公式の案内"))
    for guide in lesson.guides:
        st.markdown(f"- [{guide.title}]({guide.url})")
with right:
    st.subheader(_("手順"))
    for n, step in enumerate(lesson.steps, 1):
        st.markdown(f"**{n}.** {step.text}")
        if step.iphone:
            st.caption(f"iPhone：{step.iphone}")
        if step.android:
            st.caption(f"Android：{step.android}")

st.subheader(_("出典（確かめた日）"))
for source in lesson.sources:
    st.markdown(f"- {source.url}（{format_date(source.checked)}）" + (f"：{source.note}" if source.note else ""))
