"""Corpus benchmarks (prints figures; tests never time anything).

    .venv/bin/python bench/bench_corpus.py [--scale-docs 20000] [--scale-activities 500000] [--only N]

1. Born-digital PDFs, ruled (the fixtures) and unruled (tests/layouts.py): a whole
   `plans import --jobs 1` (database included) against pdfplumber alone (extract_text +
   extract_tables) over the same pages, both on one core with one BLAS/OpenMP thread, as ratios:
   process against process (each side's start-up included), against pdfplumber's loop alone, and
   per page after our start-up.
2. Re-import of an unchanged corpus of 200 documents (hash and skip).
3. Peak RSS of `plans import` for 10 and for 200 documents.
4. Scale: a synthetic corpus written straight into SQLite; `plans overlap` and each canned query timed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLANS = [sys.executable, "-m", "pipeline.cli"]
PDFS = sorted((ROOT / "tests/fixtures/pdf").glob("*.pdf"))
SEED_001 = ROOT / "tests/fixtures/seeds/001_cf9b1f122b977657.txt"


def copies_of_pdfs(folder: Path, copies: int) -> list[Path]:
    """Distinct files (a comment after %%EOF changes the hash, not the content)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(copies):
        for pdf in PDFS:
            path = folder / f"{pdf.stem}_{n:03d}.pdf"
            path.write_bytes(pdf.read_bytes() + f"\n% copy {n}\n".encode())
            paths.append(path)
    return paths


def copies_of_text(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED_001.read_text("utf-8")
    for n in range(count):
        (folder / f"plan_{n:04d}.txt").write_text(text + f"\nKopia {n}\n", encoding="utf-8")
    return folder


def timed_import(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Seconds and peak RSS (MiB) of one `plans import` in its own process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    out = subprocess.run([sys.executable, "-c", probe, *PLANS, "import", *args], capture_output=True, text=True,
                         env=env)
    seconds, rss_kib, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"plans import failed: {args}")
    return float(seconds), int(rss_kib) // 1024


REPEATS = 3
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_PDFPLUMBER_ALONE = """
import sys, time, pdfplumber
pages, start = 0, time.perf_counter()
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            pages += 1
print(pages, time.perf_counter() - start)
"""


def unruled_pdfs(folder: Path, copies: int) -> list[Path]:
    """Plans whose tables have no vertical rules (tests/layouts.py), as distinct files."""
    from tests import layouts
    folder.mkdir(parents=True, exist_ok=True)
    kinds = {"unruled": layouts.unruled_activities(), "rules": layouts.unruled_activities("rules"),
             "zebra": layouts.unruled_activities("zebra"), "category": layouts.category_column_title_second(),
             "budget": layouts.multi_year_budget()}
    paths = []
    for n in range(copies):
        for name, data in kinds.items():
            path = folder / f"{name}_{n:03d}.pdf"
            path.write_bytes(data + f"\n% copy {n}\n".encode())
            paths.append(path)
    return paths


def born_digital(tmp: Path) -> None:
    """Both sides on one core: one process, `--jobs 1`, one BLAS/OpenMP thread."""
    env = {**os.environ, **ONE_CORE}
    print(f"1. born-digital, one core each side (plans import --jobs 1; BLAS/OpenMP threads 1), best of {REPEATS}")
    for name, files in (("ruled fixture PDFs", copies_of_pdfs(tmp / "pdfs", 10)),
                        ("unruled plans", unruled_pdfs(tmp / "unruled", 48))):
        folder = files[0].parent
        one = files[0]
        alone_runs, import_runs, one_runs = [], [], []
        # best of three of each (this machine's timings vary by a fifth between runs), alternating sides
        for run in range(REPEATS):
            process_start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", _PDFPLUMBER_ALONE, *map(str, files)], capture_output=True,
                                 text=True, env=env, check=True)
            alone_runs.append((time.perf_counter() - process_start, float(out.stdout.split()[1])))
            pages = int(out.stdout.split()[0])
            import_runs.append(timed_import([str(folder), "--db", str(tmp / f"{folder.name}-{run}.db"),
                                             "--cache-dir", str(tmp / f"{folder.name}-{run}-cache"), "--jobs", "1"],
                                            env=env)[0])
            # start-up (imports, spaCy's tokenizer, stage versions) measured as the import of one file
            one_runs.append(timed_import([str(one), "--db", str(tmp / f"{folder.name}-one-{run}.db"), "--cache-dir",
                                          str(tmp / f"{folder.name}-one-{run}-cache"), "--jobs", "1"], env=env)[0])
        alone_process, alone = min(r[0] for r in alone_runs), min(r[1] for r in alone_runs)
        seconds, start_up = min(import_runs), min(one_runs)
        one_pages = int(subprocess.run([sys.executable, "-c", _PDFPLUMBER_ALONE, str(one)], capture_output=True,
                                       text=True, env=env, check=True).stdout.split()[0])
        per_page = (seconds - start_up) / (pages - one_pages)
        print(f"   {name}: {len(files)} PDFs, {pages} pages; pdfplumber alone (extract_text + extract_tables) "
              f"{pages / alone:.1f} pages/s in its loop, {alone_process:.1f} s as a whole process (Python and "
              f"pdfplumber's import included); whole plans import, database included, {seconds:.1f} s, "
              f"{pages / seconds:.1f} pages/s")
        print(f"      ratios (> 1 is faster than pdfplumber alone): whole process against whole process "
              f"{alone_process / seconds:.2f}; whole import against pdfplumber's loop {alone / seconds:.2f}; "
              f"after our start-up of {start_up:.1f} s (one file), {1 / per_page:.1f} pages/s, "
              f"{alone / pages / per_page:.2f}")


def reimport(tmp: Path) -> None:
    folder = copies_of_text(tmp / "texts200", 200)
    db = tmp / "texts.db"
    first, _ = timed_import([str(folder), "--db", str(db)])
    again, _ = timed_import([str(folder), "--db", str(db)])
    print(f"2. 200 text plans: first import {first:.1f} s; re-import of the unchanged corpus {again:.2f} s")


def memory(tmp: Path) -> None:
    results = {}
    for count in (10, 200):
        folder = copies_of_text(tmp / f"mem{count}", count)
        _, rss = timed_import([str(folder), "--db", str(tmp / f"mem{count}.db"), "--cache-dir", str(tmp / f"c{count}")])
        results[count] = rss
    print(f"3. peak RSS of plans import: {results[10]} MiB for 10 documents, {results[200]} MiB for 200")


def synthetic(tmp: Path, documents: int, activities: int) -> None:
    from normalizers.counties import county_names
    from normalizers.themes import themes
    from pipeline.database import open_corpus
    from pipeline.overlap import overlap

    path = tmp / "scale.db"
    db = open_corpus(path)
    counties, theme_ids = county_names(), [t.id for t in themes()]
    rng = random.Random(7)
    start = time.perf_counter()
    conn = db.conn
    conn.execute("BEGIN")
    per_document = activities // documents
    activity_id = 0
    for d in range(documents):
        doc_id = f"{d:064x}"
        county = counties[d % len(counties)]
        year = 2010 + d % 17
        conn.execute("insert into documents (id, file_name, title, county, doc_type, year_from, year_to, page_count,"
                     " extraction) values (?, ?, ?, ?, 'verksamhetsplan', ?, ?, 10, 'text')",
                     [doc_id, f"plan_{d}.pdf", f"Verksamhetsplan {county} {year}", county, year, year + 2])
        conn.execute("insert into document_counties values (?, ?)", [doc_id, county])
        rows, theme_rows, theme_county_rows = [], [], []
        for k in range(per_document):
            activity_id += 1
            theme = theme_ids[rng.randrange(len(theme_ids))]
            rows.append((activity_id, doc_id, k + 1, year + k % 3, f"Aktivitet {k} om {theme}",
                         f"aktivitet {theme} tillsyn"))
            theme_rows.append((activity_id, theme))
            theme_county_rows.append((activity_id, theme, county, year + k % 3, doc_id))
        conn.executemany("insert into activities (id, document_id, ordinal, plan_year, title, lemmas)"
                         " values (?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("insert into activity_themes values (?, ?)", theme_rows)
        conn.executemany("insert into activity_theme_counties values (?, ?, ?, ?, ?)", theme_county_rows)
        conn.executemany("insert into budget_lines (id, document_id, ordinal, budget_year, section, label, amount_sek,"
                         " is_total) values (?, ?, ?, ?, ?, ?, ?, ?)",
                         [(d * 10 + 1, doc_id, 1, year, "income", "Summa intäkter", 1_000_000, 1),
                          (d * 10 + 2, doc_id, 2, year, "cost", "Summa kostnader", 950_000, 1)])
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    print(f"4. synthetic corpus: {documents} documents, {activity_id} activities written in "
          f"{time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    overlap(db)
    print(f"   plans overlap (whole corpus): {time.perf_counter() - start:.2f} s")
    metadata = json.loads((ROOT / "pipeline/datasette/metadata.json").read_text("utf-8"))
    params = {"theme": "small_sewage", "year_from": "2015", "year_to": "2020", "county_a": counties[0],
              "county_b": counties[1], "document": "plan_1.pdf"}
    reader = sqlite3.connect(path)
    for name, query in metadata["databases"]["corpus"]["queries"].items():
        start = time.perf_counter()
        rows = reader.execute(f"select * from ({query['sql']}) limit 1001", params).fetchall()
        seconds = time.perf_counter() - start
        print(f"   canned query {name:<22} {seconds:.2f} s ({len(rows)} rows, Datasette's limit 1000)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale-docs", type=int, default=20_000)
    parser.add_argument("--scale-activities", type=int, default=500_000)
    parser.add_argument("--only", type=int, choices=[1, 2, 3, 4], action="append",
                        help="run only these sections (repeatable)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    sections = set(args.only or [1, 2, 3, 4])
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if 1 in sections:
            born_digital(tmp)
        if 2 in sections:
            reimport(tmp)
        if 3 in sections:
            memory(tmp)
        if 4 in sections:
            synthetic(tmp, args.scale_docs, args.scale_activities)


if __name__ == "__main__":
    main()
