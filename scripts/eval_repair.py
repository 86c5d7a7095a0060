"""Word accuracy of the diacritic repair, before and after (an evaluation, not a test).

    .venv/bin/python scripts/eval_repair.py

1. The English-model OCR layer of the 001 scan against seed 001 (its clean original), and against
   the text of the born-digital PDF the scan was printed from (seed 001 as laid out: the header rows
   the text export repeats are not repeated, words broken in narrow cells are broken alike). The
   context corpus is the other seeds (000, 002, 003); the confusion table was learned from pages 1-5
   of this layer, so pages 6-11 are also scored on their own as unseen text.
2. Seeds 000-003 with every diacritic stripped (ä->a, ö->o, å->a), each repaired with the other
   seeds' text only, with the accuracy of the hard pairs.

Words are alphabetic tokens, aligned on their diacritic-folded form (normalizers.repair_score:
difflib, then a second pass for words read in another order). A clean word is right when its
counterpart equals it exactly.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalizers.diacritics import DiacriticRepairer, words_of  # noqa: E402
from scripts.repair_score import RepairScore, score_repair, strip_diacritics  # noqa: E402

SEEDS = sorted((ROOT / "tests/fixtures/seeds").glob("00[0-3]_*.txt"))
ENG = ROOT / "tests/fixtures/scan/001_verksamhetsplan_jonkoping_2021-2023_scan_ocr-eng.pdf"
BORN_DIGITAL = ROOT / "tests/fixtures/pdf/001_verksamhetsplan_jonkoping_2021-2023.pdf"
# the forms that are words with and without their diacritics (the clean word is scored)
HARD_PAIRS = ("för", "for", "är", "år", "ar", "mål", "mal", "vår", "var", "våra", "vara", "här", "har", "få", "fa",
              "får", "far", "bör", "bor", "gå", "ga", "på", "pa", "så", "sa", "när", "når", "nar")


def repaired(repairer: DiacriticRepairer, damaged: str) -> str:
    return repairer.adapted_to(damaged).repair(damaged)[0]


def show(name: str, result: RepairScore) -> None:
    missed = len(result.diacritic_damaged) - round(result.restored * len(result.diacritic_damaged))
    print(f"{name}: {result.words} words; right before {result.right_before:.1%} "
          f"(å/ä/ö words {result.swedish_letter_words_right_before:.1%}); "
          f"diacritic-only damage {len(result.diacritic_damaged) / result.words:.1%} of words, restored "
          f"{result.restored:.1%} ({missed} missed); right after {result.right_after:.1%}; "
          f"made wrong {result.made_wrong} ({result.made_wrong_rate:.2%} of right words)")


def hard_pairs(results: list[RepairScore]) -> None:
    totals, right = Counter(), Counter()
    for result in results:
        for word, counterpart in zip(result.clean_words, result.after, strict=True):
            if word.lower() in HARD_PAIRS:
                totals[word.lower()] += 1
                right[word.lower()] += counterpart == word
    print("  hard pairs (clean word: right after repair / occurrences):")
    for word in sorted(totals, key=lambda w: -totals[w]):
        print(f"    {word:>4}: {right[word]}/{totals[word]} ({right[word] / totals[word]:.1%})")


def main() -> None:
    import pdfplumber
    texts = {path.name[:3]: path.read_text("utf-8") for path in SEEDS}
    with pdfplumber.open(ENG) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    repairer = DiacriticRepairer([t for k, t in texts.items() if k != "001"])
    damaged = "\n".join(pages)
    print("1. English-model OCR layer of the 001 scan vs seed 001")
    repairer.best_reading("för")   # load the dictionaries before the clock starts
    started = time.perf_counter()
    after = repaired(repairer, damaged)
    seconds = time.perf_counter() - started
    result = score_repair(texts["001"], damaged, after)
    show("  all pages", result)
    print(f"  of the {len(result.present)} clean words the layer has a counterpart for: right before "
          f"{result.right_before_of_present:.1%}, only diacritics damaged or right "
          f"{result.at_most_diacritic_damage_of_present:.1%}, right after {result.right_after_of_present:.1%}")
    print(f"  repair time (two passes): {seconds:.1f} s, {len(words_of(damaged)) / seconds:.0f} words/s")
    with pdfplumber.open(BORN_DIGITAL) as pdf:
        printed = "\n".join(page.extract_text() or "" for page in pdf.pages)
    result = score_repair(printed, damaged, after)
    show("  against the born-digital PDF the scan was printed from (no repeated headers, cell-broken words)",
         result)
    print(f"    right or damaged only in their diacritics before repair: "
          f"{(len(result.diacritic_damaged) + len(result.was_right)) / result.words:.1%} of its words")
    unseen = "\n".join(pages[5:])
    unseen_clean = texts["001"][texts["001"].find("Verksamhetsberättelse med bokslut"):]
    show("  pages 6-11 (not used to learn the confusion table)",
         score_repair(unseen_clean, unseen, repaired(repairer, unseen)))

    print("2. Seeds 000-003 with every diacritic stripped, each repaired with the other seeds' text only")
    results = []
    for key, clean in texts.items():
        repairer = DiacriticRepairer([t for k, t in texts.items() if k != key])
        stripped = strip_diacritics(clean)
        results.append(score_repair(clean, stripped, repaired(repairer, stripped)))
        show(f"  {key}", results[-1])
    total = sum(r.words for r in results)
    print(f"  all four: word accuracy after repair "
          f"{sum(r.right_after * r.words for r in results) / total:.1%} of {total} words")
    hard_pairs(results)


if __name__ == "__main__":
    main()
