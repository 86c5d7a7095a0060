"""One regression test per table layout family, on small born-digital plans written by tests/layouts.py:
columns found from how words line up, headers by meaning, budgets with a column per year."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.run import process_file
from tests import layouts

TITLES = ["Tillsyn av hästgårdar", "Förorenade områden i planeringen", "Radon i skolor"]


def _plan(tmp_path, name: str, data: bytes):
    return process_file(layouts.write(tmp_path / f"{name}.pdf", data)).plan


@pytest.mark.parametrize("style", ["none", "rules", "zebra"], ids=["unruled", "rules-between-rows", "zebra"])
def test_activity_table_without_vertical_rules(tmp_path, style):
    plan = _plan(tmp_path, style, layouts.unruled_activities(style))
    assert (plan.title, plan.doc_type, plan.year_from) == ("Verksamhetsplan 2024 för Miljösamverkan Sydlän",
                                                          "verksamhetsplan", 2024)
    assert [a.title for a in plan.activities] == TITLES
    assert [(a.plan_year, a.timing_text, a.responsible) for a in plan.activities] == [
        (2024, "Våren 2024", "Samordnaren"), (2024, "September 2024", "Arbetsgruppen"),
        (2024, "Q4 2024", "Miljöchefsgruppen")]
    first = plan.activities[0]
    assert first.goal == "Färre läckage av gödsel till vattendrag."           # a wrapped cell is one value
    assert first.partners == ("Länsstyrelsen", "Länets kommuner")
    assert (first.period_start, first.period_end) == ("2024-01-01", "2024-06-30")
    assert plan.budget_lines == ()


def test_category_column_before_the_title(tmp_path):
    plan = _plan(tmp_path, "category", layouts.category_column_title_second())
    assert [(a.category, a.title, a.timing_text) for a in plan.activities] == [
        ("Hälsoskydd", "Bassängbad och egenkontroll", "Mars 2023"),
        ("Hälsoskydd", "Tatuering och piercing", "Hösten 2023"),
        ("Miljöskydd", "Små avlopp i känsliga områden", "Maj 2023")]
    assert {a.plan_year for a in plan.activities} == {2023}


def test_table_going_on_without_its_header_on_the_next_page(tmp_path):
    plan = _plan(tmp_path, "continued", layouts.header_not_repeated())
    assert [(a.title, a.page_from) for a in plan.activities] == [
        ("Tillsyn av hästgårdar", 1), ("Förorenade områden i planeringen", 1),
        ("Nedskräpning vid återvinningsstationer", 2), ("Köldmedier i butiker", 2)]
    assert plan.activities[2].partners == ("Avfall Sverige",)


@pytest.mark.parametrize("unit_in", ["header", "sentence"])
def test_budget_with_a_column_per_year_in_tkr(tmp_path, unit_in):
    plan = _plan(tmp_path, unit_in, layouts.multi_year_budget(unit_in))
    assert plan.activities == ()
    lines = [(b.budget_year, b.section, b.label, b.amount_sek, b.is_total) for b in plan.budget_lines]
    assert lines == [
        (2025, "income", "Medlemsavgifter", 1_250_000, False), (2026, "income", "Medlemsavgifter", 1_300_000, False),
        (2025, "income", "Bidrag från Länsstyrelsen", 120_500, False),       # decimal comma in tkr
        (2026, "income", "Bidrag från Länsstyrelsen", 130_000, False),
        (2025, "income", "Summa intäkter", 1_370_500, True), (2026, "income", "Summa intäkter", 1_430_000, True),
        (2025, "cost", "Lön samordnare", 1_200_000, False), (2026, "cost", "Lön samordnare", 1_250_000, False),
        (2025, "cost", "Återbetalning till kommunerna", -30_000, False),    # '(30)'
        (2026, "cost", "Återbetalning till kommunerna", -20_000, False),
        (2025, "cost", "Resor", 200_500, False), (2026, "cost", "Resor", 200_000, False),
        (2025, "cost", "Summa kostnader", 1_370_500, True), (2026, "cost", "Summa kostnader", 1_430_000, True),
        (2025, "result", "Resultat", 0, True), (2026, "result", "Resultat", 0, True)]
    assert [b.amount_text for b in plan.budget_lines][:3] == ["1 250", "1 300", "120,5"]
    assert not [w for w in plan.warnings if w.startswith("budget")]      # it adds up


def test_month_grid_is_a_schedule_not_activities(tmp_path):
    plan = _plan(tmp_path, "grid", layouts.month_grid())
    assert [(a.title, a.timing_text) for a in plan.activities] == [
        ("Nyhetsbrev till inspektörer", "Varje månad"), ("Webbinarium om köldmedier", "Oktober 2021")]
    assert plan.activities[0].frequency_per_year == 12


def test_a_table_nothing_reads_is_named_and_the_document_says_it_has_no_activities(tmp_path):
    path = layouts.write(tmp_path / "contacts.pdf", layouts.contact_list())
    plan = process_file(path).plan
    assert plan.activities == () and plan.budget_lines == ()
    assert "page 1: table with 3 columns not recognised: Kommun | Kontaktperson | E-post" in plan.warnings
    assert plan.coverage_note == "1 table, none read as an activity table"
    db = tmp_path / "corpus.db"
    imported = CliRunner().invoke(cli, ["import", str(path), "--db", str(db)])
    assert "1 table, none read as an activity table" in imported.output
    report = CliRunner().invoke(cli, ["report", "--db", str(db)])
    assert "Documents with tables but no activities" in report.output
    assert "contacts.pdf  1 table, none read as an activity table" in report.output


NUMBERED = [("Kompetensutveckling", "Temadag om radon", "Löpande under året"),
            ("Tillsynsprojekt", "Tankstationer och spillzoner", "Vid behov"),
            ("Tillsynsprojekt", "Badvattenkontroll vid strandbad", "Dec 2026"),
            ("Tillsynsprojekt", "Tillsyn av täkter", "7-9 maj 2026"),
            ("Nätverk", "Inspektörsträffar", "Tre gånger per år")]


def test_numbered_list_under_section_headings_and_the_paragraph_after_it(tmp_path):
    """Section headings flush left over the numbers reach across the title column; the paragraph
    after the table, whose first word happens to end before the next column, is not a row."""
    plan = _plan(tmp_path, "numbered", layouts.numbered_sections())
    assert [(a.category, a.title, a.timing_text) for a in plan.activities] == NUMBERED
    assert {a.plan_year for a in plan.activities} == {2026}


LEADER_LINES = [(2024, "income", "Medlemsavgifter", 779_013, False),
                (2024, "income", "Bidrag från Länsstyrelsen", 211_919, False),
                (2024, "income", "Summa intäkter", 990_932, True),
                (2024, "cost", "Personalkostnader samordnare", 644_394, False),
                (2024, "cost", "Administration", 152_866, False),
                (2024, "cost", "Trycksaker och webbplats", 83_413, False),
                (2024, "cost", "Summa kostnader", 880_673, True),
                (2024, "result", "Årets resultat", 110_259, True)]


def test_budget_lines_with_dot_leaders_and_the_table_after_them(tmp_path):
    """Leaders are no part of a label; the activity table below, of other columns, is a table of
    its own, not rows of the budget."""
    plan = _plan(tmp_path, "leaders", layouts.budget_with_leaders())
    assert [(b.budget_year, b.section, b.label, b.amount_sek, b.is_total) for b in plan.budget_lines] == LEADER_LINES
    assert [(a.title, a.timing_text) for a in plan.activities] == [("Tillsyn av bassängbad", "Maj 2024"),
                                                                   ("Radon i flerbostadshus", "Hösten 2024")]


YEARS_OVER_FIGURES = [("Medlemsavgifter", [1_357_000, 1_501_000, 1_606_000]),
                      ("Bidrag från Länsstyrelsen", [49_000, 52_000, 59_000]),
                      ("Summa intäkter", [1_406_000, 1_553_000, 1_665_000]),
                      ("Lön och sociala avgifter", [1_060_000, 1_150_000, 1_200_000]),
                      ("Resor", [346_000, 403_000, 465_000]),
                      ("Totala kostnader", [1_406_000, 1_553_000, 1_665_000])]


def test_budget_whose_header_names_the_years_over_the_figures_alone(tmp_path):
    plan = _plan(tmp_path, "years", layouts.budget_years_over_figures())
    assert plan.title == "Verksamhetsplan 2018-2019 för Miljösamverkan Sydlän"
    by_label: dict[str, list[int]] = {}
    for line in plan.budget_lines:
        by_label.setdefault(line.label, []).append(line.amount_sek)
    assert list(by_label.items()) == YEARS_OVER_FIGURES
    assert [b.budget_year for b in plan.budget_lines[:3]] == [2018, 2019, 2020]


def test_budget_set_tight_and_ruled_only_above_and_below(tmp_path):
    """A row per line, figures wider than the years over them, a loss as '(107 061) kr'."""
    plan = _plan(tmp_path, "tight", layouts.budget_ruled_above_and_below())
    lines = [(b.budget_year, b.label, b.amount_sek, b.section, b.is_total) for b in plan.budget_lines]
    assert len(lines) == 2 * len(layouts.TIGHT_BUDGET)
    assert lines[:4] == [(2021, "Medlemsavgifter", 1_121_283, "income", False),
                         (2022, "Medlemsavgifter", 1_108_910, "income", False),
                         (2021, "Deltagaravgifter", 215_939, "income", False),
                         (2022, "Deltagaravgifter", 209_452, "income", False)]
    assert lines[-2:] == [(2021, "Årets resultat", -107_061, "result", True),
                          (2022, "Årets resultat", -106_548, "result", True)]
    assert [line[1] for line in lines[::2]] == [row[0] for row in layouts.TIGHT_BUDGET]


def test_budget_whose_rows_go_on_over_a_page_break_without_the_header(tmp_path):
    plan = _plan(tmp_path, "broken", layouts.budget_over_a_page_break())
    lines = [(b.page, b.budget_year, b.label, b.amount_sek, b.section) for b in plan.budget_lines]
    assert lines[4:6] == [(1, 2023, "Samordnare", 900_000, "cost"), (1, 2024, "Samordnare", 950_000, "cost")]
    assert lines[6:] == [(2, 2023, "Resor", 150_000, "cost"), (2, 2024, "Resor", 160_000, "cost"),
                         (2, 2023, "Utbildningar", 200_000, "cost"), (2, 2024, "Utbildningar", 190_000, "cost"),
                         (2, 2023, "Summa kostnader", 1_250_000, "cost"),
                         (2, 2024, "Summa kostnader", 1_300_000, "cost")]
    assert [b.ordinal for b in plan.budget_lines] == list(range(1, 13))
    assert not [w for w in plan.warnings if "not recognised" in w]


def test_a_row_broken_over_a_page_goes_on_under_the_columns_of_the_page_before(tmp_path):
    plan = _plan(tmp_path, "rowbreak", layouts.row_broken_over_a_page())
    assert [a.title for a in plan.activities] == [*TITLES[:2], "Cisterner vid bensinstationer",
                                                  *(row[0] for row in layouts.BROKEN_ROWS)]
    broken = plan.activities[2]
    assert (broken.goal, broken.partners_text) == ("Färre läckor från gamla cisterner i mark.",
                                                   "Räddningstjänsten och kommunerna")
    assert (broken.page_from, broken.page_to) == (1, 2)
    assert [a.timing_text for a in plan.activities[3:]] == ["Juni 2022", "Hösten 2022"]


def test_rows_as_close_as_a_cells_lines_split_where_a_title_starts_not_where_it_wraps(tmp_path):
    plan = _plan(tmp_path, "close", layouts.rows_set_close())
    assert [(a.title, a.goal, a.timing_text) for a in plan.activities] == [
        (row[0], row[1], row[2]) for row in layouts.CLOSE_ROWS]
