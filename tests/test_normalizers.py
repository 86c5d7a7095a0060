"""Unit tests of the string normalisers: amounts, counties, partners, text repair, decoding."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.text import decode_text, split_pages
from normalizers.amounts import parse_amount, to_kronor
from normalizers.counties import canonical_county, find_counties
from normalizers.partners import split_partners
from pipeline.repair import clean_text, join_broken_lines
from tests.conftest import BAD, TEXT_000


@pytest.mark.parametrize("printed, value", [
    ("1 083", 1083), ("1 867 789", 1867789), ("1.083", 1083), ("-45", -45), ("−45", -45), ("(45)", -45),
    ("1 250 000 kr", 1250000), ("12,5", Decimal("12.5")), ("0", 0), ("1\u00a0143", 1143), ("60 tkr", 60),
    ("(107 000) kr", -107000), ('"279 698 kr', 279698), ("167 000'kr", 167000), (":130 340 kr", 130340),
    ("244 057-kr", 244057), ("225.", 225), ("1 000 kr.", 1000), ("644 394 -", 644394), ("- 736000 kr", 736000), ("−57 tkr", -57),
])
def test_amounts(printed, value):
    assert parse_amount(printed) == value


@pytest.mark.parametrize("printed", ["", "abc", "1 2", "12-13", "Budget 2021", None, "1,2,3"])
def test_not_amounts(printed):
    assert parse_amount(printed) is None


def test_tkr_to_kronor():
    assert to_kronor(parse_amount("1 083"), 1000) == 1_083_000
    assert to_kronor(parse_amount("12,5"), 1000) == 12_500
    assert to_kronor(None, 1000) is None


@pytest.mark.parametrize("printed, county", [
    ("Värmland", "Värmlands län"), ("Miljösamverkan Jönköpings län", "Jönköpings län"),
    ("Jonkopings lan", "Jönköpings län"), ("Region Västerbotten", "Västerbottens län"),
    ("Västra Götaland", "Västra Götalands län"), ("Sörmland", "Södermanlands län"), ("Kommunerna", None),
])
def test_counties(printed, county):
    assert canonical_county(printed) == county


def test_longest_county_form_wins():
    [mention] = find_counties("Miljösamverkan Västra Götaland och")
    assert mention.county == "Västra Götalands län"
    assert mention.printed("Miljösamverkan Västra Götaland och") == "Västra Götaland"


@pytest.mark.parametrize("text, partners", [
    ("Länsstyrelsen, åklagare, polis Miljösamverkan och Jönköpings kommun",
     ["Länsstyrelsen", "Åklagare", "Polis", "Miljösamverkan", "Jönköpings kommun"]),
    ("Länets kommuner och Länsstyrelsen. Vetlanda kommun är värdkommun.",
     ["Länets kommuner", "Länsstyrelsen", "Vetlanda kommun"]),
    ("Kommunerna i länet, Miljösamverkan", ["Länets kommuner", "Miljösamverkan"]),
    ("Lanets kommuner, lansstyrelsen, Region Jönköpings län", ["Länets kommuner", "Länsstyrelsen",
                                                              "Region Jönköpings län"]),
    ("Miljösamverkan, Regionens Folkhälsa, Miljömedicin och Trafikverket",
     ["Miljösamverkan", "Regionens Folkhälsa", "Miljömedicin", "Trafikverket"]),
    ("LST, KemI och Naturvårdsverket", ["Länsstyrelsen", "Kemikalieinspektionen", "Naturvårdsverket"]),
    # one plural 'kommuner' after a list names each municipality, in the genitive as printed
    ("Ale, Lerums och Alingsås kommuner samt HaV",
     ["Ale kommun", "Lerums kommun", "Alingsås kommun", "Havs- och vattenmyndigheten"]),
    ("Länsstyrelsen, Tibro och Skövde kommuner", ["Länsstyrelsen", "Tibro kommun", "Skövde kommun"]),
    ("Falu och Borlänge .kommuner, Region Dalarna", ["Falu kommun", "Borlänge kommun", "Region Dalarna"]),
    ("Lilla Edets kommun och Östra Göinge kommun", ["Lilla Edets kommun", "Östra Göinge kommun"]),
    ("Upplands Väsby och Sollentuna kommuner", ["Upplands Väsby kommun", "Sollentuna kommun"]),
    # words that name no municipality, and a plural after a single name, are left to the other rules
    ("Länsstyrelsen och länets kommuner", ["Länsstyrelsen", "Länets kommuner"]),
    ("Berörda kommuner samt Boverket", ["Berörda kommuner", "Boverket"]),
    ("Länets 11 kommuner, Sveriges geologiska undersökning (SGU)", ["Länets kommuner", "SGU"]),
    ("Boverket', «Energimyndigheten", ["Boverket", "Energimyndigheten"]),
    # a hyphenated name broken at a line's end; a speck after 'Region'; 'X- och Y' is one name
    ("Knivsta kommun, Upplands- Bro kommun", ["Knivsta kommun", "Upplands-Bro kommun"]),
    ("Länsstyrelsen, Region. Gävleborg", ["Länsstyrelsen", "Region Gävleborg"]),
    ("Miljö- och hälsoskyddsnämnden samt Eslövs kommun", ["Miljö- och hälsoskyddsnämnden", "Eslövs kommun"]),
    ("", []), (None, []),
])
def test_partners(text, partners):
    assert split_partners(text) == partners


def test_line_end_hyphenation():
    lines = ["arbetet med informations-", "material och miljö-", "och hälsoskydd, kommunernas VA-", "huvudmän"]
    assert [text for text, _ in join_broken_lines(lines)] == [
        "arbetet med informationsmaterial", "och miljö-", "och hälsoskydd, kommunernas VA-huvudmän"]


def test_cut_words_join_only_where_the_layout_cut_them():
    lines = ["Övriga regionala", "miljösamverkansorg", "anisationer i landet"]
    joined = join_broken_lines(lines, cut_by_width=[False, True, False])
    assert joined == [("Övriga regionala", 0), ("miljösamverkansorganisationer", 1), ("i landet", 2)]
    assert join_broken_lines(lines, cut_by_width=[False, False, False]) == [(t, i) for i, t in enumerate(lines)]


def test_clean_text_fixes_ligatures_and_composes_diacritics_but_keeps_quotes():
    assert clean_text("ﬁnansiering ”Stärkt” a\u0308ven") == "finansiering ”Stärkt” även"


@pytest.mark.parametrize("name", ["000_cp1252.txt", "000_utf8_mojibake.txt"])
def test_decoding_gives_the_seed_exactly(name):
    assert decode_text((BAD / name).read_bytes()) == TEXT_000.read_text("utf-8")


def test_page_markers_split_a_text_export():
    text = "Titel\nett\n2 (3)\ntvå\n3 (3)\ntre"
    assert split_pages(text) == ["Titel\nett", "två", "tre"]
    assert split_pages("a\fb") == ["a", "b"]
    assert split_pages("inga sidor 5 (5)") == ["inga sidor 5 (5)"]
