"""Themes of an activity: lemma terms and phrases from data/themes.json matched on the words' lemmas
(normalizers.lemmas: spaCy's Swedish tokens looked up in spacy-lookups-data's table, corrected; no
model download) and on the words as written.

Weighing distinct matches by where they stand (title 3, goal and actions 1, at least 2 to count)
keeps a theme from being given for a word in passing: an activity about small sewage that holds
'träff' is not about the steering group, and one that mentions 'utbildning' once is not training.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from core.reference import reference_json
from normalizers.lemmas import words


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    kind: str                                   # supervision | cooperation
    terms: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def _reference() -> dict:
    return reference_json("normalizers", "themes.json")


@lru_cache(maxsize=1)
def themes() -> tuple[Theme, ...]:
    return tuple(Theme(t["id"], t["label"], t["kind"], tuple(w.lower() for w in t.get("terms", [])),
                       tuple(tuple(w.lower() for w in p) for p in t.get("phrases", [])))
                 for t in _reference()["themes"])


@lru_cache(maxsize=1)
def _inflections() -> tuple[str, ...]:
    return tuple(sorted(_reference()["inflections"], key=len, reverse=True))


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], dict[int, frozenset[str]]]:
    """Every term and phrase part of every theme, and the terms by length (for prefix/suffix lookups)."""
    words = {w for t in themes() for w in t.terms} | {w for t in themes() for p in t.phrases for w in p}
    by_length: dict[int, set[str]] = {}
    for word in words:
        by_length.setdefault(len(word), set()).add(word)
    return frozenset(words), {n: frozenset(ws) for n, ws in by_length.items()}


@lru_cache(maxsize=50_000)
def _terms_in(lemma: str, surface: str) -> frozenset[str]:
    """The vocabulary terms a word carries: itself, a compound head (5+ letters) or a compound
    tail with at most an inflection after it (6+ letters: 'inspektör' in 'miljöskyddsinspektörer')."""
    words, by_length = _vocabulary()
    found = set()
    for word in {lemma, surface}:
        if word in words:
            found.add(word)
        for length, terms in by_length.items():
            if length >= 5 and len(word) > length and word[:length] in terms:
                found.add(word[:length])
            if length >= 6:
                for ending in _inflections():
                    stem = word[: len(word) - len(ending)] if ending else word
                    if len(stem) > length and stem[-length:] in terms and (not ending or word.endswith(ending)):
                        found.add(stem[-length:])
    return frozenset(found)


@cache
def _first_words(theme: Theme) -> frozenset[str]:
    """The words a match of the theme starts at: its terms and the first word of each phrase."""
    return frozenset(theme.terms) | {phrase[0] for phrase in theme.phrases if phrase}


def _matched_positions(theme: Theme, carried: list[frozenset[str]]) -> set[int]:
    """Indexes of the words that carry the theme (a phrase counts at its first word), given the
    vocabulary terms each word carries."""
    terms = set(theme.terms)
    found = {i for i, present in enumerate(carried) if present & terms}
    for phrase in theme.phrases:
        for start in range(len(carried) - len(phrase) + 1):
            if all(part in carried[start + k] for k, part in enumerate(phrase)):
                found.add(start)
    return found


def themes_of(title: str | None, goal: str | None = None, actions: str | None = None) -> list[str]:
    """Theme ids of an activity, supervision subjects first, in the data file's order."""
    weights, threshold = _reference()["weights"], _reference()["threshold"]
    fields = {name: [_terms_in(lemma, surface) for lemma, surface in words(text)]
              for name, text in (("title", title), ("goal", goal), ("actions", actions))}
    present = frozenset().union(*(terms for carried in fields.values() for terms in carried))
    chosen = []
    for theme in themes():
        if present.isdisjoint(_first_words(theme)):
            continue   # none of its terms, nor a phrase's first word: most themes, for most activities
        score = sum(weights[name] * min(2, len(_matched_positions(theme, carried))) for name, carried in fields.items())
        if score >= threshold:
            chosen.append(theme)
    return [t.id for t in sorted(chosen, key=lambda t: t.kind != "supervision")]
