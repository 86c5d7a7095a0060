"""Geometry helpers shared by every source of word boxes: a PDF's text layer and OCR."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from core.records import Block, Line, Table, Word

# what a cell of figures holds: an amount ('1 611 000 kr', '(45)', '12 %') or a schedule's mark
UNIT = re.compile(r"t?kr|%", re.IGNORECASE)
FIGURE = re.compile(rf"[(−–-]?\d[\d .,]*\)?['’]?(?:\s*(?:{UNIT.pattern}))?|[Xx×✓✔]", re.IGNORECASE)


def word_lines(words: Iterable[Word], by_middle: bool = False) -> list[list[Word]]:
    """Words clustered into visual lines, top to bottom, each left to right. OCR words keep the
    lines the OCR read them on (see _ocr_lines). Text-layer words join the line whose first word
    starts at about their height; with `by_middle` also the line whose band holds the word's middle."""
    words = list(words)
    if words and all(w.line is not None for w in words):
        return _ocr_lines(words)
    ordered = sorted(words, key=lambda w: (w.top, w.x0))
    lines: list[list[Word]] = []
    bottom = 0.0      # of the last line
    for word in ordered:
        tolerance = 0.5 * ((word.bottom - word.top) or 1.0)
        middle = (word.top + word.bottom) / 2
        if lines and (abs(lines[-1][0].top - word.top) <= tolerance
                      or (by_middle and lines[-1][0].top <= middle <= bottom)):
            lines[-1].append(word)
            bottom = max(bottom, word.bottom)
        else:
            lines.append([word])
            bottom = word.bottom
    for members in lines:
        members.sort(key=lambda w: w.x0)
    return lines


def _ocr_lines(words: list[Word]) -> list[list[Word]]:
    """The OCR's own lines (its ink boxes start at different heights: 'av' and 'som' lower than
    'Miljösamverkan', so tops alone would give them lines of their own), then the lines it read
    apart on one visual line (the cells of a table row, read as separate blocks) joined where their
    bands overlap by half the smaller one's height."""
    by_id: dict[int | None, list[Word]] = {}
    for word in words:
        by_id.setdefault(word.line, []).append(word)
    pieces = sorted(by_id.values(), key=lambda members: line_band(members)[0])
    lines: list[list[Word]] = []
    band = (0.0, 0.0)
    for members in pieces:
        top, bottom = line_band(members)
        if lines:
            overlap = min(bottom, band[1]) - max(top, band[0])
            if overlap >= 0.5 * min(bottom - top, band[1] - band[0]):
                lines[-1].extend(members)
                band = (min(top, band[0]), max(bottom, band[1]))
                continue
        lines.append(list(members))
        band = (top, bottom)
    for members in lines:
        members.sort(key=lambda w: w.x0)
    return lines


def line_band(words: Sequence[Word]) -> tuple[float, float]:
    """Top and bottom of a line of OCR words: the medians, so that one tall or low box (a speck,
    a descender) does not stretch it."""
    tops = sorted(w.top for w in words)
    bottoms = sorted(w.bottom for w in words)
    return tops[len(tops) // 2], bottoms[len(bottoms) // 2]


def words_in(words: Sequence[Word], box: tuple[float, float, float, float]) -> list[Word]:
    """The words whose middle lies in the box (x0, top, x1, bottom)."""
    x0, top, x1, bottom = box
    return [w for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom]


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Visual lines as Line records: same baseline band, left to right."""
    result = []
    for members in word_lines(words):
        sizes = [w.size for w in members if w.size]
        band = line_band(members) if all(w.line is not None for w in members) else None
        result.append(Line(
            text=" ".join(w.text for w in members),
            top=min(w.top for w in members),
            x0=members[0].x0,
            x1=members[-1].x1,
            size=max(sizes) if sizes else None,
            bottom=max(w.bottom for w in members),
            letter_height=band[1] - band[0] if band else None,
        ))
    return result


def group_blocks(lines: Sequence[Line]) -> list[Block]:
    """Paragraph-like blocks: a new block starts at a change of font size (for OCR lines, of line
    height) or a wide vertical gap."""
    blocks: list[list[Line]] = []
    for line in lines:
        if blocks:
            previous = blocks[-1][-1]
            size = max(_height(previous), _height(line))
            same_size = _same_size(previous, line)
            if same_size and line.top - previous.top <= 1.7 * size:
                blocks[-1].append(line)
                continue
        blocks.append([line])
    return [Block(lines=tuple(members), top=members[0].top) for members in blocks]


def layout_text(blocks: Sequence[Block], tables: Sequence[Table]) -> str:
    """Page text in reading order; table rows as tab-separated cells, like a text export."""
    items: list[tuple[float, int, str]] = []
    for block in blocks:
        items.append((block.top, 0, "\n".join(line.text for line in block.lines)))
    for table in tables:
        rows = ["\t".join(cell.text for cell in row) for row in table.rows]
        items.append((table.top, 1, "\n".join(rows)))
    items.sort(key=lambda item: (item[0], item[1]))
    return "\n\n".join(text for _, _, text in items)


def _same_size(above: Line, below: Line) -> bool:
    """By font size where the source knows it; OCR lines by the height most of their words stand
    (one tall speck or short word does not make a line higher), which differs by a third or more
    between a title and the heading or paragraph under it."""
    if above.size is not None and below.size is not None:
        return abs(above.size - below.size) < 0.6
    if above.size is None and below.size is None and above.bottom is not None and below.bottom is not None:
        heights = sorted(line.letter_height or _height(line) for line in (above, below))
        return heights[0] >= (1 - _OCR_SIZE_STEP) * heights[1]
    return True


_OCR_SIZE_STEP = 0.35


def _height(line: Line) -> float:
    """Font size where the source knows it; else the height of the line's boxes (OCR)."""
    if line.size:
        return line.size
    if line.bottom is not None:
        return max(line.bottom - line.top, 1.0)
    return 10.0
