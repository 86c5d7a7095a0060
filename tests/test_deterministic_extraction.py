"""The same file with the same pipeline gives the same rows, whatever else is in the corpus and
however many jobs import it; the corpus is context for the repair only through `plans reprocess`."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from pipeline.batch import import_files
from pipeline.cli import cli
from pipeline.run import Options
from tests.conftest import FIXTURES, PDF_000, PDF_001, TEXT_000, TEXT_003

BAD_OCR_004 = FIXTURES / "ocr" / "004_verksamhetsplan_jonkoping_2026-2028_bad-ocr.pdf"

pytestmark = pytest.mark.slow   # the damaged document is repaired four times over


def _document_rows(db_path: Path, file_name: str) -> dict[str, list[tuple]]:
    db = sqlite_utils.Database(db_path)
    [document_id] = [r["id"] for r in db.query("select id from documents where file_name = ?", [file_name])]

    def rows(sql: str) -> list[tuple]:
        return [tuple(r.values()) for r in db.query(sql, [document_id])]
    return {
        "document": rows("select title, organisation, county, doc_type, year_from, year_to, page_count, extraction,"
                         " text_quality, pipeline_version, warnings from documents where id = ?"),
        "pages": rows("select * from pages where document_id = ? order by page_no"),
        "activities": rows("select * from activities where document_id = ? order by ordinal"),
        "partners": rows("select p.* from activity_partners p join activities a on a.id = p.activity_id"
                         " where a.document_id = ? order by p.activity_id, p.partner"),
        "themes": rows("select t.* from activity_themes t join activities a on a.id = t.activity_id"
                       " where a.document_id = ? order by t.activity_id, t.theme"),
        "budget_lines": rows("select * from budget_lines where document_id = ? order by ordinal"),
    }


def test_a_damaged_file_gives_the_same_rows_in_any_corpus_with_any_jobs(tmp_path):
    # no stage cache anywhere: each import computes the rows itself
    alone = tmp_path / "alone.db"
    import_files([BAD_OCR_004], alone, options=Options(jobs=1))
    full = tmp_path / "full.db"
    import_files([PDF_001, PDF_000, TEXT_000], full, options=Options(jobs=1))
    import_files([BAD_OCR_004], full, options=Options(jobs=1))
    parallel = tmp_path / "parallel.db"
    import_files([PDF_001, PDF_000], parallel, options=Options(jobs=2))
    results = import_files([TEXT_003, BAD_OCR_004], parallel, options=Options(jobs=2))
    assert [r.status for r in results] == ["imported", "imported"]

    expected = _document_rows(alone, BAD_OCR_004.name)
    assert len(expected["pages"]) == 15 and len(expected["activities"]) == 27 and len(expected["budget_lines"]) == 13
    assert "Jönköpings läns 13 kommuner" in expected["pages"][0][5]     # pages.text is repaired
    assert _document_rows(full, BAD_OCR_004.name) == expected
    assert _document_rows(parallel, BAD_OCR_004.name) == expected


def test_reprocess_repairs_damaged_documents_with_the_corpus_and_says_what_changed(tmp_path):
    db_path = tmp_path / "corpus.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(PDF_001), str(PDF_000), str(BAD_OCR_004),
                               "--db", str(db_path)]).exit_code == 0
    before = _document_rows(db_path, BAD_OCR_004.name)

    result = runner.invoke(cli, ["reprocess", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if BAD_OCR_004.name in line]
    assert "reprocessed" in line and "27 -> 27" in line and "13 -> 13" in line
    assert result.output.splitlines()[-1] == f"1 reprocessed, 0 failed -> {db_path}"
    after = _document_rows(db_path, BAD_OCR_004.name)
    version = after["document"][0][9]
    assert version.startswith(before["document"][0][9]) and " context:corpus-" in version
    assert len(after["activities"]) == len(before["activities"]) == 27

    # a later import keeps the reprocessed document: its stages have not changed
    again = runner.invoke(cli, ["import", str(BAD_OCR_004), "--db", str(db_path)])
    assert "0 imported, 0 reimported, 1 unchanged, 0 failed" in again.output
    assert _document_rows(db_path, BAD_OCR_004.name) == after


def test_reprocess_needs_a_clean_document_to_learn_from(tmp_path):
    db_path = tmp_path / "corpus.db"
    assert CliRunner().invoke(cli, ["import", str(BAD_OCR_004), "--db", str(db_path)]).exit_code == 0
    result = CliRunner().invoke(cli, ["reprocess", "--db", str(db_path)])
    assert result.exit_code == 1
    assert "no clean document in the corpus to learn from" in result.output
