"""End to end in a real browser: `plans serve` on a free localhost port, headless Debian Chromium
driven by Playwright (no browser download), the activities view faceted by county."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import PDF_000, PDF_001, TEXT_001
from tests.serving import CHROMIUM, FLAGS, serving

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                 reason="Debian chromium is not installed (make system-deps installs it)")]


@pytest.fixture()
def server(tmp_path):
    db_path = tmp_path / "corpus.db"
    result = CliRunner().invoke(cli, ["import", str(PDF_001), str(PDF_000), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    with serving(db_path) as url:
        yield url


GOTLAND_BUDGET = """Verksamhetsplan för Miljösamverkan Gotland 2023

Aktivitet\tMålgrupp\tTid
Enskilda avloppen i länet\tInspektörer\tHösten 2023

Budget 2023 (tkr)

Post\tBelopp
Intäkter\t
Medlemsavgifter\t420
Summa intäkter\t420
Kostnader\t
Löner\t420
Summa kostnader\t420
"""


@pytest.fixture()
def two_counties(tmp_path, stage_cache):
    """001 (Jönköping, a budget for 2021) and a Gotland plan with its own budget: charts of two bars."""
    (tmp_path / "gotland.txt").write_text(GOTLAND_BUDGET, encoding="utf-8")
    db_path = tmp_path / "corpus.db"
    result = CliRunner().invoke(cli, ["import", str(TEXT_001), str(tmp_path / "gotland.txt"), "--db", str(db_path),
                                      "--cache-dir", str(stage_cache)])
    assert result.exit_code == 0, result.output
    with serving(db_path) as url:
        yield url


def test_activities_view_faceted_by_county_in_chromium(server, tmp_path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server}/corpus/activities_view?county=J%C3%B6nk%C3%B6pings+l%C3%A4n"
                  "&plan_year=2021&_sort=ordinal")
        page.wait_for_selector("table.rows-and-columns tbody tr")
        rows = page.locator("table.rows-and-columns tbody tr")
        assert rows.count() == 25
        titles = page.locator("table.rows-and-columns tbody td.col-title").all_inner_texts()
        assert "Styrgruppsmöten" in titles and "Köldmedia på bilverkstäder" in titles
        facet = page.locator('.facet-info[data-column="county"]').first.inner_text()
        assert "Jönköpings län" in facet and "25" in facet
        assert "25 rows" in page.inner_text("h3")
        screenshot = tmp_path / "activities-view.png"
        page.screenshot(path=str(screenshot), full_page=True, clip={"x": 0, "y": 0, "width": 1400, "height": 1600})
        browser.close()
    assert screenshot.stat().st_size > 20_000


def test_an_activity_links_to_its_page_image_with_its_row_outlined_in_chromium(server, tmp_path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server}/corpus/activities_view?title=K%C3%B6ldmedia+p%C3%A5+bilverkst%C3%A4der")
        page.wait_for_selector("table.rows-and-columns tbody tr")
        row = page.locator("table.rows-and-columns tbody tr")
        assert row.count() == 1
        row.locator("td.col-page_from a.source-link").click()
        page.wait_for_selector("h1")
        assert page.inner_text("h1") == "Köldmedia på bilverkstäder"
        image = page.locator("img.page-image")
        image.wait_for()
        page.wait_for_function("document.querySelector('img.page-image').complete"
                               " && document.querySelector('img.page-image').naturalWidth > 0")
        assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [1191, 1684]
        outline = page.locator(".page-frame .row-box")
        assert outline.is_visible()
        assert outline.evaluate("box => getComputedStyle(box).borderTopWidth") == "3px"
        shown, box = image.bounding_box(), outline.bounding_box()
        x0, top, x1, bottom = map(float, outline.get_attribute("data-box").split(","))
        scale = shown["width"] / 595.3     # the page is A4, 595.3 points wide, as the image is shown
        assert box["x"] == pytest.approx(shown["x"] + x0 * scale, abs=2)
        assert box["y"] == pytest.approx(shown["y"] + top * scale, abs=2)
        assert box["width"] == pytest.approx((x1 - x0) * scale, abs=2)
        assert box["height"] == pytest.approx((bottom - top) * scale, abs=2)
        assert shown["y"] < box["y"] < box["y"] + box["height"] < shown["y"] + shown["height"]
        screenshot = tmp_path / "source-page.png"
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    assert screenshot.stat().st_size > 50_000
    assert len(list((tmp_path / "cache" / "pages").iterdir())) == 1   # `plans serve` cached the page beside the corpus


def test_the_first_screen_of_the_activities_view_shows_rows_and_queries_offer_choices_in_chromium(server):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{server}/corpus/activities_view")
        page.wait_for_selector("table.rows-and-columns tbody tr")
        boxes = [row.bounding_box() for row in page.locator("table.rows-and-columns tbody tr").all()]
        assert sum(1 for box in boxes if box and box["y"] + box["height"] <= 900) >= 10
        assert page.locator("details.column-descriptions-toggle dl.column-descriptions").count() == 1
        assert not page.locator("dl.column-descriptions").is_visible()
        title_header = page.locator('th[data-column="title"]')
        assert title_header.get_attribute("title").startswith("AKTIVITET / UTVECKLINGSOMRÅDE")
        first = page.locator("table.rows-and-columns tbody tr").first
        assert first.locator("td.col-county").inner_text() == "Jönköpings län"   # sorted by county, year, ordinal
        assert first.locator("td.col-ordinal").inner_text() == "1"
        page.goto(f"{server}/corpus/activities_by_theme")
        page.wait_for_selector('select[name="theme"] option[value="small_sewage"]', state="attached")
        assert page.locator('select[name="theme"] option[value="small_sewage"]').inner_text() == \
            "Små avlopp (small_sewage)"
        page.select_option('select[name="theme"]', "small_sewage")
        page.locator("form.sql input[type=submit]").click()
        page.wait_for_selector("table.rows-and-columns tbody tr")
        titles = page.locator("table.rows-and-columns tbody td.col-title").all_inner_texts()
        assert "Miljöskyddsinspektörer med ansvar för små avlopp" in titles
        browser.close()


def test_budget_and_theme_charts_draw_with_no_network_in_chromium(two_counties):
    server = two_counties
    """datasette-vega draws from its own bundle: the chart links of the canned queries give a chart,
    and the browser asks nothing of any host but the server."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        elsewhere: list[str] = []
        page.on("request", lambda request: None if request.url.startswith(server) else elsewhere.append(request.url))
        for query, link in (("budget_by_county_year", "income per county and year"),
                            ("themes_per_year", "activities per theme and year")):
            page.goto(f"{server}/corpus/{query}")
            page.wait_for_selector("table.rows-and-columns tbody tr")
            page.get_by_text(link).click()
            chart = page.locator(".vega-embed canvas, .vega-embed svg").first
            chart.wait_for(state="attached", timeout=15_000)
            box = chart.bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 100, query
        browser.close()
    assert elsewhere == []
