"""Regression tests against the hand-checked gold extractions of 001 and 000."""
from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import PDF_000, PDF_001, TEXT_000, TEXT_001, gold, no_spaces

ACTIVITY_FIELDS = ("title", "timing_text", "responsible", "partners_text", "category")


@pytest.mark.parametrize("path", [PDF_001, TEXT_001], ids=["pdf", "text"])
def test_001_metadata(plan_of, path):
    plan = plan_of(path)
    expected = gold("001")
    assert plan.title == "Verksamhetsplan för Miljösamverkan Jönköpings län 2021-2023"
    assert plan.organisation == expected["organisation"] == "Miljösamverkan Jönköpings län"
    assert plan.county == expected["county"]
    assert plan.counties == ("Jönköpings län",)
    assert plan.doc_type == "verksamhetsplan"
    assert (plan.year_from, plan.year_to) == (2021, 2023)


@pytest.mark.parametrize("path", [PDF_001, TEXT_001], ids=["pdf", "text"])
def test_001_activities_match_gold(plan_of, path):
    plan = plan_of(path)
    expected = gold("001")["activities"]
    assert len(plan.activities) == 49
    assert Counter(a.plan_year for a in plan.activities) == {2021: 25, 2022: 24}
    for got, want in zip(plan.activities, expected, strict=True):
        assert got.plan_year == want["plan_year"], want["title"]
        for field in ACTIVITY_FIELDS:
            assert no_spaces(getattr(got, field)) == no_spaces(want[field]), (field, want["title"])


def test_001_text_export_matches_gold_exactly(plan_of):
    """The export has no narrow cells: its fields match the gold text character for character."""
    plan = plan_of(TEXT_001)
    for got, want in zip(plan.activities, gold("001")["activities"], strict=True):
        assert [getattr(got, f) or "" for f in ACTIVITY_FIELDS] == [want[f] or "" for f in ACTIVITY_FIELDS]


def test_001_rows_split_by_page_breaks_are_one_activity(plan_of):
    plan = plan_of(PDF_001)
    by_key = {(a.plan_year, a.title): a for a in plan.activities}
    lantbruk = by_key[(2021, "Miljöskyddsinspektörer med ansvar för lantbrukstillsyn")]
    assert (lantbruk.page_from, lantbruk.page_to) == (4, 5)
    assert lantbruk.timing_text == "Hösten 2021"
    assert lantbruk.responsible == "Länssamordnaren står för det praktiska och Länsstyrelsen och kommunerna för innehållet."
    berattelse = by_key[(2021, "Verksamhetsberättelse med bokslut")]
    assert berattelse.actions.endswith("Sprida informationen till ingående parter.")
    assert (berattelse.page_from, berattelse.page_to) == (5, 6)
    assert all(a.title != "Ej fastställt" for a in plan.activities)
    assert not any(a.title.startswith(("länet", "och Miljösamverkan", "med ansvar")) for a in plan.activities)


def test_001_words_broken_by_narrow_cells_are_rejoined_and_two_words_are_not(plan_of):
    by_key = {(a.plan_year, a.title): a for a in plan_of(PDF_001).activities}
    # 'Skyddande' fills its cell, but 'ozonskikt' is a word and 'skyddandeozonskikt' is not
    assert by_key[(2021, "Köldmedia på bilverkstäder")].effect_goals == "Skyddande ozonskikt"
    # 'miljösamverkansorg|anisationer': a fragment that is no word is the rest of the line's word
    assert "miljösamverkansorganisationer" in by_key[
        (2021, "Projektledarträffar med alla regionala miljösamverkansorganisationer i landet")].partners_text


@pytest.mark.parametrize("path", [PDF_001, TEXT_001], ids=["pdf", "text"])
def test_001_budget_matches_gold(plan_of, path):
    plan = plan_of(path)
    expected = gold("001")["budget_lines"]
    got = [(b.budget_year, b.section, b.label, b.amount_sek, b.is_total) for b in plan.budget_lines]
    assert got == [(e["budget_year"], e["section"], e["label"], e["amount_sek"], e["is_total"]) for e in expected]
    assert [b.amount_text for b in plan.budget_lines][:4] == ["0", "1 083", "60", "1 143"]
    assert plan.warnings == ()


@pytest.mark.parametrize("path", [PDF_000, TEXT_000], ids=["pdf", "text"])
def test_000_schedule_rows_not_month_grid(plan_of, path):
    plan = plan_of(path)
    expected = gold("000")
    assert (plan.county, plan.doc_type, plan.year_from, plan.year_to) == (
        "Värmlands län", "kommunikationsplan", 2011, 2011)
    assert plan.organisation == "Miljösamverkan Värmland"
    got = [(a.title, a.target_group, a.timing_text) for a in plan.activities]
    assert got == [(a["title"], a["target_group"], a["timing_text"]) for a in expected["activities"]]
    assert {a.plan_year for a in plan.activities} == {2011}
    assert plan.budget_lines == ()
