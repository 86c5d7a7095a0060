"""timing_text -> (period_start, period_end, frequency_per_year), by the conventions of Swedish plans.

A printed span is the period, whatever else the text says:
- years '2027-2029'; months 'Jan 2025-april 2026', 'Januari–mars 2021', 'jan–mars', 'Juli till november 2020'
  (first day of the first month to the last day of the last); days '12–13 oktober', '30 sep–2 okt',
  '2021-04-20–2021-04-22'; ISO weeks 'Vecka 10–12 2023', 'v 14–16 2024' (Monday of the first to Sunday of
  the last); parts of the year 'Q1–Q2 2022', 'kvartal 1-2'.
Then a rate ('3 gånger per år', 'Varannan månad', 'Kvartalsvis') or a whole-year phrase ('Löpande', 'Under året',
'Vid behov', 'Helår') is the whole year, with frequency_per_year where it gives a rate, whatever months or
seasons it mentions in passing ('2 gånger per år, vår och höst').
Then a single point: a date '15 mars 2021', 'Den 3 juni', '2021-04-20'; a week 'v. 38'; a quarter 'Q1 2022',
'Andra kvartalet'; a tertial 'T1 2021' (Jan–Apr, May–Aug, Sep–Dec); a half-year 'Första halvåret'; the months
named 'September 2023', 'Maj/juni 2021', 'Genomfördes i maj' (the first to the last of them, as for several
quarters 'Q2 och Q3'); a season 'Våren' (Jan 1..Jun 30), 'Hösten' (Jul 1..Dec 31), also as OCR leaves them
('Varen', 'Hosten') and as school terms are written ('vt22', 'ht-21'); a year alone '2021', 'Under 2021'.
A form without its own year takes the first year the text prints, else the plan year. Anything else ('Inställt',
'Ej genomfört', 'Efter beslut i styrgruppen', a bare '2 ggr') is None, the raw text kept: a guessed whole year
would pass for data.
The vocabulary is in data/periods.json; only digits, dashes and the shape of the forms are here.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from core.reference import reference_json
from normalizers.fold import collapse_spaces, fold

_YEAR = r"(?:19|20)\d{2}"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"   # hyphens, en and em dash, minus: PDFs print all of them
_DAY = r"(?<![\w:/.])(\d{1,2})(?!\d)"               # '3 juni', not the '21' of '2021' nor a time '9.30'

_Span = tuple[date, date]


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    frequency_per_year: float | None = None

    @property
    def start_iso(self) -> str | None:
        return self.start.isoformat() if self.start else None

    @property
    def end_iso(self) -> str | None:
        return self.end.isoformat() if self.end else None


@lru_cache(maxsize=1)
def _reference() -> dict:
    return reference_json("normalizers", "periods.json")


def _alternation(words: Iterable[str]) -> str:
    """Longest first, so that 'september' is not read as 'sep' + 'tember'."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def _month_words() -> dict[str, int]:
    return {fold(w): int(n) for n, words in _reference()["months"].items() for w in words}


@lru_cache(maxsize=1)
def _month() -> str:
    """A month name, abbreviated with or without a dot ('Feb.', 'sept.'); group 1 is the name."""
    return rf"(?<![a-z])({_alternation(_month_words())})\.?(?![a-z])"


@lru_cache(maxsize=1)
def _dash() -> str:
    words = _alternation(fold(w) for w in _reference()["range_words"])
    return rf"\s*(?:[{re.escape(_DASHES)}]|(?<![a-z]){words}(?![a-z.]))\s*"


@lru_cache(maxsize=1)
def _week_word() -> str:
    return rf"(?<![a-z]){_alternation(fold(w) for w in _reference()['week_words'])}\.?\s*"


@lru_cache(maxsize=1)
def _ordinals() -> dict[str, int]:
    return {fold(w): n for w, n in _reference()["ordinals"].items()}


def _first(year: int, month: int) -> date:
    return date(year, month, 1)


def _last(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:   # '31 juni'
        return None


def _week(year: int, week: int, weekday: int) -> date | None:
    try:
        return date.fromisocalendar(year, week, weekday)
    except ValueError:   # 'v 54', or week 53 of a year that has 52
        return None


def _int(group: str | None) -> int | None:
    return int(group) if group else None


def _years(first_y: int | None, last_y: int | None, ascending: bool, year: int | None) -> tuple[int, int] | None:
    """The years of a span's two ends: a year printed at one end holds for the other ('jan–mars 2021'), and a span
    running backwards ('nov–feb 2021') starts the year before its end."""
    last = last_y or first_y or year
    if last is None:
        return None
    return first_y or (last if ascending else last - 1), last


@dataclass(frozen=True)
class _Timing:
    folded: str          # what the readers match: lower case, no diacritics ('Varen' and 'Våren' alike)
    printed: str         # lower case as printed, for the words whose folded form is a common word
    year: int | None     # the first year printed, else the plan year


# quotation marks say nothing of a time, and a scan's specks read as them ('1 gång per' år')
_QUOTES = re.compile(r"['’‘\"”“«»]")


def parse_period(timing_text: str | None, plan_year: int | None) -> Period | None:
    """The period a timing text names, or None when it cannot be read (the raw text is kept)."""
    if not timing_text or not timing_text.strip():
        return None
    timing_text = _QUOTES.sub("", timing_text)
    text = fold(timing_text)
    printed = re.search(rf"(?<!\d)({_YEAR})(?!\d)", text)
    timing = _Timing(text, collapse_spaces(unicodedata.normalize("NFC", timing_text.lower())),
                     int(printed.group(1)) if printed else plan_year)
    frequency = frequency_per_year(text)
    for read in _SPANS:
        span = read(timing)
        if span and span[0] <= span[1]:
            return Period(span[0], span[1], frequency)
    # a rate or 'löpande under året' is about the whole year, whatever months it mentions in passing
    if timing.year and (frequency is not None or _whole_year(text)):
        return Period(date(timing.year, 1, 1), date(timing.year, 12, 31), frequency)
    for read in _POINTS:
        span = read(timing)
        if span and span[0] <= span[1]:
            return Period(span[0], span[1], frequency)
    return None


def _iso_span(timing: _Timing) -> _Span | None:
    """'2021-04-20 – 2021-04-22'."""
    iso = rf"(?<!\d)({_YEAR})-(\d{{1,2}})-(\d{{1,2}})(?!\d)"
    found = re.search(rf"{iso}{_dash()}{iso}", timing.folded)
    if not found:
        return None
    y1, m1, d1, y2, m2, d2 = (int(g) for g in found.groups())
    start, end = _date(y1, m1, d1), _date(y2, m2, d2)
    return (start, end) if start and end else None


def _day_span(timing: _Timing) -> _Span | None:
    """'12–13 oktober', '11-13 september 2021', '30 sep–2 okt 2021', '30 dec 2021 – 2 jan 2022'."""
    month, months = _month(), _month_words()
    found = re.search(rf"{_DAY}\s*{month}(?:\s*,?\s*({_YEAR}))?{_dash()}{_DAY}\s*{month}(?:\s*,?\s*({_YEAR}))?",
                      timing.folded)
    if found:
        d1, m1, d2, m2 = int(found.group(1)), months[found.group(2)], int(found.group(4)), months[found.group(5)]
        years = _years(_int(found.group(3)), _int(found.group(6)), (m1, d1) <= (m2, d2), timing.year)
    else:
        found = re.search(rf"{_DAY}{_dash()}{_DAY}\s*{month}(?:\s*,?\s*({_YEAR}))?", timing.folded)
        if not found:
            return None
        d1, d2, m1 = int(found.group(1)), int(found.group(2)), months[found.group(3)]
        m2 = m1
        years = _years(_int(found.group(4)), None, True, timing.year)
    if years is None:
        return None
    start, end = _date(years[0], m1, d1), _date(years[1], m2, d2)
    return (start, end) if start and end else None


def _week_span(timing: _Timing) -> _Span | None:
    """'Vecka 10–12 2023', 'v 14–16 2024', 'v. 50 2023 – v. 2 2024': Monday of the first to Sunday of the last."""
    week = rf"(\d{{1,2}})(?!\d)(?:\s*,?\s*({_YEAR}))?"
    found = re.search(rf"{_week_word()}{week}{_dash()}(?:{_week_word()})?{week}", timing.folded)
    if not found:
        return None
    w1, w2 = int(found.group(1)), int(found.group(3))
    years = _years(_int(found.group(2)), _int(found.group(4)), w1 <= w2, timing.year)
    if years is None:
        return None
    start, end = _week(years[0], w1, 1), _week(years[1], w2, 7)
    return (start, end) if start and end else None


@lru_cache(maxsize=1)
def _part_patterns() -> tuple[tuple[int, str, str, str], ...]:
    """Per part of the year (quarter, tertial, half): its length in months; 'Q3', 'kvartal 3', 'kv. 3' (the number
    in a group); a bare number of that part ('3'); 'tredje kvartalet', 'första och andra kvartalet' (the ordinals
    in a group)."""
    ordinal = _alternation(_ordinals())
    joined = rf"(?:{_dash()}|\s*(?:,|&|(?<![a-z]){_alternation(_reference()['list_words'])}(?![a-z]))\s*)"
    patterns = []
    for part in _reference()["parts_of_year"].values():
        size = int(part["months"])
        number = rf"([1-{12 // size}])(?!\d)"
        words = _alternation(fold(w) for w in part["words"])
        letters = _alternation(fold(w) for w in part["letters"])
        # a letter must touch its number ('Q1', 'T2'); a word may be spaced from it ('kvartal 3')
        named = rf"(?:(?<![a-z0-9]){words}\.?\s*|(?<![a-z0-9]){letters}){number}"
        by_ordinal = rf"(?<![a-z0-9])({ordinal}(?:{joined}{ordinal})*)\s+{words}(?![a-z])"
        patterns.append((size, named, number, by_ordinal))
    return tuple(patterns)


def _part(size: int, first: int, last: int, year: int | None) -> _Span | None:
    if not year or last * size > 12:   # 'fjärde halvåret'
        return None
    return _first(year, (first - 1) * size + 1), _last(year, last * size)


def _part_span(timing: _Timing) -> _Span | None:
    """'Q1–Q2 2022', 'Q3-4', 'kvartal 1-2', 'T1–T2' (by ordinal, 'första–andra kvartalet', is read with the points)."""
    for size, named, number, _by_ordinal in _part_patterns():
        found = re.search(rf"{named}{_dash()}(?:{named}|{number})", timing.folded)
        if found:
            return _part(size, int(found.group(1)), int(found.group(2) or found.group(3)), timing.year)
    return None


def _month_span(timing: _Timing) -> _Span | None:
    """'jan 2025-april 2026', 'sep 2026 — maj 2027', 'februari–oktober 2023', 'Juli till november 2020'."""
    month, months = _month(), _month_words()
    found = re.search(rf"{month}\s*({_YEAR})?{_dash()}{month}\s*({_YEAR})?", timing.folded)
    if not found:
        return None
    first_m, last_m = months[found.group(1)], months[found.group(3)]
    years = _years(_int(found.group(2)), _int(found.group(4)), first_m <= last_m, timing.year)
    return (_first(years[0], first_m), _last(years[1], last_m)) if years else None


def _year_span(timing: _Timing) -> _Span | None:
    """'2027-2029'."""
    found = re.search(rf"(?<!\d)({_YEAR}){_dash()}({_YEAR})(?!\d)", timing.folded)
    return (date(int(found.group(1)), 1, 1), date(int(found.group(2)), 12, 31)) if found else None


def _iso_date(timing: _Timing) -> _Span | None:
    """'2021-04-20'."""
    found = re.search(rf"(?<!\d)({_YEAR})-(\d{{1,2}})-(\d{{1,2}})(?!\d)", timing.folded)
    day = _date(*(int(g) for g in found.groups())) if found else None
    return (day, day) if day else None


def _day(timing: _Timing) -> _Span | None:
    """'15 mars 2021', 'Den 3 juni', '16 juni'."""
    found = re.search(rf"{_DAY}\s*{_month()}(?:\s*,?\s*({_YEAR}))?", timing.folded)
    year = (_int(found.group(3)) or timing.year) if found else None
    day = _date(year, _month_words()[found.group(2)], int(found.group(1))) if found and year else None
    return (day, day) if day else None


def _single_week(timing: _Timing) -> _Span | None:
    """'v. 38', 'vecka 12 2024'."""
    found = re.search(rf"{_week_word()}(\d{{1,2}})(?!\d)(?:\s*,?\s*({_YEAR}))?", timing.folded)
    year = (_int(found.group(2)) or timing.year) if found else None
    if not found or year is None:
        return None
    start, end = _week(year, int(found.group(1)), 1), _week(year, int(found.group(1)), 7)
    return (start, end) if start and end else None


def _single_part(timing: _Timing) -> _Span | None:
    """'Q1 2022', 'kvartal 3', 'Andra kvartalet', 'Tertial 2', 'T1 2021', 'Första halvåret 2022', 'H2'; several
    named ('Q2 och Q3', 'första och andra kvartalet') run from the first to the last, as months do."""
    ordinals = _ordinals()
    ordinal = rf"(?<![a-z0-9]){_alternation(ordinals)}(?![a-z])"
    for size, named, _number, by_ordinal in _part_patterns():
        numbers = [int(m.group(1)) for m in re.finditer(named, timing.folded)]
        numbers += [ordinals[o.group(0)] for m in re.finditer(by_ordinal, timing.folded)
                    for o in re.finditer(ordinal, m.group(1))]
        if numbers:
            return _part(size, min(numbers), max(numbers), timing.year)
    return None


def _months(timing: _Timing) -> _Span | None:
    """'maj/juni 2021', 'april 2021', 'oktober', 'Genomfördes i maj': the first to the last month named."""
    named = sorted(_month_words()[m.group(1)] for m in re.finditer(_month(), timing.folded))
    return (_first(timing.year, named[0]), _last(timing.year, named[-1])) if named and timing.year else None


# the year a season is given: 'hösten 2021', and in the short form of school terms 'vt22', 'ht-21', 'våren -22'
_SEASON_YEAR = rf"(?:\s*({_YEAR})|\s*[-\u2013'\u2019]\s*(\d{{2}})|(\d{{2}}))(?!\d)"


@lru_cache(maxsize=1)
def _season_patterns() -> tuple[tuple[int, int, re.Pattern[str], re.Pattern[str] | None], ...]:
    """Per season: its months, its words (folded, with the year after them) and its exact_words (as printed)."""
    patterns = []
    for season in _reference()["seasons"].values():
        words = _alternation(fold(w) for w in season["words"])
        folded = re.compile(rf"(?<![a-z]){words}(?![a-z])(?:{_SEASON_YEAR})?")
        exact = None
        if season.get("exact_words"):   # 'vår' as printed: folded it is 'var', as in 'var tredje månad'
            words = _alternation(unicodedata.normalize("NFC", w) for w in season["exact_words"])
            exact = re.compile(rf"(?<!\w){words}(?!\w)(?:{_SEASON_YEAR})?")
        patterns.append((int(season["months"][0]), int(season["months"][1]), folded, exact))
    return tuple(patterns)


def _seasons(timing: _Timing) -> _Span | None:
    """'våren 2021', 'Under hösten', 'vår och höst', 'Hösten 2021 – våren 2022': the first to the last named."""
    starts: list[date] = []
    ends: list[date] = []
    for first_m, last_m, folded, exact in _season_patterns():
        found = list(folded.finditer(timing.folded)) + (list(exact.finditer(timing.printed)) if exact else [])
        for mention in found:
            short = mention.group(2) or mention.group(3)
            year = _int(mention.group(1)) or (2000 + int(short) if short else timing.year)
            if year:
                starts.append(_first(year, first_m))
                ends.append(_last(year, last_m))
    return (min(starts), max(ends)) if starts else None


@lru_cache(maxsize=1)
def _year_alone_pattern() -> re.Pattern[str]:
    prefix = _alternation(fold(w) for w in _reference()["year_prefixes"])
    return re.compile(rf"(?:{prefix}\s+)*({_YEAR})")


def _year_alone(timing: _Timing) -> _Span | None:
    """'2021', 'Under 2021', 'År 2021.': the year is all the text says."""
    found = _year_alone_pattern().fullmatch(timing.folded.strip(" .,;:!()*"))
    return (date(int(found.group(1)), 1, 1), date(int(found.group(1)), 12, 31)) if found else None


_Reader = Callable[[_Timing], "_Span | None"]
_SPANS: tuple[_Reader, ...] = (_iso_span, _day_span, _week_span, _part_span, _month_span, _year_span)
_POINTS: tuple[_Reader, ...] = (_iso_date, _day, _single_week, _single_part, _months, _seasons, _year_alone)


@dataclass(frozen=True)
class _Rates:
    phrases: tuple[tuple[re.Pattern[str], float], ...]   # 'varannan månad', longest first
    counted: re.Pattern[str]                              # '3 gånger per år': the count and the unit in groups
    numbers: dict[str, int]
    units: dict[str, int]


@lru_cache(maxsize=1)
def _rates() -> _Rates:
    reference = _reference()
    phrases = tuple((re.compile(rf"(?<![a-z]){re.escape(fold(phrase))}(?![a-z])"), float(rate))
                    for phrase, rate in sorted(reference["every_other"].items(), key=lambda kv: -len(kv[0])))
    times = _alternation(fold(w) for w in reference["times_words"])
    units = {fold(k): v for k, v in reference["rate_units"].items()}
    numbers = {fold(k): v for k, v in reference["number_words"].items()}
    connectors = _alternation(fold(w) for w in reference["rate_connectors"])
    counted = re.compile(rf"(?<![a-z])(\d+|{_alternation(numbers)})\s*{times}\.?\s*{connectors}\s*"
                         rf"({_alternation(units)})(?![a-z])")
    return _Rates(phrases, counted, numbers, units)


def frequency_per_year(text: str) -> float | None:
    """'3 gånger per år' -> 3, '2 gånger/år' -> 2, 'varannan månad' -> 6, '1 gång per månad' -> 12,
    'Två träffar per år' -> 2; a count without its unit ('2 ggr') is no rate."""
    text = fold(text)
    rates = _rates()
    for phrase, rate in rates.phrases:
        if phrase.search(text):
            return rate
    match = rates.counted.search(text)
    if not match:
        return None
    count = rates.numbers.get(match.group(1))
    count = count if count is not None else int(match.group(1))
    return float(count * rates.units[match.group(2)])


@lru_cache(maxsize=1)
def _whole_year_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z]){_alternation(fold(p) for p in _reference()['whole_year_phrases'])}(?![a-z])")


def _whole_year(text: str) -> bool:
    return _whole_year_pattern().search(text) is not None
