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
    names = ["documents", "activities", "activity_themes", "activity_partners", "budget_lines", "pages_without_text"]
    if fmt == "xlsx":
        assert result.output.splitlines() == [str(tmp_path / "corpus.xlsx")]
        tables = pd.read_excel(tmp_path / "corpus.xlsx", sheet_name=None, dtype={"id": str, "activity_id": str})
        assert list(tables) == names
    else:
        assert result.output.splitlines() == [str(tmp_path / f"{name}.{fmt}") for name in names]
        read = pd.read_csv if fmt == "csv" else pd.read_parquet
        tables = {name: read(tmp_path / f"{name}.{fmt}") for name in names}
    activities, budget = tables["activities"], tables["budget_lines"]
    db = sqlite_utils.Database(corpus)
    assert len(activities) == db.table("activities").count and len(budget) == db.table("budget_lines").count
    assert len(tables["documents"]) == db.table("documents").count
    assert len(tables["activity_themes"]) == db.table("activity_themes").count
    assert len(tables["activity_partners"]) == db.table("activity_partners").count
    sewage = activities[activities["title"] == "Enskilda avlopp"].iloc[0]
    assert sewage["county"] == "Östergötlands län" and sewage["themes"] == "small_sewage"
    assert sewage["partners"] == "Länets kommuner; Länsstyrelsen"
    assert set(budget["amount_sek"]) >= {1_083_000, 1_143_000}
    # ids survive exactly, in every format: the 18-digit ones a float would round
    ids = {str(row["id"]) for row in db.query("select id from activities")}
    assert {str(i) for i in activities["id"]} == ids
    assert {str(i) for i in tables["activity_themes"]["activity_id"]} <= ids
    themed = tables["activity_themes"]
    sewage_rows = themed[themed["theme"] == "small_sewage"]
    assert len(sewage_rows) == db.execute("select count(*) from activity_themes where theme = 'small_sewage'").fetchone()[0] == 4
    assert set(sewage_rows["theme_label"]) == {"Små avlopp"}


def test_export_types(corpus, tmp_path):
    """The workbook holds ids as text, dates as dates and amounts as whole numbers; Parquet the same
    typed; CSV begins with the byte-order mark Excel on Windows needs (--no-bom leaves it out)."""
    import datetime

    import pyarrow.parquet as pq
    from openpyxl import load_workbook
    for fmt in ("xlsx", "parquet", "csv"):
        assert CliRunner().invoke(cli, ["export", "--db", str(corpus), "--format", fmt,
                                        "--out", str(tmp_path)]).exit_code == 0
    book = load_workbook(tmp_path / "corpus.xlsx", read_only=True)
    sheet = book["activities"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    rows = [dict(zip(header, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert all(isinstance(row["id"], str) and row["id"].lstrip("-").isdigit() for row in rows)
    dated = [row for row in rows if row["period_start"] is not None]
    assert dated and all(isinstance(row["period_start"], datetime.datetime) for row in dated)
    budget = book["budget_lines"]
    header = [cell.value for cell in next(budget.iter_rows(max_row=1))]
    amounts = [row[header.index("amount_sek")].value for row in budget.iter_rows(min_row=2)]
    assert amounts and all(isinstance(amount, int) for amount in amounts)
    schema = pq.read_schema(tmp_path / "activities.parquet")
    assert str(schema.field("id").type) == "int64" and str(schema.field("period_start").type) == "date32[day]"
    assert str(pq.read_schema(tmp_path / "budget_lines.parquet").field("amount_sek").type) == "int64"
    assert (tmp_path / "activities.csv").read_bytes().startswith(b"\xef\xbb\xbfid,county,")
    assert CliRunner().invoke(cli, ["export", "--db", str(corpus), "--no-bom", "--out", str(tmp_path)]).exit_code == 0
    assert (tmp_path / "activities.csv").read_bytes().startswith(b"id,county,")


def _all_labels_inside(figure) -> None:
    figure.canvas.draw()
    renderer, inside = figure.canvas.get_renderer(), figure.bbox
    axes = figure.axes[0]
    for label in [*axes.get_xticklabels(), *axes.get_yticklabels(), axes.title, figure.axes[1].yaxis.label]:
        box = label.get_window_extent(renderer)
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1, label


def test_heatmap_labels_never_meet_and_nothing_is_cut_off(tmp_path):
    """21 counties over 3 years and every theme: the tick labels' boxes, as drawn, do not overlap,
    and every label, the title and the colour bar's label lie inside the figure."""
    import itertools

    import pandas as pd

    from normalizers.counties import county_names
    from normalizers.themes import themes
    from pipeline.overlap import Overlap, heatmap, heatmap_figure
    columns = pd.MultiIndex.from_tuples([(c, y) for c in county_names() for y in (2021, 2022, 2023)],
                                        names=["county", "year"])
    ids = [t.id for t in themes()]
    matrix = pd.DataFrame([[(i + j) % 4 for j in range(len(columns))] for i in range(len(ids))], index=ids,
                          columns=columns)
    _all_labels_inside(heatmap_figure(Overlap(matrix=matrix.iloc[:, :4]), dpi=150))   # few columns, long rows
    figure = heatmap_figure(Overlap(matrix=matrix), width=400, dpi=100)
    _all_labels_inside(figure)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    axes = figure.axes[0]
    inside = figure.bbox
    for ticks, count in ((axes.get_xticklabels(), len(columns)), (axes.get_yticklabels(), len(ids))):
        boxes = [label.get_window_extent(renderer) for label in ticks if label.get_text()]
        assert len(boxes) == count
        for one, other in itertools.combinations(boxes, 2):
            assert not one.overlaps(other)
        assert all(inside.x0 <= b.x0 and b.x1 <= inside.x1 and inside.y0 <= b.y0 and b.y1 <= inside.y1 for b in boxes)
    colour_label = figure.axes[1].yaxis.label
    assert colour_label.get_text() == "aktiviteter"
    box = colour_label.get_window_extent(renderer)
    assert inside.x0 <= box.x0 and box.x1 <= inside.x1
    assert axes.get_title() == "Aktiviteter per tema, län och planår"
    assert figure.get_figwidth() * 100 > 400      # the width asked for was too narrow for 63 columns
    png = tmp_path / "wide.png"
    heatmap(Overlap(matrix=matrix), png, width=4000, dpi=100)
    with Image.open(png) as image:
        assert image.size[0] == 4000


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
