"""Recognise what a file is from its bytes and hand it to the right extractor."""
from __future__ import annotations

from pathlib import Path

from core.errors import InputError
from core.records import ExtractedDocument
from extractors.pdf import extract_pdf
from extractors.text import UTF16_BOMS, extract_text_export

# Magic numbers of formats that people rename to .pdf by mistake; named so the error says what it is.
_FOREIGN_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"II*\x00": "TIFF image",
    b"MM\x00*": "TIFF image",
    b"PK\x03\x04": "ZIP archive (Word/Excel document?)",
    b"\xd0\xcf\x11\xe0": "old Microsoft Office document",
    b"{\\rtf": "RTF document",
}

TEXT_SUFFIXES = {".txt", ".text", ".tsv"}
HEAD_BYTES = 1024   # where a PDF's header is looked for

# Refused before they are read: a scanned plan of a few hundred pages is tens of megabytes, and a
# text export of a thousand pages a few megabytes; the work grows with the size.
MAX_PDF_BYTES = 512 * 2**20
MAX_TEXT_BYTES = 8 * 2**20


def size_refusal(head: bytes, size: int) -> str | None:
    """Why a file of `size` bytes that starts with `head` is too large to import, or None."""
    if b"%PDF-" in head[:HEAD_BYTES]:
        limit, kind = MAX_PDF_BYTES, "PDF"
    else:
        limit, kind = MAX_TEXT_BYTES, "text export"
    if size <= limit:
        return None
    return f"{kind} too large ({size / 2**20:.0f} MB; the limit is {limit // 2**20} MB)"


def extract_file(path: str | Path, password: str | None = None) -> ExtractedDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read file ({exc.strerror})") from exc
    return extract_bytes(data, str(path), password=password)


def extract_bytes(data: bytes, source_path: str, password: str | None = None) -> ExtractedDocument:
    if not data:
        raise InputError(source_path, "empty file (0 bytes)")
    head = data[:HEAD_BYTES]
    refusal = size_refusal(head, len(data))
    if refusal:
        raise InputError(source_path, refusal)
    if b"%PDF-" in head:
        return extract_pdf(data, source_path, password=password)
    for magic, name in _FOREIGN_MAGIC.items():
        if data.startswith(magic):
            raise InputError(source_path, f"not a PDF ({name})")
    if Path(source_path).suffix.lower() == ".pdf":
        raise InputError(source_path, "not a PDF (no %PDF header)")
    if b"\x00" in head and not data.startswith(UTF16_BOMS):   # UTF-16 (Windows Notepad) has NULs
        raise InputError(source_path, "unsupported binary file (neither PDF nor text)")
    return extract_text_export(data, source_path)
