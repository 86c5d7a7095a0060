"""How good is a page's text layer? The share of its words that are Swedish and undamaged.

Used to choose, per page, between the text layer as it is and OCR in Swedish.
"""
from __future__ import annotations

import re

from core.derived import swedish_frequencies
from core.reference import reference_json

_TOKEN = re.compile(r"\w+", re.UNICODE)
MIN_WORDS = 12
# C0 and C1 control codes but tab, newlines and form feed, which lay text out
_CONTROL_CODES = "\x00-\x08\x0e-\x1f\x7f-\x9f"
CONTROL_CODE = re.compile(f"[{_CONTROL_CODES}]")
# Glyphs a font does not map to Unicode (no ToUnicode table): PDFium gives their codes as control
# characters (a vertical tab too: in a text layer it is glyph 11, not layout), replacement or
# private-use characters, pdfminer as '(cid:57)'.
_UNMAPPED = re.compile(f"\\(cid:\\d+\\)|[{_CONTROL_CODES}\x0b\ufffd\ue000-\uf8ff]")
_UNMAPPED_SHARE = 0.1      # of a page's visible characters: its glyphs say more than its text layer
_MIN_CHARACTERS = 20


def _reference() -> dict:
    return reference_json("extractors", "ocr_damage.json")


def poor_below() -> float:
    return float(_reference()["poor_below"])


def unmapped_glyphs(text: str) -> bool:
    """The text layer is largely glyph codes that its fonts do not map to letters: the page, rendered,
    can be read where its text cannot."""
    visible = len(text) - sum(1 for ch in text if ch.isspace())
    if visible < _MIN_CHARACTERS:
        return False
    unmapped = sum(len(match) if match[0] != "(" else 1 for match in _UNMAPPED.findall(text))
    return unmapped >= _UNMAPPED_SHARE * visible


def text_quality(text: str) -> float | None:
    """0..1, or None when the page has too few words to judge; 0 for a layer of unmapped glyphs.

    A word counts as good when it is in the Swedish word list and is not one of the forms that
    wrong-language OCR makes of Swedish words ('ar', 'for', 'lan'); a word with a digit inside
    ('milj6') is bad. A long Swedish text without a single å, ä or ö is capped at 0.5.
    """
    if unmapped_glyphs(text):
        return 0.0
    tokens = [t for t in _TOKEN.findall(text) if len(t) >= 2 and not t.isdigit()]
    if len(tokens) < MIN_WORDS:
        return None
    lexicon = swedish_frequencies()
    damaged = set(_reference()["damaged_forms"])
    good = 0
    for token in tokens:
        lower = token.lower()
        if any(ch.isdigit() for ch in token) or "_" in token:
            continue
        if lower in damaged:
            continue
        if lower in lexicon:
            good += 1
    score = good / len(tokens)
    letters = _reference()["swedish_letters"]
    with_letters = sum(1 for t in tokens if any(ch in letters for ch in t))
    if len(tokens) >= 20 and with_letters / len(tokens) < 0.02:
        score = min(score, 0.5)
    return round(score, 3)
