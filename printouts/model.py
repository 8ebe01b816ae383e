"""Plain data the printouts take besides a lesson (DESIGN.md §5: plain data in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The three registers a resident's paper comes in (DESIGN.md §8): 標準 Japanese,
# やさしい日本語 with ふりがな, and English.
REGISTERS = ("standard", "easy", "en")
REGISTER_LABELS = {"standard": "標準", "easy": "やさしい日本語", "en": "English"}


def register_language(register: str) -> str:
    """The UI language a register prints in: "en" for English, else "ja".

    Raises:
        ValueError: an unknown register.
    """
    if register not in REGISTERS:
        raise ValueError(f"unknown register {register!r}; one of {REGISTERS}")
    return "en" if register == "en" else "ja"


@dataclass(frozen=True)
class Centre:
    """The centre that prints the document; shown in every footer (DESIGN.md §8).

    Attributes:
        name: e.g. "中央公民館".
        phone: as it should be printed, e.g. "03-1234-5678".
    """

    name: str
    phone: str


@dataclass(frozen=True)
class SessionInfo:
    """One dated class (開催回) as a printout shows it.

    Attributes:
        starts_at, ends_at: timezone-aware datetimes (any zone; printed in
            Asia/Tokyo). Naive datetimes make the date formatters raise ValueError.
        room: e.g. "第1会議室".
        venue: e.g. "中央公民館".
    """

    starts_at: datetime
    ends_at: datetime
    room: str
    venue: str
