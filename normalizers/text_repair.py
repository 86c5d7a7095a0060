"""Stage 2, repair: clean the extracted text without changing what it says.

ftfy (mojibake residue, ligatures, NFC), hyphenation at line ends, and words that a narrow table cell
broke in two without a hyphen. Page `raw_text` is kept as extracted; `text` is rebuilt from the
repaired blocks and tables. The Swedish diacritic repair plugs in as one more string fixer.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from importlib import resources

import ftfy

from extractors.layout import layout_text
from extractors.types import Block, Cell, ExtractedDocument, Line, Page, Table

VERSION = "1"

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, explain=False)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _suspended_compound_followers() -> frozenset[str]:
    data = json.loads(resources.files("normalizers").joinpath("data/line_breaks.json").read_text("utf-8"))
    return frozenset(data["suspended_compound_followers"])


SUSPENDED_FOLLOWERS = _suspended_compound_followers()

StringFixer = Callable[[str], str]


def clean_text(text: str) -> str:
    """Unicode clean-up that never changes the words: mojibake residue, ligatures, NFC."""
    return ftfy.fix_text(text, _FTFY) if text else text


def join_broken_lines(lines: list[str], cut_by_width: list[bool] | None = None) -> list[tuple[str, int]]:
    """Rejoin words split across lines: 'informations-' + 'material', and cell-width breaks.

    `cut_by_width[i]` says that line i ends in a word the layout had to cut (a narrow cell).
    Returns the repaired lines, each with the index of the original line it starts on.
    """
    result = [(text, index) for index, text in enumerate(lines)]
    cuts = list(cut_by_width) if cut_by_width is not None else [False] * len(lines)
    i = 0
    while i < len(result) - 1:
        (current, origin), (following, next_origin) = result[i], result[i + 1]
        current, following = current.rstrip(), following.lstrip()
        head, _, rest = following.partition(" ")
        joined = None
        if not current or not head[:1].islower():
            pass
        elif current.endswith("-") and len(current) > 1 and current[-2].isalpha():
            if head.lower().strip(",.;:") not in SUSPENDED_FOLLOWERS:
                last = _last_word(current[:-1])
                keep_hyphen = len(last) <= 1 or last[-1:].isupper() or last[-1:].isdigit()
                joined = (current if keep_hyphen else current[:-1]) + head
        elif cuts[origin]:
            joined = current + head
        if joined is None:
            i += 1
            continue
        if rest:
            result[i] = (joined, origin)
            result[i + 1] = (rest, next_origin)
        else:
            result[i] = (joined, origin)
            cuts[origin] = cuts[next_origin]
            del result[i + 1]
    return result


def _last_word(text: str) -> str:
    parts = text.split()
    return parts[-1] if parts else ""


def document_vocabulary(doc: ExtractedDocument) -> frozenset[str]:
    words: set[str] = set()
    for page in doc.pages:
        words.update(w.lower() for w in _WORD.findall(page.text))
    return frozenset(words)


def repair_document(doc: ExtractedDocument, fixers: Iterable[StringFixer] = ()) -> ExtractedDocument:
    fixers = (clean_text, *fixers)
    vocabulary = document_vocabulary(doc)

    def fix(text: str) -> str:
        for fixer in fixers:
            text = fixer(text)
        return text

    pages = tuple(_repair_page(page, fix, vocabulary) for page in doc.pages)
    return replace(doc, pages=pages)


def _repair_page(page: Page, fix: StringFixer, vocabulary: frozenset[str]) -> Page:
    blocks = tuple(_repair_block(block, fix) for block in page.blocks)
    tables = tuple(
        replace(table, rows=tuple(tuple(_repair_cell(cell, fix, vocabulary) for cell in row) for row in table.rows))
        for table in page.tables
    )
    return replace(page, blocks=blocks, tables=tables, text=layout_text(blocks, tables))


def _repair_block(block: Block, fix: StringFixer) -> Block:
    joined = join_broken_lines([fix(line.text) for line in block.lines])
    return replace(block, lines=_relabel(block.lines, joined))


def _repair_cell(cell: Cell, fix: StringFixer, vocabulary: frozenset[str]) -> Cell:
    if not cell.lines:
        return cell
    texts = [fix(line.text) for line in cell.lines]
    cuts = [_cut_by_cell_width(cell, i, texts, vocabulary) for i in range(len(texts))]
    return replace(cell, lines=_relabel(cell.lines, join_broken_lines(texts, cuts)))


def _cut_by_cell_width(cell: Cell, i: int, texts: list[str], vocabulary: frozenset[str]) -> bool:
    """A one-word line that fills the cell, followed by a fragment that is no word of this document."""
    line = cell.lines[i] if i < len(cell.lines) else None
    if line is None or cell.bbox is None or line.x0 is None or line.x1 is None:
        return False
    word = texts[i].strip()
    if " " in word or not word[-1:].isalpha():
        return False
    char_width = (line.x1 - line.x0) / max(len(word), 1)
    if cell.bbox[2] - line.x1 > 2.5 * char_width:
        return False
    fragment = _WORD.match(texts[i + 1].lstrip()) if i + 1 < len(texts) else None
    if fragment is None:
        return False
    return fragment.group(0).lower() not in vocabulary or (word + fragment.group(0)).lower() in vocabulary


def _relabel(lines: tuple[Line, ...], joined: list[tuple[str, int]]) -> tuple[Line, ...]:
    """Repaired texts keep the geometry of the lines they start on."""
    return tuple(replace(lines[origin], text=text) for text, origin in joined)
