"""normalizers.tokens splits text as spaCy's Swedish tokenizer does, without importing spaCy: on the
seed plans token for token, and on text made of words, numbers, punctuation, URLs, abbreviations
and spaCy's special cases thrown together, word for word (the words are what lemmas and themes use)."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from normalizers.tokens import tokens

SEEDS = sorted((Path(__file__).parent / "fixtures/seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def spacy_tokenizer():
    import spacy
    return spacy.blank("sv").tokenizer


def _spacy_tokens(tokenizer, text: str) -> list[str]:
    return [token.text for token in tokenizer(text) if not token.is_space]


def _words(pieces: list[str]) -> list[str]:
    return [piece for piece in pieces if piece.isalpha() or "-" in piece]


def test_the_seed_plans_give_spacys_tokens(spacy_tokenizer):
    compared = 0
    for path in SEEDS:
        for paragraph in path.read_text("utf-8").split("\n\n"):
            for text in (paragraph, paragraph.lower()):
                assert tokens(text) == _spacy_tokens(spacy_tokenizer, text), path.name
                compared += len(text)
    assert compared > 100_000


def test_words_among_punctuation_urls_and_special_cases_are_spacys(spacy_tokenizer):
    rng = random.Random(5)
    words = SEEDS[1].read_text("utf-8").split()
    special = sorted(spacy_tokenizer.rules)
    marks = list(".,;:!?()[]\"'-–—/<>=+*&%§…«»”") + [
        "...", "--", "https://www.lansstyrelsen.se/miljo", "miljo@lst.se", "bl.a.", "t.ex.", "dvs.", "kr.",
        "1,5", "2021-2023", "www.miljosamverkan.se", "s:t", "m/s", "jan.", "tkr)", "(tkr"]
    for _ in range(3000):
        pieces = [rng.choice(words) if r < 0.5 else rng.choice(marks) if r < 0.75 else rng.choice(special)
                  if r < 0.85 else str(rng.randint(0, 3000)) for r in (rng.random() for _ in range(rng.randint(1, 8)))]
        text = "".join(piece + rng.choice(["", "", " ", "\n"]) for piece in pieces)
        for case in (text, text.lower()):
            assert _words(tokens(case)) == _words(_spacy_tokens(spacy_tokenizer, case)), repr(case)


def test_lemmas_import_spacy_only_to_read_its_rules_once(tmp_path):
    probe = ("import sys; from normalizers.lemmas import lemmas; "
             "print(lemmas('Tillsyn av små avlopp, bl.a. enskilda avloppen'), 'spacy' in sys.modules)")
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env,
                           cwd=Path(__file__).resolve().parent.parent).stdout.strip() for _ in range(2)]
    words = "['tillsyn', 'av', 'liten', 'avlopp', 'enskild', 'avlopp']"
    assert runs == [f"{words} True", f"{words} False"]
