"""Diacritic-folded keys for matching reference data; never for stored or displayed text."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """'Jönköpings  LÄN' -> 'jonkopings lan': lower case, no diacritics, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def fold_keep_offsets(text: str) -> str:
    """Like fold(), but one output character per input character, so match offsets map back."""
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    folded = fold(ch)
    return folded[:1] if folded else ch
