"""Issue 16: one plan counted once (copies set aside), revisions of a path replace, documents removed
whole."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from normalizers.plan_identity import plan_key, same_title, title_skeleton
from pipeline.cli import cli
from tests.conftest import FIXTURES, PDF_000, PDF_001, PDF_002, TEXT_000, TEXT_001, TEXT_002

SCAN_001 = FIXTURES / "scan" / "001_verksamhetsplan_jonkoping_2021-2023_scan.pdf"


def _import(db_path, *paths, cache=None, extra=()):
    args = ["import", *map(str, paths), "--db", str(db_path), *extra]
    if cache is not None:
        args += ["--cache-dir", str(cache)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.output


def _documents(db_path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("""select d.file_name, d.is_current, c.file_name, n.file_name from documents d
                               left join documents c on c.id = d.copy_of left join documents n on n.id = d.superseded_by
                               order by d.file_name""").fetchall()


def _integrity(db_path) -> tuple:
    with sqlite3.connect(db_path) as conn:
        return (conn.execute("pragma integrity_check").fetchone()[0], conn.execute("pragma foreign_key_check").fetchall(),
                conn.execute("""select count(*) from activity_themes t left join activities a on a.id = t.activity_id
                                where a.id is null""").fetchone()[0])


def _overlap_total(db_path) -> int:
    result = CliRunner().invoke(cli, ["overlap", "--db", str(db_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return sum(row["activities"] for row in json.loads(result.output)["matrix"])


def test_a_title_read_twice_is_one_title_and_a_key_needs_counties_type_and_years():
    clean = "Verksamhetsplan för Miljösamverkan Jönköpings län 2021-2023"
    assert title_skeleton(clean) == title_skeleton("Verksamhetsplari för Miljosamverkan Jönköpings Iän 2021-2023")
    assert same_title(title_skeleton(clean), title_skeleton("Verksamhetsplan för Miljösamverkan Jönköpings län."))
    assert not same_title(title_skeleton(clean), title_skeleton("Kommunikationsplan för tillsynsprojekt i länet"))
    assert plan_key(["Jönköpings län"], "verksamhetsplan", 2021, 2023, clean).startswith(
        "Jönköpings län|verksamhetsplan|2021-2023|")
    assert plan_key(["Jönköpings län"], "verksamhetsplan", None, None, clean) is None
    assert plan_key([], "verksamhetsplan", 2021, 2023, clean) is None
    assert plan_key(["Jönköpings län"], None, 2021, 2023, clean) is None


@pytest.mark.slow
def test_001_as_pdf_text_export_and_scan_is_one_plan_counted_once(tmp_path, stage_cache):
    alone = tmp_path / "alone.db"
    _import(alone, PDF_001, cache=stage_cache)
    db_path = tmp_path / "c.db"
    output = _import(db_path, SCAN_001, TEXT_001, PDF_001, cache=stage_cache)
    assert output.count(f"same plan as {PDF_001}, kept as a copy") == 2
    assert _documents(db_path) == [
        (TEXT_001.name, 0, PDF_001.name, None),
        (PDF_001.name, 1, None, None),
        (SCAN_001.name, 0, PDF_001.name, None),
    ]
    report = CliRunner().invoke(cli, ["report", "--db", str(db_path)])
    assert "Documents: 1\n" in report.output and "2 set aside (copies and older versions" in report.output
    assert "Jönköpings län       2021          25\nJönköpings län       2022          24" in report.output
    assert "Jönköpings län         2021   1 143 000  1 143 000           0" in report.output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(*) from activities_view").fetchone()[0] == 49
        assert conn.execute("select count(*) from budget_view").fetchone()[0] == 12
        assert conn.execute("select count(*) from activities").fetchone()[0] == 3 * 49
    assert _overlap_total(db_path) == _overlap_total(alone)


def test_000_as_pdf_and_text_export_counts_9_activities_and_plans_without_years_stay_apart(tmp_path, stage_cache):
    db_path = tmp_path / "c.db"
    _import(db_path, TEXT_000, PDF_000, TEXT_002, PDF_002, cache=stage_cache)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(*) from activities_view where county = 'Värmlands län'").fetchone()[0] == 9
        assert conn.execute("select count(*), sum(is_current) from documents where plan_key is null").fetchone() \
            == (2, 2)   # 002 has no years: its PDF and text export are never merged
    assert _documents(db_path)[:2] == [(TEXT_000.name, 0, PDF_000.name, None), (PDF_000.name, 1, None, None)]


def test_new_content_at_a_path_supersedes_its_document_or_replaces_it(tmp_path, stage_cache):
    path = tmp_path / "plan.txt"
    shutil.copy(TEXT_001, path)
    db_path = tmp_path / "c.db"
    _import(db_path, path, cache=stage_cache)
    revised = TEXT_001.read_text("utf-8").replace("Nyhetsbrev", "Nyhetsbrevet")
    path.write_text(revised, "utf-8")
    output = _import(db_path, path, cache=stage_cache)
    assert "new content of its path: the older kept as superseded" in output
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("select is_current, superseded_by is not null from documents order by imported_at, id")
        assert sorted(rows.fetchall()) == [(0, 1), (1, 0)]
        assert conn.execute("select count(*) from activities_view where title like 'Nyhetsbrevet%'").fetchone()[0] > 0
        assert conn.execute("select count(*) from activities_view").fetchone()[0] == 49
    path.write_text(revised + "\nTredje versionen\n", "utf-8")
    output = _import(db_path, path, cache=stage_cache, extra=["--replace"])
    assert "new content of its path: the older deleted" in output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(*), sum(is_current) from documents").fetchone() == (2, 1)
        assert conn.execute("select count(*) from activities").fetchone()[0] == 2 * 49
    assert _integrity(db_path) == ("ok", [], 0)


def test_plans_remove_deletes_whole_documents_and_a_copy_takes_over(tmp_path, stage_cache):
    db_path = tmp_path / "c.db"
    _import(db_path, PDF_000, TEXT_000, TEXT_001, cache=stage_cache)
    result = CliRunner().invoke(cli, ["remove", str(PDF_000), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"removed {PDF_000} (")
    assert _documents(db_path) == [(TEXT_000.name, 1, None, None), (TEXT_001.name, 1, None, None)]
    with sqlite3.connect(db_path) as conn:
        document_id = conn.execute("select id from documents where file_name = ?", [TEXT_001.name]).fetchone()[0]
        assert conn.execute("select count(*) from activities_view where county = 'Värmlands län'").fetchone()[0] == 9
    result = CliRunner().invoke(cli, ["remove", document_id, "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db_path) as conn:
        for table in ("activities", "budget_lines", "pages", "document_counties", "activity_theme_counties"):
            assert conn.execute(f"select count(*) from {table} where document_id = ?", [document_id]).fetchone()[0] == 0
        assert conn.execute("select count(*) from activity_partners").fetchone()[0] == conn.execute(
            "select count(*) from activity_partners p join activities a on a.id = p.activity_id").fetchone()[0]
    assert _integrity(db_path) == ("ok", [], 0)
    missing = CliRunner().invoke(cli, ["remove", "nothing-like-this", "--db", str(db_path)])
    assert missing.exit_code == 5
    assert missing.output == f"error: {db_path}: no document 'nothing-like-this' (give an id or an imported path)\n"


def test_a_corpus_from_before_plan_identity_gets_keys_and_current_documents_on_opening(tmp_path, stage_cache):
    db_path = tmp_path / "c.db"
    _import(db_path, PDF_000, TEXT_000, cache=stage_cache)
    with sqlite3.connect(db_path) as conn:   # as the corpus was before these columns existed
        for view in ("activities_view", "activity_themes_view", "budget_view"):
            conn.execute(f"drop view {view}")
        for column in ("source_kind", "plan_key", "is_current", "copy_of", "superseded_by"):
            conn.execute(f"alter table documents drop column {column}")
        conn.execute("delete from activity_theme_counties")
    report = CliRunner().invoke(cli, ["report", "--db", str(db_path)])
    assert report.exit_code == 0, report.output
    assert "Documents: 1\n" in report.output and "Värmlands län       2011           9" in report.output
    assert _documents(db_path) == [(TEXT_000.name, 0, PDF_000.name, None), (PDF_000.name, 1, None, None)]
    assert _overlap_total(db_path) > 0
