"""timing_text -> (period_start, period_end, frequency_per_year), by the conventions of the corpus:

- a year '2021' is the whole year; a span '2027-2029', 'Jan 2025-april 2026', 'Februari–oktober 2023'
  runs from the first day of its first month to the last day of its last month;
- a month 'April 2021' is that month, 'Maj/juni 2021' May 1 to June 30;
- 'Våren Y' is Y-01-01..Y-06-30, 'Hösten Y' is Y-07-01..Y-12-31 (also 'Varen', 'Hosten');
- a text that names no date ('Löpande', 'Vid behov', '3 gånger per år', 'Varannan månad') is the
  activity's whole plan year, with frequency_per_year where it gives a rate;
- a month or season without a year takes the plan year; what cannot be read stays NULL.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from core.reference import reference_json
from normalizers.fold import fold

_YEAR = r"(?:19|20)\d{2}"
_DASH = r"\s*(?:-|–|—|till|to)\s*"


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


@lru_cache(maxsize=1)
def _month_words() -> dict[str, int]:
    return {fold(w): int(n) for n, words in _reference()["months"].items() for w in words}


@lru_cache(maxsize=1)
def _season_words() -> dict[str, tuple[int, int]]:
    return {fold(w): tuple(s["months"]) for s in _reference()["seasons"].values() for w in s["words"]}


def _month_pattern() -> str:
    words = sorted(_month_words(), key=len, reverse=True)
    return r"(?:" + "|".join(re.escape(w) for w in words) + r")\.?"


def _season_pattern() -> str:
    words = sorted(_season_words(), key=len, reverse=True)
    return r"(?:" + "|".join(re.escape(w) for w in words) + r")"


def _first(year: int, month: int) -> date:
    return date(year, month, 1)


def _last(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(timing_text: str | None, plan_year: int | None) -> Period | None:
    """The period a timing text names, or None when it cannot be read (the raw text is kept)."""
    if not timing_text or not timing_text.strip():
        return None
    text = fold(timing_text).replace("\u2009", " ")
    frequency = frequency_per_year(text)
    month, season = _month_pattern(), _season_pattern()
    months, seasons = _month_words(), _season_words()

    # 'jan 2025-april 2026', 'sep 2026 — maj 2027', 'aug 2025- dec 2025', 'februari–oktober 2023'
    span = re.search(rf"({month})\s*({_YEAR})?{_DASH}({month})\s*({_YEAR})?", text)
    if span:
        first_m, last_m = months[span.group(1).rstrip(".")], months[span.group(3).rstrip(".")]
        first_y = int(span.group(2)) if span.group(2) else None
        last_y = int(span.group(4)) if span.group(4) else None
        last_y = last_y or first_y or plan_year
        first_y = first_y or (last_y if first_m <= last_m else (last_y - 1 if last_y else None))
        if first_y and last_y:
            return Period(_first(first_y, first_m), _last(last_y, last_m), frequency)
    # '2027-2029'
    years = re.search(rf"(?<!\d)({_YEAR}){_DASH}({_YEAR})(?!\d)", text)
    if years:
        return Period(date(int(years.group(1)), 1, 1), date(int(years.group(2)), 12, 31), frequency)
    year = re.search(rf"(?<!\d)({_YEAR})(?!\d)", text)
    the_year = int(year.group(1)) if year else plan_year
    # a rate or 'löpande under året' is about the whole year, whatever months it mentions in passing
    if the_year and (frequency is not None or _whole_year(text)):
        return Period(date(the_year, 1, 1), date(the_year, 12, 31), frequency)
    # 'maj/juni 2021', 'april 2021', 'september-oktober' (no year: the plan year)
    named = list(re.finditer(rf"(?<![a-zåäö])({month})(?![a-zåäö])", text))
    if named and the_year:
        numbers = sorted(months[m.group(1).rstrip(".")] for m in named)
        return Period(_first(the_year, numbers[0]), _last(the_year, numbers[-1]), frequency)
    # 'våren 2021', 'hösten'
    found = re.search(rf"(?<![a-zåäö])({season})(?![a-zåäö])", text)
    if found and the_year:
        first_m, last_m = seasons[found.group(1)]
        return Period(_first(the_year, first_m), _last(the_year, last_m), frequency)
    if year and the_year:   # the_year is then the year matched, never 0
        return Period(date(the_year, 1, 1), date(the_year, 12, 31), frequency)
    return None


def frequency_per_year(text: str) -> float | None:
    """'3 gånger per år' -> 3, '2 gånger/år' -> 2, 'varannan månad' -> 6, '1 gång per månad' -> 12."""
    text = fold(text)
    reference = _reference()
    for phrase, rate in sorted(reference["every_other"].items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(?<![a-z]){re.escape(fold(phrase))}(?![a-z])", text):
            return float(rate)
    times = "|".join(re.escape(fold(w)) for w in sorted(reference["times_words"], key=len, reverse=True))
    units = {fold(k): v for k, v in reference["rate_units"].items()}
    unit_pattern = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    numbers = {fold(k): v for k, v in reference["number_words"].items()}
    number_pattern = "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
    match = re.search(rf"(?<![a-z])(\d+|{number_pattern})\s*(?:{times})\.?\s*(?:per|/|i|om)\s*"
                      rf"(?:{unit_pattern})(?![a-z])", text)
    if not match:
        return None
    count = numbers.get(match.group(1))
    count = count if count is not None else int(match.group(1))
    unit = re.search(rf"(?:{unit_pattern})(?![a-z])", text[match.start():])
    assert unit is not None   # the match above ends in one
    return float(count * units[unit.group(0)])


def _whole_year(text: str) -> bool:
    return any(fold(p) in text for p in _reference()["whole_year_phrases"])

