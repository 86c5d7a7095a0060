"""OCR speed: pages per second with --jobs 1 and --jobs 2, and proof that a second import does no OCR.

    .venv/bin/python bench/bench_ocr.py [PDF]

Prints figures; asserts nothing (tests never time anything).
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors import ocr  # noqa: E402
from pipeline.batch import import_files  # noqa: E402
from pipeline.run import Options  # noqa: E402

DEFAULT = ROOT / "tests/fixtures/scan/001_verksamhetsplan_jonkoping_2021-2023_scan.pdf"


def side_by_side(data: bytes, pages: list[int]) -> None:
    """Per page, one core each: the whole OCR step of the pipeline (orientation when needed, deskew,
    rulings, Tesseract) against a bare `tesseract page.png - -l swe --psm 3` on the same 300 dpi
    greyscale image; rendering excluded on both sides."""
    import subprocess

    import pypdfium2
    document = pypdfium2.PdfDocument(data)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    os.environ["OMP_THREAD_LIMIT"] = "1"
    ours = bare = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for number in pages:
            image = document[number - 1].render(scale=ocr.DPI / 72, grayscale=True).to_pil().convert("L")
            png = Path(tmp) / f"page{number}.png"
            image.save(png)
            start = time.perf_counter()
            subprocess.run(["tesseract", str(png), "-", "-l", ocr.LANGUAGE, "--psm", "3"], env=env,
                           capture_output=True, check=True)
            bare += time.perf_counter() - start
            start = time.perf_counter()
            ocr.ocr_image(number, image)
            ours += time.perf_counter() - start
    print(f"per page, one core: bare tesseract {bare / len(pages):.2f} s, the pipeline's OCR step "
          f"{ours / len(pages):.2f} s ({ours / bare:.2f}x; rendering excluded on both sides)")


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    data = path.read_bytes()
    import pypdfium2
    pages = list(range(1, len(pypdfium2.PdfDocument(data)) + 1))
    print(f"file: {path.name}, {len(pages)} pages, {ocr.DPI} dpi, {os.cpu_count()} cores")
    side_by_side(data, pages)
    rates = {}
    for jobs in (1, 2):
        start = time.perf_counter()
        ocr.ocr_pages(data, pages, jobs=jobs)
        seconds = time.perf_counter() - start
        rates[jobs] = len(pages) / seconds
        print(f"--jobs {jobs}: {seconds:6.1f} s  {rates[jobs]:.2f} pages/s")
    print(f"speed-up with 2 jobs: {rates[2] / rates[1]:.2f}x")

    calls = {"n": 0}
    real = ocr.ocr_pages

    def counting(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    ocr.ocr_pages = counting
    with tempfile.TemporaryDirectory() as tmp:
        db, cache = Path(tmp) / "c.db", Path(tmp) / "cache"
        for attempt, force in (("first import", False), ("second import (--force)", True)):
            calls["n"] = 0
            start = time.perf_counter()
            import_files([path], db, cache_dir=cache, force=force, options=Options(jobs=2))
            print(f"{attempt}: {time.perf_counter() - start:6.1f} s, OCR runs: {calls['n']}")


if __name__ == "__main__":
    main()
