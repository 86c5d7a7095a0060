"""The library API the README shows: import a folder, get DataFrames, run overlap, from Python."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pipeline
from tests.conftest import TEXT_000, TEXT_001


def test_import_a_folder_get_frames_and_overlap(tmp_path, stage_cache):
    folder = tmp_path / "plans"
    folder.mkdir()
    for text in (TEXT_001, TEXT_000):
        shutil.copy(text, folder / text.name)
    results = pipeline.import_paths([folder], tmp_path / "corpus.db", cache_dir=stage_cache)
    assert sorted((r.status, r.activities, r.budget_lines) for r in results) == [("imported", 9, 0),
                                                                                 ("imported", 49, 12)]
    corpus = pipeline.read_corpus(tmp_path / "corpus.db")
    tables = pipeline.tables(corpus)
    assert tables["activities"].groupby("county").size().to_dict() == {"Jönköpings län": 49, "Värmlands län": 9}
    budget = tables["budget_lines"]
    assert budget[budget["is_total"] == 1].groupby("section")["amount_sek"].sum().to_dict() == {
        "cost": 1_143_000, "income": 1_143_000, "result": 0}
    shared = pipeline.overlap(corpus, theme="newsletter_communication")
    assert set(shared.matrix.columns.get_level_values("county")) == {"Jönköpings län", "Värmlands län"}
    plan = pipeline.process_file(TEXT_000).plan
    assert (plan.county, plan.doc_type, len(plan.activities)) == ("Värmlands län", "kommunikationsplan", 9)


def test_import_pipeline_loads_nothing_heavy():
    probe = "import sys, pipeline; print(sorted(m for m in ('pandas', 'sqlite_utils', 'pipeline.batch') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True).stdout.strip() == "[]"
