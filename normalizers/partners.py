"""Partner organisations named in a free-text cell -> canonical names, in order of mention."""
from __future__ import annotations

import re
from functools import lru_cache

from core.reference import reference_json
from normalizers.counties import find_counties
from normalizers.fold import collapse_spaces, fold, fold_keep_offsets


@lru_cache(maxsize=1)
def _data() -> dict:
    return reference_json("normalizers", "partners.json")


@lru_cache(maxsize=1)
def _reference() -> tuple[re.Pattern, dict[str, str], re.Pattern]:
    data = _data()
    variants = {fold(v): name for name, forms in data["partners"].items() for v in forms}
    ordered = sorted(variants, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(v) for v in ordered) + r")(?!\w)")
    separators = re.compile("|".join(re.escape(s) for s in data["separators"]), re.IGNORECASE)
    return pattern, variants, separators


_MUNICIPALITY = re.compile(r"(?<![\w-])([A-ZÅÄÖ][\wåäöÅÄÖé-]+)\s+kommun(?!\w)")
_REGION = re.compile(r"(?<!\w)Region\s+", re.IGNORECASE)


def split_partners(text: str | None) -> list[str]:
    """'Länsstyrelsen, åklagare, polis Miljösamverkan och Jönköpings kommun' ->
    ['Länsstyrelsen', 'Åklagare', 'Polis', 'Miljösamverkan', 'Jönköpings kommun']."""
    if not text:
        return []
    pattern, variants, separators = _reference()
    folded = fold_keep_offsets(text).lower()
    found: list[tuple[int, int, str]] = []

    for match in _REGION.finditer(text):
        county = next((m for m in find_counties(text) if m.start == match.end()), None)
        if county is not None:
            found.append((match.start(), county.end, collapse_spaces(text[match.start():county.end])))
    for match in _MUNICIPALITY.finditer(text):
        if match.group(1).lower() not in _data()["not_municipalities"]:
            found.append((match.start(), match.end(), f"{match.group(1)} kommun"))
    for match in pattern.finditer(folded):
        if not _overlaps(found, match.start(), match.end()):
            found.append((match.start(), match.end(), variants[match.group(1)]))

    # Named organisations the reference does not know yet are kept as printed.
    position = 0
    for fragment in separators.split(text):
        start = text.find(fragment, position)
        position = start + len(fragment)
        name = fragment.strip(" .:")
        offset = start + fragment.find(name) if name else start
        if (name and name[0].isupper() and len(name.split()) <= 4
                and not _overlaps(found, offset, offset + len(name))):
            found.append((offset, offset + len(name), name))

    names: list[str] = []
    for _, _, name in sorted(found):
        if name not in names:
            names.append(name)
    return names


def _overlaps(spans: list[tuple[int, int, str]], start: int, end: int) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end, _ in spans)


def starts_with_partner(text: str) -> bool:
    """Does the text open with the name of a partner ('Länets kommuner, Länsstyrelsen …')?"""
    pattern, _, _ = _reference()
    folded = fold_keep_offsets(text.strip()).lower()
    return bool(pattern.match(folded) or _REGION.match(text.strip()) or _MUNICIPALITY.match(text.strip()))
