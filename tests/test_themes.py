"""Themes: measured against hand labels, and the links the corpus must and must not make."""
from __future__ import annotations

import json

import pytest

from normalizers.themes import themes, themes_of
from tests.conftest import FIXTURES, PDF_000, PDF_001

BAD_OCR_004 = FIXTURES / "ocr" / "004_verksamhetsplan_jonkoping_2026-2028_bad-ocr.pdf"


@pytest.fixture(scope="module")
def activities(plan_of):
    found = {}
    for key, path in (("001", PDF_001), ("000", PDF_000), ("004", BAD_OCR_004)):
        for activity in plan_of(path).activities:
            found.setdefault((key, activity.plan_year, activity.title), activity)
    return found


def test_precision_and_recall_on_hand_labels(activities):
    labels = json.loads((FIXTURES / "theme_labels.json").read_text("utf-8"))["labels"]
    assert len(labels) >= 40
    expected, got = set(), set()
    for doc, year, title, themes_expected in labels:
        activity = activities[(doc, year, title)]
        expected |= {(doc, year, title, t) for t in themes_expected}
        got |= {(doc, year, title, t) for t in activity.themes}
    true_positives = len(expected & got)
    precision, recall = true_positives / len(got), true_positives / len(expected)
    print(f"themes on {len(labels)} labelled activities: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.90 and recall >= 0.85


def test_themes_link_001_and_004_across_years(activities):
    def years_with(theme):
        return {(doc, year) for (doc, year, _), a in activities.items() if theme in a.themes}
    for theme in ("small_sewage", "agriculture", "health_protection", "ventilation_indoor", "contaminated_land"):
        linked = years_with(theme)
        assert ("004", 2026) in linked and linked & {("001", 2021), ("001", 2022)}, theme


def test_unrelated_activities_share_no_theme(activities):
    by_title = {title: a for (doc, year, title), a in activities.items() if doc == "001" and year == 2021}
    assert not set(by_title["Styrgruppsmöten"].themes) & set(by_title["Förorenad mark vid miljötillsyn"].themes)
    assert not set(by_title["Nyhetsbrev Miljösamverkan"].themes) & set(by_title["Köldmedia på bilverkstäder"].themes)
    sewage = by_title["Miljöskyddsinspektörer med ansvar för små avlopp"]
    assert "steering_group" not in sewage.themes  # both mention 'träff'


def test_supervision_and_cooperation_themes_are_apart():
    kinds = {t.id: t.kind for t in themes()}
    assert {kinds["small_sewage"], kinds["steering_group"]} == {"supervision", "cooperation"}
    assert themes_of("Små avlopp", "Ordna en träff för inspektörer", "Bjuda in till träff") == ["small_sewage"]
    assert themes_of("Enskilda avlopp") == ["small_sewage"]
    assert themes_of("sma avlopp") == ["small_sewage"]
    assert themes_of("Styrgruppsmöten", "En träff") == ["steering_group"]


def test_lemmas_are_not_invented_for_function_words_nor_agent_nouns_for_verbs():
    from normalizers.lemmas import lemmas
    assert lemmas("Hon arbetar med tillsyn hos kommunerna och har en kampanj för det") == [
        "hon", "arbeta", "med", "tillsyn", "hos", "kommun", "och", "har", "en", "kampanj", "för", "det"]
    assert lemmas("Vi planerar, ska samverka och avloppen") == ["vi", "planera", "ska", "samverka", "och", "avlopp"]
    assert lemmas("arbetare lärare") == ["arbetare", "lärare"]    # the nouns stay nouns


def test_compounds_are_split_into_the_words_they_are_made_of():
    from normalizers.lemmas import compound_parts, search_terms
    assert compound_parts("hälsoskyddsinspektörer") == ("hälsoskydd", "inspektörer")
    assert compound_parts("miljöskyddsinspektörer") == ("miljöskydd", "inspektörer", "miljö", "skydd")
    assert compound_parts("avloppsanläggningar") == ("avlopp", "anläggningar")
    assert compound_parts("tillsynsvägledning") == ("tillsyn", "vägledning")
    # endings and pieces of words are no parts, nor are words that are no compounds
    assert compound_parts("kommunerna") == compound_parts("samverkan") == compound_parts("förordning") == ()
    assert search_terms("Möte för hälsoskyddsinspektörer") == [
        "möte", "för", "hälsoskyddsinspektörer", "hälsoskydd", "inspektörer", "inspektör"]
