"""Issue 15 item 5: a corpus on read-only media, a --db that is not SQLite, a new corpus on a full
disk: one line and exit status 5 for what cannot be done, and the read-only commands just work."""
from __future__ import annotations

import json
import sqlite3
import subprocess
from contextlib import suppress

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import TEXT_001
from tests.hostile import mounted


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("src")
    result = CliRunner().invoke(cli, ["import", str(TEXT_001), "--db", str(folder / "c.db"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return folder


def test_a_corpus_on_read_only_media_is_read_by_every_read_only_command_and_an_import_is_one_line(
        corpus_folder, tmp_path):
    with mounted(tmp_path / "ro", ["mount", "--bind", str(corpus_folder), str(tmp_path / "ro")],
                  ["mount", "-o", "remount,ro,bind", str(tmp_path / "ro")]) as media:
        db = media / "c.db"
        runner = CliRunner()
        result = runner.invoke(cli, ["import", str(TEXT_001), "--db", str(db)])
        assert result.exit_code == 5
        assert result.output.endswith(f"error: {db}: read-only file system: the corpus cannot be written there\n")
        report = runner.invoke(cli, ["report", "--db", str(db)])
        assert report.exit_code == 0, report.output
        assert "Documents: 1" in report.output and "1 143 000" in report.output
        overlap = runner.invoke(cli, ["overlap", "--db", str(db), "--format", "json"])
        assert overlap.exit_code == 0, overlap.output
        assert sum(row["activities"] for row in json.loads(overlap.output)["matrix"]) > 0
        export = runner.invoke(cli, ["export", "--db", str(db), "--out", str(tmp_path / "export")])
        assert export.exit_code == 0, export.output
        assert len((tmp_path / "export" / "activities.csv").read_text("utf-8").splitlines()) == 50

        from pipeline.browse import datasette_command, metadata_for
        from pipeline.database import can_change
        assert not can_change(db)
        metadata = tmp_path / "metadata.json"
        metadata.write_text(json.dumps(metadata_for(db)), "utf-8")
        served = subprocess.run(datasette_command(db, metadata, "127.0.0.1", 8124, immutable=True)
                                + ["--get", "/c/activities.json?_shape=array&_size=100"],
                                capture_output=True, text=True, timeout=120)
        assert served.returncode == 0, served.stderr
        assert len(json.loads(served.stdout)) == 49
    with sqlite3.connect(corpus_folder / "c.db") as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_a_db_that_is_not_sqlite_is_one_line_and_left_as_it_was(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("mina anteckningar\n", "utf-8")
    for command in (["import", str(TEXT_001)], ["report"], ["overlap"], ["export", "--out", str(tmp_path / "x")]):
        result = CliRunner().invoke(cli, [*command, "--db", str(notes)])
        assert result.exit_code == 5, command
        assert result.output.endswith(
            f"error: {notes}: not a SQLite database (give --db a corpus file, or a new file name)\n"), command
    assert notes.read_text("utf-8") == "mina anteckningar\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_new_corpus_on_a_full_disk_is_one_line_and_leaves_no_file(tmp_path):
    with mounted(tmp_path / "full", ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(tmp_path / "full")]) \
            as disk:
        with open(disk / "filler", "wb") as filler, suppress(OSError):
            filler.write(b"\0" * 128 * 1024)   # fills the disk
        db = disk / "new.db"
        result = CliRunner().invoke(cli, ["import", str(TEXT_001), "--db", str(db)])
        assert result.exit_code == 5
        assert result.output.endswith(f"error: {db}: disk full: the corpus cannot be written there\n")
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]


def test_a_read_only_command_on_a_missing_corpus_says_so_and_creates_nothing(tmp_path):
    db = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["report", "--db", str(db)])
    assert result.exit_code == 5
    assert result.output == f"error: {db}: no corpus yet (run 'plans import' first)\n"
    assert not db.exists()


