"""The corpus survives a killed import and two imports at once; limits fail with clear messages."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import TEXT_001

PLANS = [sys.executable, "-m", "pipeline.cli"]


def _variants(folder: Path, count: int) -> list[Path]:
    """Distinct files (distinct hashes) with the content of seed 001: 49 activities, 12 budget lines each."""
    text = TEXT_001.read_text("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"plan_{n:03d}.txt"
        path.write_text(text + f"\nKopia {n}\n", encoding="utf-8")
        paths.append(path)
    return paths


def _counts(db_path: Path) -> dict:
    with sqlite3.connect(db_path) as conn:
        return {
            "documents": conn.execute("select count(*) from documents").fetchone()[0],
            "activities": conn.execute("select count(*) from activities").fetchone()[0],
            "budget_lines": conn.execute("select count(*) from budget_lines").fetchone()[0],
            "partial": conn.execute("""select count(*) from documents d where
                (select count(*) from activities a where a.document_id = d.id) != 49
                or (select count(*) from budget_lines b where b.document_id = d.id) != 12
                or (select count(*) from pages p where p.document_id = d.id) != d.page_count""").fetchone()[0],
            "integrity": conn.execute("pragma integrity_check").fetchone()[0],
            "duplicate_activities": conn.execute(
                "select count(*) - count(distinct document_id || ':' || ordinal) from activities").fetchone()[0],
        }


@pytest.mark.slow
def test_sigkill_mid_batch_leaves_whole_documents_and_a_rerun_completes(tmp_path):
    files = _variants(tmp_path / "plans", 30)
    db_path = tmp_path / "corpus.db"
    process = subprocess.Popen([*PLANS, "import", str(tmp_path / "plans"), "--db", str(db_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.1)
        if db_path.exists():
            try:
                with sqlite3.connect(db_path, timeout=1) as conn:
                    if conn.execute("select count(*) from documents").fetchone()[0] >= 3:
                        break
            except sqlite3.OperationalError:
                continue
    process.send_signal(signal.SIGKILL)
    process.wait()
    after_kill = _counts(db_path)
    assert after_kill["integrity"] == "ok"
    assert 3 <= after_kill["documents"] < len(files)
    assert after_kill["partial"] == 0
    assert after_kill["activities"] == 49 * after_kill["documents"]

    rerun = subprocess.run([*PLANS, "import", str(tmp_path / "plans"), "--db", str(db_path)],
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(files) - after_kill['documents']} imported, 0 reimported, {after_kill['documents']} unchanged" \
        in rerun.stdout
    final = _counts(db_path)
    assert final == {"documents": 30, "activities": 30 * 49, "budget_lines": 30 * 12, "partial": 0,
                     "integrity": "ok", "duplicate_activities": 0}


@pytest.mark.slow
def test_two_imports_at_once_both_finish(tmp_path):
    files = _variants(tmp_path / "plans", 16)
    db_path = tmp_path / "corpus.db"
    first = subprocess.Popen([*PLANS, "import", *map(str, files[:10]), "--db", str(db_path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen([*PLANS, "import", *map(str, files[6:]), "--db", str(db_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outputs = [first.communicate(timeout=300), second.communicate(timeout=300)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    final = _counts(db_path)
    assert final == {"documents": 16, "activities": 16 * 49, "budget_lines": 16 * 12, "partial": 0,
                     "integrity": "ok", "duplicate_activities": 0}
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_too_many_pages_fails_with_the_limit(monkeypatch):
    from core.errors import InputError
    from extractors import pdf
    from tests.conftest import PDF_001
    monkeypatch.setattr(pdf, "MAX_PAGES", 5)
    with pytest.raises(InputError) as error:
        pdf.extract_pdf(PDF_001.read_bytes(), str(PDF_001))
    assert error.value.reason == "too many pages (11; the limit is 5)"


def test_embedded_image_bomb_is_refused_before_rendering():
    from dataclasses import replace

    from core.records import Page
    from extractors import ocr
    page = Page(page_no=1, text="", raw_text="", image_count=1, largest_image_pixels=40_000 * 40_000)
    refused = ocr.refuse_oversized([page, replace(page, page_no=2, largest_image_pixels=2480 * 3508)])
    assert list(refused) == [1]
    assert refused[1].error == "embedded image too large to OCR (1600 megapixels, limit 150)"


def test_hostile_inputs_are_refused_before_the_expensive_work_each_with_one_line(tmp_path):
    """Issue 15 item 2: a PDF whose page inflates to gigabytes, a text export too large to be a plan,
    and random bytes without a NUL byte are each one failed line; the rest of the batch imports."""
    from click.testing import CliRunner

    from extractors.detect import MAX_TEXT_BYTES
    from pipeline.cli import cli
    from tests.hostile import huge_text_export, random_bytes_without_nul, stream_bomb
    bomb, big, noise = tmp_path / "bomb.pdf", tmp_path / "big.txt", tmp_path / "noise.txt"
    bomb.write_bytes(stream_bomb(80))
    big.write_bytes(huge_text_export(MAX_TEXT_BYTES // 2**20 + 1))
    noise.write_bytes(random_bytes_without_nul(2**20))
    db_path = tmp_path / "c.db"
    result = CliRunner().invoke(cli, ["import", str(bomb), str(big), str(noise), str(TEXT_001), "--db", str(db_path),
                                      "--jobs", "1"])
    assert result.exit_code == 1
    assert (f"error: {bomb}: PDF stream of object 4 inflates to more than 64 MB, the limit for drawing "
            "instructions (a compression bomb or a damaged file)\n") in result.output
    assert f"error: {big}: text export too large (9 MB; the limit is 8 MB)\n" in result.output
    assert f"error: {noise}: not text: 23% of its characters are control codes (a binary file?)\n" in result.output
    assert "1 imported, 0 reimported, 0 unchanged, 3 failed" in result.output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*), sum(page_count) from documents").fetchone() == (1, 1)
        assert conn.execute("select count(*) from activities").fetchone()[0] == 49


def test_a_stream_bomb_is_found_through_two_flate_filters_and_real_plans_pass():
    from extractors.pdf_streams import MAX_INFLATED_STREAM, oversized_stream
    from tests.conftest import PDF_001
    from tests.hostile import one_page_pdf, stream_bomb
    number, inflated = oversized_stream(one_page_pdf(b" " * (100 * 2**20), "/FlateDecode /FlateDecode"))
    assert number == 4 and MAX_INFLATED_STREAM < inflated <= MAX_INFLATED_STREAM + 2**20
    assert oversized_stream(PDF_001.read_bytes()) is None
    assert oversized_stream(stream_bomb(32)) is None      # large, but within the limit


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_kill_9_of_a_parallel_import_leaves_no_worker_behind(tmp_path):
    """Issue 15 item 3: pool workers (hundreds of MB each) die with the import that started them."""
    from tests.hostile import alive, children_of
    _variants(tmp_path / "plans", 12)
    process = subprocess.Popen([*PLANS, "import", str(tmp_path / "plans"), "--db", str(tmp_path / "c.db"),
                                "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    workers: list[int] = []
    while time.time() < deadline and len(workers) < 2:
        time.sleep(0.05)
        workers = children_of(process.pid)
    assert len(workers) >= 2, "the import never started its workers"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.1)
    assert [pid for pid in workers if alive(pid)] == []
    with sqlite3.connect(tmp_path / "c.db") as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
