"""Stage 2, repair: ExtractedDocument -> ExtractedDocument, its text cleaned without changing what it says.

ftfy (mojibake residue, ligatures, NFC), hyphenation at line ends, and words that a narrow table cell
broke in two without a hyphen. Page `raw_text` is kept as extracted; `text` is rebuilt from the
repaired blocks and tables. Pages whose text lost its å/ä/ö, and Swedish OCR, also go through
the diacritic repair (normalizers/diacritics.py), when the orchestrator hands one over.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import ftfy

from core.records import Block, Cell, ExtractedDocument, Line, Page
from core.reference import reference_json
from extractors.layout import layout_text
from normalizers.speller import swedish_speller

if TYPE_CHECKING:   # the repairer is handed in: its code is versioned apart (pipeline.versions)
    from normalizers.diacritics import DiacriticRepairer

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, explain=False)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Punctuation that never starts a line of its own unless the layout pushed it there.
_CLOSING = frozenset(".,;:!?)]\"”»")
_SHORT_TAIL = 3     # letters


def _suspended_compound_followers() -> frozenset[str]:
    data = reference_json("pipeline", "line_breaks.json")
    return frozenset(data["suspended_compound_followers"])


SUSPENDED_FOLLOWERS = _suspended_compound_followers()

StringFixer = Callable[[str], str]


# Letters that need no clean-up: all of them are lead bytes in UTF-8 (0xC4 and up), so no mojibake
# can be spelled with them and ASCII alone.
_PLAIN_LETTERS = frozenset("åäöÅÄÖéÉ")


def clean_text(text: str) -> str:
    """Unicode clean-up that never changes the words: mojibake residue, ligatures, NFC."""
    if not text or (text.isprintable() and "&" not in text
                    and (text.isascii() or all(ch.isascii() or ch in _PLAIN_LETTERS for ch in text))):
        return text   # nothing ftfy would touch: no mojibake, control chars or HTML entities in it
    return ftfy.fix_text(text, _FTFY)


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
        if not current or not (head[:1].islower() or head[:1] in _CLOSING):
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
            i += 1
        else:
            result[i] = (joined, origin)
            cuts[origin] = cuts[next_origin]
            del result[i + 1]
    return result


def _last_word(text: str) -> str:
    parts = text.split()
    return parts[-1] if parts else ""


def document_vocabulary(doc: ExtractedDocument) -> frozenset[str]:
    """Words of this document that occur somewhere other than right after a line that fills its cell,
    so the second half of a cut word ('tioner' of 'organisa|tioner') does not count as a word."""
    counts = Counter(w.lower() for page in doc.pages for w in _WORD.findall(page.text))
    for page in doc.pages:
        for table in page.tables:
            for row in table.rows:
                for cell in row:
                    for i in range(len(cell.lines) - 1):
                        if _fills_cell(cell, i):
                            fragment = _WORD.match(cell.lines[i + 1].text.lstrip())
                            if fragment:
                                counts[fragment.group(0).lower()] -= 1
    return frozenset(word for word, count in counts.items() if count > 0)


def diacritic_mode(page: Page) -> str | None:
    """'all' for a text layer that lost its diacritics (every word may be corrected, 'for' -> 'för'),
    'unknown' for Swedish OCR (only words that are not Swedish), None for good text (left alone)."""
    if page.needs_diacritic_repair:
        return "all"
    if page.method == "ocr":
        return "unknown"
    return None


def repair_document(doc: ExtractedDocument, diacritics: DiacriticRepairer | None = None) -> ExtractedDocument:
    """Clean every page; restore å/ä/ö where `diacritic_mode` says so, when a repairer is given, with
    its confusion table adapted to the pages that lost their diacritics."""
    # Two passes: words rejoined in the first (a fragment that is no word) become known words, so the
    # second also rejoins a cut whose tail happens to be a word elsewhere in the document.
    # Without a line that fills its cell (text exports, prose) there is nothing to rejoin: one pass.
    if diacritics is not None:
        lost = [clean_text(page.text) for page in doc.pages if diacritic_mode(page) == "all"]
        if lost:
            diacritics = diacritics.adapted_to("\n".join(lost))
        read = [clean_text(page.text) for page in doc.pages if diacritic_mode(page) == "unknown"]
        if read:
            diacritics = diacritics.reading_words_of("\n".join(read))
    words = document_vocabulary(doc)
    joined_words = words
    if _has_possible_cuts(doc):
        first = _repair_pages(doc, _Vocabulary(words, words), None)
        joined_words = words | {w.lower() for page in first for w in _WORD.findall(page.text)}
    return replace(doc, pages=_repair_pages(doc, _Vocabulary(words, joined_words), diacritics))


def _has_possible_cuts(doc: ExtractedDocument) -> bool:
    return any(_fills_cell(cell, i) for page in doc.pages for table in page.tables for row in table.rows
               for cell in row for i in range(len(cell.lines) - 1))


def _restorer(page: Page, diacritics: DiacriticRepairer | None) -> StringFixer:
    """What restores the diacritics of one rejoined line of this page (nothing, where none is due)."""
    if diacritics is None:
        return lambda text: text
    mode = diacritic_mode(page)
    if mode is None:
        return lambda text: text
    only_unknown = mode == "unknown"
    return lambda text: diacritics.repair(text, only_unknown=only_unknown)[0]


@dataclass(frozen=True)
class _Vocabulary:
    words: frozenset[str]         # words of the document as extracted, cut tails excluded
    joined_words: frozenset[str]  # the same after rejoining cut words


def _repair_pages(doc: ExtractedDocument, vocabulary: _Vocabulary,
                  diacritics: DiacriticRepairer | None) -> tuple[Page, ...]:
    return tuple(_repair_page(page, _restorer(page, diacritics), vocabulary) for page in doc.pages)


def _repair_page(page: Page, restore: StringFixer, vocabulary: _Vocabulary) -> Page:
    blocks = tuple(_repair_block(block, restore) for block in page.blocks)
    tables = tuple(
        replace(table, rows=tuple(tuple(_repair_cell(cell, restore, vocabulary) for cell in row) for row in table.rows))
        for table in page.tables
    )
    return replace(page, blocks=blocks, tables=tables, text=layout_text(blocks, tables))


# Words are rejoined before their diacritics are restored: the repair sees 'miljokvalitetsmal',
# not the fragments 'miljokvalit' and 'etsmal' that no reading makes Swedish.
def _repair_block(block: Block, restore: StringFixer) -> Block:
    joined = join_broken_lines([clean_text(line.text) for line in block.lines])
    return replace(block, lines=_relabel(block.lines, [(restore(text), origin) for text, origin in joined]))


def _repair_cell(cell: Cell, restore: StringFixer, vocabulary: _Vocabulary) -> Cell:
    if not cell.lines:
        return cell
    texts = [clean_text(line.text) for line in cell.lines]
    cuts = [_cut_by_cell_width(cell, i, texts, vocabulary) for i in range(len(texts))]
    joined = join_broken_lines(texts, cuts)
    return replace(cell, lines=_relabel(cell.lines, [(restore(text), origin) for text, origin in joined]))


def _fills_cell(cell: Cell, i: int) -> bool:
    """Line i is one word reaching the cell's right edge: the layout may have cut it."""
    line = cell.lines[i]
    if cell.bbox is None or line.x0 is None or line.x1 is None:
        return False
    word = line.text.strip()
    if not word or " " in word or not word[-1].isalpha():
        return False
    char_width = (line.x1 - line.x0) / len(word)
    return cell.bbox[2] - line.x1 <= 2.5 * char_width


def _cut_by_cell_width(cell: Cell, i: int, texts: list[str], vocabulary: _Vocabulary) -> bool:
    """A one-word line that fills the cell, followed by a fragment that is no word (of this document
    or of Hunspell's dictionary), or by a word the line's word makes one word with."""
    if i + 1 >= len(cell.lines) or not _fills_cell(cell, i):
        return False
    word = texts[i].strip()
    if texts[i + 1].lstrip()[:1] in _CLOSING:
        return True
    fragment = _WORD.match(texts[i + 1].lstrip())
    if fragment is None:
        return False
    tail = fragment.group(0).lower()
    joined = (word + tail).lower()
    speller = swedish_speller()
    if tail not in vocabulary.words and speller.accepts(tail) is not True:
        return True     # 'anisationer' of 'miljösamverkansorg|anisationer'
    # two words ('Skyddande' 'ozonskikt', 'Miljösamverkans' 'samordnare'), unless the document writes
    # them as one elsewhere ('miljö' 'kvalitetsmål'); Hunspell accepts almost any two nouns joined, so
    # its word counts only for a tail too short to be one of them ('informationskampan' 'j')
    return joined in vocabulary.joined_words or (len(tail) <= _SHORT_TAIL and speller.accepts(joined) is True)


def _relabel(lines: tuple[Line, ...], joined: list[tuple[str, int]]) -> tuple[Line, ...]:
    """Repaired texts keep the geometry of the lines they start on."""
    return tuple(replace(lines[origin], text=text) for text, origin in joined)
