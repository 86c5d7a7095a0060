"""Diacritic repair speed on text that lost every å/ä/ö (prints figures; tests never time anything).

    .venv/bin/python bench/bench_repair.py [--rounds 3] [TEXT ...]

Each text (default: the seeds 000-003 in tests/fixtures/seeds) is stripped of its diacritics and
repaired the way a text export is: a first pass over every word, the confusion table and lexicon
adapted to it, a second pass. Timed on one core (this process, CPU time), best of the rounds:
- a first document: a new repairer for each text, the dictionaries already loaded;
- a later document of a batch: each text timed on a repairer that has repaired the other texts
  (what a batch keeps from one document to the next; never this text's own readings).
The output's digest is printed too: a change meant only to be faster must leave it unchanged.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalizers.diacritics import DiacriticRepairer, words_of  # noqa: E402
from scripts.repair_score import strip_diacritics  # noqa: E402

SEEDS = sorted((ROOT / "tests/fixtures/seeds").glob("00[0-3]_*.txt"))


def repaired(repairer: DiacriticRepairer, text: str) -> tuple[str, float]:
    started = time.process_time()
    output = repairer.adapted_to(text).repair(text)[0]
    return output, time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", nargs="*", type=Path, help="UTF-8 text files (default: the seeds 000-003)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = [strip_diacritics(path.read_text("utf-8")) for path in (args.texts or SEEDS)]
    words = sum(len(words_of(text)) for text in texts)
    DiacriticRepairer().best_reading("för")      # dictionaries and word tables load before the clock
    digest = hashlib.sha256()
    first, later = float("inf"), float("inf")
    for round_ in range(args.rounds):
        seconds = 0.0
        for text in texts:
            repairer = DiacriticRepairer()
            repairer.best_reading("för")
            output, spent = repaired(repairer, text)
            seconds += spent
            if round_ == 0:
                digest.update(output.encode("utf-8"))
        first = min(first, seconds)
        seconds = 0.0
        for index, text in enumerate(texts):
            batch = DiacriticRepairer()
            for other in texts[:index] + texts[index + 1:]:
                repaired(batch, other)
            seconds += repaired(batch, text)[1]
        later = min(later, seconds)
    print(f"{len(texts)} texts, {words} words, stripped; one core, best of {args.rounds}; "
          f"output {digest.hexdigest()[:16]}")
    print(f"  a first document:             {words / first:5.0f} words/s")
    print(f"  a later document of a batch:  {words / later:5.0f} words/s")


if __name__ == "__main__":
    main()
