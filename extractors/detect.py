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
    head = data[:1024]
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
