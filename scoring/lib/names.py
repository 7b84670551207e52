"""Text as people type it, tidied: names and other short labels.

Spreadsheets and forms bring names with doubled inner spaces, non-breaking spaces and
Vietnamese diacritics composed or decomposed; a name is stored once, the same way.
"""

from __future__ import annotations

import re
import unicodedata

SPACES = re.compile(r"\s+")  # every Unicode space, the non-breaking one included


def tidy(text: str | None) -> str:
    """NFC, single inner spaces, no outer ones: "  Giàng  Thị\u00a0 Dua " -> "Giàng Thị Dua"."""
    if not text:
        return ""
    return SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def fold(text: str | None) -> str:
    """The form two spellings of one word share: tidy, lower case, without diacritics
    (đ as d): "  Chủ tịch  UBND" and "chu tich ubnd" fold alike."""
    decomposed = unicodedata.normalize("NFD", tidy(text).casefold().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
