"""Stage versions are hashes of what a stage runs and reads: a change to one stage's code or data
reprocesses exactly the documents that went through it, from the cached stages before it."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import sqlite_utils

import pipeline.run
from pipeline import versions
from pipeline.batch import import_files
from pipeline.run import Options
from tests.conftest import FIXTURES, PDF_000, TEXT_001

BAD_OCR_004 = FIXTURES / "ocr" / "004_verksamhetsplan_jonkoping_2026-2028_bad-ocr.pdf"


def _tree_copy(tmp_path: Path) -> Path:
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    for package in versions.PACKAGES:
        shutil.copytree(versions.ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _changed_by(tmp_path: Path, relative: str, text: str = "\n# changed\n") -> set[str]:
    root = _tree_copy(tmp_path)
    with (root / relative).open("a", encoding="utf-8") as handle:
        handle.write(text)
    return {stage for stage in versions.STAGES if versions.stage_digest(stage, root) != versions.stage_version(stage)}


def test_a_copy_of_the_tree_has_the_same_versions(tmp_path):
    root = _tree_copy(tmp_path)
    assert {s: versions.stage_digest(s, root) for s in versions.STAGES} == {
        s: versions.stage_version(s) for s in versions.STAGES}
    assert len(set(map(versions.stage_version, versions.STAGES))) == len(versions.STAGES)


@pytest.mark.parametrize("relative, stages", [
    ("parsers/data/columns.json", {"parse"}),                       # header vocabulary
    ("parsers/budget.py", {"parse"}),
    ("normalizers/data/swedish_usage.txt", {"diacritics"}),         # usage phrases of the repair
    ("normalizers/diacritics.py", {"diacritics"}),
    ("normalizers/data/themes.json", {"normalise"}),
    ("normalizers/periods.py", {"parse", "normalise"}),             # the parser reads timings too
    ("pipeline/repair.py", {"repair"}),
    ("pipeline/data/line_breaks.json", {"repair"}),
    ("extractors/ocr.py", {"ocr"}),
    ("extractors/tables.py", {"extract", "ocr", "repair"}),         # the repair imports the layout
    ("core/records.py", {"extract", "ocr", "repair", "parse", "normalise"}),
])
def test_a_change_to_a_module_or_data_file_changes_the_stages_that_read_it(tmp_path, relative, stages):
    text = " " if relative.endswith((".json", ".txt")) else "\n# changed\n"
    assert _changed_by(tmp_path, relative, text) == stages


def test_a_file_no_stage_reads_changes_no_version(tmp_path):
    assert _changed_by(tmp_path, "pipeline/cli.py") == set()
    assert _changed_by(tmp_path, "pipeline/datasette/metadata.json", " ") == set()


def test_the_stored_version_names_the_stages_a_document_went_through():
    version = versions.pipeline_version(["extract", "repair", "parse", "normalise"])
    assert version.split() == [f"{s}:{versions.stage_version(s)}" for s in ("extract", "repair", "parse", "normalise")]
    assert versions.changed_stages(version) == []
    assert versions.changed_stages(version.replace(versions.stage_version("parse"), "0" * 12)) == ["parse"]
    assert versions.changed_stages("extract2.ocr1.repair5.parse3.normalise4") == list(versions.STAGES)
    assert versions.changed_stages(version + " context:corpus-abc") == []


class _FakeVersions:
    """stage_version with some stages changed, as after an upgrade of their code."""

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        self._real = {stage: versions.stage_version(stage) for stage in versions.STAGES}

    def change(self, *stages: str) -> None:
        fake = dict(self._real, **{stage: f"changed-{stage}" for stage in stages})
        self._monkeypatch.setattr(versions, "stage_version", fake.__getitem__)


def _rows(db_path: Path) -> dict[str, list[tuple]]:
    db = sqlite_utils.Database(db_path)
    return {
        "pages": [tuple(r.values()) for r in db.query("select * from pages order by document_id, page_no")],
        "activities": [tuple(r.values()) for r in db.query("select * from activities order by id")],
        "budget_lines": [tuple(r.values()) for r in db.query("select * from budget_lines order by id")],
    }


def _statuses(results) -> dict[str, tuple[str, str]]:
    return {Path(r.path).name: (r.status, r.reason) for r in results}


def test_an_upgrade_reprocesses_exactly_the_documents_a_changed_stage_touched(tmp_path, monkeypatch):
    db_path, cache = tmp_path / "corpus.db", tmp_path / "cache"
    files = [PDF_000, TEXT_001, BAD_OCR_004]
    options = Options(jobs=1)
    first = import_files(files, db_path, cache_dir=cache, options=options)
    assert [r.status for r in first] == ["imported"] * 3
    before = _rows(db_path)
    fake = _FakeVersions(monkeypatch)

    def no_extraction(*args, **kwargs):
        raise AssertionError("extraction ran again: it should have come from the cache")
    monkeypatch.setattr(pipeline.run, "extract_bytes", no_extraction)

    fake.change("parse")   # a parser change: every document, from its cached extraction and repair
    monkeypatch.setattr(pipeline.run, "repair_document", lambda *a: pytest.fail("the repair ran again"))
    assert _statuses(import_files(files, db_path, cache_dir=cache, options=options)) == {
        PDF_000.name: ("reprocessed", "pipeline changed: parse"),
        TEXT_001.name: ("reprocessed", "pipeline changed: parse"),
        BAD_OCR_004.name: ("reprocessed", "pipeline changed: parse")}
    assert _rows(db_path) == before
    monkeypatch.undo()

    fake = _FakeVersions(monkeypatch)
    fake.change("parse", "diacritics")   # the usage phrases changed: only the damaged document
    monkeypatch.setattr(pipeline.run, "extract_bytes", no_extraction)
    assert _statuses(import_files(files, db_path, cache_dir=cache, options=options)) == {
        PDF_000.name: ("unchanged", ""), TEXT_001.name: ("unchanged", ""),
        BAD_OCR_004.name: ("reprocessed", "pipeline changed: diacritics")}

    fake.change("parse", "diacritics", "ocr")   # OCR changed: none of these was OCR'd
    assert {status for status, _ in _statuses(import_files(files, db_path, cache_dir=cache,
                                                           options=options)).values()} == {"unchanged"}
    assert _rows(db_path) == before


def test_what_a_module_source_says_is_remembered_by_its_content(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    versions._source_memo.cache_clear()
    memo_file = tmp_path / "cache" / "miljosamverkan" / versions._SourceMemo.FILE
    assert versions.stage_digest("parse", _tree_copy(tmp_path)) == versions.stage_version("parse")
    assert memo_file.exists()
    # a new import in a remembered module is read from its new content, not from the memo
    root = _tree_copy(tmp_path)
    with (root / "parsers" / "budget.py").open("a", encoding="utf-8") as handle:
        handle.write("\nimport extractors.ocr\n")
    assert "extractors.ocr" in versions.module_closure("parsers.parse", root)
    assert versions.stage_digest("parse", root) != versions.stage_version("parse")
    # a damaged memo is read as empty, and the versions stay what the sources say
    memo_file.write_text("{not json", encoding="utf-8")
    versions._source_memo.cache_clear()
    assert versions.stage_digest("parse", _tree_copy(tmp_path)) == versions.stage_version("parse")
    versions._source_memo.cache_clear()
