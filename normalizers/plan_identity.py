"""Which documents are one plan: the same counties, doc_type and years, and a title that is the same
but for OCR damage ('Verksamhetsplari för Miljösamverkan Jönköpings län' is the plan the PDF calls
'Verksamhetsplan för …').

A plan key is 'counties|doc_type|year_from-year_to|title skeleton'. A document whose counties,
doc_type or years are unknown has no key and is never merged with another.
"""
from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from normalizers.fold import fold
from normalizers.lookalikes import lookalike_pairs

SAME_TITLE = 0.9   # skeletons at least this alike are one title read twice


def plan_key(counties: Sequence[str], doc_type: str | None, year_from: int | None, year_to: int | None,
             title: str | None) -> str | None:
    if not counties or not doc_type or year_from is None or year_to is None:
        return None
    return f"{key_prefix(counties, doc_type, year_from, year_to)}{title_skeleton(title or '')}"


def key_prefix(counties: Sequence[str], doc_type: str, year_from: int, year_to: int) -> str:
    return f"{','.join(sorted(counties))}|{doc_type}|{year_from}-{year_to}|"


def title_skeleton(title: str) -> str:
    """The title's letters, folded, with every glyph OCR confuses with another read as one: two
    readings of one title give one skeleton, but for letters OCR dropped or added."""
    text = "".join(ch for ch in fold(title) if ch.isalpha())
    for read, meant in _multi_glyph_reductions():
        text = text.replace(read, meant)
    classes = _glyph_classes()
    return "".join(classes.get(ch, ch) for ch in text)


def same_title(skeleton: str, other: str) -> bool:
    return skeleton == other or SequenceMatcher(None, skeleton, other, autojunk=False).ratio() >= SAME_TITLE


@lru_cache(maxsize=1)
def _multi_glyph_reductions() -> tuple[tuple[str, str], ...]:
    """Glyph pairs OCR reads for one letter ('rn' for 'm'), longest first."""
    pairs = {(read, meant) for read, meant in lookalike_pairs() if len(read) > 1 and len(meant) == 1}
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@lru_cache(maxsize=1)
def _glyph_classes() -> dict[str, str]:
    """Each letter to the first (alphabetically) of the letters OCR confuses it with, transitively."""
    parent: dict[str, str] = {}

    def root(letter: str) -> str:
        while parent.get(letter, letter) != letter:
            letter = parent[letter]
        return letter

    for read, meant in lookalike_pairs():
        read, meant = fold(read), fold(meant)
        if len(read) == 1 and len(meant) == 1 and read.isalpha() and meant.isalpha():
            first, second = sorted((root(read), root(meant)))
            parent[second] = first
            parent.setdefault(first, first)
    return {letter: root(letter) for letter in parent}
