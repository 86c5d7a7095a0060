"""timing_text -> period_start, period_end, frequency_per_year: the conventions are a contract."""
from __future__ import annotations

import pytest

from normalizers.periods import parse_period

CASES = [
    ("2021", 2021, "2021-01-01", "2021-12-31", None),
    ("2027-2029", 2027, "2027-01-01", "2029-12-31", None),
    ("Jan 2025-april 2026", 2026, "2025-01-01", "2026-04-30", None),
    ("Sep 2026 — maj 2027", 2026, "2026-09-01", "2027-05-31", None),
    ("Aug 2025- dec 2025", 2026, "2025-08-01", "2025-12-31", None),
    ("Februari–oktober 2023", 2023, "2023-02-01", "2023-10-31", None),
    ("April 2021", 2021, "2021-04-01", "2021-04-30", None),
    ("September 2023", 2023, "2023-09-01", "2023-09-30", None),
    ("Maj/juni 2021", 2021, "2021-05-01", "2021-06-30", None),
    ("Februari 2022", 2021, "2022-02-01", "2022-02-28", None),
    ("Våren 2021", 2021, "2021-01-01", "2021-06-30", None),
    ("Hösten 2022", 2022, "2022-07-01", "2022-12-31", None),
    ("Varen 2026", 2026, "2026-01-01", "2026-06-30", None),
    ("Hosten 2025", 2026, "2025-07-01", "2025-12-31", None),
    ("hösten", 2026, "2026-07-01", "2026-12-31", None),
    ("September-oktober", 2011, "2011-09-01", "2011-10-31", None),
    ("Januari och september eventuellt även april", 2011, "2011-01-01", "2011-09-30", None),
    ("Löpande", 2021, "2021-01-01", "2021-12-31", None),
    ("Fortlöpande under året", 2011, "2011-01-01", "2011-12-31", None),
    ("Vid behov", 2011, "2011-01-01", "2011-12-31", None),
    ("3 gånger per år", 2021, "2021-01-01", "2021-12-31", 3),
    ("2 gånger/år", 2011, "2011-01-01", "2011-12-31", 2),
    ("2 gånger/år 2 ggr våren* 2 ggr hösten", 2011, "2011-01-01", "2011-12-31", 2),
    ("1 gång/år", 2011, "2011-01-01", "2011-12-31", 1),
    ("Varannan månad", 2021, "2021-01-01", "2021-12-31", 6),
    ("1 gång per månad", 2021, "2021-01-01", "2021-12-31", 12),
    ("3 ganger per ar", 2026, "2026-01-01", "2026-12-31", 3),
]


@pytest.mark.parametrize("text, plan_year, start, end, frequency", CASES)
def test_period_conventions(text, plan_year, start, end, frequency):
    period = parse_period(text, plan_year)
    assert (period.start_iso, period.end_iso, period.frequency_per_year) == (start, end, frequency)


@pytest.mark.parametrize("text", ["", None, "oklart", "Se bilaga", "Ej fastställt"])
def test_unreadable_timing_stays_null(text):
    assert parse_period(text, 2021) is None


def test_every_timing_of_the_fixtures_is_normalised(plan_of):
    from tests.conftest import PDF_000, PDF_001
    for path in (PDF_001, PDF_000):
        for activity in plan_of(path).activities:
            assert activity.period_start and activity.period_end, activity.timing_text
            assert activity.period_start <= activity.period_end
    styr = next(a for a in plan_of(PDF_001).activities if a.title == "Styrgruppsmöten")
    assert (styr.period_start, styr.period_end, styr.frequency_per_year) == ("2021-01-01", "2021-12-31", 3)
