"""Word accuracy of the diacritic repair, before and after (an evaluation, not a test).

    .venv/bin/python scripts/eval_repair.py

1. The English-model OCR layer of the 001 scan against seed 001 (its clean original). The context
   corpus is the other seeds (000, 002, 003); the confusion table was learned from pages 1-5 of this
   layer, so pages 6-11 are also scored on their own as unseen text.
2. Seeds 000-003 with every diacritic stripped (ä->a, ö->o, å->a), each repaired with the other
   seeds' text only, with the accuracy of the hard pairs.

Words are alphabetic tokens, aligned on their diacritic-folded form (difflib, then a second pass
for words read in another order). A clean word is right when its counterpart equals it exactly.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalizers.diacritics import DiacriticRepairer, align_words, only_diacritics_differ, words_of  # noqa: E402

SEEDS = sorted((ROOT / "tests/fixtures/seeds").glob("00[0-3]_*.txt"))
ENG = ROOT / "tests/fixtures/scan/001_verksamhetsplan_jonkoping_2021-2023_scan_ocr-eng.pdf"
HARD_PAIRS = {"för": "for", "är": "ar", "år": "ar", "mål": "mal", "vår": "var", "här": "har", "få": "fa",
              "på": "pa", "var": "var", "har": "har", "for": "for", "mal": "mal"}
SWEDISH = set("åäöÅÄÖ")


def strip_diacritics(text: str) -> str:
    return text.translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))


def score(clean: str, before: str, after: str) -> dict:
    clean_words = words_of(clean)
    pairs_before = dict(enumerate(align_words(clean_words, words_of(before))))
    pairs_after = dict(enumerate(align_words(clean_words, words_of(after))))
    n = len(clean_words)
    right_before = sum(1 for i, (w, d) in pairs_before.items() if d == w)
    right_after = sum(1 for i, (w, d) in pairs_after.items() if d == w)
    diacritic_damaged = [i for i, (w, d) in pairs_before.items() if d is not None and d != w
                         and only_diacritics_differ(w, d)]
    restored = sum(1 for i in diacritic_damaged if pairs_after[i][1] == clean_words[i])
    was_right = [i for i, (w, d) in pairs_before.items() if d == w]
    broken = sum(1 for i in was_right if pairs_after[i][1] != clean_words[i])
    swedish_words = [i for i, w in enumerate(clean_words) if SWEDISH & set(w)]
    return {
        "words": n,
        "right_before": right_before / n,
        "right_after": right_after / n,
        "swedish_letter_words_right_before": sum(1 for i in swedish_words if pairs_before[i][1] == clean_words[i])
        / max(len(swedish_words), 1),
        "diacritic_damaged_share": len(diacritic_damaged) / n,
        "restored": restored / max(len(diacritic_damaged), 1),
        "made_wrong": broken,
        "made_wrong_rate": broken / max(len(was_right), 1),
        "pairs_after": pairs_after,
        "clean_words": clean_words,
    }


def show(name: str, result: dict) -> None:
    print(f"{name}: {result['words']} words; right before {result['right_before']:.1%} "
          f"(å/ä/ö words {result['swedish_letter_words_right_before']:.1%}); "
          f"diacritic-only damage {result['diacritic_damaged_share']:.1%} of words, restored "
          f"{result['restored']:.1%}; right after {result['right_after']:.1%}; "
          f"made wrong {result['made_wrong']} ({result['made_wrong_rate']:.2%} of right words)")


def hard_pairs(results: list[dict]) -> None:
    totals, right = Counter(), Counter()
    for result in results:
        for i, word in enumerate(result["clean_words"]):
            if word.lower() in HARD_PAIRS:
                totals[word.lower()] += 1
                right[word.lower()] += result["pairs_after"][i][1] == word
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
    repaired, changes = repairer.adapted_to(damaged).repair(damaged)
    print("1. English-model OCR layer of the 001 scan vs seed 001")
    show("  all pages", score(texts["001"], damaged, repaired))
    unseen = "\n".join(pages[5:])
    unseen_clean = texts["001"][texts["001"].find("Verksamhetsberättelse med bokslut"):]
    show("  pages 6-11 (not used to learn the confusion table)",
         score(unseen_clean, unseen, repairer.adapted_to(unseen).repair(unseen)[0]))
    print(f"  changes made: {len(changes)}")

    print("2. Seeds 000-003 with every diacritic stripped, each repaired with the other seeds' text only")
    results = []
    for key, clean in texts.items():
        repairer = DiacriticRepairer([t for k, t in texts.items() if k != key])
        stripped = strip_diacritics(clean)
        result = score(clean, stripped, repairer.adapted_to(stripped).repair(stripped)[0])
        results.append(result)
        show(f"  {key}", result)
    total = sum(r["words"] for r in results)
    print(f"  all four: word accuracy after repair "
          f"{sum(r['right_after'] * r['words'] for r in results) / total:.1%} of {total} words")
    hard_pairs(results)


if __name__ == "__main__":
    main()
