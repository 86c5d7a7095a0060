"""Run every hardening probe of issue 15 against `plans` and print a table: probe, outcome, peak memory.

    .venv/bin/python scripts/fault_injection.py [--big]

Each probe runs `plans` as a subprocess on a crafted input in a temporary folder and reports the
exit status with the first error line (or what was checked), and the peak resident memory of the
process and the workers it waited for (`wait4`). Mount probes (read-only media, full disks) need
root and say so otherwise. `--big` makes the bombs as large as the issue's report (a 4 GiB content
stream, a 200 MB text export) instead of just past the limits.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import (  # noqa: E402
    alive,
    children_of,
    huge_text_export,
    one_page_pdf,
    pdf_without_to_unicode,
    random_bytes_without_nul,
    scanned_pages,
    stream_bomb,
)

PLANS = [sys.executable, "-m", "pipeline.cli"]
SEED = ROOT / "tests" / "fixtures" / "seeds" / "001_cf9b1f122b977657.txt"


@dataclass
class Outcome:
    status: int
    output: str
    peak_mb: float
    seconds: float

    def first_error(self) -> str:
        lines = [line for line in self.output.splitlines() if line.startswith(("error:", "warning:"))]
        return lines[0] if lines else (self.output.strip().splitlines() or [""])[-1]


GNU_TIME = Path("/usr/bin/time")


def run(*args: str, cwd: Path | None = None) -> Outcome:
    """`plans ARGS`, its output and its peak memory. A child's peak starts at the RSS of the process
    it was forked from, which for this script holds the crafted files it made: GNU time, a small
    process, forks the command where it is installed; otherwise the figure is an upper bound."""
    start = time.time()
    with tempfile.TemporaryFile("w+") as output, tempfile.NamedTemporaryFile("r") as peak:
        timed = [str(GNU_TIME), "-f", "%M", "-o", peak.name] if GNU_TIME.exists() else []
        process = subprocess.Popen([*timed, *PLANS, *args], stdout=output, stderr=subprocess.STDOUT,
                                   cwd=cwd or ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
        if timed:
            lines = peak.read().split()
            peak_kb = float(lines[-1]) if lines else 0.0
            text = "\n".join(line for line in text.splitlines() if not line.startswith("Command exited"))
        else:
            peak_kb = usage.ru_maxrss
    return Outcome(process.returncode, text, peak_kb / 1024, time.time() - start)


def short(text: str, width: int = 110) -> str:
    text = text.replace(str(WORK), "…")
    return text if len(text) <= width else text[:width - 1] + "…"


ROWS: list[tuple[str, str, str, str]] = []


def row(probe: str, outcome: Outcome | None, said: str) -> None:
    peak = f"{outcome.peak_mb:.0f} MB" if outcome else ""
    seconds = f"{outcome.seconds:.1f} s" if outcome else ""
    ROWS.append((probe, short(said), peak, seconds))
    print(f"{probe}: {said}", file=sys.stderr)


def imported(outcome: Outcome) -> str:
    summary = next((line for line in outcome.output.splitlines() if " imported, " in line), "")
    return summary.split(" -> ")[0]


def mount(*command: str) -> bool:
    return subprocess.run(["mount", *command], capture_output=True).returncode == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def probe_serve_while_importing(folder: Path) -> None:
    db = folder / "serve.db"
    run("import", str(SEED), "--db", str(db))
    port = free_port()
    server = subprocess.Popen([*PLANS, "serve", "--db", str(db), "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    url = f"http://127.0.0.1:{port}/serve/documents.json?_shape=array"
    counts, errors = [], 0
    for _ in range(120):
        try:
            counts.append(len(json.load(urllib.request.urlopen(url, timeout=5))))
            break
        except OSError:
            time.sleep(0.5)
    copy = folder / "serve_copy.txt"
    copy.write_text(SEED.read_text("utf-8") + "\nKopia\n", "utf-8")
    run("import", str(copy), "--db", str(db))
    try:
        counts.append(len(json.load(urllib.request.urlopen(url, timeout=5))))
        urllib.request.urlopen(f"http://127.0.0.1:{port}/serve/activities?_facet=plan_year", timeout=5).read()
    except OSError:
        errors += 1
    children = children_of(server.pid)
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    time.sleep(0.5)
    with socket.socket() as s:
        port_free = s.connect_ex(("127.0.0.1", port)) != 0
    lived = [pid for pid in children if alive(pid)]
    row("1 serve while importing", None, f"documents seen {' -> '.join(map(str, counts))}, {errors} error pages; "
        f"SIGTERM: exit {server.returncode}, port {'free' if port_free else 'STILL SERVED'}, "
        f"{len(lived)} child(ren) alive")


def probe_limits(folder: Path, big: bool) -> None:
    bomb = folder / "bomb.pdf"
    if big:   # 4 GiB of drawing instructions, compressed in pieces
        packer = zlib.compressobj(9)
        piece = b" " * 2**26
        body = b"".join(packer.compress(piece) for _ in range(64)) + packer.flush()
        bomb.write_bytes(one_page_pdf(body, compressed=True))
    else:
        bomb.write_bytes(stream_bomb(80))
    outcome = run("import", str(bomb), "--db", str(folder / "limits.db"), "--jobs", "1")
    row(f"2 PDF stream bomb ({bomb.stat().st_size // 1024} kB file)", outcome,
        f"exit {outcome.status}: {outcome.first_error()}")
    text = folder / "big.txt"
    text.write_bytes(huge_text_export(200 if big else 9))
    outcome = run("import", str(text), "--db", str(folder / "limits.db"), "--jobs", "1")
    row(f"2 text export of {text.stat().st_size // 2**20} MB", outcome,
        f"exit {outcome.status}: {outcome.first_error()}")
    largest = folder / "largest.txt"
    largest.write_bytes(huge_text_export(8)[:8 * 2**20 - 1])
    outcome = run("import", str(largest), "--db", str(folder / "largest.db"), "--jobs", "1")
    row("2 text export just under the 8 MB limit", outcome, f"exit {outcome.status}: {imported(outcome)}")
    noise = folder / "noise.bin"
    noise.write_bytes(random_bytes_without_nul(2**20))
    outcome = run("import", str(noise), "--db", str(folder / "limits.db"), "--jobs", "1")
    row("2 1 MB of random bytes without NUL", outcome, f"exit {outcome.status}: {outcome.first_error()}")


def probe_orphans(folder: Path) -> None:
    plans = folder / "many"
    plans.mkdir()
    for n in range(12):
        (plans / f"plan_{n:02d}.txt").write_text(SEED.read_text("utf-8") + f"\nKopia {n}\n", "utf-8")
    process = subprocess.Popen([*PLANS, "import", str(plans), "--db", str(folder / "kill.db"), "--jobs", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    workers: list[int] = []
    for _ in range(200):
        workers = children_of(process.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(1.0)
    lived = [pid for pid in workers if alive(pid)]
    with sqlite3.connect(folder / "kill.db") as conn:
        integrity = conn.execute("pragma integrity_check").fetchone()[0]
    row("3 kill -9 of an import with 2 workers", None,
        f"{len(workers)} workers before, {len(lived)} alive 1 s after; integrity {integrity}")


def probe_cache(folder: Path) -> None:
    db = folder / "cache.db"
    cache = folder / "cache"
    run("import", str(SEED), "--db", str(db), "--cache-dir", str(cache))
    marker = folder / "pwned"

    class Planted:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))
    with sqlite3.connect(cache / "stages.sqlite") as conn:
        conn.execute("update entries set value = ?", [pickle.dumps(Planted())])
    outcome = run("import", str(SEED), "--db", str(db), "--cache-dir", str(cache), "--force")
    row("4 pickle planted in the stage cache", outcome,
        f"exit {outcome.status}: {imported(outcome)}; code ran: {'YES' if marker.exists() else 'no'}")


def probe_storage(folder: Path) -> None:
    notes = folder / "notes.db"
    notes.write_text("anteckningar\n", "utf-8")
    outcome = run("import", str(SEED), "--db", str(notes))
    row("5 --db that is not SQLite", outcome, f"exit {outcome.status}: {outcome.first_error()}")
    if os.geteuid() != 0:
        row("5 read-only media, full disks", None, "skipped: mounting needs root")
        return
    source, media = folder / "src", folder / "ro"
    source.mkdir()
    media.mkdir()
    run("import", str(SEED), "--db", str(source / "c.db"))
    if mount("--bind", str(source), str(media)) and mount("-o", "remount,ro,bind", str(media)):
        try:
            outcome = run("import", str(SEED), "--db", str(media / "c.db"))
            row("5 import into a corpus on read-only media", outcome, f"exit {outcome.status}: {outcome.first_error()}")
            for command in (["report"], ["overlap"], ["export", "--out", str(folder / "export")]):
                outcome = run(*command, "--db", str(media / "c.db"))
                row(f"5 {command[0]} on read-only media", outcome,
                    f"exit {outcome.status}" + (f": {outcome.first_error()}" if outcome.status else ", read"))
        finally:
            subprocess.run(["umount", "-l", str(media)], capture_output=True)
    full = folder / "full"
    full.mkdir()
    if mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(full)):
        try:
            with suppress(OSError):
                (full / "filler").write_bytes(b"\0" * 2**17)   # fills the disk
            outcome = run("import", str(SEED), "--db", str(full / "new.db"))
            left = sorted(p.name for p in full.iterdir() if p.name != "filler")
            row("5 new corpus on a full disk", outcome,
                f"exit {outcome.status}: {outcome.first_error()}; left behind: {left or 'nothing'}")
            outcome = run("import", str(SEED), "--db", str(folder / "cachefull.db"), "--cache-dir", str(full / "cache"))
            row("5 stage cache on a full disk", outcome, f"exit {outcome.status}: {imported(outcome)}; "
                f"{outcome.first_error()}")
        finally:
            subprocess.run(["umount", "-l", str(full)], capture_output=True)


def probe_overlap(folder: Path) -> None:
    db = folder / "overlap.db"
    run("import", str(SEED), "--db", str(db))
    outcome = run("overlap", "--db", str(db), "--county", "Gotlands län")
    row("6 overlap filter matching nothing", outcome, f"exit {outcome.status}: {outcome.output.strip()[:80]}")
    outcome = run("overlap", "--db", str(db), "--theme", "no_such_theme")
    row("6 overlap with an unknown theme", outcome,
        f"exit {outcome.status}: {outcome.output.strip().splitlines()[-1][:100]}")


def probe_inputs(folder: Path) -> None:
    utf16 = folder / "notepad.txt"
    utf16.write_bytes(SEED.read_text("utf-8").replace("\n", "\r\n").encode("utf-16"))
    outcome = run("import", str(utf16), "--db", str(folder / "inputs.db"))
    row("7 UTF-16 text export with a BOM", outcome, f"exit {outcome.status}: {imported(outcome)}")
    latin = folder / os.fsdecode(b"plan_\xe5r.txt")
    latin.write_text(SEED.read_text("utf-8") + "\nannan\n", "utf-8")
    outcome = run("import", str(latin), "--db", str(folder / "inputs.db"))
    row("7 file name that is not UTF-8", outcome, f"exit {outcome.status}: {imported(outcome)}")
    cid = folder / "cid.pdf"
    cid.write_bytes(pdf_without_to_unicode(["Verksamhetsplan för Miljösamverkan Östergötland 2024", "",
                                            "Tillsyn av små avlopp i länets kommuner."]))
    outcome = run("import", str(cid), "--db", str(folder / "inputs.db"))
    with sqlite3.connect(folder / "inputs.db") as conn:
        method, text = conn.execute("select method, text from pages p join documents d on d.id = p.document_id "
                                    "where d.file_name = 'cid.pdf'").fetchone()
    row("7 PDF fonts without ToUnicode", outcome,
        f"exit {outcome.status}: page read by {method}: {text.splitlines()[0]!r}")


def probe_reasons(folder: Path) -> None:
    huge, blank = folder / "huge.pdf", folder / "blank.pdf"
    huge.write_bytes(scanned_pages(1100, 1100))
    blank.write_bytes(scanned_pages(210, 297))
    fifo = folder / "fifo.pdf"
    os.mkfifo(fifo)
    for probe, path in (("8 page too large to OCR", huge), ("8 scan OCR reads nothing on", blank),
                        ("8 FIFO named .pdf", fifo), ("8 path that does not exist", folder / "gone.pdf")):
        outcome = run("import", str(path), str(SEED), "--db", str(folder / "reasons.db"))
        row(probe, outcome, f"exit {outcome.status}: {outcome.first_error()}; {imported(outcome)}")
    linked = folder / "linked"
    (folder / "elsewhere").mkdir()
    (folder / "elsewhere" / "plan.txt").write_text(SEED.read_text("utf-8") + "\nlänkad\n", "utf-8")
    linked.mkdir()
    (linked / "jonkoping").symlink_to(folder / "elsewhere")
    (folder / "elsewhere" / "up").symlink_to(linked)
    outcome = run("import", str(linked), "--db", str(folder / "links.db"))
    row("8 symlinked folder (with a link back up)", outcome, f"exit {outcome.status}: {imported(outcome)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="bombs as large as the issue's report")
    args = parser.parse_args()
    global WORK
    with tempfile.TemporaryDirectory() as name:
        WORK = Path(name)
        for probe in (probe_serve_while_importing, probe_orphans, probe_cache, probe_storage, probe_overlap,
                      probe_inputs, probe_reasons):
            folder = WORK / probe.__name__
            folder.mkdir()
            probe(folder)
        folder = WORK / "limits"
        folder.mkdir()
        probe_limits(folder, args.big)
    print("| probe | outcome | peak memory | time |")
    print("|---|---|---|---|")
    for r in ROWS:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} |")


WORK = Path(tempfile.gettempdir())

if __name__ == "__main__":
    main()
