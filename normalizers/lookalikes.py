"""Readings of a word OCR may have misread by one lookalike glyph ('löparide' -> 'löpande',
'värje' -> 'varje', 'awvikelser' -> 'avvikelser'), from the pairs in data/ocr_lookalikes.json.

Swedish-model OCR keeps å/ä/ö but still reads a letter for its lookalike now and then; the words
it makes are seldom Swedish, which is what lets the repair (normalizers.diacritics) find the one
word a single lookalike makes of them.
"""
from __future__ import annotations

from functools import lru_cache

from core.reference import reference_json


@lru_cache(maxsize=1)
def lookalike_pairs() -> tuple[tuple[str, str], ...]:
    """(read, meant) glyph pairs of data/ocr_lookalikes.json."""
    return tuple((read, meant) for read, meant in reference_json("normalizers", "ocr_lookalikes.json")["pairs"])


def lookalike_readings(word: str) -> frozenset[str]:
    """Every word one lookalike pair makes of `word` (lower case) at one place."""
    readings = set()
    for read, meant in lookalike_pairs():
        start = word.find(read)
        while start >= 0:
            readings.add(word[:start] + meant + word[start + len(read):])
            start = word.find(read, start + 1)
    readings.discard(word)
    return frozenset(readings)
