"""Import many files into the corpus: skip what is already there, keep going past bad files."""
from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from extractors.detect import TEXT_SUFFIXES, sha256_of
from pipeline.cache import StageCache
from pipeline.database import open_corpus, stored_version, write_document
from pipeline.errors import InputError, PlansError
from pipeline.run import PIPELINE_VERSION, Options, Processed, process_file, read_file

IMPORTABLE_SUFFIXES = {".pdf", *TEXT_SUFFIXES}


@dataclass(frozen=True)
class FileResult:
    path: str
    status: str                  # imported | reimported | unchanged | failed
    reason: str = ""
    document_id: str | None = None
    activities: int = 0
    budget_lines: int = 0
    warnings: tuple[str, ...] = ()
    debug: str | None = None     # traceback of an unexpected error


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and every importable file under the folders given, in a stable order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*")
                            if p.is_file() and p.suffix.lower() in IMPORTABLE_SUFFIXES
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def import_files(files: list[Path], db_path: str | Path, cache_dir: str | Path | None = None,
                 force: bool = False, options: Options = Options(),
                 on_done: Callable[[FileResult], None] | None = None) -> list[FileResult]:
    """Import files; each document is written in one transaction. With several files to process
    and more than one job, files are processed in parallel processes (OCR then runs one page per
    process) and written here, one at a time."""
    db = open_corpus(db_path)
    options = replace(options, corpus_db=str(db_path))
    results = []

    def report(result: FileResult) -> None:
        results.append(result)
        if on_done:
            on_done(result)

    jobs = options.jobs or os.cpu_count() or 1
    try:
        todo = []
        seen: dict[str, str] = {}
        for path in files:
            try:
                data = read_file(path)
                sha = sha256_of(data)
            except InputError as exc:
                report(FileResult(str(path), "failed", exc.reason))
                continue
            if sha in seen:
                report(FileResult(str(path), "unchanged", f"same content as {seen[sha]}", sha))
                continue
            seen[sha] = str(path)
            previous = stored_version(db, sha)
            if previous == PIPELINE_VERSION and not force:
                report(FileResult(str(path), "unchanged", document_id=sha))
                continue
            if jobs == 1:  # one at a time: process the bytes already read
                report(_write(db, path, previous, _process(path, cache_dir, options, data)))
            else:
                todo.append((path, previous))
        if len(todo) > 1:
            worker_options = replace(options, jobs=1, on_ocr_page=None)
            with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
                futures = {pool.submit(_process, path, cache_dir, worker_options): (path, previous)
                           for path, previous in todo}
                for future in as_completed(futures):
                    path, previous = futures[future]
                    report(_write(db, path, previous, future.result()))
        else:
            for path, previous in todo:
                report(_write(db, path, previous, _process(path, cache_dir, options)))
    finally:
        db.close()
    return results


def _process(path: Path, cache_dir, options: Options, data: bytes | None = None) -> Processed | FileResult:
    """Run the stages on one file (in a worker process when parallel); errors come back as results."""
    try:
        return process_file(path, cache=StageCache(cache_dir), options=options, data=data)
    except InputError as exc:
        return FileResult(str(path), "failed", exc.reason)
    except PlansError as exc:
        return FileResult(str(path), "failed", str(exc))
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
        return FileResult(str(path), "failed", f"internal error: {type(exc).__name__}: {exc}",
                          debug=traceback.format_exc())


def _write(db, path: Path, previous: str | None, processed: Processed | FileResult) -> FileResult:
    if isinstance(processed, FileResult):
        return processed
    try:
        write_document(db, processed)
    except Exception as exc:  # noqa: BLE001
        return FileResult(str(path), "failed", f"could not write to the corpus: {type(exc).__name__}: {exc}",
                          debug=traceback.format_exc())
    return FileResult(str(path), "reimported" if previous else "imported", document_id=processed.plan.sha256,
                      activities=len(processed.plan.activities), budget_lines=len(processed.plan.budget_lines),
                      warnings=tuple(processed.plan.warnings))
