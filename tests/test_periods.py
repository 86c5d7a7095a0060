"""timing_text -> period_start, period_end, frequency_per_year: the conventions are a contract."""
from __future__ import annotations

from datetime import date

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


# The conventions of Swedish plans, one group per form: (timing text, plan year, start, end, frequency per year).
CONVENTIONS = [
    # a month span: the first day of the first month to the last day of the last
    ("Januari–mars 2021", 2021, "2021-01-01", "2021-03-31", None),
    ("jan–mars", 2022, "2022-01-01", "2022-03-31", None),
    ("Juli till november 2020", 2020, "2020-07-01", "2020-11-30", None),
    ("Feb.–nov.", 2022, "2022-02-01", "2022-11-30", None),
    ("sept. - okt. 2023", 2023, "2023-09-01", "2023-10-31", None),
    ("Juni–augusti", 2024, "2024-06-01", "2024-08-31", None),
    ("Varje månad jan–jun", 2021, "2021-01-01", "2021-06-30", 12),
    # a month
    ("September 2023", 2022, "2023-09-01", "2023-09-30", None),
    ("oktober", 2022, "2022-10-01", "2022-10-31", None),
    ("Feb.", 2024, "2024-02-01", "2024-02-29", None),
    ("sept.", 2021, "2021-09-01", "2021-09-30", None),
    # across years, as printed
    ("Feb 2021 – jan 2022", 2021, "2021-02-01", "2022-01-31", None),
    ("November 2021 - april 2022", 2021, "2021-11-01", "2022-04-30", None),
    ("nov. 2021 till feb. 2022", 2022, "2021-11-01", "2022-02-28", None),
    # seasons
    ("Våren 2020", 2020, "2020-01-01", "2020-06-30", None),
    ("Under våren", 2022, "2022-01-01", "2022-06-30", None),
    ("Hösten", 2023, "2023-07-01", "2023-12-31", None),
    ("Under hösten 2021", 2022, "2021-07-01", "2021-12-31", None),
    ("Under varen", 2024, "2024-01-01", "2024-06-30", None),
    ("HOSTEN 2023", 2023, "2023-07-01", "2023-12-31", None),
    ("Vår 2022", 2022, "2022-01-01", "2022-06-30", None),
    ("vt22", 2021, "2022-01-01", "2022-06-30", None),
    ("Ht-21", 2022, "2021-07-01", "2021-12-31", None),
    ("Våren och hösten 2021", 2021, "2021-01-01", "2021-12-31", None),
    ("Hösten 2021 – våren 2022", 2021, "2021-07-01", "2022-06-30", None),
    # quarters
    ("Q1 2022", 2022, "2022-01-01", "2022-03-31", None),
    ("Q2 2024", 2024, "2024-04-01", "2024-06-30", None),
    ("kvartal 3", 2023, "2023-07-01", "2023-09-30", None),
    ("Andra kvartalet", 2021, "2021-04-01", "2021-06-30", None),
    ("Fjärde kvartalet 2022", 2021, "2022-10-01", "2022-12-31", None),
    ("3:e kvartalet", 2024, "2024-07-01", "2024-09-30", None),
    ("Kv. 4", 2021, "2021-10-01", "2021-12-31", None),
    ("Q3–Q4 2022", 2022, "2022-07-01", "2022-12-31", None),
    ("Q2 och Q3", 2023, "2023-04-01", "2023-09-30", None),
    ("första och andra kvartalet", 2023, "2023-01-01", "2023-06-30", None),
    ("Under årets första kvartal", 2024, "2024-01-01", "2024-03-31", None),
    # tertials: Jan–Apr, May–Aug, Sep–Dec
    ("Tertial 2", 2022, "2022-05-01", "2022-08-31", None),
    ("T1 2021", 2021, "2021-01-01", "2021-04-30", None),
    ("tertial 3", 2023, "2023-09-01", "2023-12-31", None),
    # half-years
    ("Första halvåret 2022", 2022, "2022-01-01", "2022-06-30", None),
    ("Andra halvåret", 2023, "2023-07-01", "2023-12-31", None),
    ("forsta halvaret", 2021, "2021-01-01", "2021-06-30", None),
    ("H2 2024", 2024, "2024-07-01", "2024-12-31", None),
    # ISO weeks: the Monday of the first to the Sunday of the last
    ("Vecka 10–12 2023", 2023, "2023-03-06", "2023-03-26", None),
    ("v. 38", 2021, "2021-09-20", "2021-09-26", None),
    ("v 14–16 2024", 2024, "2024-04-01", "2024-04-21", None),
    ("vecka 12 2024", 2024, "2024-03-18", "2024-03-24", None),
    ("V.38", 2021, "2021-09-20", "2021-09-26", None),
    ("vecka 10 - vecka 12", 2023, "2023-03-06", "2023-03-26", None),
    ("v 53", 2020, "2020-12-28", "2021-01-03", None),
    ("v. 50 2023 – v. 2 2024", 2023, "2023-12-11", "2024-01-14", None),
    # dates and days
    ("15 mars 2021", 2022, "2021-03-15", "2021-03-15", None),
    ("Den 3 juni", 2022, "2022-06-03", "2022-06-03", None),
    ("2021-04-20", 2021, "2021-04-20", "2021-04-20", None),
    ("2024-03-15", 2024, "2024-03-15", "2024-03-15", None),
    ("12–13 oktober", 2022, "2022-10-12", "2022-10-13", None),
    ("11–13 september", 2021, "2021-09-11", "2021-09-13", None),
    ("16 juni", 2023, "2023-06-16", "2023-06-16", None),
    ("3-4 feb. 2024", 2023, "2024-02-03", "2024-02-04", None),
    ("30 sep–2 okt 2021", 2021, "2021-09-30", "2021-10-02", None),
    ("30 dec 2021 – 2 jan 2022", 2021, "2021-12-30", "2022-01-02", None),
    ("2021-04-20 – 2021-04-22", 2021, "2021-04-20", "2021-04-22", None),
    # a report of when it was done
    ("Genomfördes i maj", 2021, "2021-05-01", "2021-05-31", None),
    ("Genomfördes i september 2022", 2022, "2022-09-01", "2022-09-30", None),
    # a year, or the whole plan year
    ("2021", 2021, "2021-01-01", "2021-12-31", None),
    ("Under 2021", 2022, "2021-01-01", "2021-12-31", None),
    ("Löpande", 2022, "2022-01-01", "2022-12-31", None),
    ("Hela året", 2023, "2023-01-01", "2023-12-31", None),
    ("Under året", 2021, "2021-01-01", "2021-12-31", None),
    ("Pågår hela året", 2024, "2024-01-01", "2024-12-31", None),
    ("Kontinuerligt", 2022, "2022-01-01", "2022-12-31", None),
    ("Helår", 2023, "2023-01-01", "2023-12-31", None),
    ("Helår 2022", 2023, "2022-01-01", "2022-12-31", None),
    ("Vid behov", 2024, "2024-01-01", "2024-12-31", None),
    ("Lopande", 2021, "2021-01-01", "2021-12-31", None),
    # rates: the whole plan year, at that rate
    ("Varje månad", 2022, "2022-01-01", "2022-12-31", 12),
    ("Månadsvis", 2022, "2022-01-01", "2022-12-31", 12),
    ("Manadsvis", 2022, "2022-01-01", "2022-12-31", 12),
    ("Varannan månad", 2023, "2023-01-01", "2023-12-31", 6),
    ("Varannan manad", 2023, "2023-01-01", "2023-12-31", 6),
    ("6 ggr/år", 2021, "2021-01-01", "2021-12-31", 6),
    ("4 gånger per år", 2021, "2021-01-01", "2021-12-31", 4),
    ("4 ggr/år", 2024, "2024-01-01", "2024-12-31", 4),
    ("En gång per kvartal", 2022, "2022-01-01", "2022-12-31", 4),
    ("Kvartalsvis", 2023, "2023-01-01", "2023-12-31", 4),
    ("Var tredje månad", 2023, "2023-01-01", "2023-12-31", 4),
    ("Tre gånger per år", 2021, "2021-01-01", "2021-12-31", 3),
    ("2 ggr/år", 2022, "2022-01-01", "2022-12-31", 2),
    ("Två träffar per år", 2022, "2022-01-01", "2022-12-31", 2),
    ("2 gånger per år, vår och höst", 2024, "2024-01-01", "2024-12-31", 2),
    ("1 gång per år", 2023, "2023-01-01", "2023-12-31", 1),
    ("Tolv gånger per år", 2021, "2021-01-01", "2021-12-31", 12),
    ("1 ggr/mån", 2021, "2021-01-01", "2021-12-31", 12),
    ("2 ggr/år 2022", 2021, "2022-01-01", "2022-12-31", 2),
    # a scan's specks read as quotation marks
    ("3 gånger per' år", 2020, "2020-01-01", "2020-12-31", 3),
    ("”Våren 2019", None, "2019-01-01", "2019-06-30", None),
]


@pytest.mark.parametrize("text, plan_year, start, end, frequency", CONVENTIONS)
def test_swedish_plan_conventions(text, plan_year, start, end, frequency):
    period = parse_period(text, plan_year)
    assert period is not None, text
    assert (period.start_iso, period.end_iso, period.frequency_per_year) == (start, end, frequency)


@pytest.mark.parametrize("text, week, iso_year", [("Vecka 10–12 2023", (10, 12), 2023), ("v. 38", (38, 38), 2021),
                                                 ("v 14–16 2024", (14, 16), 2024), ("vecka 12 2024", (12, 12), 2024)])
def test_weeks_are_iso_weeks(text, week, iso_year):
    period = parse_period(text, 2021)
    assert (period.start, period.end) == (date.fromisocalendar(iso_year, week[0], 1),
                                          date.fromisocalendar(iso_year, week[1], 7))
    assert period.start.weekday() == 0 and period.end.weekday() == 6


@pytest.mark.parametrize("text", ["", None, "oklart", "Se bilaga", "Ej fastställt", "Inställt", "Ej genomfört",
                                  "Efter beslut i styrgruppen", "Efter beslut 2024", "2 ggr", "2 ggr 2021",
                                  "Var och en", "Q5", "T4 2021", "fjärde halvåret", "v 53", "v. 0", "2024-13-45",
                                  "Kommunerna i länet"])
def test_unreadable_timing_stays_null(text):
    assert parse_period(text, 2021) is None


@pytest.mark.parametrize("text", ["Löpande", "Vid behov", "Hela året", "2 ggr/år", "Varje månad", "oktober", "Hösten",
                                  "Q1", "v. 38", "Den 3 juni"])
def test_without_a_plan_year_an_undated_text_stays_null(text):
    assert parse_period(text, None) is None


def test_a_printed_year_needs_no_plan_year():
    period = parse_period("Q1 2022", None)
    assert (period.start_iso, period.end_iso) == ("2022-01-01", "2022-03-31")


def test_every_timing_of_the_fixtures_is_normalised(plan_of):
    from tests.conftest import PDF_000, PDF_001
    for path in (PDF_001, PDF_000):
        for activity in plan_of(path).activities:
            assert activity.period_start and activity.period_end, activity.timing_text
            assert activity.period_start <= activity.period_end
    styr = next(a for a in plan_of(PDF_001).activities if a.title == "Styrgruppsmöten")
    assert (styr.period_start, styr.period_end, styr.frequency_per_year) == ("2021-01-01", "2021-12-31", 3)
