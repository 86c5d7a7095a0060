"""Learn the OCR confusion table from a damaged text aligned with its clean original.

    .venv/bin/python scripts/learn_confusions.py [--pages 1-5] > normalizers/data/ocr_confusions.json

Default pair: the English-model text layer of the 001 scan against seed 001 (its clean text),
pages 1-5 only, so that pages 6-11 stay unseen for the evaluation. Words are aligned on a key that
treats every vowel OCR confuses with å/ä/ö alike, then paired character by character where the
lengths agree; the table counts how often each intended character was read as each observed one
(case folded: candidates are lower case and take the damaged word's case afterwards).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalizers.diacritics import SWEDISH_LETTERS, Confusions, DiacriticRepairer, words_of  # noqa: E402
from scripts.repair_score import align_words  # noqa: E402

DAMAGED = ROOT / "tests/fixtures/scan/001_verksamhetsplan_jonkoping_2021-2023_scan_ocr-eng.pdf"
CLEAN = ROOT / "tests/fixtures/seeds/001_cf9b1f122b977657.txt"


def learn(damaged: str, clean: str) -> dict:
    counts: dict[str, Counter] = defaultdict(Counter)
    for intended, observed in align_words(words_of(clean), words_of(damaged)):
        if observed is None or len(intended) != len(observed):
            continue
        for i_char, o_char in zip(intended.lower(), observed.lower(), strict=True):
            counts[i_char][o_char] += 1
    return {intended: dict(observed.most_common()) for intended, observed in sorted(counts.items())}


def learn_from_dictionary(damaged: str, table: dict) -> dict:
    """Damage with no clean original (seed 004): a word that no reading of the table makes Swedish,
    but that becomes a dictionary word when one character is read as å, ä or ö, counts that
    character as a stand-in for that letter. Only stand-ins seen at least twice are kept."""
    repairer = DiacriticRepairer(confusions=Confusions.from_counts(table, unseen_stand_ins=False))
    found: Counter = Counter()
    for word in set(words_of(damaged)):
        lower = word.lower()
        reading = repairer.best_reading(word)
        if repairer.lexicon.known(reading):
            continue
        readings = set()
        for i, char in enumerate(lower):
            if char in SWEDISH_LETTERS:
                continue
            for vowel in SWEDISH_LETTERS:
                fixed = repairer.best_reading(lower[:i] + vowel + lower[i + 1:])
                score = repairer.lexicon.score(fixed)
                if score is not None and score >= 3.0 and repairer.lexicon.known(fixed):
                    readings.add((vowel, char))
        if len(readings) == 1:
            found[readings.pop()] += 1
    learned = {k: dict(v) for k, v in table.items()}
    for (vowel, char), n in found.items():
        if n >= 2:
            learned.setdefault(vowel, {})[char] = learned.get(vowel, {}).get(char, 0) + n
    return learned


def main() -> None:
    import pdfplumber
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", default="1-5")
    parser.add_argument("--dictionary-aligned", type=Path,
                        default=ROOT / "tests/fixtures/seeds/004_9d0bf54659b77375.txt",
                        help="damaged text without a clean original, aligned against the dictionary")
    args = parser.parse_args()
    first, last = (int(x) for x in args.pages.split("-"))
    with pdfplumber.open(DAMAGED) as pdf:
        damaged = "\n".join(pdf.pages[i - 1].extract_text() or "" for i in range(first, last + 1))
    table = learn(damaged, CLEAN.read_text("utf-8"))
    if args.dictionary_aligned:
        table = learn_from_dictionary(args.dictionary_aligned.read_text("utf-8"), table)
    json.dump({
        "_about": ("How often each intended character (key) was read as each observed character, learned by "
                   f"scripts/learn_confusions.py from pages {args.pages} of the English-model OCR layer of the "
                   "001 scan aligned with seed 001. Only characters that were ever read as something else, "
                   "or that something else was read as, are used for candidates."),
        # most often first, ties by character: the same input always writes the same file
        "counts": {intended: dict(sorted(observed.items(), key=lambda item: (-item[1], item[0])))
                   for intended, observed in sorted(table.items())},
    }, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
