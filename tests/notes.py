"""Realistic notes without a マイナンバー, for the guard's false-positive rate.

What staff type about residents at the desk and on the phone: telephone numbers in
every common layout next to counts and times, dates, postcodes, member and
receipt numbers, amounts and addresses, glued with Japanese words, blanks, 、 and
line breaks. None of the numbers has 12 digits, so every note the guard refuses is
a false positive.
"""

from __future__ import annotations

import random

FULL_WIDTH = str.maketrans("0123456789-:/ ", "０１２３４５６７８９－：／\u3000")
WORDS = (
    "折り返し", "電話", "携帯", "自宅", "娘さん", "息子さん", "来館", "予約", "連絡済み", "不在",
    "留守電", "再度", "確認", "次回", "申込", "キャンセル", "ご本人", "ヘルパーさん", "受付", "教室",
    "LINE", "iPhone", "Android", "らくらくスマホ", "相談", "様", "より", "まで", "頃", "希望",
)
GLUE = (" ", " ", "　", "、", "。", "\n", " / ", "：", "（", "）", " ", "\r\n", "・")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def phone(rng: random.Random) -> str:
    """A Japanese number: mobile, IP, landline (2–5 digit area codes) or toll-free."""
    layout = rng.choice(["mobile", "ip", "land2", "land3", "land4", "land5", "free", "navi"])
    groups = {
        "mobile": [rng.choice(["090", "080", "070"]), _digits(rng, 4), _digits(rng, 4)],
        "ip": ["050", _digits(rng, 4), _digits(rng, 4)],
        "land2": ["0" + rng.choice("3456") , _digits(rng, 4), _digits(rng, 4)],
        "land3": ["0" + rng.choice("123456789") + rng.choice("123456789"), _digits(rng, 3), _digits(rng, 4)],
        "land4": ["0" + _digits(rng, 3).replace("0", "1", 1), _digits(rng, 2), _digits(rng, 4)],
        "land5": ["0" + rng.choice("123456789") + _digits(rng, 3), _digits(rng, 1), _digits(rng, 4)],
        "free": ["0120", _digits(rng, 3), _digits(rng, 3)],
        "navi": ["0570", _digits(rng, 3), _digits(rng, 3)],
    }[layout]
    style = rng.random()
    if style < 0.55:
        text = "-".join(groups)
    elif style < 0.7:
        text = " ".join(groups)
    elif style < 0.8:
        text = "".join(groups)
    elif style < 0.87:
        text = f"({groups[0]}){groups[1]}-{groups[2]}"
    elif style < 0.92:
        text = rng.choice(["ー", "−", "‐"]).join(groups)
    else:
        text = "+81 " + groups[0][1:] + "-" + "-".join(groups[1:])
    return text.translate(FULL_WIDTH) if rng.random() < 0.2 else text


def count_or_time(rng: random.Random) -> str:
    h, m = rng.randint(8, 20), rng.choice([0, 0, 15, 30, 45])
    n = rng.randint(1, 30)
    return rng.choice([
        f"{n}名", f"{n}人", f"{n} 名", f"{n}回目", f"{n}件", f"{rng.randint(60, 99)}歳", f"{n}枚",
        f"{h}時", f"{h}時{m}分", f"{h}:{m:02d}", f"{h}：{m:02d}", f"{h}:{m:02d}〜{h + 1}:{m:02d}",
        f"{h}:{m:02d}-{h + 1}:{m:02d}", f"午後{h - 12 if h > 12 else h}時", f"{n}分", f"{n}日後", f"{h}時頃",
        f"{h:02d}{m:02d}", f"{n}",
    ])


def date_text(rng: random.Random) -> str:
    y, mo, d = rng.randint(2024, 2028), rng.randint(1, 12), rng.randint(1, 28)
    h, mi = rng.randint(8, 20), rng.choice([0, 30])
    return rng.choice([
        f"{y}/{mo}/{d}", f"{y}-{mo:02d}-{d:02d}", f"{y}年{mo}月{d}日", f"令和{y - 2018}年{mo}月{d}日",
        f"{mo}/{d}", f"{mo}月{d}日", f"{y}.{mo}.{d}", f"{y} {mo:02d} {d:02d}", f"{y}/{mo:02d}/{d:02d} {h}:{mi:02d}",
        f"{y} {mo:02d} {d:02d} {h:02d} {mi:02d}", f"{mo}/{d} {h}:{mi:02d}", f"{y}{mo:02d}{d:02d}",
    ])


def other_number(rng: random.Random) -> str:
    return rng.choice([
        f"〒{_digits(rng, 3)}-{_digits(rng, 4)}", f"{_digits(rng, 3)}-{_digits(rng, 4)}", f"〒{_digits(rng, 7)}",
        f"会員番号{_digits(rng, rng.randint(6, 10))}", f"会員番号 {_digits(rng, 4)}-{_digits(rng, 4)}",
        f"診察券 {_digits(rng, rng.randint(5, 9))}", f"No.{rng.randint(1, 9999)}", f"受付番号 {rng.randint(1, 999)}",
        f"整理券{rng.randint(1, 99)}番", f"{rng.randint(1, 9)},{_digits(rng, 3)}円", f"¥{rng.randint(1, 99)},{_digits(rng, 3)}",
        f"{rng.randint(1, 5)}{_digits(rng, 2)}号室", f"{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}",
        f"{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号", f"末尾{_digits(rng, 4)}",
        f"iOS {rng.randint(15, 19)}.{rng.randint(0, 6)}", f"Android {rng.randint(10, 15)}",
        f"保険者番号 {_digits(rng, 8)}", f"基礎年金番号 {_digits(rng, 4)}-{_digits(rng, 6)}",
    ])


def note(rng: random.Random) -> str:
    """One realistic note of 1–6 items (numbers and words) with glue between them."""
    makers = (phone, phone, count_or_time, count_or_time, date_text, other_number, lambda r: r.choice(WORDS))
    items = [rng.choice(makers)(rng) for _ in range(rng.randint(1, 6))]
    text = items[0]
    for item in items[1:]:
        text += rng.choice(GLUE) + item
    return text
