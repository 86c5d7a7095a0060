"""`plans overlap` and `plans export` on a corpus of the fixture plans plus a small plan of another county."""
from __future__ import annotations

import json

import pytest
import sqlite_utils
from click.testing import CliRunner
from PIL import Image

from pipeline.cli import cli
from tests.conftest import FIXTURES, PDF_000, PDF_001

BAD_OCR_004 = FIXTURES / "ocr" / "004_verksamhetsplan_jonkoping_2026-2028_bad-ocr.pdf"
OSTERGOTLAND = """Verksamhetsplan för Miljösamverkan Östergötland 2024

Aktiviteter 2024

Projekt\tSyfte\tInnehåll\tTidplan\tAnsvarig\tMedverkande
Enskilda avlopp\tSkapa enhetliga bedömningar av små avlopps miljöpåverkan i länet.\tOrdna en träff för inspektörer som arbetar med små avlopp.\tVåren 2024\tSamordnaren\tLänets kommuner, Länsstyrelsen
Styrgruppsmöten\tStyrning av miljösamverkan.\tKalla till styrgruppsmöten.\t4 gånger per år\tSamordnaren\tLänets kommuner
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, stage_cache):
    folder = tmp_path_factory.mktemp("overlap")
    plan = folder / "ostergotland_2024.txt"
    plan.write_text(OSTERGOTLAND, encoding="utf-8")
    db_path = folder / "corpus.db"
    result = CliRunner().invoke(cli, ["import", str(PDF_001), str(PDF_000), str(BAD_OCR_004), str(plan),
                                      "--db", str(db_path), "--cache-dir", str(stage_cache)])
    assert result.exit_code == 0, result.output
    return db_path


def test_overlap_json(corpus):
    result = CliRunner().invoke(cli, ["overlap", "--db", str(corpus), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    cells = {(c["theme"], c["county"], c["year"]): c["activities"] for c in data["matrix"]}
    assert cells[("small_sewage", "Jönköpings län", 2021)] == 1
    assert cells[("small_sewage", "Jönköpings län", 2026)] == 1
    assert cells[("small_sewage", "Östergötlands län", 2024)] == 1
    shared = {s["theme"]: s for s in data["shared_themes"]}
    assert shared["small_sewage"]["counties"] == ["Jönköpings län", "Östergötlands län"]
    assert shared["small_sewage"]["years"] == [2021, 2022, 2024, 2026]
    assert shared["steering_group"]["counties"] == ["Jönköpings län", "Östergötlands län"]
    sewage_pairs = [(p["a"]["title"], p["b"]["title"]) for p in data["pairs"] if p["theme"] == "small_sewage"]
    assert ("Miljöskyddsinspektörer med ansvar för små avlopp", "Enskilda avlopp") in sewage_pairs
    similar = [(p["a"]["title"], p["b"]["title"]) for p in data["similar"]]
    assert any("Enskilda avlopp" in pair and "Miljöskyddsinspektörer med ansvar för små avlopp" in pair
               for pair in similar)


def test_overlap_filters_and_csv(corpus):
    result = CliRunner().invoke(cli, ["overlap", "--db", str(corpus), "--theme", "small_sewage", "--from", "2022",
                                      "--to", "2026", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["theme,county,year,activities",
                                          "small_sewage,Jönköpings län,2022,1",
                                          "small_sewage,Jönköpings län,2026,1",
                                          "small_sewage,Östergötlands län,2024,1"]
    one_county = CliRunner().invoke(cli, ["overlap", "--db", str(corpus), "--county", "Värmlands län",
                                          "--format", "json"])
    assert {c["county"] for c in json.loads(one_county.output)["matrix"]} == {"Värmlands län"}


def test_overlap_table_and_heatmap(corpus, tmp_path):
    png = tmp_path / "heatmap.png"
    result = CliRunner().invoke(cli, ["overlap", "--db", str(corpus), "--plot", str(png)])
    assert result.exit_code == 0, result.output
    assert "Themes shared by two or more counties" in result.output
    assert "small_sewage" in result.output
    with Image.open(png) as image:
        width, height = image.size
        assert image.format == "PNG" and width >= 500 and height >= 600
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 20  # a drawn chart, not a blank canvas


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export(corpus, tmp_path, fmt):
    import pandas as pd
    result = CliRunner().invoke(cli, ["export", "--db", str(corpus), "--format", fmt, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    read = {"csv": pd.read_csv, "parquet": pd.read_parquet, "xlsx": pd.read_excel}[fmt]
    activities = read(tmp_path / f"activities.{fmt}")
    budget = read(tmp_path / f"budget_lines.{fmt}")
    db = sqlite_utils.Database(corpus)
    assert len(activities) == db.table("activities").count and len(budget) == db.table("budget_lines").count
    sewage = activities[activities["title"] == "Enskilda avlopp"].iloc[0]
    assert sewage["county"] == "Östergötlands län" and sewage["themes"] == "small_sewage"
    assert sewage["partners"] == "Länets kommuner; Länsstyrelsen"
    assert set(budget["amount_sek"]) >= {1_083_000, 1_143_000}


def test_overlap_says_when_nothing_matches_and_lists_the_themes_or_counties_there_are(corpus, tmp_path):
    png = tmp_path / "none.png"
    nothing = CliRunner().invoke(cli, ["overlap", "--db", str(corpus), "--county", "Skåne", "--plot", str(png)])
    assert nothing.exit_code == 0 and "Traceback" not in nothing.output
    assert nothing.output.splitlines()[0] == "no activities match these filters"
    assert "no heatmap written" in nothing.output and not png.exists()
    empty = CliRunner().invoke(cli, ["overlap", "--db", str(corpus), "--theme", "pfas", "--from", "2030",
                                     "--format", "json"])
    assert empty.exit_code == 0 and json.loads(empty.output)["matrix"] == []
    theme = CliRunner().invoke(cli, ["overlap", "--db", str(corpus), "--theme", "avlopp"])
    assert theme.exit_code == 2 and "no theme 'avlopp'; the themes are: agriculture," in theme.output
    assert "small_sewage" in theme.output
    county = CliRunner().invoke(cli, ["overlap", "--db", str(corpus), "--county", "Atlantis"])
    assert county.exit_code == 2 and "no county 'Atlantis'; the counties are: Stockholms län," in county.output


def test_overlap_on_a_corpus_without_themed_activities(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("Verksamhetsplan för Miljösamverkan Skåne 2024\n\nInledning\n\nSamverkan fortsätter.\n",
                    encoding="utf-8")
    db_path = tmp_path / "c.db"
    assert CliRunner().invoke(cli, ["import", str(plan), "--db", str(db_path)]).exit_code == 0
    result = CliRunner().invoke(cli, ["overlap", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "no activities match a theme (the corpus has no themed activities)"
