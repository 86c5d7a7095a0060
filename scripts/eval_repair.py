"""Word accuracy of the diacritic repair, before and after (an evaluation, not a test).

    .venv/bin/python scripts/eval_repair.py               # sections 1-3
    .venv/bin/python scripts/eval_repair.py --real-text   # section 3 alone
    .venv/bin/python scripts/eval_repair.py --hunspell DIR  # with the sv_SE.dic/.aff in DIR

`--hunspell` measures another Swedish Hunspell dictionary in place of Debian's hunspell-sv, e.g. the
PyPI package hunspell-sv (unpack its wheel; the files are under share/hunspell/). Measured on
2026-12-03 with PyPI hunspell-sv 2026.10.25 against Debian's 1:7.5.0-1: ../shared/corpora words
right 98.80% both, made wrong 17 vs 16 of 12933; the 001 English layer 93.5% vs 93.6% right after
(pages 6-11: 91.4% vs 91.5%); seed 001 stripped 99.4% vs 99.5%; the others equal. Debian's stays.

1. The English-model OCR layer of the 001 scan against seed 001 (its clean original), and against
   the text of the born-digital PDF the scan was printed from (seed 001 as laid out: the header rows
   the text export repeats are not repeated, words broken in narrow cells are broken alike). The
   context corpus is the other seeds (000, 002, 003); the confusion table was learned from pages 1-5
   of this layer, so pages 6-11 are also scored on their own as unseen text.
2. Seeds 000-003 with every diacritic stripped (ä->a, ö->o, å->a), each repaired with the other
   seeds' text only, with the accuracy of the hard pairs.
3. Real Swedish text by others (../shared/corpora/*.txt, when that folder is there; evaluation only,
   nothing of it is kept): each file stripped, imported as a text export through the whole
   pipeline, and scored; beside it, in the same run, the unigram baseline (each word its most
   frequent form in wordfreq's Swedish list, no context) and the repair's speed on one core for a
   first document (bench/bench_repair.py times a later document of a batch).

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

from core.derived import swedish_frequencies  # noqa: E402
from normalizers.diacritics import DiacriticRepairer, words_of  # noqa: E402
from scripts.repair_score import RepairScore, score_repair, strip_diacritics  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
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


_VARIANTS = {"a": "aåä", "o": "oö", "A": "AÅÄ", "O": "OÖ"}
_MAX_VARIANT_LETTERS = 8     # 3^8 readings at most: longer words keep the letters after that as read


def unigram_baseline(stripped: str) -> str:
    """Each word as its most frequent form in wordfreq's Swedish list, whatever stands around it."""
    frequencies = swedish_frequencies()
    cache: dict[str, str] = {}

    def best(match) -> str:
        word = match.group(0)
        if word not in cache:
            readings, varied = [""], 0
            for char in word:
                options = _VARIANTS.get(char, char) if varied < _MAX_VARIANT_LETTERS else char
                varied += char in _VARIANTS
                readings = [r + o for r in readings for o in options]
            cache[word] = max(readings, key=lambda r: (float(frequencies.get(r.lower()) or 0.0), r == word))
        return cache[word]
    import re
    return re.sub(r"[^\W\d_]+", best, stripped)


def real_text() -> None:
    """Section 3: ../shared/corpora, stripped, through the pipeline as text exports."""
    import tempfile

    from pipeline.run import process_file
    files = sorted(CORPORA.glob("*.txt")) if CORPORA.is_dir() else []
    print("3. Real Swedish text (../shared/corpora), stripped and imported as text exports")
    if not files:
        print(f"  {CORPORA} is not there: nothing to evaluate")
        return
    totals: dict[str, list[RepairScore]] = {"pipeline": [], "unigram baseline": []}
    words_total, seconds_total = 0, 0.0
    for path in files:
        clean = path.read_text("utf-8")
        stripped = strip_diacritics(clean)
        with tempfile.TemporaryDirectory() as folder:
            export = Path(folder) / path.name
            export.write_text(stripped, "utf-8")
            imported = "\n".join(page.text for page in process_file(export).document.pages)
        repairer = DiacriticRepairer()
        repairer.best_reading("för")    # the dictionaries load before the clock starts
        started = time.perf_counter()
        repairer.adapted_to(stripped).repair(stripped)
        seconds = time.perf_counter() - started
        words_total, seconds_total = words_total + len(words_of(stripped)), seconds_total + seconds
        for name, after in (("pipeline", imported), ("unigram baseline", unigram_baseline(stripped))):
            result = score_repair(clean, stripped, after)
            totals[name].append(result)
            show(f"  {path.name}, {name}", result)
        print(f"  {path.name}: the repair alone {len(words_of(stripped)) / seconds:.0f} words/s (one core)")
    for name, results in totals.items():
        words = sum(r.words for r in results)
        damaged = sum(len(r.diacritic_damaged) for r in results)
        restored = sum(r.restored * len(r.diacritic_damaged) for r in results)
        right_before = sum(len(r.was_right) for r in results)
        print(f"  all files, {name}: words right {sum(r.right_after * r.words for r in results) / words:.2%} of "
              f"{words}; å/ä/ö words restored {restored / damaged:.2%} of {damaged}; right words made wrong "
              f"{sum(r.made_wrong for r in results)} of {right_before} "
              f"({sum(r.made_wrong for r in results) / right_before:.2%})")
    # a later document of a batch: bench/bench_repair.py, which never lets a text find its own readings
    print(f"  repair speed: {words_total / seconds_total:.0f} words/s over {words_total} words, each a first "
          f"document (one core; a later document of a batch: bench/bench_repair.py)")


def main() -> None:
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real-text", action="store_true", help="section 3 alone")
    parser.add_argument("--hunspell", type=Path, metavar="DIR", help="a folder holding sv_SE.dic and sv_SE.aff")
    args = parser.parse_args()
    if args.hunspell is not None:
        import normalizers.speller
        normalizers.speller.DICTIONARY_FOLDERS = (str(args.hunspell),)
        if normalizers.speller.dictionary_files() is None:
            parser.error(f"{args.hunspell}: no sv_SE.dic and sv_SE.aff there")
    if args.real_text:
        real_text()
        return
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
    real_text()


if __name__ == "__main__":
    main()
