"""Geometry helpers shared by every source of word boxes (PDF text layer now, OCR later)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from core.records import Block, Line, Table, Word


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Cluster words into visual lines: same baseline band, left to right."""
    ordered = sorted(words, key=lambda w: (w.top, w.x0))
    lines: list[list[Word]] = []
    for word in ordered:
        tolerance = 0.5 * ((word.bottom - word.top) or 1.0)
        if lines and abs(lines[-1][0].top - word.top) <= tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    result = []
    for members in lines:
        members.sort(key=lambda w: w.x0)
        sizes = [w.size for w in members if w.size]
        result.append(Line(
            text=" ".join(w.text for w in members),
            top=min(w.top for w in members),
            x0=members[0].x0,
            x1=members[-1].x1,
            size=max(sizes) if sizes else None,
            bottom=max(w.bottom for w in members),
        ))
    return result


def group_blocks(lines: Sequence[Line]) -> list[Block]:
    """Paragraph-like blocks: a new block starts at a change of font size or a wide vertical gap."""
    blocks: list[list[Line]] = []
    for line in lines:
        if blocks:
            previous = blocks[-1][-1]
            size = max(_height(previous), _height(line))
            same_size = previous.size is None or line.size is None or abs(previous.size - line.size) < 0.6
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


def _height(line: Line) -> float:
    """Font size where the source knows it; else the height of the line's boxes (OCR)."""
    if line.size:
        return line.size
    if line.bottom is not None:
        return max(line.bottom - line.top, 1.0)
    return 10.0
