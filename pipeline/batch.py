"""Import many files into the corpus: skip what is already there, keep going past bad files."""
from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from extractors.detect import TEXT_SUFFIXES, sha256_of
from pipeline.cache import StageCache
from pipeline.context import corpus_repairer
from pipeline.database import open_corpus, stored_version, write_document
from pipeline.errors import InputError, PlansError
from pipeline.run import PIPELINE_VERSION, Options, process_file, read_file

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
    db = open_corpus(db_path)
    cache = StageCache(cache_dir)
    if options.diacritics is None:
        repairer, key = corpus_repairer(db)
        if repairer is not None:
            options = replace(options, diacritics=repairer, diacritics_key=key)
    results = []
    seen: dict[str, str] = {}
    try:
        for result in _import_each(db, cache, files, force, options, seen):
            results.append(result)
            if on_done:
                on_done(result)
    finally:
        db.close()
    return results


def _import_each(db, cache, files, force, options, seen) -> Iterator[FileResult]:
    for path in files:
        try:
            data = read_file(path)
            sha = sha256_of(data)
            if sha in seen:
                yield FileResult(str(path), "unchanged", f"same content as {seen[sha]}", sha)
                continue
            seen[sha] = str(path)
            previous = stored_version(db, sha)
            if previous == PIPELINE_VERSION and not force:
                yield FileResult(str(path), "unchanged", document_id=sha)
                continue
            processed = process_file(path, cache=cache, options=options, data=data)
            write_document(db, processed)
            yield FileResult(str(path), "reimported" if previous else "imported", document_id=sha,
                             activities=len(processed.plan.activities),
                             budget_lines=len(processed.plan.budget_lines),
                             warnings=tuple(processed.plan.warnings))
        except InputError as exc:
            yield FileResult(str(path), "failed", exc.reason)
        except PlansError as exc:
            yield FileResult(str(path), "failed", str(exc))
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
            yield FileResult(str(path), "failed", f"internal error: {type(exc).__name__}: {exc}",
                             debug=traceback.format_exc())
