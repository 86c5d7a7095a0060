"""Run the stages on one file: extract -> repair -> parse -> normalise, each cached by file hash."""
from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from core.errors import InputError, MissingDependencyError, PlansError
from core.records import ExtractedDocument, NormalisedPlan, ParsedPlan, ProcessedDocument, sha256_of
from extractors import extract_bytes, ocr
from extractors.detect import HEAD_BYTES, size_refusal
from extractors.quality import poor_below, unmapped_glyphs
from normalizers.diacritics import DiacriticRepairer
from parsers import parse_document
from pipeline.cache import StageCache
from pipeline.normalise import normalise_plan
from pipeline.repair import diacritic_mode, repair_document
from pipeline.versions import pipeline_version

OCR_MODES = ("auto", "always", "never")


@dataclass(frozen=True)
class Options:
    ocr: str = "auto"                 # auto | always | never
    jobs: int | None = None           # OCR processes; None = all cores
    password: str | None = None
    on_ocr_page: Callable[[int, int], None] | None = None   # (pages done, pages to do)


@dataclass(frozen=True)
class RepairContext:
    """A diacritic repairer with context from outside the document (`plans reprocess`: the rest of
    the corpus), and a label for it in `documents.pipeline_version`. Its results are not cached."""
    repairer: DiacriticRepairer
    label: str


def path_text(path: str | Path) -> str:
    """The path as text the corpus can store: a name that is not UTF-8 (a file from an old
    Windows archive) keeps its other bytes as escapes ('plan_\\xe5r.txt'), not as surrogates
    that SQLite cannot encode."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def read_file(path: str | Path) -> bytes:
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(path_text(path), "is a folder, not a file")
        if not stat.S_ISREG(mode):   # reading a FIFO waits for a writer forever
            raise InputError(path_text(path), "not a regular file (a pipe, socket or device)")
        with open(path, "rb") as file:
            head = file.read(HEAD_BYTES)
            refusal = size_refusal(head, os.fstat(file.fileno()).st_size)
            if refusal:
                raise InputError(path_text(path), refusal)
            return head + file.read()
    except FileNotFoundError as exc:
        raise InputError(path_text(path), "no such file or folder") from exc
    except OSError as exc:
        raise InputError(path_text(path), f"cannot read file ({exc.strerror})") from exc


def pages_to_ocr(doc: ExtractedDocument, mode: str) -> list[int]:
    """auto: pages without text that carry an image, pages whose text layer is poor and that carry
    an image to read again, and pages whose fonts do not map their glyphs to letters (rendered,
    the glyphs can be read); always: every page of a PDF; never: none."""
    if doc.source_kind != "pdf" or mode == "never":
        return []
    if mode == "always":
        return [page.page_no for page in doc.pages]
    threshold = poor_below()
    return [page.page_no for page in doc.pages if unmapped_glyphs(page.text) or (page.image_count and (
        not page.text.strip() or (page.quality is not None and page.quality < threshold)))]


def mark_poor_layers(doc: ExtractedDocument) -> ExtractedDocument:
    """A poor text layer that OCR could not redo is kept, and marked for diacritic repair."""
    threshold = poor_below()
    poor = [p.page_no for p in doc.pages if p.method == "text" and p.quality is not None and p.quality < threshold]
    if not poor:
        return doc
    pages = tuple(replace(p, needs_diacritic_repair=True) if p.page_no in poor else p for p in doc.pages)
    note = (f"poor text layer on {len(poor)} of {doc.page_count} pages and no image to OCR again: "
            f"kept and marked for diacritic repair")
    return replace(doc, pages=pages, warnings=(*doc.warnings, note))


def process_file(path: str | Path, cache: StageCache | None = None, options: Options = Options(),
                 data: bytes | None = None, context: RepairContext | None = None) -> ProcessedDocument:
    """extract (and OCR) -> repair -> parse -> normalise, each stage's output cached under the
    versions of the stages it came through. The result depends on the file and the code alone,
    unless a `context` is given."""
    if options.ocr not in OCR_MODES:
        raise PlansError(f"unknown OCR mode {options.ocr!r}: use one of {', '.join(OCR_MODES)}")
    cache = cache or StageCache(None)
    source = path_text(path)
    data = read_file(path) if data is None else data
    sha = sha256_of(data)
    key = f"{sha}-pw" if options.password else sha
    stages = ["extract"]

    extracted = cache.run("extract", pipeline_version(stages), key,
                          lambda: extract_bytes(data, source, password=options.password), ExtractedDocument)
    targets = pages_to_ocr(extracted, options.ocr)
    if targets:
        stages.append("ocr")
        try:
            ocr.check_tesseract()
        except MissingDependencyError as exc:
            raise InputError(source, str(exc)) from exc
        refused = ocr.refuse_oversized([p for p in extracted.pages if p.page_no in targets])
        readable = [n for n in targets if n not in refused]
        progress = _progress(options.on_ocr_page, len(readable))
        results = cache.run("ocr", pipeline_version(stages), f"{key}-{_pages_key(readable)}",
                            lambda: ocr.ocr_pages(data, readable, password=options.password, jobs=options.jobs,
                                                  on_page=progress), dict) if readable else {}
        extracted = ocr.apply_ocr(extracted, {**results, **refused})
    extracted = mark_poor_layers(extracted)
    check_has_text(extracted)

    key = f"{key}-{_pages_key(targets)}"
    stages.append("repair")
    diacritics = None
    if any(diacritic_mode(page) for page in extracted.pages):
        stages.append("diacritics")
        diacritics = context.repairer if context else plain_repairer()
    if context is not None and diacritics is not None:
        cache = StageCache(None)
    repaired = cache.run("repair", pipeline_version(stages), key, lambda: repair_document(extracted, diacritics),
                         ExtractedDocument)
    stages.append("parse")
    parsed = cache.run("parse", pipeline_version(stages), key, lambda: parse_document(repaired), ParsedPlan)
    stages.append("normalise")
    plan = cache.run("normalise", pipeline_version(stages), key, lambda: normalise_plan(parsed), NormalisedPlan)

    version = pipeline_version(stages)
    if context is not None and diacritics is not None:
        version += f" context:{context.label}"
    # The cache is keyed by content: the same bytes may arrive under another name.
    name = Path(source).name
    repaired = replace(repaired, source_path=source, file_name=name)
    plan = replace(plan, source_path=source, file_name=name)
    return ProcessedDocument(document=repaired, plan=plan, pipeline_version=version)


@lru_cache(maxsize=1)
def plain_repairer() -> DiacriticRepairer:
    """The diacritic repairer of every import: the lexicon and the shipped usage phrases, no corpus
    (its context within a document comes from the document itself)."""
    return DiacriticRepairer()


def _pages_key(pages: list[int]) -> str:
    return "ocr" + hashlib.sha1(",".join(map(str, pages)).encode()).hexdigest()[:10] if pages else "text"


def _progress(callback: Callable[[int, int], None] | None, total: int) -> Callable[[object], None] | None:
    if callback is None:
        return None
    done = [0]

    def page_done(_result: object) -> None:
        done[0] += 1
        callback(done[0], total)
    return page_done


def check_has_text(doc: ExtractedDocument) -> None:
    """A document without a word on any page fails, saying what became of its pages."""
    if any(page.text.strip() for page in doc.pages):
        return
    refused = [page for page in doc.pages if page.error]
    read_to_nothing = sum(1 for page in doc.pages if page.method == "ocr" and not page.error)
    unread = sum(1 for page in doc.pages if page.image_count and page.method != "ocr")
    if not (refused or read_to_nothing or unread):
        raise InputError(doc.source_path, f"no text found on any page ({doc.page_count} blank pages, no images)")
    reasons = []
    if refused:
        errors = sorted({page.error for page in refused if page.error})
        reasons.append(f"{len(refused)} refused for OCR ({'; '.join(errors)})")
    if read_to_nothing:
        reasons.append(f"{read_to_nothing} read by OCR to no text (blank, or too faint to read)")
    if unread:
        reasons.append(f"{unread} scanned without a text layer: OCR is needed")
    pages = "1 page" if doc.page_count == 1 else f"{doc.page_count} pages"
    raise InputError(doc.source_path, f"no text on any of {pages}: {', '.join(reasons)}")
