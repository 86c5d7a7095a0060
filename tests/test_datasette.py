"""Datasette on a corpus built from the fixtures: tables, views, facets, canned queries, search."""
from __future__ import annotations

import asyncio
import hashlib
import json
import subprocess

import pytest
from click.testing import CliRunner

from pipeline.browse import PLUGINS_DIR, datasette_command, metadata_for
from pipeline.cli import cli
from tests.conftest import FIXTURES, PDF_000, PDF_001

BAD_OCR_004 = FIXTURES / "ocr" / "004_verksamhetsplan_jonkoping_2026-2028_bad-ocr.pdf"
WITH_FAR = """Kommunikationsplan för Miljösamverkan Gotland 2023

Aktivitet\tMålgrupp\tTid
Enskilda avloppen i länet\tInspektörer\tHösten 2023

Styrgruppen far ett förslag.
"""
WITH_FAAR = """Kommunikationsplan för Miljösamverkan Blekinge 2023

Styrgruppen får ett förslag.
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, stage_cache):
    folder = tmp_path_factory.mktemp("datasette")
    (folder / "gotland.txt").write_text(WITH_FAR, encoding="utf-8")
    (folder / "blekinge.txt").write_text(WITH_FAAR, encoding="utf-8")
    db_path = folder / "corpus.db"
    result = CliRunner().invoke(cli, ["import", str(PDF_001), str(PDF_000), str(BAD_OCR_004),
                                      str(folder / "gotland.txt"), str(folder / "blekinge.txt"), "--db", str(db_path),
                                      "--cache-dir", str(stage_cache)])
    assert result.exit_code == 0, result.output
    return db_path


@pytest.fixture(scope="module")
def get(corpus):
    from datasette.app import Datasette
    datasette = Datasette([str(corpus)], metadata=metadata_for(corpus), plugins_dir=str(PLUGINS_DIR))

    def fetch(path: str):
        response = asyncio.run(datasette.client.get(path))
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response.json() if ".json" in path else response.text
    return fetch


TABLE_COUNTS = {"documents": 5, "document_counties": 5, "pages": 32, "activities": 86, "budget_lines": 25}


@pytest.mark.parametrize("table, count", TABLE_COUNTS.items())
def test_table_pages(get, table, count):
    assert get(f"/corpus/{table}.json?_size=0")["filtered_table_rows_count"] == count
    assert "<table" in get(f"/corpus/{table}")


def test_tables_and_columns_are_described(get):
    metadata = get("/-/metadata.json")["databases"]["corpus"]
    tables = get("/corpus.json")
    names = [t["name"] for t in tables["tables"] if not t["name"].endswith(("_fts", "_data", "_idx", "_docsize",
                                                                           "_config"))]
    for name in names + [v["name"] for v in tables["views"]]:
        assert metadata["tables"][name]["description"], name
    for name in names + [v["name"] for v in tables["views"]]:
        columns = get(f"/corpus/{name}.json?_size=0")["columns"]
        described = metadata["tables"][name].get("columns", {})
        assert [c for c in columns if c not in described and c != "rowid"] == [], name


def test_activities_view_has_county_and_facets(get):
    data = get("/corpus/activities_view.json?_facet=county&_facet=plan_year&_facet_array=themes&_size=0")
    assert data["filtered_table_rows_count"] == 86
    counties = {f["value"]: f["count"] for f in data["facet_results"]["county"]["results"]}
    assert counties == {"Jönköpings län": 76, "Värmlands län": 9, "Gotlands län": 1}
    years = {f["value"]: f["count"] for f in data["facet_results"]["plan_year"]["results"]}
    assert years[2021] == 25 and years[2022] == 24 and years[2026] == 27 and years[2011] == 9
    themes = {f["value"]: f["count"] for f in data["facet_results"]["themes"]["results"]}
    assert themes["small_sewage"] == 4
    row = get("/corpus/activities_view.json?_shape=array&title=Styrgruppsmöten&plan_year=2021")[0]
    assert (row["county"], row["organisation"], row["file_name"]) == (
        "Jönköpings län", "Miljösamverkan Jönköpings län", PDF_001.name)
    assert row["themes"] == '["steering_group"]' and row["page_from"] == 5


def test_other_views(get):
    budget = get("/corpus/budget_view.json?_shape=array&is_total=1&budget_year=2021")
    assert sorted((r["county"], r["label"], r["amount_sek"]) for r in budget) == [
        ("Jönköpings län", "SUMMA INTÄKTER", 1143000), ("Jönköpings län", "SUMMA KOSTNADER", 1143000),
        ("Jönköpings län", "ÖVERSKOTT TILL KOMMANDE ÅR", 0)]
    themes = get("/corpus/activity_themes_view.json?_shape=array&theme=small_sewage")
    assert sorted((r["county"], r["plan_year"]) for r in themes) == [
        ("Gotlands län", 2023), ("Jönköpings län", 2021), ("Jönköpings län", 2022), ("Jönköpings län", 2026)]


def test_canned_queries(get):
    by_theme = get("/corpus/activities_by_theme.json?_shape=array&theme=small_sewage&year_from=2022&year_to=2026")
    assert [(r["county"], r["plan_year"], r["title"]) for r in by_theme] == [
        ("Gotlands län", 2023, "Enskilda avloppen i länet"),
        ("Jönköpings län", 2022, "Miljöskyddsinspektörer med ansvar för små avlopp"),
        ("Jönköpings län", 2026, "Miljöinspektörer som arbetar med små avlopp")]
    shared = {r["theme"]: r for r in get("/corpus/shared_themes.json?_shape=array")}
    assert shared["small_sewage"]["counties"] == 2
    assert set(shared["small_sewage"]["county_list"].split(",")) == {"Jönköpings län", "Gotlands län"}
    budget = get("/corpus/budget_by_county_year.json?_shape=array")
    assert budget == [{"county": "Jönköpings län", "budget_year": 2021, "income_sek": 1143000,
                       "cost_sek": 1143000, "result_sek": 0},
                      {"county": "Jönköpings län", "budget_year": 2026, "income_sek": 1867789,
                       "cost_sek": 1937090, "result_sek": 550699}]
    compared = {r["theme"]: r for r in get(
        "/corpus/compare_counties.json?_shape=array&county_a=J%C3%B6nk%C3%B6pings+l%C3%A4n&county_b=V%C3%A4rmlands+l%C3%A4n")}
    assert compared["newsletter_communication"]["county_b_activities"].count("2011: ") == 3
    assert "2021: Nyhetsbrev Miljösamverkan" in compared["newsletter_communication"]["county_a_activities"]
    pages = get(f"/corpus/document_pages.json?_shape=array&document={BAD_OCR_004.name}")
    assert len(pages) == 15 and {(p["method"], p["needs_diacritic_repair"]) for p in pages} == {("text", 1)}


def test_search_keeps_swedish_letters_apart_and_finds_inflections(get):
    def titles(table, query):
        return get(f"/corpus/{table}.json?_shape=array&_search={query}")

    far = titles("pages", "far")
    faar = titles("pages", "f%C3%A5r")
    assert [p["document_id"] for p in far] != [p["document_id"] for p in faar]
    assert all("får" not in p["text"] for p in far) and all("får" in p["text"] for p in faar)
    assert len(far) == 1 and len(faar) == 1
    lemma_hits = [r["title"] for r in titles("activities_view", "avlopp")]
    assert "Enskilda avloppen i länet" in lemma_hits
    assert "Miljöskyddsinspektörer med ansvar för små avlopp" in lemma_hits


def test_search_finds_compound_parts_and_invents_no_lemmas(get):
    def hits(query):
        return get(f"/corpus/activities_view.json?_shape=array&_search={query}&_size=max")

    compound = [r["title"] for r in hits("h%C3%A4lsoskydd")]
    assert "Hälsoskyddsinspektörer" in compound                  # 004: hälsoskydd|inspektörer
    assert all("hälsoskydd" in " ".join(filter(None, (r["title"], r["goal"], r["actions"]))).lower()
               for r in hits("h%C3%A4lsoskydd"))
    assert "Enskilda avloppen i länet" in [r["title"] for r in hits("avlopp")]
    arbetar = [r["title"] for r in hits("arbetar")]
    assert "Miljöinspektörer som arbetar med små avlopp" in arbetar
    # 'arbetar' is a verb: its lemma is 'arbeta', not the noun 'arbetare', which no activity writes
    assert hits("arbetare") == []
    assert "Miljöinspektörer som arbetar med små avlopp" in [r["title"] for r in hits("arbeta")]
    for function_word, invented in (("med", "mede"), ("hos", "ho"), ("har", "hare")):
        assert hits(invented) == [], (function_word, invented)


def test_search_activities_shows_the_matched_passage(get):
    rows = get("/corpus/search_activities.json?_shape=array&q=avloppen")
    assert rows and rows[0]["title"] == "Enskilda avloppen i länet"
    assert "«avloppen»" in rows[0]["snippet"]
    html = get("/corpus/search_activities?q=avloppen")
    assert "<mark>avloppen</mark>" in html


def _serve_get(corpus, path: str) -> tuple[int, dict]:
    """One request to Datasette started exactly as `plans serve` starts it (datasette serve --get)."""
    metadata = corpus.parent / "metadata.json"
    metadata.write_text(json.dumps(metadata_for(corpus), ensure_ascii=False), "utf-8")
    command = datasette_command(corpus, metadata, "127.0.0.1", 8123) + ["--get", path]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1])   # after any traceback it prints


def test_serve_is_read_only(corpus):
    command = datasette_command("data/out/corpus.db", "meta.json", "127.0.0.1", 8123)
    assert "--immutable" not in command and command[command.index("serve") + 1] == "data/out/corpus.db"
    assert command[command.index("--host") + 1] == "127.0.0.1" and command[command.index("--port") + 1] == "8123"
    before = hashlib.sha256(corpus.read_bytes()).hexdigest()

    status, answer = _serve_get(corpus, "/corpus.json?sql=delete+from+documents")
    assert (status, answer["status"], answer["error"]) == (1, 400, "Statement must be a SELECT")
    status, databases = _serve_get(corpus, "/-/databases.json")
    assert status == 0 and [(d["name"], d["is_mutable"]) for d in databases] == [("corpus", True)]   # read afresh
    assert hashlib.sha256(corpus.read_bytes()).hexdigest() == before


def _free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get_json(url: str):
    import urllib.request
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, json.loads(response.read())


@pytest.mark.slow
def test_serve_while_importing_shows_new_documents_and_sigterm_stops_it_with_its_child(tmp_path):
    import os
    import signal
    import socket
    import sys
    import time
    from pathlib import Path
    db_path = tmp_path / "corpus.db"
    gotland, blekinge = tmp_path / "gotland.txt", tmp_path / "blekinge.txt"
    gotland.write_text(WITH_FAR, encoding="utf-8")
    blekinge.write_text(WITH_FAAR, encoding="utf-8")
    assert CliRunner().invoke(cli, ["import", str(gotland), "--db", str(db_path)]).exit_code == 0
    port = _free_port()
    plans = str(Path(sys.executable).parent / "plans")
    server = subprocess.Popen([plans, "serve", "--db", str(db_path), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    count_url = f"http://127.0.0.1:{port}/corpus.json?sql=select+count(*)+as+n+from+documents&_shape=array"
    try:
        for _ in range(120):
            try:
                status, rows = _get_json(count_url)
                break
            except OSError:
                time.sleep(0.5)
        assert (status, rows) == (200, [{"n": 1}])
        assert CliRunner().invoke(cli, ["import", str(blekinge), "--db", str(db_path)]).exit_code == 0
        assert _get_json(count_url) == (200, [{"n": 2}])
        status, facets = _get_json(f"http://127.0.0.1:{port}/corpus/documents.json?_facet=county")
        county = facets["facet_results"]["county"]["results"]
        assert status == 200 and {f["value"] for f in county} == {"Gotlands län", "Blekinge län"}
        children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        assert len(children) == 1
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
    finally:
        if server.poll() is None:
            server.kill()
    for _ in range(40):
        if not any(os.path.exists(f"/proc/{child}") for child in children):
            break
        time.sleep(0.25)
    assert not any(os.path.exists(f"/proc/{child}") for child in children)
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port))     # nothing listens on the port any more


def test_themes_have_swedish_labels_beside_their_ids(get):
    themes = {row["id"]: row for row in get("/corpus/themes.json?_shape=array&_size=max")}
    assert themes["small_sewage"]["label"] == "Små avlopp" and themes["small_sewage"]["kind"] == "supervision"
    rows = get("/corpus/activities_view.json?_shape=array&title=Enskilda+avloppen+i+l%C3%A4net")
    assert json.loads(rows[0]["themes"]) == ["small_sewage"] and json.loads(rows[0]["theme_labels"]) == ["Små avlopp"]
    themed = get("/corpus/activity_themes_view.json?_shape=array&theme=small_sewage")
    assert themed and {row["theme_label"] for row in themed} == {"Små avlopp"}


def test_views_and_queries_come_first_and_rows_are_sorted_and_amounts_grouped(get):
    index = get("/")
    assert index.index('href="/corpus/activities_view"') < index.index('href="/corpus"')
    assert 'href="/corpus/search_activities"' in index and 'href="/corpus/budget_by_county_year"' in index
    database = get("/corpus")
    assert database.index("activities_view") < database.index("activity_partners")
    rows = get("/corpus/activities_view.json?_shape=array&_size=max")
    keys = [(r["county"], r["plan_year"], r["document_id"], r["ordinal"]) for r in rows]
    assert keys == sorted(keys)
    budget = get("/corpus/budget_view")
    assert '<span class="amount">1\u202f143\u202f000</span>' in budget
    assert "/-/plans-ui.css" in budget and "What the columns mean" in get("/-/plans-ui.css") + budget


def test_every_canned_query_is_described(get):
    queries = metadata_for("corpus.db")["databases"]["corpus"]["queries"]
    assert all(query.get("description") for query in queries.values())


def test_a_document_id_shows_as_its_file_name_on_row_pages_and_views(get):
    row = get("/corpus/activities_view.json?_shape=array&_size=1&file_name=001_verksamhetsplan_jonkoping_2021-2023.pdf")[0]
    link = f'<a href="/corpus/documents/{row["document_id"]}" title="{row["document_id"]}">{PDF_001.name}</a>'
    assert link in get(f"/corpus/activities/{row['id']}")
    assert link in get("/corpus/activities_view?file_name=001_verksamhetsplan_jonkoping_2021-2023.pdf&_size=5")
