"""Scans the tests make themselves from the born-digital layout plans (tests/layouts.py): rendered,
turned a little, noised, and for the fax-like one thresholded to 1 bit, then wrapped as image-only
PDFs. What OCR reads back must be what the born-digital plan says: titles, amounts, line order."""
from __future__ import annotations

import io

import numpy as np
import pypdfium2
import pytest
from PIL import Image

from pipeline.run import process_file
from tests import layouts
from tests.test_layouts import LEADER_LINES, TITLES, YEARS_OVER_FIGURES

pytestmark = pytest.mark.slow


def scan_of(pdf: bytes, *, dpi: int = 300, skew: float = 1.5, noise: float = 12.0, one_bit: bool = False,
            turn: int = 0, seed: int = 7) -> bytes:
    """An image-only PDF of the pages of `pdf`, as a scanner would make it (`turn`: degrees the
    sheet went in turned counter-clockwise)."""
    random = np.random.default_rng(seed)
    pages = []
    for page in pypdfium2.PdfDocument(pdf):
        grey = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        grey = grey.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255).rotate(turn, expand=True)
        pixels = np.asarray(grey, dtype=np.float32) * 0.92 + random.normal(0, noise, grey.size[::-1])
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        pages.append(image.point(lambda v: 255 if v > 150 else 0).convert("1") if one_bit else image)
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()


def _import(tmp_path, name: str, data: bytes):
    return process_file(layouts.write(tmp_path / f"{name}.pdf", data))


def test_a_skewed_noisy_grey_scan_of_an_unruled_plan(tmp_path):
    processed = _import(tmp_path, "grey", scan_of(layouts.unruled_activities(), skew=1.5))
    plan = processed.plan
    assert processed.document.pages[0].method == "ocr"
    assert (plan.title, plan.doc_type, plan.year_from) == ("Verksamhetsplan 2024 för Miljösamverkan Sydlän",
                                                          "verksamhetsplan", 2024)
    assert [a.title for a in plan.activities] == TITLES
    assert [a.timing_text for a in plan.activities] == ["Våren 2024", "September 2024", "Q4 2024"]
    lines = processed.document.pages[0].text.splitlines()
    # the paragraph's short words on their own lines, not on lines of their own
    assert ("Miljösamverkan Sydlän samordnar tillsynen i länets kommuner. Planen beskriver årets gemensamma "
            "projekt och hur") in lines


def test_a_one_bit_scan_of_a_budget_in_tkr(tmp_path):
    plan = _import(tmp_path, "fax", scan_of(layouts.multi_year_budget(), skew=-1.0, noise=8.0, one_bit=True)).plan
    assert plan.title == "Verksamhetsplan 2025-2026 för Miljösamverkan Sydlän"
    lines = [(b.budget_year, b.label, b.amount_sek) for b in plan.budget_lines]
    assert lines == [
        (2025, "Medlemsavgifter", 1_250_000), (2026, "Medlemsavgifter", 1_300_000),
        (2025, "Bidrag från Länsstyrelsen", 120_500), (2026, "Bidrag från Länsstyrelsen", 130_000),
        (2025, "Summa intäkter", 1_370_500), (2026, "Summa intäkter", 1_430_000),
        (2025, "Lön samordnare", 1_200_000), (2026, "Lön samordnare", 1_250_000),
        (2025, "Återbetalning till kommunerna", -30_000), (2026, "Återbetalning till kommunerna", -20_000),
        (2025, "Resor", 200_500), (2026, "Resor", 200_000),
        (2025, "Summa kostnader", 1_370_500), (2026, "Summa kostnader", 1_430_000),
        (2025, "Resultat", 0), (2026, "Resultat", 0)]


def test_a_page_scanned_on_its_side_is_turned_upright(tmp_path):
    processed = _import(tmp_path, "turned", scan_of(layouts.unruled_activities(), skew=0.5, turn=90))
    assert processed.plan.title == "Verksamhetsplan 2024 för Miljösamverkan Sydlän"
    assert [a.title for a in processed.plan.activities] == TITLES


def test_a_scan_of_budget_lines_with_dot_leaders(tmp_path):
    """Tesseract reads a leader as letters and damages the label beside it; with the leaders wiped
    and the lines read again, labels and amounts come back whole."""
    plan = _import(tmp_path, "leaders", scan_of(layouts.budget_with_leaders(), skew=1.2)).plan
    assert plan.title == "Verksamhetsberättelse 2024 för Miljösamverkan Sydlän"
    assert [(b.budget_year, b.section, b.label, b.amount_sek, b.is_total) for b in plan.budget_lines] == LEADER_LINES
    assert [a.title for a in plan.activities] == ["Tillsyn av bassängbad", "Radon i flerbostadshus"]


def test_a_scan_of_a_budget_whose_header_names_the_years_over_the_figures(tmp_path):
    plan = _import(tmp_path, "years", scan_of(layouts.budget_years_over_figures(), skew=0.8)).plan
    # the heading under the title ('Budget 2018') is not the title's: the title has its years
    assert plan.title == "Verksamhetsplan 2018-2019 för Miljösamverkan Sydlän"
    assert [(b.budget_year, b.label) for b in plan.budget_lines[:3]] == [
        (2018, "Medlemsavgifter"), (2019, "Medlemsavgifter"), (2020, "Medlemsavgifter")]
    assert {b.label for b in plan.budget_lines} == {label for label, _ in YEARS_OVER_FIGURES}
    assert {b.unit_multiplier for b in plan.budget_lines} == {1000}      # 'Alla belopp i tusentals kronor'



def test_a_scan_of_a_budget_set_tight_and_ruled_only_above_and_below(tmp_path):
    plan = _import(tmp_path, "tight", scan_of(layouts.budget_ruled_above_and_below(), skew=-1.2)).plan
    lines = [(b.budget_year, b.label, b.amount_sek) for b in plan.budget_lines]
    assert [label for _, label, _ in lines[::2]] == [row[0] for row in layouts.TIGHT_BUDGET]
    assert lines[:2] == [(2021, "Medlemsavgifter", 1_121_283), (2022, "Medlemsavgifter", 1_108_910)]
    assert lines[-2:] == [(2021, "Årets resultat", -107_061), (2022, "Årets resultat", -106_548)]


def test_a_scan_of_a_budget_going_on_over_a_page_break_without_its_header(tmp_path):
    plan = _import(tmp_path, "broken", scan_of(layouts.budget_over_a_page_break(), skew=1.0)).plan
    assert [(b.page, b.budget_year, b.label, b.amount_sek) for b in plan.budget_lines[6:]] == [
        (2, 2023, "Resor", 150_000), (2, 2024, "Resor", 160_000), (2, 2023, "Utbildningar", 200_000),
        (2, 2024, "Utbildningar", 190_000), (2, 2023, "Summa kostnader", 1_250_000),
        (2, 2024, "Summa kostnader", 1_300_000)]


def test_a_scan_of_a_row_broken_over_a_page(tmp_path):
    plan = _import(tmp_path, "rowbreak", scan_of(layouts.row_broken_over_a_page(), skew=-0.8)).plan
    assert [a.title for a in plan.activities][2:] == ["Cisterner vid bensinstationer",
                                                      *(row[0] for row in layouts.BROKEN_ROWS)]
    assert plan.activities[2].goal == "Färre läckor från gamla cisterner i mark."


def test_a_scan_of_rows_set_as_close_as_a_cells_lines(tmp_path):
    plan = _import(tmp_path, "close", scan_of(layouts.rows_set_close(), skew=1.2)).plan
    assert [a.title for a in plan.activities] == [row[0] for row in layouts.CLOSE_ROWS]


def test_a_scan_of_a_schedule_keeps_its_marks_and_is_no_activity_table(tmp_path):
    processed = _import(tmp_path, "schedule", scan_of(layouts.month_grid(), skew=1.0))
    assert [a.title for a in processed.plan.activities] == ["Nyhetsbrev till inspektörer", "Webbinarium om köldmedier"]
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in processed.document.pages[0].text.splitlines()
            if "\t" in line}
    assert rows["Nyhetsbrev till inspektörer"][-12:] == ["X"] * 12
    assert rows["Webbinarium om köldmedier"][-12:] == [""] * 9 + ["X", "", ""]
