"""Lemmas of Swedish words, and the parts of compounds, for theme matching and search.

A word's lemma is the entry of spaCy's Swedish lookup table (spacy-lookups-data, read as
core.derived.WordTable), with the corrections of data/lemmas.json: function words are their own
lemma, and a present tense in -ar is a verb, not the agent noun the table makes of it. Compound
parts come from wordfreq's Swedish list: 'hälsoskyddsinspektörer' holds 'hälsoskydd', 'hälso',
'skydd' and 'inspektörer', so a search for 'hälsoskydd' finds it.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from core.derived import WordTable, swedish_zipf
from core.reference import reference_json
from normalizers.speller import swedish_speller
from normalizers.tokens import tokens


@lru_cache(maxsize=1)
def _reference() -> dict:
    return reference_json("normalizers", "lemmas.json")


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(_reference()["function_words"])


def _spacy_lemmas() -> Iterable[tuple[str, str]]:
    from spacy.util import load_language_data, registry
    table = load_language_data(registry.lookups.get("sv")["lemma_lookup"])
    if not isinstance(table, dict):
        raise TypeError("spacy-lookups-data: the Swedish lemma table is not a mapping")
    return table.items()


@lru_cache(maxsize=1)
def _lemma_table() -> WordTable:
    """spaCy's Swedish lookup table, read entry by entry: what its lookup lemmatiser does (a word's
    lemma is the table's entry for it, else the word) without the three seconds spaCy takes to hash
    the table's 660 000 entries into its string store at every start."""
    return WordTable("sv-lemmas", "spacy-lookups-data", _spacy_lemmas)


@lru_cache(maxsize=100_000)
def lemma(word: str) -> str:
    """The lemma of a lower-case word ('avloppen' -> 'avlopp', 'arbetar' -> 'arbeta', 'med' -> 'med')."""
    if word in _function_words():
        return word
    found = str(_lemma_table().get(word) or word).lower()
    rule = _reference()["verb_not_agent_noun"]
    if word.endswith(rule["word_ending"]) and found == word[: -len(rule["word_ending"])] + rule["wrong_lemma_ending"]:
        return word[: -len(rule["word_ending"])] + rule["lemma_ending"]
    return found


def words(text: str | None) -> list[tuple[str, str]]:
    """(lemma, word as written, lower case) for each word of a text."""
    if not text:
        return []
    return [(lemma(token), token) for token in tokens(text.lower()) if token.isalpha() or "-" in token]


def lemmas(text: str | None) -> list[str]:
    """Lower-case lemmas of the words of a text ('avloppen' -> 'avlopp', 'små' -> 'liten')."""
    return [found for found, _ in words(text)]




@lru_cache(maxsize=100_000)
def _is_word(part: str) -> bool:
    """A word in its own right: frequent enough in wordfreq's list, which also holds pieces of words
    ('ning', 'erna'), and accepted by Hunspell, which does not (where Hunspell is installed)."""
    settings = _reference()["compounds"]
    return (len(part) >= settings["min_part"] and swedish_zipf(part) >= settings["min_zipf"]
            and swedish_speller().accepts(part) is not False)


def _as_head(part: str) -> str | None:
    """The head of a compound as a word: without its linking letter where that is one ('livsmedels'
    -> 'livsmedel', 'skydds' -> 'skydd'), else itself."""
    linked = next((part[:-1] for letter in _reference()["compounds"]["linking_letters"]
                   if part.endswith(letter) and _is_word(part[:-1])), None)
    return linked or (part if _is_word(part) else None)


@lru_cache(maxsize=100_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The words a compound is made of, at every level ('miljöskyddsinspektörer' -> 'miljöskydd',
    'inspektörer', 'miljö', 'skydd'); () for a word that is not one."""
    split = _split(word)
    return split[1] if split else ()


@lru_cache(maxsize=100_000)
def _split(word: str) -> tuple[float, tuple[str, ...]] | None:
    """The likeliest split of a word into a head and a tail (with the parts of each), and how
    frequent its rarer half is. A compound is rarer than its parts: a word more frequent than the
    halves a split would give ('medarbetarna' against 'medar' and 'betarna') is a word of its own."""
    settings = _reference()["compounds"]
    if len(word) < settings["min_word"] or not word.isalpha():
        return None
    smallest = settings["min_part"]
    best: tuple[float, tuple[str, ...]] | None = None
    for cut in range(smallest, len(word) - smallest + 1):
        head, tail = word[:cut], word[cut:]
        if not _is_word(tail):
            continue
        as_word = _as_head(head)
        inner = _split(head) if as_word is None else None
        if as_word is None and inner is None:
            continue
        rarer = min(swedish_zipf(as_word) if as_word else inner[0], swedish_zipf(tail))   # type: ignore[index]
        if rarer <= swedish_zipf(word) or (best is not None and rarer <= best[0]):
            continue
        parts = [as_word] if as_word else list(inner[1])   # type: ignore[index]
        parts += [tail, *(compound_parts(as_word) if as_word else ()), *compound_parts(tail)]
        best = (rarer, tuple(dict.fromkeys(parts)))
    return best


def search_terms(text: str | None) -> list[str]:
    """What an activity is found by beyond its words: their lemmas, and the parts of its compounds
    with their lemmas."""
    found = []
    for base, written in words(text):
        found.append(base)
        for part in compound_parts(written):
            found += [part] if lemma(part) == part else [part, lemma(part)]
    return found
