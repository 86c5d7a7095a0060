"""Word accuracy of a diacritic repair against the clean original: the measure scripts/eval_repair.py
prints and the regression tests hold.

Words are alphabetic tokens. Each clean word is paired with its counterpart in the damaged text
(`align_words`: in order, then words read in another order); the repaired text has the same tokens
in the same places, so the counterpart after repair is the same token, repaired. A clean word is
right when its counterpart equals it exactly.
"""
from __future__ import annotations

from dataclasses import dataclass

from normalizers.diacritics import align_words, only_diacritics_differ, words_of

_SWEDISH_LETTERS = set("åäöÅÄÖ")


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
        return [i for i, (w, d) in enumerate(zip(self.clean_words, self.before))
                if d is not None and d != w and only_diacritics_differ(w, d)]

    @property
    def restored(self) -> float:
        damaged = self.diacritic_damaged
        return self._right(self.after, damaged) / max(len(damaged), 1)

    @property
    def was_right(self) -> list[int]:
        return [i for i, (w, d) in enumerate(zip(self.clean_words, self.before)) if d == w]

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
