"""What a born-digital page holds, read through PDFium (pypdfium2): words with boxes, the straight
segments of its vector paths, and its images.

PDFium parses a page in C, about ten times faster than pdfminer in Python; the words are grouped
the way pdfplumber's extract_words groups them (lines of chars whose tops lie within 3 pt, a word
ending at a space or a gap of more than 3 pt), so tables and blocks are built the same as before.
Boxes are in PDF points from the top left of the page as displayed (rotation applied).
"""
from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

import pypdfium2
import pypdfium2.raw as pdfium_c

from core.records import Word

X_TOLERANCE = 3.0   # pdfplumber's defaults for extract_words
Y_TOLERANCE = 3.0
_HYPHEN = 2          # PDFium's code for a hyphen that ends a line
_MAX_FORM_DEPTH = 8
_MAY_BE_GENERATED = frozenset(map(ord, " \r\n"))
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _Char(NamedTuple):   # a tuple: a page has thousands
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    run: tuple[float, ...]   # font size and text matrix, which the chars of one run share


class _Display:
    """PDF user space (origin bottom left, unrotated) -> the displayed page (origin top left)."""

    def __init__(self, page: pypdfium2.PdfPage):
        # the visible box, inherited from the page tree where the page has none of its own
        self.left, self.bottom, self.right, self.top = page.get_bbox()
        self.rotation = page.get_rotation() % 360

    def point(self, x: float, y: float) -> tuple[float, float]:
        dx, dy = x - self.left, y - self.bottom
        width, height = self.right - self.left, self.top - self.bottom
        if self.rotation == 90:
            return dy, dx
        if self.rotation == 180:
            return width - dx, dy
        if self.rotation == 270:
            return height - dy, width - dx
        return dx, height - dy

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = self.point(x0, y0), self.point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def page_words(page: pypdfium2.PdfPage) -> tuple[Word, ...]:
    display = _Display(page)
    textpage = page.get_textpage()
    try:
        return _words(_chars(textpage.raw, display))
    finally:
        textpage.close()


def _chars(textpage, display: _Display) -> list[_Char]:
    """The page's own chars (PDFium's generated spaces and line breaks left out). A char's box runs
    from its origin along the baseline to the right of its ink, and one font size up from the
    baseline, as pdfminer draws it, so that the words of a line share a top whatever their glyphs;
    the char's matrix gives both directions, so rotated pages and skewed text layers come out right."""
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    ink = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    is_generated, unicode_of = pdfium_c.FPDFText_IsGenerated, pdfium_c.FPDFText_GetUnicode
    ink_of, origin_of = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharOrigin
    matrix_of, font_size_of = pdfium_c.FPDFText_GetMatrix, pdfium_c.FPDFText_GetFontSize
    unrotated = display.rotation == 0
    left, page_top = display.left, display.top
    chars = []
    for index in range(pdfium_c.FPDFText_CountChars(textpage)):
        code = unicode_of(textpage, index)
        # PDFium generates only spaces and line breaks; asking of every char cost a call each
        if code in _MAY_BE_GENERATED and is_generated(textpage, index):
            continue
        text = "-" if code == _HYPHEN else (chr(code) if 0 < code < 0x110000 else "\ufffd")
        ink_of(textpage, index, ink)
        origin_of(textpage, index, origin_x, origin_y)
        matrix_of(textpage, index, matrix)
        a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
        ox, oy = origin_x.value, origin_y.value
        if unrotated and b == 0 and c == 0 and a > 0 and d > 0:   # upright text, nearly all of it
            size = font_size_of(textpage, index) * d
            x0, bottom = ox - left, page_top - oy
            chars.append(_Char(text, x0, bottom - size, max(x0, ink.right - left), bottom, size, (size, a, b, c, d)))
            continue
        along = math.hypot(a, b) or 1.0
        ax, ay = a / along, b / along
        up_length = math.hypot(c, d) or 1.0
        size = font_size_of(textpage, index) * up_length
        ux, uy = c / up_length * size, d / up_length * size
        advance = max(0.0, max((cx - ox) * ax + (cy - oy) * ay
                               for cx in (ink.left, ink.right) for cy in (ink.bottom, ink.top)))
        corners = [display.point(ox + dx, oy + dy) for dx, dy in
                   ((0.0, 0.0), (ax * advance, ay * advance), (ux, uy), (ax * advance + ux, ay * advance + uy))]
        xs, ys = [corner[0] for corner in corners], [corner[1] for corner in corners]
        chars.append(_Char(text, min(xs), min(ys), max(xs), max(ys), size, (size, a, b, c, d)))
    return chars


def _words(chars: list[_Char]) -> tuple[Word, ...]:
    """Words of each run of consecutive chars that share a font size and text matrix, the way
    pdfplumber's extract_words (use_text_flow=False, extra_attrs=["size"]) finds them: lines by
    chained tops, each line left to right, a new word at a space, at a gap, or where a char steps
    back or off the line. The runs keep apart what a text layer drew as separate pieces: an OCR
    layer draws each word scaled to its box, and on a skewed page the tops of its neighbouring
    lines would chain together."""
    words: list[Word] = []
    for _, run in groupby(chars, key=attrgetter("run")):
        words.extend(_words_of_run(list(run)))
    return tuple(words)


def _words_of_run(chars: list[_Char]) -> list[Word]:
    tops = sorted({c.top for c in chars})
    line_of: dict[float, int] = {}
    line = 0
    for previous, top in zip([tops[0], *tops], tops, strict=False):
        if top > previous + Y_TOLERANCE:
            line += 1
        line_of[top] = line
    lines: dict[int, list[_Char]] = {}
    for char in chars:
        lines.setdefault(line_of[char.top], []).append(char)
    words: list[Word] = []
    for number in sorted(lines):
        current: list[_Char] = []
        for char in sorted(lines[number], key=attrgetter("x0")):
            if char.text.isspace():
                _close(current, words)
                current = []
                continue
            if current and _begins_word(current[-1], char):
                _close(current, words)
                current = []
            current.append(char)
        _close(current, words)
    return words


def _begins_word(previous: _Char, char: _Char) -> bool:
    return (char.x0 < previous.x0 or char.x0 > previous.x1 + X_TOLERANCE
            or abs(char.top - previous.top) > Y_TOLERANCE)


def _close(chars: list[_Char], words: list[Word]) -> None:
    if chars:
        words.append(Word(text="".join(c.text for c in chars), x0=chars[0].x0, top=min(c.top for c in chars),
                          x1=max(c.x1 for c in chars), bottom=max(c.bottom for c in chars), size=chars[0].size))


def page_segments(page: pypdfium2.PdfPage) -> list[tuple[float, float, float, float]]:
    """The horizontal and vertical straight segments of the page's paths (lines, the sides of
    rectangles, and of shaded bands) as (x0, top, x1, bottom), what pdfplumber calls edges."""
    display = _Display(page)
    x, y = ctypes.c_float(), ctypes.c_float()
    segments = []
    for kind, obj, matrix in _objects(page.raw):
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        start = previous = None
        for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
            pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
            point = _apply(matrix, x.value, y.value)
            kind_of_segment = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind_of_segment == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = previous = point
                continue
            if previous is not None and kind_of_segment == pdfium_c.FPDF_SEGMENT_LINETO:
                segments.append((previous, point))
            previous = point
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None and previous != start:
                segments.append((previous, start))
                previous = start
    straight = []
    for (ax, ay), (bx, by) in segments:
        if abs(ay - by) < 1e-6 or abs(ax - bx) < 1e-6:
            straight.append(display.box(ax, ay, bx, by))
    return straight


def page_image_sizes(page: pypdfium2.PdfPage) -> list[tuple[int, int]]:
    """Pixel width and height of each image drawn on the page (in forms too)."""
    width, height = ctypes.c_uint(), ctypes.c_uint()
    sizes = []
    for kind, obj, _ in _objects(page.raw):
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            if pdfium_c.FPDFImageObj_GetImagePixelSize(obj, width, height):
                sizes.append((int(width.value), int(height.value)))
            else:
                sizes.append((0, 0))
    return sizes


def _objects(page_handle) -> Iterator[tuple[int, object, Matrix]]:
    """Every page object with the matrix that takes its coordinates to user space (forms opened)."""
    def walk(parent, count, get, outer: Matrix, depth: int):
        for index in range(count(parent)):
            obj = get(parent, index)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                if depth < _MAX_FORM_DEPTH:
                    yield from walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                                    _then(_matrix_of(obj), outer), depth + 1)
                continue
            yield kind, obj, _then(_matrix_of(obj), outer) if kind == pdfium_c.FPDF_PAGEOBJ_PATH else outer
    yield from walk(page_handle, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, _IDENTITY, 0)


def _matrix_of(obj) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _then(first: Matrix, second: Matrix) -> Matrix:
    a, b, c, d, e, f = first
    A, B, C, D, E, F = second
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return x * a + y * c + e, x * b + y * d + f
