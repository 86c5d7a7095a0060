"""The command line as scripts use it: -h, --json on import, report and overlap, --quiet, --verbose."""
from __future__ import annotations

import json

from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import TEXT_000, TEXT_001


def test_h_is_help_for_the_group_and_every_command():
    for args in ([], ["import"], ["report"], ["overlap"], ["export"], ["serve"], ["remove"]):
        result = CliRunner().invoke(cli, [*args, "-h"])
        assert result.exit_code == 0, args
        assert result.output.startswith("Usage: "), args


def test_import_json_quiet_and_verbose(tmp_path, stage_cache):
    db = tmp_path / "c.db"
    missing = tmp_path / "gone.pdf"
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(TEXT_001), str(missing), "--db", str(db), "--cache-dir",
                                 str(stage_cache), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["counts"] == {"imported": 1, "reimported": 0, "reprocessed": 0, "unchanged": 0, "failed": 1}
    first, second = data["files"]
    assert (first["file"], first["status"], first["activities"], first["budget_lines"]) == (str(TEXT_001), "imported",
                                                                                             49, 12)
    assert len(first["document_id"]) == 64
    assert (second["status"], second["reason"]) == ("failed", "no such file or folder")
    assert result.stderr.splitlines() == [f"error: {missing}: no such file or folder"]   # no progress bar

    quiet = runner.invoke(cli, ["import", str(TEXT_001), str(TEXT_000), "--db", str(db), "--cache-dir",
                                str(stage_cache), "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert quiet.stdout == f"1 imported, 0 reimported, 1 unchanged, 0 failed -> {db}\n"

    verbose = runner.invoke(cli, ["import", str(TEXT_000), "--db", str(db), "--cache-dir", str(stage_cache), "-v"])
    assert verbose.exit_code == 0
    assert f"importing 1 file(s) into {db} (stage cache {stage_cache}, OCR auto)" in verbose.stderr
    assert f"{TEXT_000}: document " in verbose.stderr


def test_report_and_overlap_json(tmp_path, stage_cache):
    db = tmp_path / "c.db"
    assert CliRunner().invoke(cli, ["import", str(TEXT_001), str(TEXT_000), "--db", str(db), "--cache-dir",
                                    str(stage_cache)]).exit_code == 0
    report = json.loads(CliRunner().invoke(cli, ["report", "--db", str(db), "--json"]).stdout)
    assert {d["file_name"]: d["activities"] for d in report["documents"]} == {TEXT_001.name: 49, TEXT_000.name: 9}
    assert report["budget_totals"] == [{"county": "Jönköpings län", "budget_year": 2021, "income_sek": 1143000,
                                        "cost_sek": 1143000, "result_sek": 0}]
    as_flag = CliRunner().invoke(cli, ["overlap", "--db", str(db), "--json"]).stdout
    assert as_flag == CliRunner().invoke(cli, ["overlap", "--db", str(db), "--format", "json"]).stdout
    assert sum(row["activities"] for row in json.loads(as_flag)["matrix"]) > 0
