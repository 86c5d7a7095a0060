"""Run the stages on one file: extract -> repair -> parse -> normalise, each cached by file hash."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from extractors import ExtractedDocument, extract_bytes
from extractors.detect import sha256_of
from normalizers import plan as normalise_stage
from normalizers import text_repair as repair_stage
from parsers import Plan, parse_document
from parsers import plan as parse_stage
from pipeline.cache import StageCache
from pipeline.errors import InputError

EXTRACT_VERSION = "1"
PIPELINE_VERSION = (f"extract{EXTRACT_VERSION}.repair{repair_stage.VERSION}"
                    f".parse{parse_stage.VERSION}.normalise{normalise_stage.VERSION}")


@dataclass(frozen=True)
class Processed:
    document: ExtractedDocument   # repaired pages (raw_text kept as extracted)
    plan: Plan


def read_file(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except IsADirectoryError as exc:
        raise InputError(str(path), "is a folder, not a file") from exc
    except OSError as exc:
        raise InputError(str(path), f"cannot read file ({exc.strerror})") from exc


def process_file(path: str | Path, cache: StageCache | None = None, password: str | None = None,
                 data: bytes | None = None) -> Processed:
    cache = cache or StageCache(None)
    source = str(path)
    data = read_file(path) if data is None else data
    sha = sha256_of(data)
    extract_key = f"{sha}-pw" if password else sha

    extracted = cache.run("extract", EXTRACT_VERSION, extract_key,
                          lambda: extract_bytes(data, source, password=password))
    check_has_text(extracted)
    chain = EXTRACT_VERSION
    chain += "." + repair_stage.VERSION
    repaired = cache.run("repair", chain, extract_key, lambda: repair_stage.repair_document(extracted))
    chain += "." + parse_stage.VERSION
    parsed = cache.run("parse", chain, extract_key, lambda: parse_document(repaired))
    chain += "." + normalise_stage.VERSION
    plan = cache.run("normalise", chain, extract_key, lambda: normalise_stage.normalise_plan(parsed))

    # The cache is keyed by content: the same bytes may arrive under another name.
    name = Path(source).name
    repaired = replace(repaired, source_path=source, file_name=name)
    plan = replace(plan, source_path=source, file_name=name)
    return Processed(document=repaired, plan=plan)


def check_has_text(doc: ExtractedDocument) -> None:
    if any(page.text.strip() for page in doc.pages):
        return
    scanned = sum(1 for page in doc.pages if page.image_count)
    if scanned:
        raise InputError(doc.source_path, f"no text layer on any of {doc.page_count} pages "
                                          f"({scanned} scanned): OCR is needed")
    raise InputError(doc.source_path, f"no text found on any page ({doc.page_count} blank pages, no images)")
