"""Recognise table columns by their header words through the synonym table in data/columns.json."""
from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import lru_cache

from core.reference import reference_json
from normalizers.fold import fold

FURNITURE_WORDS = 4  # a block of at most this many words may be a page's footer or running header
_PARENTHESES = re.compile(r"\([^)]*\)?")
_NOT_LETTERS = re.compile(r"[^a-z]")


def header_key(text: str) -> str:
    """'SAMVERKANS- PARTER' -> 'samverkansparter'; 'GENOMFÖRANDE (vad som ska göras)' -> 'genomforande'."""
    return _NOT_LETTERS.sub("", fold(_PARENTHESES.sub(" ", text)))


@lru_cache(maxsize=1)
def synonyms() -> list[tuple[str, str]]:
    """(header key, field) pairs, longest key first."""
    fields = reference_json("parsers", "columns.json")["fields"]
    return sorted(((header_key(word), field) for field, words in fields.items() for word in words),
                  key=lambda pair: -len(pair[0]))


_MORE_HEADER_WORDS = 2    # a header may name its column in this many words more than its synonym
_MOST_COLUMNS = 12        # of an activity table


@lru_cache(maxsize=1)
def _synonym_words() -> dict[str, int]:
    """Of each synonym's header key, the fewest words it is written in."""
    counts: dict[str, int] = {}
    for words in reference_json("parsers", "columns.json")["fields"].values():
        for word in words:
            key, count = header_key(word), len(word.split())
            counts[key] = min(counts.get(key, count), count)
    return counts


@lru_cache(maxsize=4096)
def field_of(header: str, compounds: bool = True) -> str | None:
    """The field a header cell names; with `compounds`, a one-word header also by its last part."""
    key = header_key(header)
    if not key:
        return None
    known = synonyms()
    for word, field in known:
        if key == word:
            return field
    words = len(_PARENTHESES.sub(" ", header).split())
    for word, field in known:
        # a header says what a column is in a few words more at most ('Tid för genomförande och
        # uppföljning'); a cell that only begins with a column's name runs on ('Samordnaren
        # förbereder underlag och skriver')
        if len(word) >= 3 and key.startswith(word) and words <= _synonym_words()[word] + _MORE_HEADER_WORDS:
            return field
    compound = compounds and words == 1
    for word, field in known:   # a compound (one word) is a kind of its last part: 'tillsyns|projekt'
        if compound and len(word) >= 3 and len(key) - len(word) >= 3 and key.endswith(word):
            return field
    if 8 <= len(key) <= 30:  # OCR damage: 'UPPFOLINING' for 'UPPFÖLJNING'; headers are short
        close = [(difflib.SequenceMatcher(None, key, word).ratio(), field) for word, field in known
                 if len(word) >= 8]
        ratio, closest = max(close, default=(0.0, None))
        if ratio >= 0.85:
            return closest
    return None


def map_header(cells: Sequence[str]) -> dict[int, str] | None:
    """Column index -> activity field, when the row is the header of an activity table.

    It must name a title column and at least one other field, and at least half its filled cells
    must name fields; each field is taken once, leftmost first. Two columns that may both name the
    activity ('Område' and 'Aktivitet') are the category and the title, the category first:
    `choose_title` decides from the rows when they are at hand.
    """
    mapping: dict[int, str] = {}
    for index, text in enumerate(cells):
        field = field_of(text) if text else None
        if field == "title" and "title" in mapping.values() and "category" not in mapping.values():
            first = next(i for i, name in mapping.items() if name == "title")
            mapping[first], field = "category", "title"
        if field and field not in mapping.values():
            mapping[index] = field
    if "title" not in mapping.values() or len(mapping) < 2:
        return None
    filled = sum(1 for text in cells if text)
    if 2 * len(mapping) < filled:
        return None   # a row of data whose first cells happen to start like column names
    return mapping


def header_of_line(text: str) -> list[str] | None:
    """A table's header printed as one line of text over a table that lost it ('Aktivitet Beskrivning
    Målgrupp Tid Deltagare Uppföljning'): its column names, when the words divide into names of the
    synonym table in exactly one way, each name a synonym as it stands; else None."""
    words = text.split()
    exact = _synonym_words()
    longest = max(exact.values())   # words of the longest column name ('tid för genomförande')
    if not 2 <= len(words) <= _MOST_COLUMNS * longest:
        return None
    # ways[i]: the divisions of words[i:] into names (at most two: only whether one is unique matters)
    ways: list[list[list[str]]] = [[] for _ in words] + [[[]]]
    for start in range(len(words) - 1, -1, -1):
        for end in range(start + 1, min(len(words), start + longest) + 1):
            name = " ".join(words[start:end])
            if header_key(name) in exact:
                ways[start] += [[name, *rest] for rest in ways[end]]
        ways[start] = ways[start][:2]
    return ways[0][0] if len(ways[0]) == 1 else None


def choose_title(mapping: dict[int, str], rows: Sequence[Sequence[str]]) -> dict[int, str]:
    """Of a category and a title column that both could name the activity, the title is the one whose
    values do not repeat down the rows (the category's repeat, or stand once over a group)."""
    category = next((i for i, name in mapping.items() if name == "category"), None)
    title = next((i for i, name in mapping.items() if name == "title"), None)
    if category is None or title is None:
        return mapping

    def repeats(column: int) -> float:
        values = [row[column] for row in rows if column < len(row)]
        filled = [v for v in values if v]
        return 1.0 - len(set(filled)) / len(values) if values else 0.0
    if repeats(title) > repeats(category):
        return {**mapping, category: "title", title: "category"}
    return mapping


def is_month_grid(cells: Sequence[str]) -> bool:
    """A header of month columns (jan, feb, mars …, two to a cell where a scan lost the rule between
    them, or their initials J F M A …): a timetable, not a list of activities."""
    months = set(reference_json("parsers", "columns.json")["month_names"])
    initials = {fold(name)[0] for name in months}
    named = sum(1 for text in cells for word in fold(text).split() if word.strip(".,") in months)
    lettered = sum(1 for text in cells if fold(text).strip(". ") in initials)
    return named >= 6 or lettered >= _MIN_INITIALS


_MIN_INITIALS = 8        # of the twelve months' initials, a few lost to OCR


def is_placeholder(text: str) -> bool:
    return fold(text).strip(" .") in {fold(p) for p in reference_json("parsers", "columns.json")["placeholders"]}


@lru_cache(maxsize=1)
def _year_heading() -> re.Pattern[str]:
    data = reference_json("parsers", "columns.json")
    words = "|".join(re.escape(fold(w)) for w in data["year_headings"])
    links = "|".join(re.escape(fold(w)) for w in data["year_heading_links"])
    return re.compile(r"(?:\d+(?:\.\d+)*\.?\s*)?(?:" + words + r")(?:\s+(?:" + links + r"))?\s+((?:19|20)\d{2})")


def year_heading(text: str) -> int | None:
    """'Aktiviteter 2022', '4. Aktiviteter 2017', '1. Aktiviteter under 2020', '4.2 Planerade insatser
    2021' -> the year; other text -> None."""
    match = _year_heading().fullmatch(fold(text))
    return int(match.group(1)) if match else None
