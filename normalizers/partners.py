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
def _reference() -> tuple[re.Pattern, tuple[tuple[re.Pattern, str], ...], re.Pattern]:
    """The pattern of every known variant (folded, longest first), each variant's own pattern with
    its canonical name, and the separators."""
    data = _data()
    variants = {_variant_pattern(fold(v)): name for name, forms in data["partners"].items() for v in forms}
    ordered = sorted(variants, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(f"(?:{v})" for v in ordered) + r")(?!\w)")
    named = tuple((re.compile(v), name) for v, name in variants.items())
    # 'Miljö- och hälsoskyddsnämnden' is one name: a word that ends in '-' is one half of a compound
    separators = re.compile("(?<!-)(?:" + "|".join(re.escape(s) for s in data["separators"]) + ")", re.IGNORECASE)
    return pattern, named, separators


def _variant_pattern(folded: str) -> str:
    """A variant as a pattern: '#' stands for a number ('länets # kommuner')."""
    return re.escape(folded).replace("\\#", r"\d+")


def _canonical(folded: str) -> str | None:
    """The canonical name of a known variant, as matched (folded)."""
    _, named, _ = _reference()
    return next((name for variant, name in named if variant.fullmatch(folded)), None)


@lru_cache(maxsize=1)
def _municipality_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """A municipality's name as printed before 'kommun' (one word, or more where Sweden has such a
    municipality: 'Lilla Edets'); 'Eda kommun'; and 'Eda, Säffle och Lilla Edets kommuner', a list
    of names before one plural 'kommuner' (OCR may leave a stray mark before it: 'Hudiksvalls .kommuner')."""
    longer = [r"\s+".join(re.escape(word) for word in name.split()) + "s?"
              for name in _data()["municipalities_of_more_words"]]
    # a hyphenated name may be broken at a line's end: 'Upplands- Bro'
    one_word = r"(?=[A-ZÅÄÖÉ])\w[\w-]*(?:-\s+(?=[A-ZÅÄÖÉ])\w[\w-]*)?"
    name = "(?:" + "|".join([*longer, one_word]) + ")"
    stray = rf"[\s{re.escape(_SPECKS)}]*"
    single = re.compile(rf"(?<![\w-])({name})\s+kommun(?!\w)")
    listed = re.compile(rf"(?<![\w-])((?:{name}{stray}(?:,|\s+och|\s+samt)\s+)+{name}){stray}kommuner(?!\w)")
    return re.compile(name), single, listed


_SPECKS = ".:'’\"”«»>-–"   # what OCR leaves around a name ('HaV'', '«Länsstyrelsen', 'Region. Stockholm')
_REGION = re.compile(rf"(?<!\w)Region[{re.escape(_SPECKS)}]?\s+", re.IGNORECASE)


def split_partners(text: str | None) -> list[str]:
    """'Länsstyrelsen, åklagare, polis Miljösamverkan och Jönköpings kommun' ->
    ['Länsstyrelsen', 'Åklagare', 'Polis', 'Miljösamverkan', 'Jönköpings kommun']."""
    if not text:
        return []
    pattern, _, separators = _reference()
    folded = fold_keep_offsets(text).lower()
    found: list[tuple[int, int, str]] = []

    for match in _REGION.finditer(text):
        county = next((m for m in find_counties(text) if m.start == match.end()), None)
        if county is not None:
            found.append((match.start(), county.end, f"Region {collapse_spaces(text[county.start:county.end])}"))
    _, single, listed = _municipality_patterns()
    for match in listed.finditer(text):
        found += _listed_municipalities(match)
    for match in single.finditer(text):
        if match.group(1).lower() not in _data()["not_municipalities"] and not _overlaps(found, *match.span()):
            found.append((match.start(), match.end(), _municipality(match.group(1))))
    for match in pattern.finditer(folded):
        if not _overlaps(found, match.start(), match.end()):
            found.append((match.start(), match.end(), _canonical(match.group(1)) or match.group(1)))

    # Named organisations the reference does not know yet are kept as printed.
    position = 0
    for fragment in separators.split(text):
        start = text.find(fragment, position)
        position = start + len(fragment)
        name = fragment.strip(" " + _SPECKS)
        offset = start + fragment.find(name) if name else start
        if (name and name[0].isupper() and len(name.split()) <= 4
                and not _overlaps(found, offset, offset + len(name))):
            found.append((offset, offset + len(name), name))

    names: list[str] = []
    for _, _, name in sorted(found):
        if name not in names:
            names.append(name)
    return names


def _listed_municipalities(match: re.Match) -> list[tuple[int, int, str]]:
    """Each municipality of 'Eda, Säffle och Grums kommuner' as 'Eda kommun', …: the names before
    'kommuner' back to the first that is a known partner or a word that names none ('Länsstyrelsen
    och Eda kommuner' is one municipality of a plural, and left to the other rules); at least two."""
    name_pattern, _, _ = _municipality_patterns()
    kept: list[re.Match] = []
    for name in reversed(list(name_pattern.finditer(match.group(1)))):
        word = name.group(0)
        if (word.lower() in _data()["not_municipalities"] or _canonical(fold(word))
                or _canonical(fold(f"{word} kommuner"))):
            break
        kept.insert(0, name)
    if len(kept) < 2:
        return []
    offset = match.start(1)
    return [(offset + name.start(), offset + name.end(), _municipality(name.group(0))) for name in kept]


def _municipality(printed: str) -> str:
    """'Upplands- Bro' -> 'Upplands-Bro kommun'."""
    return re.sub(r"-\s+", "-", collapse_spaces(printed)) + " kommun"


def _overlaps(spans: list[tuple[int, int, str]], start: int, end: int) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end, _ in spans)


def starts_with_partner(text: str) -> bool:
    """Does the text open with the name of a partner ('Länets kommuner, Länsstyrelsen …')?"""
    pattern, _, _ = _reference()
    stripped = text.strip()
    folded = fold_keep_offsets(stripped).lower()
    _, single, listed = _municipality_patterns()
    return bool(pattern.match(folded) or _REGION.match(stripped) or single.match(stripped) or listed.match(stripped))
