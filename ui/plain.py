"""Users' text shown as text in Streamlit, whose labels, messages and table cells
are Markdown (issue 13).

A resident named ``![b](http://…/b.gif)`` made every browser that showed the name
fetch an outside image; links, ``:red[…]``, ``$…$`` and ``**…**`` rendered too.
Pages pass every text a user typed (names, notes, reasons, case text, venue and
room names) through `md` before it reaches ``st.markdown``, ``st.caption``,
``st.info`` and the like, a radio or segmented-control option, a widget label, or
``st.table`` (`rows`). Widgets that draw options as plain text (selectbox,
multiselect) and ``st.dataframe`` need nothing.

Only `app.py`, `ui/` and `app_pages/` import this module.
"""

from __future__ import annotations

import re

# CommonMark lets a backslash escape any ASCII punctuation. These marks mean
# something wherever they stand (emphasis, code, links and images, raw HTML and
# entities, tables, strikethrough, math, e-mail autolinks); escaping only them keeps
# the Markdown of "090-0000-1234" or "14.3%" as it reads.
_ALWAYS = {ord(ch): "\\" + ch for ch in "\\`*_[]<>|~$&@"}
# A colon before a letter starts a Streamlit directive (:red[…]) or an icon
# (:material/…:).
_COLON = re.compile(r":(?=[A-Za-z])")
# GitHub's autolinks (http://…, www.…, name@host) are found in the text after
# escapes are undone, so they are broken with an invisible U+2060 instead.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")
# Streamlit replaces :name: with an emoji after Markdown is parsed, so an escaped
# colon is not enough: a word joiner (U+2060) after the first colon breaks the name
# without changing what a reader sees.
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_+\-]+:)")
# At the start of a line: headings, lists, quotes, rules and setext underlines.
_LINE_START = re.compile(r"^([ \t]*)(#|[+=\-]|\d+[.)])(?=[\s#+=\-]|$)", re.MULTILINE)
_LEADING_BLANKS = re.compile(r"^[ \t]+", re.MULTILINE)


def md(text: object) -> str:
    """`text` as Markdown that shows exactly that text, formatting nothing.

    Args:
        text: anything; None gives "".
    Returns:
        str with Markdown's marks backslash-escaped where they would mean
        something, line breaks kept as hard breaks, leading blanks as no-break
        spaces (four spaces would start a code block), and emoji shortcodes and
        web or e-mail addresses broken by an invisible U+2060.
    """
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    value = value.translate(_ALWAYS)
    value = _SHORTCODE.sub(":\u2060", value)
    value = _AUTOLINK.sub("\u2060", value)
    value = _COLON.sub("\\:", value)
    value = _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], value)
    value = _LEADING_BLANKS.sub(lambda m: "\u00a0" * len(m.group()), value)
    return value.replace("\n", "  \n")


def rows(table: list[dict]) -> list[dict]:
    """The rows of an ``st.table`` with every text cell passed through `md`
    (numbers stay numbers)."""
    return [{key: md(value) if isinstance(value, str) else value for key, value in row.items()} for row in table]
