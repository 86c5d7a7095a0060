"""Swedish diacritic repair: restore å, ä, ö (and their OCR stand-ins é, 6, &) in damaged text.

For each word, candidates come from an OCR confusion table learned from aligned damaged/clean text
(`data/ocr_confusions.json`, made by scripts/learn_confusions.py); each candidate is scored with a
Swedish lexicon (wordfreq's `sv` list, the Hunspell dictionary's word forms, compounds split into
known parts and checked by Hunspell, the clean words of the corpus), with the channel probability
of the damage, and with the words around it (the corpus's word pairs and `data/swedish_usage.txt`),
because many damaged forms are words too ('for'/'för', 'mal'/'mål', 'ar'/'år'/'är'). Of a word's
readings only those the lexicon can score are made: the words that share its key (WordsByKey: the
characters the table may change masked) and the compounds of such words; the rest would score nothing.
`DiacriticRepairer.adapted_to` makes the second pass of a damaged document: its table re-estimated
on the document and its lexicon told what the document surely writes.
"""
from __future__ import annotations

import bisect
import copy
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from core.derived import swedish_frequencies, swedish_zipf
from core.reference import reference_json, reference_text
from normalizers.fold import fold
from normalizers.lookalikes import lookalike_readings
from normalizers.speller import dictionary_files, swedish_speller

_LETTERS = reference_json("normalizers", "letters.json")
SWEDISH_LETTERS: str = _LETTERS["swedish_letters"]
_SIGNS_FOR_LETTERS: str = _LETTERS["signs_read_for_letters"]
_VOWELISH = set(_LETTERS["vowel_like"])
_LOANWORD_LETTERS: str = _LETTERS["letters_of_loanwords"]
# (part's ending, word's ending, part's least length): how a compound part is written from its word
_JOINS: tuple[tuple[str, str, int], ...] = tuple(
    (part_end, word_end, shortest)
    for part_end, word_end, shortest in reference_json("normalizers", "compound_joins.json")["joins"])
# A word: letters, and the digits/signs OCR puts in place of Swedish letters ('milj6', '6nskemal', 'k&nnedom').
_SIGNS = re.escape(_SIGNS_FOR_LETTERS)
WORD = re.compile(rf"(?:[^\W\d_]|[{_SIGNS}](?=[^\W\d_]))(?:[^\W\d_]|[{_SIGNS}](?![\d]))*")
_MAX_CANDIDATES = 512          # readings of one word, the likeliest by the table, where they are made one by one
_MOST_PARTS = 4                # parts of a compound, at most (Lexicon._parts: depth 3)
_MAX_COMPOUND_PREFIXES = 4096  # beginnings of compound readings of one word, where they are found by key

# how Swedish a word is (wordfreq zipf units)
_KNOWN_ZIPF = 2.0              # at or above this a word counts as Swedish
_CORPUS_ZIPF = 3.0             # a word of the clean corpus that wordfreq lacks
_DICTIONARY_BONUS = 0.5        # a spelling the Hunspell dictionary knows
_UNSPELLED_PENALTY = 1.0       # a web word the dictionary does not know
_UNKNOWN_WORD = 0.5            # a word as it stands when nothing knows it (a name, a typo)
_COMPOUND_PENALTY = 1.5        # per join of two parts
_ZIPF_CEILING = 9.0            # the zipf of a word that were every word (frequency 1)
_COMPOUND_MIN = 7              # letters a word needs to be read as a compound
_COMPOUND_CAP = 3.0            # a reading split into parts does not outrank a word the dictionary knows…
_COMPOUND_SLOPE = 0.5          # …but above the cap keeps this share of its lead over other compounds
_SPELLER_PENALTY = 0.5         # a compound Hunspell rejects ('behovsutredningsmällen')
_PART_COST = 2                 # letters a known part must cover to be worth one more join (unknown words)

# the damage (log10 probabilities)
_UNSEEN_STAND_IN = math.log10(1 / 50)   # a stand-in read as a Swedish letter it was never seen for
_SPLIT_LETTER = math.log10(1 / 100)     # one Swedish letter read as two glyphs
_PRIOR_WEIGHT = 20.0           # characters of evidence the learned table counts for, per letter, on a document

# context and the document
_PAIR_BONUS = 2.5           # at most, per neighbour the corpus ties the candidate to
_CORPUS_WEIGHT = 0.5           # per power of ten of the word's count in the clean corpus
_CHANGE_MARGIN = 0.2           # a known word is replaced only by a clearly better one
_SURE_MARGIN = 1.0             # a first reading this far ahead of the next tells the lexicon what the document uses
_DOCUMENT_PENALTY = 0.5        # zipf units a part the document uses counts for less than its share of the document

# one misread glyph (Swedish OCR)
_LOOKALIKE_MARGIN = 1.0        # the word one lookalike makes must lead every other such word by this much
_LOOKALIKE_LETTERS = 3         # shorter words are left alone: too many words lie one glyph from them
_COMPOUND_LETTERS = 8          # a reading Hunspell accepts only as a compound must be this long
_RARE_ZIPF = 3.0               # a word as read this rare may itself be the misreading ('mänga', 'tör')…
_RARE_LEAD = 3.0               # …of a dictionary word this much more frequent ('många', 'för')
_DOCUMENT_USE = 1.0            # a lookalike reading the document writes elsewhere, as read


def words_of(text: str) -> list[str]:
    return WORD.findall(text)


def damage_key(word: str) -> str:
    """Equal for two words that differ only in what OCR does to å/ä/ö ('milj6', 'miljö', 'miljo');
    other letters keep their case."""
    return "".join("*" if ch.lower() in _VOWELISH else ch for ch in word)


def alignment_key(word: str) -> str:
    """damage_key without case, for pairing words of two texts."""
    return damage_key(word.lower())


@dataclass(frozen=True)
class Confusions:
    """P(observed character | intended character), from counts of aligned text."""
    alternatives: dict[str, tuple[tuple[str, float], ...]]   # observed -> (intended, log10 P(obs|int))
    counts: dict[str, dict[str, float]] = field(default_factory=dict, compare=False, repr=False)
    _readings: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict, compare=False, repr=False)
    _stand_ins: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls) -> Confusions:
        data = reference_json("normalizers", "ocr_confusions.json")
        return cls.from_counts(data["counts"])

    @classmethod
    def from_counts(cls, counts: dict[str, dict[str, float]], unseen_stand_ins: bool = True) -> Confusions:
        """`unseen_stand_ins`: let a stand-in be read as the Swedish letters it was never seen for, at
        a low probability (off only to learn which letters it was seen for)."""
        alternatives: dict[str, list[tuple[str, float]]] = {}
        for intended, observations in counts.items():
            total = sum(observations.values())
            for observed, n in observations.items():
                alternatives.setdefault(observed, []).append((intended, math.log10(n / total)))
        for observed, alts in alternatives.items():
            if unseen_stand_ins and all(intended != observed for intended, _ in alts):
                # a stand-in seen for one Swedish letter may stand for another one day ('Jénk&pings'),
                # and a letter of borrowed words may be itself ('forskningsidéer')
                seen = {intended for intended, _ in alts}
                alts.extend((letter, _UNSEEN_STAND_IN) for letter in SWEDISH_LETTERS if letter not in seen)
                if observed in _LOANWORD_LETTERS:
                    alts.append((observed, _UNSEEN_STAND_IN))
        confusable = {o: tuple(sorted(alts, key=lambda a: -a[1])) for o, alts in alternatives.items()
                      if any(intended != o for intended, _ in alts)}
        return cls(confusable, counts)

    def adapted(self, readings: Iterable[tuple[str, str]]) -> Confusions:
        """The table re-estimated on one document: its words (observed) paired with the readings a
        first repair chose (intended), added to the learned counts scaled to _PRIOR_WEIGHT
        characters per letter. A text whose diacritics were simply stripped then reads 'o' for 'ö'
        with no penalty, while a layer that writes 'é' for 'ö' keeps its table."""
        seen: dict[str, Counter] = {intended: Counter() for intended in self.counts}
        for observed, intended in readings:
            if len(observed) != len(intended):
                continue
            for o_char, i_char in zip(observed.lower(), intended.lower(), strict=True):
                if i_char in seen:
                    seen[i_char][o_char] += 1
        counts = {}
        for intended, prior in self.counts.items():
            total = sum(prior.values())
            counts[intended] = {o: n * _PRIOR_WEIGHT / total for o, n in prior.items()}
            for o_char, n in seen[intended].items():
                counts[intended][o_char] = counts[intended].get(o_char, 0.0) + n
        return Confusions.from_counts(counts)

    def stands_in(self, char: str) -> bool:
        """A character the table has only seen as damage ('é', '6', '&'), never as itself: a sure
        sign of damage (a letter of borrowed words, which a reading may keep, still is one)."""
        found = self._stand_ins.get(char)
        if found is None:
            lower = char.lower()
            found = self._stand_ins[char] = lower in self.alternatives and not self.counts.get(lower, {}).get(lower)
        return found

    def readings(self, token: str) -> tuple[tuple[str, float], ...]:
        """The readings of the token the table allows, with log10 P(token | reading): all of them
        when few, else the likeliest _MAX_CANDIDATES (a beam over the characters)."""
        cached = self._readings.get(token)
        if cached is not None:
            return cached
        # beams[i]: readings of token[:i]; a step reads one character, or two glyphs as one letter
        beams: dict[int, list[tuple[str, float]]] = {0: [("", 0.0)]}
        for i in range(len(token)):
            beam = beams.pop(i, [])
            if len(beam) > _MAX_CANDIDATES:
                beam = sorted(beam, key=lambda item: -item[1])[:_MAX_CANDIDATES]
            steps = [(1, reading, p) for reading, p in self.options(token[i])]
            if self.split_letter(token[i:i + 2]):
                steps += [(2, letter, _SPLIT_LETTER) for letter in SWEDISH_LETTERS]
            for width, reading, p in steps:
                beams.setdefault(i + width, []).extend((prefix + reading, score + p) for prefix, score in beam)
        readings = tuple(sorted(beams.get(len(token), []), key=lambda item: -item[1])[:_MAX_CANDIDATES])
        if len(self._readings) < 100_000:
            self._readings[token] = readings
        return readings

    @cached_property
    def allowed(self) -> frozenset[tuple[str, str]]:
        """(observed, intended) of every reading of a character the table allows."""
        return frozenset((observed, intended) for observed, alts in self.alternatives.items()
                         for intended, _ in alts)

    @cached_property
    def changeable(self) -> str:
        """Every character a reading may change, and every letter it may be read as."""
        chars = set(self.alternatives)
        chars.update(intended for alts in self.alternatives.values() for intended, _ in alts)
        return "".join(sorted(chars))

    def key(self, text: str) -> bytes:
        """Equal for a lower-case token and each of its readings of the same length ('miljo',
        'miljö'; _MERGED for two glyphs read as one letter): WordsByKey finds by it the token's
        readings that are words."""
        return _as_bytes(text).translate(_key_table(self.changeable + _MERGED))

    @cached_property
    def joins(self) -> tuple[tuple[str, str, int, bytes, bytes], ...]:
        """_JOINS with the keys of the part's and the word's endings."""
        return tuple((part_end, word_end, shortest, self.key(part_end), self.key(word_end))
                     for part_end, word_end, shortest in _JOINS)

    def channel(self, lower: str, reading: str) -> float | None:
        """log10 P(token | reading), summed as `readings` sums it, for a reading as long as the
        lower-case token; None where the table does not allow it."""
        probabilities = self._probabilities
        score = 0.0
        for observed, letter in zip(lower, reading, strict=True):
            p = probabilities.get((observed, letter))
            if p is None:
                if observed == _MERGED and letter in SWEDISH_LETTERS:
                    p = _SPLIT_LETTER
                elif observed != letter or observed in self.alternatives:
                    return None
                else:
                    p = 0.0
            score += p
        return score

    @cached_property
    def _probabilities(self) -> dict[tuple[str, str], float]:
        return {(observed, intended): p for observed, alts in self.alternatives.items() for intended, p in alts}

    def split_letter(self, pair: str) -> bool:
        """Two glyphs that may be one Swedish letter read twice ('moéten', 'tréaffar'): a stand-in
        beside another character that may stand for å/ä/ö."""
        return (len(pair) == 2 and any(self.stands_in(ch) for ch in pair)
                and all(any(i in SWEDISH_LETTERS for i, _ in self.options(ch)) for ch in pair))

    def options(self, char: str) -> tuple[tuple[str, float], ...]:
        """Readings of one character; the table is case-folded, candidates are lower case."""
        lower = char.lower()
        return self.alternatives.get(lower, ((lower, 0.0),))


_MERGED = "\x00"      # two glyphs of a token read as one letter ('oé' in 'moéten'): never in a token
_MAX_SPLIT_PAIRS = 4   # pairs of glyphs in one token that may each be one letter, where readings are found by key


class Lexicon:
    """How Swedish a word is, in wordfreq's zipf units; None for a word it does not know."""

    def __init__(self, corpus_words: Iterable[str] = (), document: str = "", base: Lexicon | None = None):
        """`document`: words the text being repaired surely uses, which make their compound parts
        likelier there than in general. `base`: a lexicon of the same corpus whose readings of
        compound parts, which the document does not change, this one shares (they are most of the
        work, and a repairer's base lexicon keeps them from one document to the next)."""
        self.corpus_words = frozenset(w.lower() for w in corpus_words)
        # letters of the longest compound part there is: no longer piece of a word is one
        self.longest_part = max(_longest_general_word(), max(map(len, self.corpus_words), default=0)) + max(
            len(part_end) - len(word_end) for part_end, word_end, _ in _JOINS)
        self.dictionary = hunspell_forms()
        self.speller = swedish_speller()
        self.document = f" {document.lower()} "
        self.document_words = max(len(document.split()), 1)
        self.score = lru_cache(maxsize=200_000)(self._score)
        self.unchecked_score = lru_cache(maxsize=200_000)(self._unchecked_score)
        self.part = lru_cache(maxsize=200_000)(self._part)
        # the readings of a word share most of their tails: each tail is split once
        self.parts = lru_cache(maxsize=200_000)(self._parts)
        shared = base is not None and base.corpus_words == self.corpus_words and base.dictionary is self.dictionary
        self.part_readings: Callable[[str], tuple[tuple[str, float], ...]] = (
            base.part_readings if shared and base is not None else lru_cache(maxsize=200_000)(self._part_readings))
        self.whole_word: Callable[[str], tuple[float, bool]] = (
            base.whole_word if shared and base is not None else lru_cache(maxsize=200_000)(self._whole_word))

    def known(self, word: str) -> bool:
        """Swedish as it stands: in the dictionary, the corpus, or common in wordfreq's list (a
        reading as a compound of other words does not count: 'lans|styrelsen' is OCR damage)."""
        word = word.lower()
        return word in self.dictionary or word in self.corpus_words or swedish_zipf(word) >= _KNOWN_ZIPF

    def ceiling(self, word: str) -> tuple[float | None, bool]:
        """(score, True) where the score needs no splitting into compound parts, else (a score the
        word cannot exceed, False): a reading that cannot win need not be split at all."""
        zipf, final = self.whole_word(word)
        if final:
            return zipf, True
        if len(word) < _COMPOUND_MIN:
            return (zipf if zipf > 0 else None), True
        return max(zipf, self.compound_ceiling), False

    @cached_property
    def compound_ceiling(self) -> float:
        """No compound scores more: its best conceivable part (a word that were every word of the
        web, or a part the document uses in every word), less one join."""
        uses = math.log10(max(len(self.document), 1) / self.document_words) + 9 - _DOCUMENT_PENALTY
        return _capped(max(_ZIPF_CEILING, uses) - _COMPOUND_PENALTY)

    def _whole_word(self, word: str) -> tuple[float, bool]:
        """(score, final) of the word as a whole; final when splitting it cannot change that."""
        zipf = swedish_zipf(word)
        if word in self.dictionary:
            # a spelling the dictionary knows; web frequency still ranks two such spellings
            return max(zipf, _CORPUS_ZIPF + zipf / 4) + _DICTIONARY_BONUS, True
        if word in self.corpus_words:
            return max(zipf, _CORPUS_ZIPF), True
        if self.dictionary and zipf:
            # in web text but not in the dictionary: often a word typed without its å/ä/ö
            zipf -= _UNSPELLED_PENALTY
        return zipf, False

    def _score(self, word: str) -> float | None:
        unchecked = self.unchecked_score(word)
        zipf, final = self.whole_word(word)
        if final or unchecked is None or unchecked <= zipf:
            return unchecked
        # a compound's score: Hunspell is asked only here, where its verdict changes the score
        return max(zipf, unchecked - _SPELLER_PENALTY) if self.speller.accepts(word) is False else unchecked

    def _unchecked_score(self, word: str) -> float | None:
        """The score, before Hunspell's verdict on the word as a compound: never below `score`."""
        zipf, final = self.whole_word(word)
        if final:
            return zipf
        compound = self._compound(word, depth=_MOST_PARTS - 1)
        if compound is not None:
            return max(zipf, _capped(compound))
        return zipf if zipf > 0 else None

    def _compound(self, word: str, depth: int) -> float | None:
        """'miljösamverkansorganisationer' = miljö + samverkans + organisationer: the mean score of
        its parts, less a penalty for each join."""
        parts = self.parts(word, depth)
        if parts is None:
            return None
        return sum(parts) / len(parts) - _COMPOUND_PENALTY * (len(parts) - 1)

    def _parts(self, word: str, depth: int) -> tuple[float, ...] | None:
        if depth == 0 or len(word) < _COMPOUND_MIN or len(word) > (depth + 1) * self.longest_part:
            return None
        best, best_score = None, None
        for cut in range(3, min(len(word) - 2, self.longest_part + 1)):
            head, tail = word[:cut], word[cut:]
            head_score = self.part(head)
            if head_score is None:
                continue
            tail_score = self.part(tail)
            tail_parts = (tail_score,) if tail_score is not None else self.parts(tail, depth - 1)
            if tail_parts is None:
                continue
            parts = (head_score, *tail_parts)
            score = sum(parts) / len(parts) - _COMPOUND_PENALTY * (len(parts) - 1)
            if best_score is None or score > best_score:
                best, best_score = parts, score
        return best

    def _part(self, piece: str) -> float | None:
        """A compound part: a word of four letters or more, a very common three-letter word ('mål',
        'län'), either plus the linking -s ('samverkans', 'läns'), or a word less its final -e or -a
        ('handläggar|stöd', 'mass|hantering'); scored by the best of these readings, and by how
        often the document being repaired uses it, where that is more."""
        best = None
        for candidate, score in self.part_readings(piece):
            if len(candidate) >= 4:
                uses = self.document.count(candidate)
                if uses:
                    score = max(score, math.log10(uses / self.document_words) + 9 - _DOCUMENT_PENALTY)
            if best is None or score > best:
                best = score
        return best

    def _part_readings(self, piece: str) -> tuple[tuple[str, float], ...]:
        """The readings of a piece that are compound parts, each with its score in general: the
        words it writes as a part (_JOINS)."""
        found = []
        for part_end, word_end, shortest in _JOINS:
            if len(piece) < shortest or not piece.endswith(part_end):
                continue
            candidate = piece[:len(piece) - len(part_end)] + word_end
            zipf = swedish_zipf(candidate)
            if self.dictionary and candidate not in self.dictionary:
                zipf = 0.0
            if (len(candidate) >= 4 and zipf >= 3.0) or (len(candidate) == 3 and zipf >= 4.8):
                found.append((candidate, zipf))
            elif len(candidate) >= 4 and (candidate in self.dictionary or candidate in self.corpus_words):
                found.append((candidate, _CORPUS_ZIPF))
        return tuple(found)


def _capped(compound: float) -> float:
    """Above _COMPOUND_CAP a compound's score grows at _COMPOUND_SLOPE only: it keeps its rank
    among compounds without outranking a word the dictionary knows."""
    return compound if compound <= _COMPOUND_CAP else _COMPOUND_CAP + _COMPOUND_SLOPE * (compound - _COMPOUND_CAP)


@lru_cache(maxsize=4)
def _key_table(changeable: str) -> bytes:
    return bytes.maketrans(_as_bytes(changeable), b"*" * len(changeable))


def _as_bytes(text: str) -> bytes:
    # a key filters, it never decides: a character outside Latin-1 may share '?' with another
    return text.encode("latin-1", "replace")


class WordsByKey:
    """Words found by their key under a confusion table (Confusions.key): the words a token's
    readings may be, without making each reading."""

    def __init__(self, words: Iterable[str], changeable: str):
        words = list(words)
        table = _key_table(changeable)
        # one translation of all the words joined: a million words a second faster than one by one
        keys = _as_bytes("\n".join(words)).translate(table).split(b"\n")
        self._first = dict(zip(keys, words, strict=True))
        self._more: dict[bytes, list[str]] = {}
        for word in set(words).difference(self._first.values()):
            self._more.setdefault(_as_bytes(word).translate(table), []).append(word)

    def get(self, key: bytes) -> list[str]:
        first = self._first.get(key)
        if first is None:
            return []
        return [first, *self._more.get(key, ())]


@lru_cache(maxsize=2)
def general_words_by_key(changeable: str) -> WordsByKey:
    """The words of the dictionary and of wordfreq's list by key: built once per process (a second)."""
    return WordsByKey(hunspell_forms() | swedish_frequencies().words(), changeable)


@lru_cache(maxsize=1)
def _longest_general_word() -> int:
    return max(max(map(len, hunspell_forms()), default=0), max(map(len, swedish_frequencies().words()), default=0))


@lru_cache(maxsize=1)
def hunspell_forms() -> frozenset[str]:
    """Every spelled-out word form of Debian's Swedish Hunspell dictionary (hunspell-sv), expanded
    with its affix rules by `unmunch` (hunspell-tools): correct spellings only, so 'förskolor' is in
    and the web's diacritic-less 'forskolor' is not. Empty when the dictionary is not installed."""
    import shutil
    import subprocess
    files = dictionary_files()
    if files is None or not shutil.which("unmunch"):
        return frozenset()
    output = subprocess.run(["unmunch", *map(str, files)], capture_output=True, check=False).stdout
    return frozenset(line.lower() for line in output.decode("utf-8", "replace").splitlines()
                     if line and "/" not in line)




_PAIR_TOKEN = re.compile(WORD.pattern + r"|\d+")
_NUMBER = "<n>"


def pair_tokens(text: str) -> list[str]:
    """Words (lower case) and numbers (as one token, '<n>'): the stream word pairs are counted on."""
    return [_NUMBER if t.isdigit() else t.lower() for t in _PAIR_TOKEN.findall(text)]


class WordPairs:
    """How strongly the clean corpus ties a word to its neighbours: pointwise mutual information
    of word pairs, so 'per år' counts and the merely frequent 'är en' does not. The neighbour is
    compared by its alignment key, since it may itself be damaged; failing the whole neighbour, by
    its ending ('nästkommande år', 'föregående år'). A pair the usage phrases attest ('varje år')
    is a fact, not a statistic: it gets the whole bonus however small the corpus."""

    def __init__(self, clean_texts: Iterable[str] = (), usage: Iterable[str] = ()):
        self.attested = {(side, key, word) for phrase in usage
                         for side, key, word in _pairs(pair_tokens(phrase)) if side in ("L", "R")}
        self.pairs: Counter = Counter()
        self.sides: Counter = Counter()
        self.words: Counter = Counter()
        self.total = 0
        for text in [*clean_texts, *usage]:
            tokens = pair_tokens(text)
            self.words.update(t for t in tokens if t != _NUMBER)
            self.total += max(len(tokens) - 1, 0)
            for side, key, word in _pairs(tokens):
                self.pairs[(side, key, word)] += 1
                self.sides[(side, key)] += 1

    def bonus(self, candidate: str, previous: str | None, following: str | None) -> float:
        score = 0.0
        for side, neighbour in (("L", previous), ("R", following)):
            if neighbour is None:
                continue
            if (side, _neighbour(neighbour), candidate) in self.attested:
                score += _PAIR_BONUS
                continue
            tie = self._pmi(side, _neighbour(neighbour), candidate)
            if tie <= 0:
                tie = self._pmi(side + "S", _ending(neighbour), candidate) / 2
            score += min(_PAIR_BONUS, max(0.0, tie))
        return score

    def _pmi(self, side: str, key: str, word: str) -> float:
        pair = self.pairs[(side, key, word)]
        if not pair:
            return 0.0
        return math.log10(pair * self.total / (self.sides[(side, key)] * max(self.words[word], 1)))


def _pairs(tokens: list[str]) -> Iterable[tuple[str, str, str]]:
    """(side, neighbour key, word) of each word pair: the word after a neighbour ('L'), before one
    ('R'), and the same by the neighbour's ending ('LS', 'RS')."""
    for a, b in zip(tokens, tokens[1:], strict=False):
        yield from (("L", _neighbour(a), b), ("R", _neighbour(b), a), ("LS", _ending(a), b), ("RS", _ending(b), a))


@lru_cache(maxsize=100_000)     # asked again for every reading of the word beside it
def _neighbour(token: str) -> str:
    return token if token == _NUMBER else alignment_key(token)


@lru_cache(maxsize=100_000)
def _ending(token: str) -> str:
    return token if token == _NUMBER else alignment_key(token)[-3:]


@dataclass(frozen=True)
class Change:
    start: int
    end: int
    before: str
    after: str


_READINGS_REMEMBERED = 200_000   # (word, neighbours) whose best reading a repairer keeps
# a token's readings scored without their neighbours: (score, reading, whether the corpus pairs it)
# where that score is final, (ceiling, reading, pairs, channel + corpus part) where it must be split
_TokenReadings = tuple[list[tuple[float, str, bool]], list[tuple[float, str, bool, float]]]


class DiacriticRepairer:
    """`clean_texts`: Swedish text with its diacritics intact (the corpus), or a function that
    returns it; it is read, and the dictionaries loaded, only when the first word is repaired."""

    def __init__(self, clean_texts: Iterable[str] | Callable[[], Iterable[str]] = (),
                 confusions: Confusions | None = None):
        self._clean_texts = clean_texts
        self._confusions = confusions
        self._loaded = False
        self.document_words: Counter[str] = Counter()
        self._best_of: dict[tuple[str, str | None, str | None], tuple[str, bool]] = {}
        self._token_readings: dict[str, _TokenReadings | None] = {}
        # what a token may be read as depends on which readings the table allows, not on how
        # likely it makes them: kept for the document's second pass, whose table is re-estimated
        self._words_read: dict[frozenset[tuple[str, str]], dict[str, set[str]]] = {}
        self._pieces_of: dict[frozenset[tuple[str, str]], dict[str, tuple[str, ...]]] = {}
        self._by_key: dict[str, tuple[WordsByKey, WordsByKey]] = {}

    def _load(self) -> None:
        texts = self._clean_texts() if callable(self._clean_texts) else self._clean_texts
        self.word_pairs = WordPairs(texts, usage_phrases())
        self.lexicon = Lexicon(self.word_pairs.words)
        self.confusions = self._confusions or Confusions.load()
        general_words_by_key(self.confusions.changeable)     # loaded with the dictionaries it indexes
        self._loaded = True

    def best_reading(self, word: str) -> str:
        """The likeliest reading of one word on its own (lower case), without context."""
        if not self._loaded:
            self._load()
        return self._best(word, None, None)[0]

    def adapted_to(self, text: str) -> DiacriticRepairer:
        """A repairer for this text that lost its diacritics, from a first repair of every word of
        it: its confusion table re-estimated on what was read as what (one step of EM), and its
        lexicon told which words the text uses where the first repair was sure of them (a cache
        model: a document that writes 'träff' in six compounds means 'träff' in the seventh, not
        'straff')."""
        choices = list(self._choices(text, only_unknown=False))
        sibling = self._sibling()
        sibling.confusions = self.confusions.adapted((token, reading) for _, _, token, reading, _ in choices)
        sure = " ".join(reading for _, _, _, reading, is_sure in choices if is_sure)
        sibling.lexicon = Lexicon(self.word_pairs.words, document=sure, base=self.lexicon)
        return sibling

    def reading_words_of(self, text: str) -> DiacriticRepairer:
        """A repairer for Swedish OCR of this text: of two lookalike readings of a misread word,
        the one the text writes elsewhere is the likelier ('länsstyrelseri' in a plan that writes
        'länsstyrelsen')."""
        if not self._loaded:
            self._load()
        sibling = self._sibling()
        sibling.document_words = Counter(w for w in (t.lower() for t in WORD.findall(text)) if self.lexicon.known(w))
        return sibling

    def _sibling(self) -> DiacriticRepairer:
        """A copy to be given other tables: the readings this one remembers are not its."""
        sibling = copy.copy(self)
        sibling._best_of, sibling._token_readings = {}, {}
        return sibling

    def repair(self, text: str, only_unknown: bool = False) -> tuple[str, list[Change]]:
        """The repaired text and what changed. `only_unknown`: touch only words that are not Swedish
        (for OCR in Swedish, whose real words are right); otherwise every word may be corrected
        (a layer that lost all its diacritics, where 'for' is almost always 'för')."""
        changes = [Change(start, end, token, _recase(token, reading))
                   for start, end, token, reading, _ in self._choices(text, only_unknown) if reading != token.lower()]
        if not changes:
            return text, []
        parts, position = [], 0
        for change in changes:
            parts.append(text[position:change.start])
            parts.append(change.after)
            position = change.end
        parts.append(text[position:])
        return "".join(parts), changes

    def _choices(self, text: str, only_unknown: bool):
        """(start, end, token, reading in lower case, whether it leads every other reading by
        _SURE_MARGIN) of each word the repair may change; with `only_unknown`, also of two words
        OCR split apart that are one ('verksam hetsplan': the token is both, the reading the word)."""
        if not self._loaded:
            self._load()
        tokens = list(_PAIR_TOKEN.finditer(text))
        addresses = _address_spans(text)
        index = 0
        while index < len(tokens):
            match = tokens[index]
            token = match.group(0)
            index += 1
            if token.isdigit() or _is_address_or_code(text, match.start(), match.end(), addresses):
                continue
            if only_unknown and index < len(tokens):
                following_match = tokens[index]
                joined = self._split_word(token, following_match.group(0), text[match.end():following_match.start()])
                if joined is not None:
                    index += 1
                    yield match.start(), following_match.end(), text[match.start():following_match.end()], joined, False
                    continue
            previous = _as_neighbour(tokens[index - 2].group(0)) if index > 1 else None
            following = _as_neighbour(tokens[index].group(0)) if index < len(tokens) else None
            if only_unknown and self.lexicon.known(token.lower()) and not any(ch in _SIGNS_FOR_LETTERS for ch in token):
                rare = self._by_rare_lookalike(token.lower(), previous, following)
                if rare is not None:
                    yield match.start(), match.end(), token, rare, False
                continue
            reading, sure = self._best(token, previous, following)
            if only_unknown and reading == token.lower():
                reading = self._by_lookalike(reading, previous, following) or reading
            yield match.start(), match.end(), token, reading, sure

    def _split_word(self, first: str, second: str, between: str) -> str | None:
        """The word two OCR words make together when the space between them is a misread gap: the two
        are not both Swedish, and together they are ('bakgru nd', 'pressmeddelan de'; not 'små
        avloppsanläggningar', two words of which Hunspell makes one compound as it does of most)."""
        if between != " " or not (first.isalpha() and second.isalpha()):
            return None
        if self._swedish(first.lower()) and self._swedish(second.lower()):
            return None
        joined = (first + second).lower()
        compound = len(joined) >= _COMPOUND_LETTERS and self.lexicon.speller.accepts(joined) is True
        return joined if self.lexicon.known(joined) or compound else None

    def _best(self, token: str, previous: str | None, following: str | None) -> tuple[str, bool]:
        """The likeliest reading, and whether it leads every other reading by _SURE_MARGIN."""
        key = (token, previous, following)
        found = self._best_of.get(key)
        if found is None:
            found = self._best_reading(token, previous, following)
            if len(self._best_of) < _READINGS_REMEMBERED:
                self._best_of[key] = found
        return found

    def _best_reading(self, token: str, previous: str | None, following: str | None) -> tuple[str, bool]:
        lower = token.lower()
        readings = self._readings_of(token)
        if readings is None:
            return lower, True      # no other reading: what scoring it would conclude, unscored
        whole, unsplit = readings

        def in_context(score: float, candidate: str, pairs: bool) -> float:
            return score + self.word_pairs.bonus(candidate, previous, following) if pairs else score
        scored = [(in_context(score, candidate, pairs), candidate) for score, candidate, pairs in whole]
        # a reading that must be split into parts to be scored is split only where it may still
        # win or come within _SURE_MARGIN of the winner; the word as read always is (a reading
        # must beat it by _CHANGE_MARGIN)
        bonus_ceiling = _PAIR_BONUS * ((previous is not None) + (following is not None))
        leader = max(scored)[0] if scored else -math.inf
        for ceiling, candidate, pairs, rest in unsplit:
            if candidate != lower and ceiling + (bonus_ceiling if pairs else 0.0) < leader - _SURE_MARGIN:
                continue
            unchecked = self.lexicon.unchecked_score(candidate)
            if unchecked is None or (candidate != lower
                                     and in_context(unchecked + rest, candidate, pairs) < leader - _SURE_MARGIN):
                continue
            lexical = self.lexicon.score(candidate)
            assert lexical is not None      # never below the unchecked score
            score = in_context(lexical + rest, candidate, pairs)
            scored.append((score, candidate))
            leader = max(leader, score)
        if any(self.confusions.stands_in(ch) for ch in lower):
            if not scored:
                return self._by_known_parts(lower), False
        elif not any(c == lower for _, c in scored):
            # a word unknown as it stands may still be right (a name, a typo, a rare compound):
            # a reading must be more likely than that
            scored.append((_UNKNOWN_WORD, lower))
        scored.sort(reverse=True)
        score, best = scored[0]
        original = next((s for s, c in scored if c == lower), None)
        if original is not None and best != lower and score - original < _CHANGE_MARGIN:
            return lower, False
        return best, len(scored) == 1 or scored[1][0] <= score - _SURE_MARGIN

    def _readings_of(self, token: str) -> _TokenReadings | None:
        """The token's readings with what their scores owe nothing to the neighbours: (score,
        reading, whether the corpus pairs it with anything) of each whose score is known without
        splitting it, and (ceiling of that score, reading, pairs, channel and corpus part) of each
        that must be split, highest ceiling first. None when the token has no other reading."""
        if token in self._token_readings:
            return self._token_readings[token]
        result: _TokenReadings | None = None
        if self._too_long(token):
            result = ([], [])
        elif self._other_readings(token):
            found = self._readings_by_key(token)
            readings = self.confusions.readings(token) if found is None else found
            whole, unsplit = [], []
            for candidate, channel in readings:
                lexical, final = self.lexicon.ceiling(candidate)
                if lexical is None:
                    continue
                count = self.word_pairs.words[candidate]
                rest = channel + _CORPUS_WEIGHT * math.log10(1 + count)
                if final:
                    whole.append((lexical + rest, candidate, count > 0))
                else:
                    unsplit.append((lexical + rest, candidate, count > 0, rest))
            unsplit.sort(reverse=True)
            result = (whole, unsplit)
        if len(self._token_readings) < _READINGS_REMEMBERED:
            self._token_readings[token] = result
        return result

    def _too_long(self, token: str) -> bool:
        """No reading of the token, even with every other glyph merged into one letter, is a word
        or a compound of known parts: it is longer than _MOST_PARTS of the longest part there is."""
        return len(token) > 2 * _MOST_PARTS * self.lexicon.longest_part

    def _other_readings(self, token: str) -> bool:
        """Some character of the token the table may read as another (a stand-in always is)."""
        return any(char.lower() in self.confusions.alternatives for char in token)

    def _readings_by_key(self, token: str) -> list[tuple[str, float]] | None:
        """_word_readings of each form of the token (_reduced_forms); None where the beam must
        decide instead."""
        forms = self._reduced_forms(token)
        if forms is None:
            return None
        found: list[tuple[str, float]] = []
        for form in forms:
            readings = self._word_readings(form)
            if readings is None:
                return None
            found.extend(readings)
        return found

    def _reduced_forms(self, token: str) -> list[str] | None:
        """The token in lower case, and with each choice of its pairs of glyphs that may be one
        letter ('oé' in 'moéten') read as one (_MERGED): what its readings are each as long as.
        None where its lower case is longer than it, or it has more than _MAX_SPLIT_PAIRS such pairs."""
        lower = token.lower()
        if len(lower) != len(token):
            return None
        if not any(self.confusions.stands_in(char) for char in token):
            return [lower]      # a pair needs a stand-in
        pairs = [i for i in range(len(token) - 1) if self.confusions.split_letter(token[i:i + 2])]
        if len(pairs) > _MAX_SPLIT_PAIRS:
            return None
        forms = []
        for count in range(len(pairs) + 1):
            for merged in itertools.combinations(pairs, count):
                if any(b - a < 2 for a, b in itertools.pairwise(merged)):
                    continue        # one glyph is in one pair only
                reduced, position = [], 0
                for start in merged:
                    reduced.append(lower[position:start] + _MERGED)
                    position = start + 2
                forms.append("".join(reduced) + lower[position:])
        return forms

    def _word_readings(self, lower: str) -> list[tuple[str, float]] | None:
        """The readings of a token that a lexicon may score: those that are words, and those that
        are made of compound parts, with their channel probabilities. Every other reading scores
        nothing (not a word, and no split into parts), so it is never made: this is what scoring
        every reading the table allows would keep, found by key instead of one reading at a time.
        None for a token whose compound readings are too many to make (then the beam decides)."""
        remembered = self._words_read.setdefault(self.confusions.allowed, {})
        found = remembered.get(lower)
        if found is None:
            found = set(self._words_with_key(self.confusions.key(lower)))
            if len(lower) >= _COMPOUND_MIN:
                compounds = self._compound_readings(lower)
                if compounds is None:
                    return None
                found.update(compounds)
            if len(remembered) < _READINGS_REMEMBERED:
                remembered[lower] = found
        return [(reading, channel) for reading in found
                if (channel := self.confusions.channel(lower, reading)) is not None]

    def _compound_readings(self, lower: str) -> set[str] | None:
        """Readings of the token that are two to four compound parts (a superset of those Lexicon
        can split: each is scored as any reading is); None where more than _MAX_COMPOUND_PREFIXES
        beginnings of compounds would be kept (a long token of common short words)."""
        length = len(lower)
        reached: dict[int, set[tuple[str, int]]] = {0: {("", 0)}}
        kept = 0
        found = set()
        for start in range(length - 2):
            states = reached.pop(start, None)
            if not states:
                continue
            for end in range(start + 3, min(length, start + self.lexicon.longest_part) + 1):
                if length - end in (1, 2):
                    continue
                for piece in self._part_pieces(lower[start:end]):
                    for prefix, count in states:
                        if end == length:
                            if count >= 1:
                                found.add(prefix + piece)
                        elif count < _MOST_PARTS - 1:
                            reached.setdefault(end, set()).add((prefix + piece, count + 1))
                            kept += 1
                if kept > _MAX_COMPOUND_PREFIXES:
                    return None
        return found

    def _part_pieces(self, span: str) -> tuple[str, ...]:
        """The readings of a span of a token that are compound parts (Lexicon.part is not None):
        each word that may be written so as a part (_JOINS), found by key."""
        remembered = self._pieces_of.setdefault(self.confusions.allowed, {})
        found = remembered.get(span)
        if found is not None:
            return found
        key = self.confusions.key(span)
        candidates: set[str] = set()
        for part_end, word_end, shortest, part_key, word_key in self.confusions.joins:
            stem = len(span) - len(part_end)
            if len(span) < shortest or key[stem:] != part_key:
                continue
            candidates.update(word[:len(word) - len(word_end)] + part_end
                              for word in self._words_with_key(key[:stem] + word_key) if word.endswith(word_end))
        found = tuple(sorted(piece for piece in candidates if self.lexicon.part_readings(piece)
                             and self.confusions.channel(span, piece) is not None))
        if len(remembered) < _READINGS_REMEMBERED:
            remembered[span] = found
        return found

    def _words_with_key(self, key: bytes) -> list[str]:
        general, corpus = self._words_by_key()
        return general.get(key) + corpus.get(key)

    def _words_by_key(self) -> tuple[WordsByKey, WordsByKey]:
        """The dictionary's and wordfreq's words, and the corpus's, by key under this table."""
        changeable = self.confusions.changeable
        found = self._by_key.get(changeable)
        if found is None:
            found = self._by_key[changeable] = (general_words_by_key(changeable),
                                                WordsByKey(self.lexicon.corpus_words, changeable))
        return found

    def _piece_readings(self, span: str) -> list[tuple[str, float]]:
        """The readings of a span of a token that are compound parts, with their channel
        probabilities, found by key; none for a span of more than _MAX_SPLIT_PAIRS pairs of glyphs
        that may be one letter (no part is written so)."""
        forms = self._reduced_forms(span)
        if forms is None:
            return []
        return [(piece, channel) for form in forms for piece in self._part_pieces(form)
                if (channel := self.confusions.channel(form, piece)) is not None]

    def _longer_part(self, reading: str, word: str) -> bool:
        """The reading (as long as the word, one letter changed) has a longer known word around that
        letter than the word as read has."""
        changed = next(i for i, (a, b) in enumerate(zip(reading, word, strict=True)) if a != b)
        return self._longest_known_at(reading, changed) > self._longest_known_at(word, changed)

    def _longest_known_at(self, word: str, position: int) -> int:
        return max((end - start for start in range(position + 1) for end in range(position + 1, len(word) + 1)
                    if end - start >= 3 and self.lexicon.known(word[start:end])), default=0)

    def _swedish(self, word: str) -> bool:
        """Known as it stands, or a compound Hunspell accepts."""
        return self.lexicon.known(word) or self.lexicon.speller.accepts(word) is True

    def _by_rare_lookalike(self, word: str, previous: str | None, following: str | None) -> str | None:
        """A rare word as read that one misread glyph makes of a far more frequent word of the
        dictionary ('mänga' of 'många', 'tör' of 'för', 'allå' of 'alla'): Swedish OCR makes such
        words more often than writers write them."""
        zipf = swedish_zipf(word)
        if zipf >= _RARE_ZIPF:
            return None
        def far_more_frequent(candidate: str) -> bool:
            return candidate in self.lexicon.dictionary and swedish_zipf(candidate) >= zipf + _RARE_LEAD
        if not any(far_more_frequent(candidate) for candidate in lookalike_readings(word)):
            return None
        reading = self._by_lookalike(word, previous, following, rival=word)
        return reading if reading is not None and far_more_frequent(reading) else None

    def _by_lookalike(self, word: str, previous: str | None, following: str | None,
                      rival: str | None = None) -> str | None:
        """The one word a single misread glyph makes of a word that is not Swedish as read, where no
        other lookalike makes a word nearly as likely. A word Hunspell accepts as a compound of words
        ('kalv|året') may be right as read: only a word of the dictionary itself ('halvåret') beats it.
        A reading that only Hunspell's compounding makes a word drops a diacritic only where that makes
        a longer word of the part it is in: in a rare compound the å/ä/ö as read is as likely right
        ('mät|rapporter', not 'mat|rapporter'), unless it breaks a word ('badvatten|kontroll', not
        'köntroll')."""
        if len(word) < _LOOKALIKE_LETTERS or not word.isalpha():
            return None
        as_compound = rival is None and self.lexicon.speller.accepts(word) is True
        scored = []
        for candidate in lookalike_readings(word):
            if as_compound:
                whole = candidate in self.lexicon.dictionary
            else:
                whole = self.lexicon.known(candidate) or (
                    len(candidate) >= _COMPOUND_LETTERS and self.lexicon.speller.accepts(candidate) is True
                    and (fold(candidate) != fold(word) or self._longer_part(candidate, word)))
            lexical = self.lexicon.score(candidate) if whole else None
            if lexical is None:
                continue
            corpus = _CORPUS_WEIGHT * math.log10(1 + self.word_pairs.words[candidate])
            used = _DOCUMENT_USE if candidate in self.document_words else 0.0
            scored.append((lexical + corpus + used + self.word_pairs.bonus(candidate, previous, following),
                           candidate))
        if not scored:
            return None
        if rival is not None and (score := self.lexicon.score(rival)) is not None:
            # the rival is written here: only its other uses count
            scored.append((score + (_DOCUMENT_USE if self.document_words[rival] > 1 else 0.0), rival))
        scored.sort(reverse=True)
        if len(scored) > 1 and scored[0][0] - scored[1][0] < _LOOKALIKE_MARGIN:
            return None
        return scored[0][1] if scored[0][1] != rival else None

    def _by_known_parts(self, word: str) -> str:
        """A word with a sure stand-in ('handlaggarséd') that no reading makes Swedish: the reading
        that covers most of its letters with fewest known compound parts ('handläggar|s|öd', not
        'handlag|gårs|öd'), the rest read character by character as the table likes best. A token
        longer than any compound (_too_long) is read character by character only: its time stays
        proportional to its length."""
        if self._too_long(word):
            return "".join(max(self.confusions.options(char), key=lambda o: o[1])[0] for char in word)
        best: list[tuple[int, float, str] | None] = [None] * (len(word) + 1)
        best[0] = (0, 0.0, "")
        for start in range(len(word)):
            reached = best[start]
            if reached is None:
                continue
            covered, score, text = reached
            steps = [(start + 1, 0, max(self.confusions.options(word[start]), key=lambda o: o[1]))]
            for end in range(start + 3, min(len(word), start + 2 * self.lexicon.longest_part) + 1):
                parts = [(reading, p + part) for reading, p in self._piece_readings(word[start:end])
                         if (part := self.lexicon.part(reading)) is not None]
                if parts:
                    steps.append((end, end - start - _PART_COST, max(parts, key=lambda o: (o[1], o[0]))))
            for end, gained, (reading, p) in steps:
                option = (covered + gained, score + p, text + reading)
                current = best[end]
                if current is None or option[:2] > current[:2]:
                    best[end] = option
        last = best[-1]
        assert last is not None   # every position is reached by reading one more character
        return last[2]


@lru_cache(maxsize=1)
def usage_phrases() -> tuple[str, ...]:
    """Short phrases showing how the ambiguous forms are used ('per år', 'det är'): context that a
    small corpus does not yet have."""
    text = reference_text("normalizers", "swedish_usage.txt")
    return tuple(line for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _as_neighbour(token: str) -> str:
    return _NUMBER if token.isdigit() else token.lower()


_ABBREVIATION_WITH_AMPERSAND = re.compile(r"[A-ZÅÄÖ]{1,3}&[A-ZÅÄÖ]{1,3}")   # 'K&B', 'R&D'


_ADDRESS_ENDING = re.compile(r"\.(se|nu|com|org|net|pdf|docx?)\b")
_CHUNK = re.compile(r"[^ \n\t]+")


def _address_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of the text between spaces, newlines and tabs that is an e-mail
    or web address or a file name, in order: found once for a text, not for each of its words."""
    spans = []
    for chunk in _CHUNK.finditer(text):
        lower = chunk.group(0).lower()
        if "@" in lower or "www." in lower or "://" in lower or _ADDRESS_ENDING.search(lower):
            spans.append(chunk.span())
    return spans


def _is_address_or_code(text: str, start: int, end: int, addresses: list[tuple[int, int]]) -> bool:
    """E-mail and web addresses, file names, codes like 'R134' and abbreviations like 'K&B' are never
    touched. `addresses`: the text's _address_spans."""
    at = bisect.bisect_right(addresses, (start, len(text) + 1)) - 1
    if at >= 0 and addresses[at][0] <= start and end <= addresses[at][1]:
        return True
    before, after = text[start - 1:start], text[end:end + 1]
    return after.isdigit() or before.isdigit() or _ABBREVIATION_WITH_AMPERSAND.fullmatch(text[start:end]) is not None


def _recase(token: str, word: str) -> str:
    letters = [ch for ch in token if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return word.upper()
    if token[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
