"""Plain-text exports of plans: decode, undo mojibake, split into pages, blocks and tab-separated tables."""
from __future__ import annotations

import re

import ftfy

from core.errors import InputError
from core.records import Block, Cell, ExtractedDocument, Line, Page, Table
from extractors.layout import layout_text
from extractors.quality import CONTROL_CODE, text_quality

# UTF-8 bytes of å, ä, ö, é … read as Latin-1/Windows-1252 start with "Ã" followed by one of these.
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc]")
_MARKUP = re.compile(r"</?(?:i|b|em|strong|u)>", re.IGNORECASE)
# "2 (5)": the page-number header that word processors put on every page but the first.
_PAGE_MARKER = re.compile(r"^\s*(\d{1,4})\s*\((\d{1,4})\)\s*$")


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")   # little- and big-endian byte-order marks
# real text has next to none; random bytes decode to a quarter of them (C0 and C1 codes)
_MAX_CONTROL_SHARE = 0.01


def decode_text(data: bytes, source_path: str = "") -> str:
    """Bytes -> str: UTF-16 after its byte-order mark, UTF-8 when valid, else Windows-1252;
    double-encoded UTF-8 is undone; bytes that decode to control codes are no text."""
    if data.startswith(UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(source_path, f"damaged UTF-16 text (byte {exc.start})") from exc
        _refuse_control_codes(text, source_path)
        return text.replace("\r\n", "\n").replace("\r", "\n")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    _refuse_control_codes(text, source_path)
    if _MOJIBAKE.search(text):
        text = _undo_double_encoding(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _refuse_control_codes(text: str, source_path: str) -> None:
    controls = len(CONTROL_CODE.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise InputError(source_path, f"not text: {controls / len(text):.0%} of its characters are control codes "
                                      "(a binary file?)")


def _undo_double_encoding(text: str) -> str:
    for codec in ("latin-1", "cp1252"):
        try:
            repaired = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(_MOJIBAKE.findall(repaired)) < len(_MOJIBAKE.findall(text)):
            return repaired
    return ftfy.fix_encoding(text)


def split_pages(text: str) -> list[str]:
    """Form feeds split pages; failing that, the document's own 'N (M)' page headers; else one page."""
    if "\f" in text:
        return text.split("\f")
    lines = text.split("\n")
    markers = [(i, m) for i, line in enumerate(lines) if (m := _PAGE_MARKER.match(line))]
    totals = {m.group(2) for _, m in markers}
    numbers = [int(m.group(1)) for _, m in markers]
    if len(markers) >= 1 and len(totals) == 1 and numbers == list(range(numbers[0], numbers[0] + len(numbers))) \
            and numbers[0] == 2 and numbers[-1] <= int(next(iter(totals))):
        pages, start = [], 0
        for index, _ in markers:
            pages.append("\n".join(lines[start:index]))
            start = index + 1
        pages.append("\n".join(lines[start:]))
        return pages
    return [text]


def extract_text_export(data: bytes, source_path: str) -> ExtractedDocument:
    text = decode_text(data, source_path)
    if not text.strip():
        raise InputError(source_path, "empty file (no text)")
    pages = tuple(_page(number, raw) for number, raw in enumerate(split_pages(text), start=1))
    return ExtractedDocument.of_file(data, source_path, "text", pages)


def _page(page_no: int, raw_text: str) -> Page:
    """Runs of tab-separated lines become tables; other runs of non-blank lines become blocks."""
    blocks: list[Block] = []
    tables: list[Table] = []
    run: list[tuple[int, str]] = []
    run_is_table = False

    def close_run() -> None:
        if not run:
            return
        if run_is_table:
            width = max(line.count("\t") + 1 for _, line in run)
            rows = []
            for number, line in run:
                cells = [Cell(lines=(Line(text=part.strip(), top=number),) if part.strip() else ())
                         for part in line.split("\t")]
                cells += [Cell()] * (width - len(cells))
                rows.append(tuple(cells))
            tables.append(Table(rows=tuple(rows), top=run[0][0]))
        else:
            blocks.append(Block(lines=tuple(Line(text=line.strip(), top=n) for n, line in run), top=run[0][0]))
        run.clear()

    for number, line in enumerate(_MARKUP.sub("", raw_text).split("\n")):
        if not line.strip():
            close_run()
            continue
        is_row = "\t" in line
        if run and is_row != run_is_table:
            close_run()
        run_is_table = is_row
        run.append((number, line))
    close_run()
    text = layout_text(blocks, tables)
    return Page(
        page_no=page_no,
        text=text,
        raw_text=raw_text,
        blocks=tuple(blocks),
        tables=tuple(tables),
        method="text",
        quality=text_quality(text),
    )
