"""Import many files into the corpus: skip what is already there, keep going past bad files."""
from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from core.errors import InputError, PlansError
from core.processes import die_with_parent
from core.records import ProcessedDocument, sha256_of
from extractors.detect import TEXT_SUFFIXES
from pipeline.cache import StageCache
from pipeline.database import open_corpus, stored_version, write_document
from pipeline.run import Options, path_text, process_file, read_file
from pipeline.versions import changed_stages

IMPORTABLE_SUFFIXES = {".pdf", *TEXT_SUFFIXES}


@dataclass(frozen=True)
class FileResult:
    path: str
    status: str                  # imported | reimported | reprocessed | unchanged | failed
    reason: str = ""
    document_id: str | None = None
    activities: int = 0
    budget_lines: int = 0
    warnings: tuple[str, ...] = ()
    debug: str | None = None     # traceback of an unexpected error


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and every importable file under the folders given, in a stable order.
    Symlinked folders are followed (an analyst links in each county's folder), each real folder
    once, so that a link back up the tree ends instead of looping; hidden files and folders are left out."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(_files_under(path))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _files_under(folder: Path) -> Iterable[Path]:
    visited: set[str] = set()
    for root, folders, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in visited:
            folders[:] = []
            continue
        visited.add(real)
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            candidate = Path(root, name)
            if not name.startswith(".") and candidate.suffix.lower() in IMPORTABLE_SUFFIXES and candidate.is_file():
                yield candidate


def default_cache_dir(db_path: str | Path) -> Path:
    """Where the stage cache (and the page images `plans serve` shows) live unless told: 'cache'
    beside the corpus."""
    return Path(db_path).parent / "cache"


def import_files(files: list[Path], db_path: str | Path, cache_dir: str | Path | None = None,
                 force: bool = False, options: Options = Options(),
                 on_done: Callable[[FileResult], None] | None = None, replace_path: bool = False) -> list[FileResult]:
    """Import files; each document is written in one transaction. With several files to process
    and more than one job, files are processed in parallel processes (OCR then runs one page per
    process) and written here, one at a time. A file whose path holds an older content supersedes
    that document (deletes it, with `replace_path`)."""
    db = open_corpus(db_path)
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
                report(FileResult(path_text(path), "failed", exc.reason))
                continue
            if sha in seen:
                report(FileResult(path_text(path), "unchanged", f"same content as {seen[sha]}", sha))
                continue
            seen[sha] = path_text(path)
            previous = _previous(db, sha, force)
            if previous is not None and not previous.changed and not previous.forced:
                report(FileResult(path_text(path), "unchanged", document_id=sha))
                continue
            if jobs == 1:  # one at a time: process the bytes already read
                report(_write(db, path, previous, _process(path, cache_dir, options, data), replace_path))
            else:
                todo.append((path, previous))
        if len(todo) > 1:
            worker_options = replace(options, jobs=1, on_ocr_page=None)
            with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=die_with_parent,
                                     initargs=(os.getpid(),)) as pool:
                futures = {pool.submit(_process, path, cache_dir, worker_options): (path, previous)
                           for path, previous in todo}
                for future in as_completed(futures):
                    path, previous = futures[future]
                    report(_write(db, path, previous, future.result(), replace_path))
        else:
            for path, previous in todo:
                report(_write(db, path, previous, _process(path, cache_dir, options), replace_path))
        results = _named_copies(db, results)
    finally:
        db.close()
    return results


def _named_copies(db, results: list[FileResult]) -> list[FileResult]:
    """Each stored file that is, once the whole batch is in, a copy of another document of its plan
    says so (a text export finished before its PDF was current only until the PDF came)."""
    stored = [r.document_id for r in results
              if r.document_id and r.status in ("imported", "reimported", "reprocessed")]
    if not stored:
        return results
    copies = {row["id"]: row["source_path"] for row in db.query(
        f"""select d.id, c.source_path from documents d join documents c on c.id = d.copy_of
            where d.id in ({', '.join('?' * len(stored))})""", stored)}
    def named(result: FileResult) -> FileResult:
        copy = f"same plan as {copies[result.document_id]}, kept as a copy"
        return replace(result, reason="; ".join(filter(None, (result.reason, copy))))
    return [named(r) if r.document_id in copies else r for r in results]


@dataclass(frozen=True)
class _Stored:
    """A document already in the corpus, and why it is to be processed again (nothing: it is not)."""
    changed: tuple[str, ...]     # stages whose code or data changed since it was stored
    forced: bool


def _previous(db, document_id: str, force: bool) -> _Stored | None:
    version = stored_version(db, document_id)
    if version is None:
        return None
    return _Stored(changed=tuple(changed_stages(version)), forced=force)


@dataclass(frozen=True)
class _Processed:
    """A file's stage outputs, or why it failed, and why the stage cache gave up on it (if it did)."""
    outcome: ProcessedDocument | FileResult
    cache_problem: str | None = None


def _process(path: Path, cache_dir: str | Path | None, options: Options, data: bytes | None = None) -> _Processed:
    """Run the stages on one file (in a worker process when parallel); errors come back as results."""
    cache = StageCache(cache_dir)
    try:
        outcome: ProcessedDocument | FileResult = process_file(path, cache=cache, options=options, data=data)
    except InputError as exc:
        outcome = FileResult(path_text(path), "failed", exc.reason)
    except PlansError as exc:
        outcome = FileResult(path_text(path), "failed", str(exc))
    except Exception as exc:
        outcome = FileResult(path_text(path), "failed", f"internal error: {type(exc).__name__}: {exc}",
                             debug=traceback.format_exc())
    return _Processed(outcome, cache.problem)


def _write(db, path: Path, previous: _Stored | None, processed: _Processed, replace_path: bool) -> FileResult:
    result = _stored(db, path, previous, processed.outcome, replace_path)
    if processed.cache_problem:
        return replace(result, warnings=(*result.warnings, processed.cache_problem))
    return result


def _stored(db, path: Path, previous: _Stored | None, processed: ProcessedDocument | FileResult,
            replace_path: bool) -> FileResult:
    if isinstance(processed, FileResult):
        return processed
    try:
        settled = write_document(db, processed, replace_path)
    except Exception as exc:
        return FileResult(path_text(path), "failed", f"could not write to the corpus: {type(exc).__name__}: {exc}",
                          debug=traceback.format_exc())
    if previous is None:
        status, reason = "imported", ""
    elif previous.forced:
        status, reason = "reimported", ""
    else:
        status, reason = "reprocessed", f"pipeline changed: {', '.join(previous.changed)}"
    if settled.superseded:
        done = "deleted" if settled.replaced else "kept as superseded"
        reason = "; ".join(filter(None, (reason, f"new content of its path: the older {done}")))
    if processed.plan.coverage_note:
        reason = "; ".join(filter(None, (reason, processed.plan.coverage_note)))
    return FileResult(path_text(path), status, reason, document_id=processed.plan.sha256,
                      activities=len(processed.plan.activities), budget_lines=len(processed.plan.budget_lines),
                      warnings=tuple(processed.plan.warnings))
