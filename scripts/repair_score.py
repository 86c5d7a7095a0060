"""Word accuracy of a diacritic repair against the clean original: the measure scripts/eval_repair.py
prints and the regression tests hold.

Words are alphabetic tokens. Each clean word is paired with its counterpart in the damaged text
(`align_words`: in order, then words read in another order); the repaired text has the same tokens
in the same places, so the counterpart after repair is the same token, repaired. A clean word is
right when its counterpart equals it exactly.
"""
from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from normalizers.diacritics import SWEDISH_LETTERS, alignment_key, damage_key, words_of

_SWEDISH_LETTERS = set(SWEDISH_LETTERS + SWEDISH_LETTERS.upper())
_STRIPPED = str.maketrans(SWEDISH_LETTERS + SWEDISH_LETTERS.upper(), "aaoAAO")


def strip_diacritics(text: str) -> str:
    """Every å/ä/ö read as a, a, o (case kept): text that lost its diacritics plainly."""
    return text.translate(_STRIPPED)


def only_diacritics_differ(clean: str, damaged: str) -> bool:
    """'damaged' is 'clean' with its å/ä/ö lost or swapped and nothing else wrong; a letter read in
    the other case ('Ovrigt' for 'övrigt') is other damage."""
    return (damage_key(clean) == damage_key(damaged)
            and all(c.isupper() == d.isupper()
                    for c, d in zip(clean, damaged, strict=False) if c.isalpha() and d.isalpha()))


def _case_pattern(word: str) -> tuple[bool, ...]:
    return tuple(ch.isupper() for ch in word)


def align_words(clean: Sequence[str], damaged: Sequence[str], with_index: bool = False) -> list[tuple]:
    """Each clean word with its counterpart in the damaged text (None if it has none), or with the
    counterpart's position in `damaged` when `with_index`.

    First in order (difflib on the keys; a lone word matched between two gaps is left to the next
    step, since short words like 'är' and 'år' match anywhere), then, for words read in another
    order (table columns interleaved), an unpaired damaged word with the same key: of the same
    case before one that differs in case ('FOR' for 'FÖR' before 'for'), then the one whose
    neighbours agree most, then the nearest.
    """
    clean_keys = [alignment_key(w) for w in clean]
    damaged_keys = [alignment_key(w) for w in damaged]
    pairs: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, clean_keys, damaged_keys, autojunk=False)
    for block in matcher.get_matching_blocks():
        if block.size < 2:
            continue
        for k in range(block.size):
            pairs[block.a + k] = block.b + k
    unpaired: dict[str, list[int]] = {}
    used = set(pairs.values())
    for j, key in enumerate(damaged_keys):
        if j not in used:
            unpaired.setdefault(key, []).append(j)
    scale = len(damaged) / max(len(clean), 1)
    for i, key in enumerate(clean_keys):
        if i not in pairs and unpaired.get(key):
            case = _case_pattern(clean[i])
            j = min(unpaired[key], key=lambda j: (_case_pattern(damaged[j]) != case,
                                                  -_neighbours_agreeing(clean_keys, i, damaged_keys, j),
                                                  abs(j - i * scale)))
            unpaired[key].remove(j)
            pairs[i] = j
    if with_index:
        return [(word, pairs.get(i)) for i, word in enumerate(clean)]
    return [(word, damaged[pairs[i]] if i in pairs else None) for i, word in enumerate(clean)]


def _neighbours_agreeing(clean_keys: Sequence[str], i: int, damaged_keys: Sequence[str], j: int) -> int:
    return sum(1 for k in (-2, -1, 1, 2) if 0 <= i + k < len(clean_keys) and 0 <= j + k < len(damaged_keys)
               and clean_keys[i + k] == damaged_keys[j + k])


@dataclass(frozen=True)
class RepairScore:
    clean_words: tuple[str, ...]
    before: tuple[str | None, ...]    # counterpart of each clean word in the damaged text
    after: tuple[str | None, ...]     # the same after repair

    @property
    def words(self) -> int:
        return len(self.clean_words)

    def _right(self, counterparts, indices) -> int:
        return sum(1 for i in indices if counterparts[i] == self.clean_words[i])

    @property
    def right_before(self) -> float:
        return self._right(self.before, range(self.words)) / self.words

    @property
    def right_after(self) -> float:
        return self._right(self.after, range(self.words)) / self.words

    @property
    def swedish_letter_words_right_before(self) -> float:
        indices = [i for i, w in enumerate(self.clean_words) if _SWEDISH_LETTERS & set(w)]
        return self._right(self.before, indices) / max(len(indices), 1)

    @property
    def diacritic_damaged(self) -> list[int]:
        """Clean words whose counterpart differs from them only in å/ä/ö."""
        return [i for i, (w, d) in enumerate(zip(self.clean_words, self.before, strict=True))
                if d is not None and d != w and only_diacritics_differ(w, d)]

    @property
    def restored(self) -> float:
        damaged = self.diacritic_damaged
        return self._right(self.after, damaged) / max(len(damaged), 1)

    @property
    def was_right(self) -> list[int]:
        return [i for i, (w, d) in enumerate(zip(self.clean_words, self.before, strict=True)) if d == w]

    @property
    def made_wrong(self) -> int:
        return sum(1 for i in self.was_right if self.after[i] != self.clean_words[i])

    @property
    def made_wrong_rate(self) -> float:
        return self.made_wrong / max(len(self.was_right), 1)


    @property
    def present(self) -> list[int]:
        """Clean words the damaged text has a counterpart for (the rest it lost: cut columns,
        headers the source repeats and the PDF does not)."""
        return [i for i in range(self.words) if self.before[i] is not None or self.after[i] is not None]

    @property
    def right_before_of_present(self) -> float:
        return self._right(self.before, self.present) / max(len(self.present), 1)

    @property
    def right_after_of_present(self) -> float:
        return self._right(self.after, self.present) / max(len(self.present), 1)

    @property
    def at_most_diacritic_damage_of_present(self) -> float:
        """The share repair can make right: words right already or damaged only in å/ä/ö."""
        return (len(self.diacritic_damaged) + len(self.was_right)) / max(len(self.present), 1)


def score_repair(clean: str, damaged: str, repaired: str) -> RepairScore:
    clean_words = words_of(clean)
    damaged_words, repaired_words = words_of(damaged), words_of(repaired)
    before_pairs = align_words(clean_words, damaged_words, with_index=True)
    if len(repaired_words) == len(damaged_words):
        after = [repaired_words[j] if j is not None else None for _, j in before_pairs]
        # a word the damage hid from the alignment ('miljdinspektérer') may pair once repaired
        used = {j for _, j in before_pairs if j is not None}
        for i, (_, j) in enumerate(align_words(clean_words, repaired_words, with_index=True)):
            if after[i] is None and j is not None and j not in used:
                after[i] = repaired_words[j]
                used.add(j)
    else:
        after = [counterpart for _, counterpart in align_words(clean_words, repaired_words)]
    before = [damaged_words[j] if j is not None else None for _, j in before_pairs]
    return RepairScore(tuple(clean_words), tuple(before), tuple(after))
