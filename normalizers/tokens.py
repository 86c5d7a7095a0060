"""Swedish words of a text, split the way spaCy's Swedish tokenizer splits them, without importing spaCy.

Importing spaCy took 1.5 s, half of every `plans import`'s start-up, and the corpus uses nothing of
it but the tokenizer's rules. So the rules (prefix, suffix and infix patterns, URL pattern, special
cases) are read out of spaCy once per spaCy version into a derived file (core.derived), and the
tokenizer's own algorithm (`spacy.Tokenizer.explain`, which spaCy documents as giving its tokens) runs
on them in plain Python. tests/test_tokens.py checks that the tokens equal spaCy's.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from core.derived import derived_json

_NEVER = re.compile("a^")        # what spaCy uses for a rule the language has not got


def _spacy_rules() -> dict:
    import spacy
    tokenizer: Any = spacy.blank("sv").tokenizer

    def pattern(method: Callable | None) -> str | None:
        return method.__self__.pattern if method is not None else None  # type: ignore[attr-defined]

    return {"prefix": pattern(tokenizer.prefix_search), "suffix": pattern(tokenizer.suffix_search),
            "infix": pattern(tokenizer.infix_finditer), "token_match": pattern(tokenizer.token_match),
            "url_match": pattern(tokenizer.url_match),
            "special_cases": {orth: [piece[65] for piece in pieces]           # 65: spaCy's ORTH attribute
                              for orth, pieces in tokenizer.rules.items()}}


@dataclass(frozen=True)
class _Rules:
    prefix: re.Pattern
    suffix: re.Pattern
    infix: re.Pattern
    token_match: re.Pattern
    url_match: re.Pattern
    special_cases: dict[str, tuple[str, ...]]
    longest_special: int          # most tokens a special case is made of when split by the affixes


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    found = derived_json("sv-tokenizer", "spacy", _spacy_rules)

    def compiled(name: str) -> re.Pattern:
        return re.compile(found[name]) if found[name] is not None else _NEVER

    special = {orth: tuple(pieces) for orth, pieces in found["special_cases"].items()}
    return _Rules(compiled("prefix"), compiled("suffix"), compiled("infix"), compiled("token_match"),
                  compiled("url_match"), special, max((len(orth) for orth in special), default=0))


def tokens(text: str) -> list[str]:
    """spaCy's Swedish tokens of a text, whitespace left out."""
    rules = _rules()
    found: list[str] = []
    starts: list[int] = []     # offset of each token in the text, to find special cases across tokens
    for chunk in re.finditer(r"\S+", text):
        pieces = _split(chunk.group(), rules)
        offset = chunk.start()
        for piece in pieces:
            found.append(piece)
            starts.append(offset)
            offset += len(piece)
    return _special_across(found, starts, rules)


def _split(substring: str, rules: _Rules) -> list[str]:
    """One whitespace-free chunk, as spaCy's Tokenizer.explain splits it (same steps, same order)."""
    special, prefix, suffix = rules.special_cases, rules.prefix.search, rules.suffix.search
    pieces: list[str] = []
    suffixes: list[str] = []
    while substring:
        if substring in special:
            pieces.extend(special[substring])
            substring = ""
            continue
        while prefix(substring) or suffix(substring):
            if rules.token_match.match(substring):
                pieces.append(substring)
                substring = ""
                break
            if substring in special:
                pieces.extend(special[substring])
                substring = ""
                break
            found = prefix(substring)
            if found:
                split = found.end()
                if split == 0:
                    break
                pieces.append(substring[:split])
                substring = substring[split:]
                if substring in special:
                    continue
            found = suffix(substring)
            if found:
                split = found.start()
                if split == len(substring):
                    break
                suffixes.append(substring[split:])
                substring = substring[:split]
        if not substring:
            continue
        if rules.token_match.match(substring) or rules.url_match.match(substring):
            pieces.append(substring)
        elif substring in special:
            pieces.extend(special[substring])
        elif rules.infix.search(substring):
            offset = 0
            for match in rules.infix.finditer(substring):
                if offset == 0 and match.start() == 0:
                    continue
                if substring[offset:match.start()]:
                    pieces.append(substring[offset:match.start()])
                if match.group():
                    pieces.append(match.group())
                offset = match.end()
            if substring[offset:]:
                pieces.append(substring[offset:])
        else:
            pieces.append(substring)
        substring = ""
    pieces.extend(reversed(suffixes))
    return pieces


def _special_across(found: list[str], starts: list[int], rules: _Rules) -> list[str]:
    """Runs of adjacent tokens (no space between) that spell a special case become its tokens, the
    longest run first, as spaCy's special-case matcher does after the affixes were split off."""
    result: list[str] = []
    i = 0
    while i < len(found):
        replaced = False
        end = i + 1
        text = found[i]
        candidates = []
        while end < len(found) and starts[end] == starts[end - 1] + len(found[end - 1]) \
                and len(text) + len(found[end]) <= rules.longest_special:
            text += found[end]
            end += 1
            candidates.append((end, text))
        for end, text in reversed(candidates):
            if text in rules.special_cases:
                result.extend(rules.special_cases[text])
                i, replaced = end, True
                break
        if not replaced:
            result.append(found[i])
            i += 1
    return result
