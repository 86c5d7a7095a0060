"""Swedish amounts as printed -> numbers: '1 083', '1 867 789', '1.083', '-45', '−45', '(45)', '12,5'."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from core.reference import reference_json

_SPACES = "\u0020\u00a0\u202f\u2009"
_SPECKS = "\"'“”‘’:;"
_NUMBER = re.compile(
    r"^(?:(?P<sign>[-−–+]?)|[-−–]\s+)(?P<int>\d{1,4}(?:[" + _SPACES + r".]\d{3})+|\d+)(?:,(?P<frac>\d+))?$"
)


@lru_cache(maxsize=1)
def unit_multipliers() -> list[tuple[str, int]]:
    """(unit word, kronor per unit), the largest units first: ('mkr', 1000000), …, ('kr', 1)."""
    data = reference_json("normalizers", "amount_units.json")["multipliers"]
    return [(word, int(n)) for n, words in sorted(data.items(), key=lambda item: -int(item[0])) for word in words]


@lru_cache(maxsize=1)
def unit_words() -> str:
    """A regular expression (no groups) for the unit words printed after an amount ('tkr',
    'tusen kronor', ':-'), longest first; compile it with re.IGNORECASE."""
    words = [w for w, _ in unit_multipliers()] + reference_json("normalizers", "amount_units.json")["suffix_only"]
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _unit_suffix() -> re.Pattern[str]:
    return re.compile(rf"\s*(?:{unit_words()})\.?\s*$", re.IGNORECASE)


def parse_amount(text: str | None) -> Decimal | None:
    """The number an amount cell prints, in the unit it is printed in; None if it is not one number.

    A dot between groups of three digits is a thousands separator ('1.083' = 1083), the decimal mark
    is a comma, a minus may be '-', '−' or '–' set close to the figures (a dash a space away is a
    leader's end or a speck: '- 736000 kr'), and '(45)' or '(45) kr' is negative, as in Swedish accounts. OCR
    may glue the first two groups ('1867 789' = 1 867 789).
    """
    if text is None:
        return None
    # a speck by the figures, read as a quote mark or a colon ('"279 698 kr', "167 000'kr"): no plan prints one
    value = text.strip().lstrip(_SPECKS).strip()
    if not value:
        return None
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1].strip()
    value = _unit_suffix().sub("", value).strip().rstrip(_SPECKS + "-–.").strip()   # '244 057-kr', '225.'
    if not negative and value.startswith("(") and value.endswith(")"):   # '(107 000) kr'
        negative, value = True, value[1:-1].strip()
    match = _NUMBER.match(value)
    if not match:
        return None
    digits = re.sub(r"[" + _SPACES + r".]", "", match.group("int"))
    frac = match.group("frac")
    try:
        number = Decimal(digits + ("." + frac if frac else ""))
    except InvalidOperation:
        return None
    if match.group("sign") in ("-", "−", "–"):
        negative = not negative
    return -number if negative else number


def to_kronor(amount: Decimal | None, multiplier: int) -> int | None:
    """Whole kronor; tkr amounts are multiplied by 1000 before rounding."""
    if amount is None:
        return None
    return int((amount * multiplier).to_integral_value())
