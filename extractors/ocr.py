"""OCR of scanned pages with Tesseract's Swedish model: render, orient, deskew, find ruling lines,
read words with boxes. Pages run in parallel processes; everything returned is plain data in PDF
points, so the table assembler treats OCR words exactly like a text layer's.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from core.errors import MissingDependencyError
from core.processes import die_with_parent
from core.records import SURE_CONFIDENCE, ExtractedDocument, Page, Word
from core.reference import reference_json
from extractors.layout import FIGURE, UNIT, line_band, words_in
from extractors.tables import Ruling

if TYPE_CHECKING:
    import pypdfium2

DPI = 300
LANGUAGE = "swe"
MAX_PAGE_PIXELS = 80_000_000      # ~ A0 at 300 dpi; beyond this a page is refused, not rendered
MAX_IMAGE_PIXELS = 150_000_000    # an embedded image that decodes to more (a decompression bomb) is not rendered
PAGE_TIMEOUT_SECONDS = 180
_MAX_SKEW = 3.0                   # degrees searched either way
_DARK = 140                       # grey level below which a pixel is ink
_RULE_INK = 185                   # ... or of a thin rule between a grid's dark ones (JPEG greys it)
_GLYPH_PIXELS = 6                 # a glyph's least width or height at 300 dpi; a speck is smaller
_GLYPH_INK = 30                   # ... and its least inked pixels
_SHORT_RULE = 40                  # pixels: a vertical rule from one row rule to the next
_RULE_REACH = 8                   # pixels within which a light rule's ends meet the grid's sides
_BAND_ROW_DARKNESS = 0.25         # share of a row's pixels that are dark in a light-on-dark band
_BAND_MIN_HEIGHT = 24             # pixels at 300 dpi: about one line of 6 pt text, thicker than any rule
_BAND_SOLIDITY = 0.6              # share of dark pixels in the band's box: a filled band, not text
_BAND_UNBROKEN = 0.9              # share of the band's columns that are dark through it
_BAND_LETTERS = 0.04              # share of light pixels, gaps between cells aside, that letters make


@dataclass(frozen=True)
class OcrPage:
    page_no: int
    words: tuple[Word, ...] = ()
    rulings: tuple[Ruling, ...] = ()
    rotation: int = 0               # degrees the page was turned to be upright
    skew: float = 0.0               # degrees of skew corrected
    error: str | None = None        # why this page could not be OCR'd


def check_tesseract(language: str = LANGUAGE) -> None:
    """Raise MissingDependencyError with install instructions when OCR cannot run here."""
    import pytesseract
    hint = "install it with 'make system-deps' (apt-get install tesseract-ocr tesseract-ocr-swe)"
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise MissingDependencyError(f"scanned pages need OCR but Tesseract is not installed: {hint}")
    if language not in pytesseract.get_languages(config=""):
        raise MissingDependencyError(f"Tesseract has no '{language}' language data: {hint}")


def refuse_oversized(pages: Sequence[Page]) -> dict[int, OcrPage]:
    """Pages whose embedded images would decode to more pixels than memory should hold: failed
    before anything is rendered."""
    return {page.page_no: OcrPage(page.page_no, error=(
                f"embedded image too large to OCR ({page.largest_image_pixels / 1e6:.0f} megapixels, "
                f"limit {MAX_IMAGE_PIXELS / 1e6:.0f})"))
            for page in pages if page.largest_image_pixels > MAX_IMAGE_PIXELS}


def ocr_pages(data: bytes, page_numbers: Sequence[int], password: str | None = None, jobs: int | None = None,
              on_page: Callable[[OcrPage], None] | None = None) -> dict[int, OcrPage]:
    """OCR the given pages (1-based) of a PDF, `jobs` pages at a time."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(page_numbers) or 1))
    results: dict[int, OcrPage] = {}
    if jobs == 1:
        _open_worker(data, password)
        for number in page_numbers:
            results[number] = _ocr_page(number)
            if on_page:
                on_page(results[number])
        return results
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker,
                             initargs=(os.getpid(), data, password)) as pool:
        futures = {pool.submit(_ocr_page, number): number for number in page_numbers}
        for future in as_completed(futures):
            result = future.result()
            results[result.page_no] = result
            if on_page:
                on_page(result)
    return dict(sorted(results.items()))


_DOCUMENT: pypdfium2.PdfDocument | None = None


def _start_worker(parent_pid: int, data: bytes, password: str | None) -> None:
    die_with_parent(parent_pid)
    _open_worker(data, password)


def _open_worker(data: bytes, password: str | None) -> None:
    """Each worker opens the PDF once; Tesseract itself runs single-threaded, one page per core."""
    global _DOCUMENT
    import pypdfium2
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _DOCUMENT = pypdfium2.PdfDocument(data, password=password)


def _ocr_page(page_no: int) -> OcrPage:
    assert _DOCUMENT is not None   # _open_worker runs first in every process that OCRs
    page = _DOCUMENT[page_no - 1]
    width_pt, height_pt = page.get_size()
    scale = DPI / 72
    pixels = width_pt * scale * height_pt * scale
    if pixels > MAX_PAGE_PIXELS:
        return OcrPage(page_no, error=f"page too large to OCR ({pixels / 1e6:.0f} megapixels at {DPI} dpi, "
                                      f"limit {MAX_PAGE_PIXELS / 1e6:.0f})")
    return ocr_image(page_no, page.render(scale=scale, grayscale=True).to_pil().convert("L"))


def ocr_image(page_no: int, image) -> OcrPage:
    """One page's image (greyscale, DPI dots per inch) -> its words and rulings in PDF points."""
    import pytesseract

    try:
        reading = _read(image)
        rotation = 0
        # Tesseract's orientation detection costs as much as half a reading: asked only when
        # the page read upright gives little a reader would trust (a page turned on its side)
        if _reads_poorly(reading.words):
            turn = _orientation(image)
            if turn:
                turned = _read(image.rotate(-turn, expand=True, fillcolor=255))
                if _trusted(turned.words) > _trusted(reading.words):
                    reading, rotation = turned, turn
    except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
        return OcrPage(page_no, error=f"OCR timed out after {PAGE_TIMEOUT_SECONDS} s" if "timeout" in str(exc).lower()
                       else f"OCR failed: {exc}")
    except pytesseract.TesseractError as exc:
        return OcrPage(page_no, error=f"OCR failed: {exc.message or exc}")
    return OcrPage(page_no, words=reading.words, rulings=reading.rulings, rotation=rotation,
                   skew=round(reading.skew, 2))


@dataclass(frozen=True)
class _Reading:
    words: tuple[Word, ...]
    rulings: tuple[Ruling, ...]
    skew: float


_TO_PT = 72 / DPI


def _read(image) -> _Reading:
    """Deskew, find and wipe the ruling lines, read the words; then read again, in one batch, the
    cells of amount columns that came back empty."""
    from PIL import Image

    skew = _skew(image)
    if abs(skew) >= 0.1:
        image = image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
    grey = _invert_dark_bands(np.asarray(image))
    rulings_px, line_mask = _rulings(grey < _DARK, grey < _RULE_INK)
    clean = grey.copy()
    clean[line_mask] = 255
    words = _words_of(_tesseract(clean, "--psm 3"))
    clean, words = _without_leaders(clean, words)
    rulings = tuple((x0 * _TO_PT, y0 * _TO_PT, x1 * _TO_PT, y1 * _TO_PT) for x0, y0, x1, y1 in rulings_px)
    cells = _figure_cells_to_read_again(words, rulings)
    if cells:
        words = _with_cells_read_again(words, cells, _reread(clean, cells, read_as=_as_figure,
                                                                   min_confidence=SURE_CONFIDENCE))
    return _Reading(words, rulings, skew)


def _tesseract(pixels: np.ndarray, config: str) -> dict:
    import pytesseract
    from PIL import Image

    # handed over as an uncompressed PGM file: pytesseract would write a PNG, compressing 8.7
    # megapixels every page only for Tesseract to decompress them
    with tempfile.TemporaryDirectory(prefix="plans-ocr-") as folder:
        path = os.path.join(folder, "page.pgm")
        Image.fromarray(pixels).save(path, format="PPM")
        return pytesseract.image_to_data(path, lang=LANGUAGE, config=config,
                                         output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT_SECONDS)


def _line_id(block: int, paragraph: int = 0, line: int = 1) -> int:
    """One number for Tesseract's block, paragraph and line: what Word.line holds for OCR words."""
    return (block * 1000 + paragraph) * 1000 + line


def _block_of(line_id: int | None) -> int | None:
    return None if line_id is None else line_id // 1_000_000


def _words_of(data: dict) -> tuple[Word, ...]:
    """Tesseract's words in PDF points, each with its line's id and its confidence."""
    words = []
    for text, conf, left, top, w, h, block, paragraph, line in zip(
            data["text"], data["conf"], data["left"], data["top"], data["width"], data["height"],
            data["block_num"], data["par_num"], data["line_num"], strict=True):
        text = _one_glyph(_without_line_residue(text), w, h)
        if text and float(conf) >= 0:
            words.append(Word(text=text, x0=left * _TO_PT, top=top * _TO_PT, x1=(left + w) * _TO_PT,
                              bottom=(top + h) * _TO_PT, line=_line_id(int(block), int(paragraph), int(line)),
                              confidence=float(conf)))
    return tuple(words)


_FIGURE_COLUMN = 0.5      # share of a column's filled cells that are figures
_PUNCTUATION = ".,:;'\"’"
_CROP_GAP = 40            # white pixels between the crops stacked for one re-read
_REREAD_BLOCKS = 10 ** 4  # block numbers of re-read amount cells, apart from the page's own blocks
_LEADER_BLOCKS = 2 * 10 ** 4   # ... and of lines read again without their dot leaders
_LINE_MARGIN = 4          # pixels around a line read again


def _figure_cells_to_read_again(words: tuple[Word, ...],
                                rulings: tuple[Ruling, ...]) -> list[tuple[float, float, float, float]]:
    """Cells (PDF points) of a column whose filled cells are mostly figures (amounts, or a
    schedule's X marks) that came back empty, with nothing Tesseract is sure of, or as a figure
    with a speck in it ('J-204', 'air 248'), on rows that hold something else: it drops isolated
    short numbers and marks on noisy scans, or reads them as letters. The tables are the ones
    apply_ocr will find in these words."""
    from extractors.pdf import find_tables
    from extractors.tables import grids_from_rulings, horizontal_rules

    tables, _ = find_tables(without_specks(words), grids_from_rulings(rulings),
                            horizontal_rules(rulings))
    boxes = []
    for table in tables:
        for column in range(max(len(row) for row in table.rows)):
            cells = [row[column] if column < len(row) else None for row in table.rows]
            texts = [cell.text.strip() if cell else "" for cell in cells]
            filled = [text for text in texts if text]
            figures = [text for text in filled if FIGURE.fullmatch(text)]
            if not figures or len(figures) < _FIGURE_COLUMN * len(filled):
                continue
            for number, (row, cell, text) in enumerate(zip(table.rows, cells, texts, strict=True)):
                if cell is None or not cell.bbox or not any(
                        other.text.strip() for other in row if other is not cell):
                    continue
                if not text or (number > 0 and _misread_figure(text, words_in(words, cell.bbox))):
                    boxes.append(cell.bbox)
    return boxes


def _misread_figure(text: str, cell_words: Sequence[Word]) -> bool:
    """A body cell of a figure column that holds no figure it can be trusted with: one a speck
    damaged ('J-204'), or a reading Tesseract doubts, figure or not ('ba' for '242', '8' for '281',
    '54' for a schedule's 'X'); a second reading replaces it only where it is surer. (A header's
    '2025 (kr)' or 'Utfall' is none of these: the caller asks below the header only.)"""
    return _damaged_figure(text) or all(w.confidence is not None and w.confidence < _TRUSTED for w in cell_words)


def _with_cells_read_again(words: tuple[Word, ...], cells: list[tuple[float, float, float, float]],
                           found: list[tuple[Word, ...]]) -> tuple[Word, ...]:
    """The page's words with each cell's doubted words replaced by the figure its second reading
    found (`found`: per cell), where that reading is the surer one or the cell held a damaged
    figure; otherwise the cell keeps what it had."""
    kept_new: list[Word] = []
    dropped: set[int] = set()
    for cell, new in zip(cells, found, strict=True):
        if not any(FIGURE.fullmatch(w.text) for w in new):
            continue   # no figure read (a unit alone is none)
        old = words_in(words, cell)
        damaged = _damaged_figure(" ".join(w.text for w in old))
        if damaged and _digits(new) < _digits(old):
            continue   # a part of the figure ('244' of '244 057-kr') is no better reading
        # a figure for a damaged one ('1 665' for 'Sj 1 665/') is better however sure of it Tesseract is
        if old and not damaged and min(w.confidence or 0.0 for w in new) <= max(w.confidence or 0.0 for w in old):
            continue
        kept_new += new
        # the unit beside a damaged figure ('"923 tkr') stays where the second reading has none
        keep_unit = damaged and not any(UNIT.fullmatch(w.text) for w in new)
        dropped |= {id(w) for w in old if not (keep_unit and UNIT.fullmatch(w.text.strip(_PUNCTUATION)))}
    return tuple(w for w in words if id(w) not in dropped) + tuple(kept_new)


def _as_figure(text: str) -> str | None:
    """A word of a second reading of an amount cell as the figure it is, or its unit; None if it
    is neither."""
    return text if FIGURE.fullmatch(text) or UNIT.fullmatch(text) else _lookalike_figure(text)


def _damaged_figure(text: str) -> bool:
    """A figure a speck or a misread glyph spoiled: digits that are no figure ('J-204'), or a
    figure once the letters Tesseract takes for digits are digits again ('Okr' for '0 kr')."""
    if any(ch.isdigit() for ch in text):
        return not FIGURE.fullmatch(text)
    return _lookalike_figure(text) is not None


def _lookalike_figure(text: str) -> str | None:
    """The figure the text is with the letters Tesseract takes for digits read as digits ('O' of
    'O kr'); None if that makes no figure with a digit."""
    digits = text.translate(_digit_lookalikes())
    return digits if any(ch.isdigit() for ch in digits) and FIGURE.fullmatch(digits) else None


@lru_cache(maxsize=1)
def _digit_lookalikes() -> dict[int, str]:
    return str.maketrans(reference_json("extractors", "ocr_damage.json")["digit_lookalikes"])


def _digits(words: Sequence[Word]) -> int:
    return sum(ch.isdigit() for w in words for ch in w.text)


def _reread(clean: np.ndarray, boxes: Sequence[tuple[float, float, float, float]], read_as: Callable[[str], str | None],
            inset: int = 3, first_block: int = _REREAD_BLOCKS, min_confidence: float = 0.0) -> list[tuple[Word, ...]]:
    """The boxes' crops (PDF points, shrunk by `inset` pixels on every side) stacked into one image
    and read as a block of lines in one Tesseract run: per box, the words read with at least
    `min_confidence`, as `read_as` takes them (None: left out), placed back where its crop came
    from, as a block of their own."""
    crops: dict[int, np.ndarray] = {}
    places: dict[int, tuple[int, int]] = {}
    for index, (x0, top, x1, bottom) in enumerate(boxes):
        left, upper = max(0, int(x0 / _TO_PT) + inset), max(0, int(top / _TO_PT) + inset)
        right, lower = min(clean.shape[1], int(x1 / _TO_PT) - inset), min(clean.shape[0], int(bottom / _TO_PT) - inset)
        if right - left > 8 and lower - upper > 8:
            found_ink = _around_ink(clean[upper:lower, left:right])
            if found_ink is not None:
                (ink_left, ink_top), crops[index] = found_ink
                places[index] = (left + ink_left, upper + ink_top)
    found: list[list[Word]] = [[] for _ in boxes]
    if not crops:
        return [()] * len(boxes)
    paper = 255     # the crops' paper, once their contrast is stretched
    sheet = np.full((sum(c.shape[0] + _CROP_GAP for c in crops.values()) + _CROP_GAP,
                     max(c.shape[1] for c in crops.values()) + 2 * _CROP_GAP), paper, dtype=np.uint8)
    offsets, y = {}, _CROP_GAP
    for index, crop in crops.items():
        sheet[y:y + crop.shape[0], _CROP_GAP:_CROP_GAP + crop.shape[1]] = crop
        offsets[index] = y
        y += crop.shape[0] + _CROP_GAP
    for word in _words_of(_tesseract(sheet, "--psm 6")):
        middle = (word.top + word.bottom) / 2 / _TO_PT
        box = next((i for i, start in offsets.items() if start <= middle <= start + crops[i].shape[0]), None)
        text = read_as(word.text)
        if box is None or text is None or (word.confidence or 0.0) < min_confidence:
            continue
        left, upper = places[box]
        dx, dy = (left - _CROP_GAP) * _TO_PT, (upper - offsets[box]) * _TO_PT
        found[box].append(Word(text=text, x0=word.x0 + dx, top=word.top + dy, x1=word.x1 + dx,
                               bottom=word.bottom + dy, line=_line_id(first_block + box),
                               confidence=word.confidence))
    return [tuple(words) for words in found]


def _around_ink(crop: np.ndarray, margin: int = 8) -> tuple[tuple[int, int], np.ndarray] | None:
    """The part of a cell's crop around its glyphs, with the offset of its corner, contrast
    stretched from the darkest ink to the paper; None when it holds none. Tesseract reads a lone
    grey '272' in a wide cell with specks and JPEG noise as 'FEET', and reads it right on its own;
    specks (runs of inked columns or rows too short or too faint for a glyph) set no bounds."""
    ink = crop < _DARK
    columns = [(start, end) for start, end in _inked_runs(ink.sum(axis=0))
               if end - start >= _GLYPH_PIXELS and ink[:, start:end].sum() >= _GLYPH_INK]
    if not columns:
        return None
    left, right = max(0, columns[0][0] - margin), min(crop.shape[1], columns[-1][1] + margin)
    rows = [(start, end) for start, end in _inked_runs(ink[:, left:right].sum(axis=1)) if end - start >= _GLYPH_PIXELS]
    if not rows:
        return None
    top, bottom = max(0, rows[0][0] - margin), min(crop.shape[0], rows[-1][1] + margin)
    part = crop[top:bottom, left:right].astype(np.float32)
    darkest, paper = float(part.min()), float(np.median(crop))
    stretched = np.clip((part - darkest) / max(paper - darkest, 1.0) * 255, 0, 255).astype(np.uint8)
    return (left, top), stretched


def _inked_runs(profile: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of the runs of non-zero entries of a profile, end exclusive."""
    inked = np.concatenate(([0], (profile > 0).astype(np.int8), [0]))
    changes = np.diff(inked)
    return list(zip(np.nonzero(changes == 1)[0].tolist(), np.nonzero(changes == -1)[0].tolist(), strict=True))


def _without_leaders(clean: np.ndarray, words: tuple[Word, ...]) -> tuple[np.ndarray, tuple[Word, ...]]:
    """Lines with dot leaders read again with the leaders wiped: the image without them, and the
    page's words with those lines' words replaced."""
    lines: dict[int | None, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    wiped, boxes, replaced = clean, [], set()
    for line, members in lines.items():
        runs = _leader_runs(clean, members) if line is not None else []
        if not runs:
            continue
        if wiped is clean:
            wiped = clean.copy()
        for left, top, right, bottom in runs:
            wiped[top:bottom, left:right] = 255
        replaced.add(line)
        boxes.append((min(w.x0 for w in members), min(w.top for w in members),
                      max(w.x1 for w in members), max(w.bottom for w in members)))
    if not boxes:
        return clean, words
    reread = _reread(wiped, boxes, read_as=lambda text: text or None, inset=-_LINE_MARGIN, first_block=_LEADER_BLOCKS)
    return wiped, tuple(w for w in words if w.line not in replaced) + tuple(w for line in reread for w in line)


_LEADER_DOTS = 6          # dots in a row that make a leader ('Administration ........ 152 866')
_DOT_TOP = 0.55           # a dot's ink starts this far down its line (letters start higher)
_DOT_WIDTH = 0.4          # ... and is at most this many line heights wide
_DOT_HEIGHT = 0.35        # ... and high
_DOT_GAP = 1.5            # line heights between two dots of one leader, at most
_EVEN_PITCH = 0.3         # share of the typical pitch by which three in four of a leader's dots keep it


def _is_leader(dots: list[tuple[int, int, bool, bool, bool]]) -> bool:
    """Six or more dots, most of them on the baseline, set at an even pitch (specks of noise in a
    grey band are not)."""
    if len(dots) < _LEADER_DOTS or sum(1 for dot in dots if dot[4]) * 3 < 2 * len(dots):
        return False
    pitches = sorted(b[0] - a[0] for a, b in zip(dots, dots[1:], strict=False))
    typical = pitches[len(pitches) // 2]
    even = sum(1 for pitch in pitches if abs(pitch - typical) <= _EVEN_PITCH * typical)
    return even * 4 >= 3 * len(pitches)


def _leader_runs(clean: np.ndarray, words: Sequence[Word]) -> list[tuple[int, int, int, int]]:
    """Dot leaders on one OCR line, as pixel boxes: six or more small dots in a row, each inked in
    the lower part of the line only. Tesseract reads a leader as letters ('sssooo00000rn') and
    damages the label next to it ('AAMIniStratlOR'); a thin rule is one long stroke, not dots."""
    band_top, band_bottom = line_band([w for w in words if w.confidence is not None and w.is_sure] or words)
    top, bottom = int(band_top / _TO_PT), int(band_bottom / _TO_PT) + 2
    left, right = int(min(w.x0 for w in words) / _TO_PT), int(max(w.x1 for w in words) / _TO_PT) + 1
    height = bottom - top
    if height < 8 or right - left < 6 * height:
        return []
    ink = clean[top:bottom, left:right] < _DARK
    inked: np.ndarray = np.asarray(ink.any(axis=0))
    islands: list[tuple[int, int, bool, bool, bool]] = []   # start, end (exclusive), narrow, a dot, low
    column = 0
    while column < len(inked):
        if not inked[column]:
            column += 1
            continue
        end = column
        while end < len(inked) and inked[end]:
            end += 1
        rows = np.flatnonzero(ink[:, column:end].any(axis=1))
        narrow = end - column <= _DOT_WIDTH * height
        islands.append((column, end, narrow, narrow and rows[-1] - rows[0] + 1 <= _DOT_HEIGHT * height,
                        bool(rows[0] >= _DOT_TOP * height)))
        column = end
    runs: list[tuple[int, int, int, int]] = []
    current: list[tuple[int, int, bool, bool, bool]] = []
    ended = (len(inked) + 10 * height, 0, False, False, False)
    for index, island in enumerate([*islands, ended]):
        following = islands[index + 1] if index + 1 < len(islands) else ended
        # a dot, or a speck over one (narrow, with dots on both sides)
        part = island[3] or (island[2] and bool(current) and following[3]
                             and following[0] - island[1] <= _DOT_GAP * height)
        if part and (not current or island[0] - current[-1][1] <= _DOT_GAP * height):
            current.append(island)
            continue
        if _is_leader(current):
            runs.append((left + current[0][0] - 1, top, left + current[-1][1] + 1, bottom))
        current = [island] if island[3] else []
    return runs


_TRUSTED = 60            # a word's confidence at which a reader would take it as read (below: doubted)
_FEW_TRUSTED = 0.5       # below this share of trusted words (or fewer than _MIN_WORDS) a page reads poorly
_MIN_WORDS = 8


def _trusted(words: Sequence[Word]) -> int:
    return sum(1 for word in words if word.confidence is not None and word.confidence >= _TRUSTED)


def _reads_poorly(words: Sequence[Word]) -> bool:
    trusted = _trusted(words)
    return trusted < _MIN_WORDS or trusted < _FEW_TRUSTED * len(words)


def _one_glyph(text: str, width: float, height: float) -> str:
    """A box one glyph wide holds one letter: the language model reads a schedule's 'X' as 'Xx'."""
    if len(text) == 2 and text[0].lower() == text[1].lower() and text[0].isalpha() and width <= _GLYPH_WIDTH * height:
        return text[0].upper()
    return text


_GLYPH_WIDTH = 1.3        # a box's width, in its heights, up to which it holds a single glyph
_RESIDUE_EDGES = "|[]{}"
_SPECKS = frozenset(".,:;'`‘’\"|_~")


def _without_line_residue(text: str) -> str:
    """Bits of ruling lines and specks that Tesseract reads as '|', '[0]' or a lone ':'."""
    text = text.strip()
    if len(text) == 1 and text in _SPECKS:
        return ""
    stripped = text.strip(_RESIDUE_EDGES)
    return stripped if stripped else ""


_UNLIKELY = 40                    # confidence below which a short all-caps word is a speck
_CLEAR = 80                       # ... at which a word is read clearly enough to measure the text by
_FLAT = 0.4                       # ... and a word this much lower than the page's words is one
_TALL = 2.5                       # ... or this much taller,
_GUESSED = 20                     # confidence below which a word is a guess
_GUESSED_FLAT = 0.5               # ... and one this much lower than the page's words is a speck, digits too
_ALONE = 4.0                      # text heights from both neighbours on its line that leave a guess alone
_DOT = 0.2                        # ... and a glyph this much smaller than they are in both ways is a dot
_NARROW = 0.2                     # ... if narrower than this many heights per letter (a border's edge)
_NOISE_BLOCK = 3                  # words of a block none of which Tesseract is sure of: noise
_DASHES = frozenset("-–")         # kept however doubtful or flat: 'maj - sep' is a period


def without_specks(words: Sequence[Word]) -> tuple[Word, ...]:
    """The words of a page that are not specks (see is_speck), judged against the height of the
    words the OCR is sure of, nor in a block of three or more words without a digit that Tesseract
    doubted every one of (a dark border or show-through read as text)."""
    typical = typical_height(words)
    kept = [word for word in words if not is_speck(word, typical)]
    kept = [word for word in kept if not _stray(word, kept, typical)]
    blocks: dict[int | None, list[Word]] = {}
    for word in kept:
        blocks.setdefault(_block_of(word.line), []).append(word)
    noise = {block for block, members in blocks.items() if block is not None and len(members) >= _NOISE_BLOCK
             and all(w.confidence is not None and not w.is_sure for w in members)
             and not any(ch.isdigit() for w in members for ch in w.text)}
    return tuple(word for word in kept if word.line is None or _block_of(word.line) not in noise)


def _stray(word: Word, words: Sequence[Word], typical: float | None) -> bool:
    """A word of letters Tesseract barely believed, alone in the middle of its line ('Föne' in an
    empty column between 'Totalt' and its amounts): noise read as a word. Words of a line stand a
    word space apart, cells some heights; this one stands further from both neighbours."""
    if not typical or word.confidence is None or word.confidence >= _GUESSED or word.line is None:
        return False
    letters = [ch for ch in word.text if ch.isalnum()]
    if len(letters) < 3 or any(ch.isdigit() for ch in letters):
        return False
    same_line = [w for w in words if w.line == word.line and w is not word]
    left = [word.x0 - w.x1 for w in same_line if w.x1 <= word.x0]
    right = [w.x0 - word.x1 for w in same_line if w.x0 >= word.x1]
    return bool(left and right) and min(left) > _ALONE * typical and min(right) > _ALONE * typical


def typical_height(words: Sequence[Word]) -> float | None:
    """The median height of the words of three letters or more read with confidence: the height of
    the page's body text, ascenders included."""
    heights = sorted(w.bottom - w.top for w in words
                     if w.confidence is not None and w.confidence >= _CLEAR and len(w.text) >= 3)
    return heights[len(heights) // 2] if heights else None


def is_speck(word: Word, typical: float | None = None) -> bool:
    """A word Tesseract made of specks, a border or a band's edge, and doubted: no letter or digit
    in it ('=', '»', '/'), two to four capitals read at a low confidence ('SE', 'SSR', 'RE'), which
    noise turns into far more often than plans print them doubtfully, letters far lower than the
    page's text ('é' one point tall: a dot or a smudge between the lines), or far taller and
    narrow (a dark border's edge read as 'addan'). A glyph a fifth of the text's height both
    high and wide is a dot, however sure Tesseract was of it."""
    if word.confidence is None:
        return False
    core = "".join(ch for ch in word.text if ch.isalnum())
    if typical and core and max(word.bottom - word.top, (word.x1 - word.x0) / len(word.text)) < _DOT * typical:
        return True   # a dot read as a glyph ('i', '1'), however sure: no letter is that small
    if word.confidence >= _TRUSTED:
        return False
    if word.text.strip() in _DASHES:
        return False
    if not core:
        return True
    height = word.bottom - word.top
    if typical and height < _FLAT * typical and not any(ch.isdigit() for ch in core):
        return True
    if typical and height < _GUESSED_FLAT * typical and word.confidence < _GUESSED:
        return True   # a guessed figure half the text's height ('3' of a speck in a header)
    if typical and height > _TALL * typical and word.x1 - word.x0 < _NARROW * height * len(word.text):
        return True
    if typical and word.confidence < _UNLIKELY and word.x1 - word.x0 < _NARROW * typical * len(word.text):
        return True   # a sliver (a scratch, a rule's end) read as '5' or 'l'
    return word.confidence < _UNLIKELY and core.isalpha() and core.isupper() and len(core) <= 4


def _orientation(image) -> int:
    """0, 90, 180 or 270: how far the page must turn clockwise to be upright (Tesseract OSD)."""
    import pytesseract
    try:   # at full resolution: asked only for pages that read poorly, where half of it is too little
        osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=10",
                                       output_type=pytesseract.Output.DICT, timeout=60)
    except (pytesseract.TesseractError, RuntimeError):
        return 0  # too little text to tell: leave the page as it is
    rotation = int(osd.get("rotate", 0)) % 360
    return rotation if float(osd.get("orientation_conf", 0)) >= 2.0 else 0


def _invert_dark_bands(grey: np.ndarray) -> np.ndarray:
    """Header rows printed light on dark, read as dark on light: each band of rows that are dark
    across at least a quarter of the page, a text line high or more, is inverted where it is
    solidly dark. Left as they are, the band's rows would be taken for ruling lines and wiped,
    letters and all."""
    dark = grey < _DARK
    rows = np.flatnonzero(dark.mean(axis=1) > _BAND_ROW_DARKNESS)
    if rows.size == 0:
        return grey
    out = grey.copy()
    breaks = np.flatnonzero(np.diff(rows) > 1)
    for first, last in zip(np.r_[rows[0], rows[breaks + 1]], np.r_[rows[breaks], rows[-1]], strict=True):
        if last - first + 1 < _BAND_MIN_HEIGHT:
            continue
        columns = np.flatnonzero(dark[first:last + 1].mean(axis=0) > 0.5)
        if columns.size == 0:
            continue
        left, right = int(columns[0]), int(columns[-1]) + 1
        band = dark[first:last + 1, left:right]
        # one filled band from edge to edge, not a row of shaded cells with light ones between
        unbroken = float((band.mean(axis=0) > 0.3).mean())
        if band.mean() < _BAND_SOLIDITY or unbroken < _BAND_UNBROKEN or not _has_light_letters(band):
            continue
        out[first:last + 1, left:right] = 255 - out[first:last + 1, left:right]
    return out


def _has_light_letters(band: np.ndarray) -> bool:
    """Light strokes inside a dark band that are not the gaps between shaded cells (light from top
    to bottom): the letters of a header, which a bar of shaded schedule cells does not have."""
    light = ~band
    gaps = light.mean(axis=0) > 0.9
    return float(light[:, ~gaps].mean()) >= _BAND_LETTERS if (~gaps).any() else False


def _skew(image) -> float:
    """The small rotation (degrees, counter-clockwise positive) that makes text lines horizontal:
    the angle whose row profile of ink is sharpest."""
    from PIL import Image
    small = image.reduce(4)
    ink = Image.fromarray(((np.asarray(small) < _DARK) * 255).astype(np.uint8))
    best, best_score = 0.0, -1.0
    for angle in np.arange(-_MAX_SKEW, _MAX_SKEW + 0.001, 0.2):
        profile = np.asarray(ink.rotate(float(angle), resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return best


def _rulings(ink: np.ndarray, light_ink: np.ndarray | None = None,
             min_fraction: float = 0.03) -> tuple[list[tuple[int, int, int, int]], np.ndarray]:
    """Horizontal and vertical ruling lines as pixel segments, and the mask of their pixels. With
    `light_ink`, also the rules drawn lighter than ink whose two ends meet rules across them, one
    of these dark: JPEG greys thin rules, and a grid that lost a row rule merges two rows, one
    that lost a side loses its last column. A grey line that meets no grid is no rule."""
    height, width = ink.shape
    horizontal_length, vertical_length = max(40, int(width * min_fraction)), max(40, int(height * min_fraction))
    horizontal, h_mask = _runs(ink, horizontal_length)
    vertical_t, v_mask = _runs(ink.T, vertical_length)
    vertical = _transposed(vertical_t)
    mask = h_mask | v_mask.T
    if light_ink is not None and (horizontal or vertical):
        light_horizontal = _new_lines(_runs(light_ink, horizontal_length)[0], horizontal)
        light_vertical = _transposed(_new_lines(_runs(light_ink.T, vertical_length)[0], vertical_t))
        across_h = vertical + light_vertical     # what a horizontal rule's ends may meet
        across_v = horizontal + light_horizontal
        for x0, y, x1, _ in light_horizontal:
            if (_meets_vertical(x0, y, across_h) and _meets_vertical(x1, y, across_h)
                    and (_meets_vertical(x0, y, vertical) or _meets_vertical(x1, y, vertical))):
                horizontal.append((x0, y, x1, y))
                _mark_thin_line(mask, light_ink, y, x0, x1)
        for x, y0, _, y1 in light_vertical:
            if (_meets_horizontal(x, y0, across_v) and _meets_horizontal(x, y1, across_v)
                    and (_meets_horizontal(x, y0, horizontal) or _meets_horizontal(x, y1, horizontal))):
                vertical.append((x, y0, x, y1))
                _mark_thin_line(mask.T, light_ink.T, x, y0, y1)   # the transposes are views: columns as rows
        # a cell's side in a row of its own (a header band) is shorter than a rule must be alone
        short = _new_lines(_runs(ink.T, _SHORT_RULE)[0], _transposed(vertical))
        for x, y0, _, y1 in _transposed(short):
            if _meets_horizontal(x, y0, horizontal) and _meets_horizontal(x, y1, horizontal):
                vertical.append((x, y0, x, y1))
                _mark_thin_line(mask.T, ink.T, x, y0, y1)
    segments = [(x0, y, x1, y2) for x0, y, x1, y2 in horizontal] + [(x, y0, x2, y1) for x, y0, x2, y1 in vertical]
    return segments, mask


_Segment = tuple[int, int, int, int]     # x0, y0, x1, y1 in pixels


def _mark_thin_line(mask: np.ndarray, light_ink: np.ndarray, y: int, x0: int, x1: int) -> None:
    """Mark in `mask` the pixels of the light line along row y from x0 to x1 (within 3 rows of it)
    where it is a line: where the rows 6 away on both sides are paper. On the edge of a shaded
    band nothing is taken, so wiping the line never cuts into the band's letters."""
    beside = np.zeros(x1 - x0, dtype=bool)
    for row in (y - 6, y + 6):
        if 0 <= row < light_ink.shape[0]:
            beside |= light_ink[row, x0:x1]
    top, bottom = max(0, y - 3), min(light_ink.shape[0], y + 4)
    mask[top:bottom, x0:x1] |= light_ink[top:bottom, x0:x1] & ~beside


def _transposed(segments: list[_Segment]) -> list[_Segment]:
    """Segments found along the columns of an image (its transpose) in the image's (x, y) order."""
    return [(y0, x0, y1, x1) for x0, y0, x1, y1 in segments]


def _new_lines(lines: list[_Segment], known: list[_Segment]) -> list[_Segment]:
    """The lines (x0, y, x1, y, along rows) that do not lie on one of the known lines."""
    return [(x0, y, x1, y1) for x0, y, x1, y1 in lines
            if not any(abs(y - other_y) <= 3 and x0 < other_x1 and x1 > other_x0
                       for other_x0, other_y, other_x1, _ in known)]


def _meets_vertical(x: int, y: int, vertical: list[tuple[int, int, int, int]]) -> bool:
    """A vertical rule passes within reach of the point (x, y)."""
    return any(abs(x - vx) <= _RULE_REACH and vy0 - _RULE_REACH <= y <= vy1 + _RULE_REACH
               for vx, vy0, _, vy1 in vertical)


def _meets_horizontal(x: int, y: int, horizontal: list[tuple[int, int, int, int]]) -> bool:
    """A horizontal rule passes within reach of the point (x, y)."""
    return any(abs(y - hy) <= _RULE_REACH and hx0 - _RULE_REACH <= x <= hx1 + _RULE_REACH
               for hx0, hy, hx1, _ in horizontal)


def _runs(ink: np.ndarray, length: int) -> tuple[list[tuple[int, int, int, int]], np.ndarray]:
    """Runs of ink at least `length` long along each row, merged over adjacent rows into lines."""
    padded = np.pad(ink, ((0, 0), (1, 1))).astype(np.int8)
    changes = np.diff(padded, axis=1)
    mask = np.zeros_like(ink, dtype=bool)
    rows: dict[int, list[tuple[int, int]]] = {}
    starts_y, starts_x = np.nonzero(changes == 1)
    ends_y, ends_x = np.nonzero(changes == -1)
    long_runs = (ends_x - starts_x) >= length
    for y, x0, x1 in zip(starts_y[long_runs], starts_x[long_runs], ends_x[long_runs], strict=True):
        rows.setdefault(int(y), []).append((int(x0), int(x1)))
        mask[y, x0:x1] = True
    segments: list[list[int]] = []    # x0, y0, x1, y1 of lines still growing
    for y in sorted(rows):
        for x0, x1 in rows[y]:
            for segment in segments:
                if segment[3] >= y - 2 and x0 <= segment[2] and x1 >= segment[0]:
                    segment[0], segment[2], segment[3] = min(segment[0], x0), max(segment[2], x1), y
                    break
            else:
                segments.append([x0, y, x1, y])
    lines = [(x0, (y0 + y1) // 2, x1, (y0 + y1) // 2) for x0, y0, x1, y1 in segments if y1 - y0 <= 12]
    # grow the mask across the lines so their blurred edges go too
    for _ in range(3):
        mask[1:, :] |= mask[:-1, :]
        mask[:-1, :] |= mask[1:, :]
    return lines, mask


def apply_ocr(doc: ExtractedDocument, results: dict[int, OcrPage]) -> ExtractedDocument:
    """Pages replaced by their OCR: words, tables rebuilt from the scan's ruling lines, blocks, text."""
    from dataclasses import replace

    from extractors.pdf import carried_columns, page_from_words
    from extractors.tables import grids_from_rulings, horizontal_rules

    pages: list[Page] = []
    warnings = list(doc.warnings)
    for page in doc.pages:
        result = results.get(page.page_no)
        if result is None:
            pages.append(page)
        elif result.error:
            warnings.append(f"page {page.page_no}: {result.error}")
            pages.append(replace(page, method="ocr", error=result.error, text="", raw_text="", blocks=(),
                                 tables=(), words=(), quality=None))
        else:
            words = without_specks(result.words)
            pages.append(page_from_words(page.page_no, words, grids_from_rulings(result.rulings),
                                         width=page.width or 0.0, height=page.height or 0.0,
                                         image_count=page.image_count, method="ocr",
                                         rules=horizontal_rules(result.rulings),
                                         carried=carried_columns(pages[-1] if pages else None)))
    return replace(doc, pages=tuple(pages), warnings=tuple(warnings))
