"""Document metadata: title, document type, years of the plan, the organisations behind it."""
from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import lru_cache

from core.records import Block, Page
from core.reference import reference_json
from normalizers.counties import dominant_county, find_counties
from normalizers.fold import collapse_spaces, fold, fold_keep_offsets

_YEAR_SPAN = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-–—/]|till)\s*((?:19|20)\d{2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")

_MAX_TITLE_CHARS = 250
_HEADING_WORDS = 6


@lru_cache(maxsize=1)
def _organisation_pattern() -> re.Pattern:
    data = reference_json("parsers", "organisations.json")
    words = sorted((fold(w) for w in data["organisation_words"]), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")\s+", re.IGNORECASE)


def _type_keywords() -> list[tuple[str, str]]:
    types = reference_json("parsers", "doc_types.json")["types"]
    return sorted(((fold(word), doc_type) for doc_type, words in types.items() for word in words),
                  key=lambda pair: -len(pair[0]))


@lru_cache(maxsize=1)
def _type_patterns() -> list[tuple[re.Pattern[str], str]]:
    """A pattern per type word, first in the title or after the organisation and a dash or colon;
    a space may stand inside the word, where OCR split it ('Verksam hetsplan 2015')."""
    def spaced(word: str) -> str:
        return r"\s?".join(r"\s+" if ch == " " else re.escape(ch) for ch in word)
    return [(re.compile(r"(?:[^–—:]{0,60}[–—:]\s*|[^-]{0,60}\s-\s+)?(?P<word>" + spaced(word) + r")(?!\w)"), doc_type)
            for word, doc_type in _type_keywords()]


def _mended_type_word(title: str) -> str:
    """The title with the spaces OCR put inside its type word taken out ('Verksam hetsplan 2015')."""
    folded = fold_keep_offsets(title)
    for pattern, _ in _type_patterns():
        match = pattern.match(folded)
        if match:
            begin, end = match.span("word")
            return title[:begin] + title[begin:end].replace(" ", "") + title[end:]
    return title


def _keyword_type(text: str) -> str | None:
    """The type a title names: its first word, or the word after a dash or colon that follows the
    organisation ('Miljösamverkan Värmland – verksamhetsberättelse 2012')."""
    folded = fold(text)
    for pattern, doc_type in _type_patterns():
        if pattern.match(folded):
            return doc_type
    # right after the organisation's name, the dash between them lost to OCR
    # ('Miljösamverkan Jämtland Härjedalen verksamhetsplan 2026')
    text = collapse_spaces(text)
    for name in _organisations_in(text)[:1]:
        rest = fold(text[len(name):]).lstrip(" -–—:") if text.startswith(name) else ""
        for pattern, doc_type in _type_patterns():
            match = pattern.match(rest)
            if rest and match and match.start("word") == 0:
                return doc_type
    return None


_FRONT_BLOCKS = 6
_ENDS_WITH_YEARS = re.compile(r"(?:19|20)\d{2}\s*$")


def find_title(pages: Sequence[Page]) -> str | None:
    """The first heading that names a kind of plan: among the first blocks of page 1 any such
    heading; elsewhere only one ending in its years, so a section heading like 'Verksamhetsplan
    och budget' is never taken for the title."""
    for page in pages:
        for index, block in enumerate(page.blocks):
            if not _looks_like_title(block):
                continue
            text = _without_specks(collapse_spaces(block.text))
            if (page.page_no == 1 and index < _FRONT_BLOCKS) or _ENDS_WITH_YEARS.search(text):
                return _mended_type_word(_joined_year_span(
                    _with_continuation(text, block, page.blocks[index + 1:index + 2])))
    return None


def _with_continuation(text: str, block: Block, following: Sequence[Block]) -> str:
    """A title set large goes on in the next block of the same size ('Verksamhetsplan för …' over
    '2020–2022' on a line of its own). OCR knows no font sizes: there the next block's first line
    goes on with the title when it is short, ends in the plan's years and stands at least half as
    high (and the title has no year yet: 'Budget 2018' under 'Verksamhetsplan 2018-2019 …' is a
    heading), or completes a span of years the title breaks off ('2018-'); what the OCR put under
    it in the same block is not the title's."""
    if not following or _ENDS_WITH_YEARS.search(text):
        return text
    after = following[0]
    size = block.lines[0].size
    if size is not None:
        if len(after.lines) > 2 or len(after.text) > 60 or not all(
                line.size is not None and abs(line.size - size) < 0.6 for line in after.lines):
            return text
        addition = after.text
    else:
        first = after.lines[0]
        broken_span = text.endswith(("-", "–", "—"))   # '… 2018-' over '2019'
        if len(first.text) > 60 or not _ENDS_WITH_YEARS.search(first.text) or (not broken_span and (
                _line_height(first) < 0.5 * _line_height(block.lines[-1]) or _YEAR.search(text))):
            return text
        addition = first.text
    joiner = "" if text.endswith(("-", "–")) and addition[:1].isdigit() else " "
    return collapse_spaces(f"{text}{joiner}{addition}")


def _line_height(line) -> float:
    """How high a line's letters stand: an OCR line's median word height (one speck's tall box
    does not count), else its extent."""
    if line.letter_height:
        return line.letter_height
    return (line.bottom - line.top) if line.bottom is not None else 0.0


_SPECK_EDGES = "\"'`‘’“”«»•·.,:;-–—_=|~*"
_SPECK_TAILS = "\"'`‘’“”«»•·,;_=|~*"   # a dash at the end may be a year span going on below
_BROKEN_SPAN = re.compile(r"((?:19|20)\d{2})\s*([-–—])\s+((?:19|20)\d{2})")


def _without_specks(text: str) -> str:
    """A title as printed, without the quote marks, dashes and dots OCR reads from specks at its
    ends ('"Verksamhetsplan för …', 'Verksamhetsplan 2017.')."""
    text = text.lstrip(_SPECK_EDGES + " ").rstrip(_SPECK_TAILS + " ") or text
    return text[:-1] if text.endswith(".") and len(text.split()) <= _HEADING_WORDS else text


def _joined_year_span(text: str) -> str:
    """'2015- 2016' (a span broken over two lines) -> '2015-2016'."""
    return _BROKEN_SPAN.sub(r"\1\2\3", text)


def _is_sentence(text: str) -> bool:
    """Ends in a full stop and runs longer than a heading ('Verksamhetsplan 2017.' is a heading
    with a speck after it)."""
    return text.endswith(".") and len(text.split()) > _HEADING_WORDS


def _looks_like_title(block: Block) -> bool:
    """A short heading that names a kind of plan first, after the organisation and a dash, or at
    the start of a line of its own ('Miljösamverkan Jämtland Härjedalen' over 'verksamhetsplan
    2026', the dash between them lost to OCR)."""
    text = _without_specks(collapse_spaces(block.text))
    return (len(block.lines) <= 4 and len(text) <= _MAX_TITLE_CHARS and not _is_sentence(text)
            and "|" not in text and any(_keyword_type(candidate) is not None for candidate in (
                text, *(_without_specks(line.text) for line in block.lines[1:]))))


def doc_type_of(title: str | None) -> str | None:
    if title is None:
        return None
    return _keyword_type(title) or "other"


def years_of(title: str | None) -> tuple[int | None, int | None]:
    if not title:
        return None, None
    span = _YEAR_SPAN.search(title)
    if span:
        return int(span.group(1)), int(span.group(2))
    single = _YEAR.search(title)
    if single:
        return int(single.group(1)), int(single.group(1))
    return None, None


def find_organisations(title: str | None, pages: Sequence[Page]) -> list[str]:
    """'Miljösamverkan <county place>' as printed, from the title, else from the text (most named first)."""
    if title:
        found = _organisations_in(title) or _damaged_organisation_in(title)
        if found:
            return found
    counts: dict[str, int] = {}
    for page in pages:
        for name in _organisations_in(page.text):
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda name: -counts[name])[:1]


def _organisations_in(text: str) -> list[str]:
    names: list[str] = []
    mentions = find_counties(text)
    for match in _organisation_pattern().finditer(fold_keep_offsets(text)):
        following = next((m for m in mentions if m.start == match.end()), None)
        if following is None:
            continue
        name = collapse_spaces(text[match.start():following.end])
        if name not in names:
            names.append(name)
    return names



def _damaged_organisation_in(title: str) -> list[str]:
    """The organisation of a title OCR damaged ('Miljösam verkan Sörmland', 'jallösaraverkan
    Västmanland'): the word or two before a place that names a county, read as the organisation
    word they are most like, when they are that like it; named as that word is written."""
    words = reference_json("parsers", "organisations.json")["organisation_words"]
    for mention in find_counties(title):
        before = title[:mention.start].split()
        for count in (1, 2):
            if len(before) < count:
                break
            damaged = fold("".join(before[-count:]))
            for word in words:
                target = fold(word).replace(" ", "")
                if (abs(len(damaged) - len(target)) <= _DAMAGE_LENGTH
                        and difflib.SequenceMatcher(None, damaged, target).ratio() >= _DAMAGE_LIKENESS):
                    return [f"{word[:1].upper()}{word[1:]} {mention.printed(title)}"]
    return []


_DAMAGE_LIKENESS = 0.65   # difflib ratio from which an OCR'd word is read as the organisation word
_DAMAGE_LENGTH = 2        # letters it may have more or fewer


def find_county_mentions(organisations: Sequence[str], pages: Sequence[Page]) -> list[str]:
    """Places as printed: from the organisations' names, else the county the text names most often."""
    places = [m.printed(name) for name in organisations for m in find_counties(name)]
    if places:
        return list(dict.fromkeys(places))
    text = "\n".join(page.text for page in pages)
    mentions = find_counties(text)
    county = dominant_county(mentions)
    return [next(m.printed(text) for m in mentions if m.county == county)] if county else []
