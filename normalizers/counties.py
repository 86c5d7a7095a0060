"""County names: any printed form ('Värmland', 'Jonkopings lan') -> the canonical län name."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from core.reference import reference_json
from normalizers.fold import fold, fold_keep_offsets


@dataclass(frozen=True)
class CountyMention:
    county: str      # canonical name, e.g. "Jönköpings län"
    start: int       # offsets in the searched text
    end: int

    def printed(self, text: str) -> str:
        return text[self.start:self.end]


@lru_cache(maxsize=1)
def _forms() -> tuple[list[tuple[str, str]], re.Pattern]:
    data = reference_json("normalizers", "counties.json")
    forms = sorted(((fold(form), county["name"]) for county in data["counties"] for form in county["forms"]),
                   key=lambda pair: -len(pair[0]))
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f, _ in forms) + r")(?!\w)")
    return forms, pattern


def county_names() -> list[str]:
    data = reference_json("normalizers", "counties.json")
    return [county["name"] for county in data["counties"]]


def find_counties(text: str) -> list[CountyMention]:
    """Every county named in `text`, in order, with offsets into `text`."""
    forms, pattern = _forms()
    lookup = dict(forms)
    folded = fold_keep_offsets(text)
    return [CountyMention(lookup[m.group(1)], m.start(1), m.end(1)) for m in pattern.finditer(folded)]


def canonical_county(text: str) -> str | None:
    """'Värmland' -> 'Värmlands län'; None when the text names no county."""
    mentions = find_counties(text)
    return mentions[0].county if mentions else None


def dominant_county(mentions: list[CountyMention], minimum: int = 2) -> str | None:
    """The county named most, if named at least `minimum` times and more often than any other."""
    counts = Counter(m.county for m in mentions).most_common(2)
    if not counts or counts[0][1] < minimum or (len(counts) > 1 and counts[1][1] == counts[0][1]):
        return None
    return counts[0][0]

