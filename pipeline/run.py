"""Run the stages on one file: extract -> repair -> parse -> normalise, each cached by file hash."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import extractors as extract_stage
from extractors import ExtractedDocument, extract_bytes, ocr
from extractors.detect import sha256_of
from extractors.quality import poor_below
from normalizers import plan as normalise_stage
from normalizers.diacritics import DiacriticRepairer
from normalizers import text_repair as repair_stage
from parsers import Plan, parse_document
from parsers import plan as parse_stage
from pipeline.cache import StageCache
from pipeline.context import repairer_for
from pipeline.errors import InputError, MissingDependencyError, PlansError

EXTRACT_VERSION = extract_stage.VERSION
PIPELINE_VERSION = (f"extract{EXTRACT_VERSION}.ocr{ocr.VERSION}.repair{repair_stage.VERSION}"
                    f".parse{parse_stage.VERSION}.normalise{normalise_stage.VERSION}")
OCR_MODES = ("auto", "always", "never")


@dataclass(frozen=True)
class Processed:
    document: ExtractedDocument   # repaired pages (raw_text kept as extracted or OCR'd)
    plan: Plan


@dataclass(frozen=True)
class Options:
    ocr: str = "auto"                 # auto | always | never
    jobs: int | None = None           # OCR processes; None = all cores
    password: str | None = None
    on_ocr_page: Callable[[int, int], None] | None = None   # (pages done, pages to do)
    corpus_db: str | None = None      # a corpus whose clean text is the diacritic repair's context


def read_file(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except IsADirectoryError as exc:
        raise InputError(str(path), "is a folder, not a file") from exc
    except OSError as exc:
        raise InputError(str(path), f"cannot read file ({exc.strerror})") from exc


def pages_to_ocr(doc: ExtractedDocument, mode: str) -> list[int]:
    """auto: pages without text that carry an image, and pages whose text layer is poor and that
    carry an image to read again; always: every page of a PDF; never: none."""
    if doc.source_kind != "pdf" or mode == "never":
        return []
    if mode == "always":
        return [page.page_no for page in doc.pages]
    threshold = poor_below()
    return [page.page_no for page in doc.pages if page.image_count and (
        not page.text.strip() or (page.quality is not None and page.quality < threshold))]


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
                 data: bytes | None = None) -> Processed:
    if options.ocr not in OCR_MODES:
        raise PlansError(f"unknown OCR mode {options.ocr!r}: use one of {', '.join(OCR_MODES)}")
    cache = cache or StageCache(None)
    source = str(path)
    data = read_file(path) if data is None else data
    sha = sha256_of(data)
    key = f"{sha}-pw" if options.password else sha

    extracted = cache.run("extract", EXTRACT_VERSION, key,
                          lambda: extract_bytes(data, source, password=options.password))
    targets = pages_to_ocr(extracted, options.ocr)
    if targets:
        try:
            ocr.check_tesseract()
        except MissingDependencyError as exc:
            raise InputError(source, str(exc)) from exc
        refused = ocr.refuse_oversized([p for p in extracted.pages if p.page_no in targets])
        readable = [n for n in targets if n not in refused]
        progress = _progress(options.on_ocr_page, len(readable))
        results = cache.run("ocr", f"{EXTRACT_VERSION}.{ocr.VERSION}", f"{key}-{_pages_key(readable)}",
                            lambda: ocr.ocr_pages(data, readable, password=options.password, jobs=options.jobs,
                                                  on_page=progress)) if readable else {}
        extracted = ocr.apply_ocr(extracted, {**results, **refused})
    extracted = mark_poor_layers(extracted)
    check_has_text(extracted)

    key = f"{key}-{_pages_key(targets)}"
    diacritics = None
    if any(repair_stage.diacritic_mode(page) for page in extracted.pages):
        diacritics, context_key = repairer_for(options.corpus_db)
        diacritics = diacritics or plain_repairer()
        key += "-" + context_key
    chain = f"{EXTRACT_VERSION}.{ocr.VERSION}.{repair_stage.VERSION}"
    repaired = cache.run("repair", chain, key, lambda: repair_stage.repair_document(extracted, diacritics))
    chain += "." + parse_stage.VERSION
    parsed = cache.run("parse", chain, key, lambda: parse_document(repaired))
    chain += "." + normalise_stage.VERSION
    plan = cache.run("normalise", chain, key, lambda: normalise_stage.normalise_plan(parsed))

    # The cache is keyed by content: the same bytes may arrive under another name.
    name = Path(source).name
    repaired = replace(repaired, source_path=source, file_name=name)
    plan = replace(plan, source_path=source, file_name=name)
    return Processed(document=repaired, plan=plan)


@lru_cache(maxsize=1)
def plain_repairer() -> DiacriticRepairer:
    """A diacritic repairer with the lexicon but no corpus context (no database at hand)."""
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
    if any(page.text.strip() for page in doc.pages):
        return
    scanned = sum(1 for page in doc.pages if page.image_count)
    if scanned:
        raise InputError(doc.source_path, f"no text layer on any of {doc.page_count} pages "
                                          f"({scanned} scanned): OCR is needed")
    raise InputError(doc.source_path, f"no text found on any page ({doc.page_count} blank pages, no images)")
