"""Lines of OCR words: the OCR's own lines, not the tops of ink boxes."""
from __future__ import annotations

from core.records import Word
from extractors.layout import group_lines, word_lines


def _ocr(text: str, x0: float, top: float, bottom: float, line: int) -> Word:
    return Word(text=text, x0=x0, top=top, x1=x0 + 6 * len(text), bottom=bottom, line=line, confidence=90.0)


# One printed line, as Tesseract boxes it: 'av' and 'det' have no ascenders, so their boxes start
# 2-3 pt lower than 'Miljösamverkan'; the next line's tall words start barely 9 pt further down.
_PARAGRAPH = [
    _ocr("Miljösamverkan", 50, 100.0, 110.0, 1), _ocr("leds", 140, 100.2, 110.0, 1),
    _ocr("av", 170, 103.4, 110.1, 1), _ocr("det", 186, 101.0, 110.0, 1),
    _ocr("politiska", 206, 100.1, 112.6, 1),
    _ocr("organet", 50, 109.8, 122.4, 2), _ocr("PKS.", 100, 109.9, 119.9, 2),
]


def test_short_words_stay_on_the_line_the_ocr_read_them_on():
    lines = [" ".join(w.text for w in members) for members in word_lines(_PARAGRAPH)]
    assert lines == ["Miljösamverkan leds av det politiska", "organet PKS."]
    assert [line.text for line in group_lines(reversed(_PARAGRAPH))] == lines


def test_cells_of_one_row_read_as_separate_lines_are_one_visual_line():
    """Tesseract reads the columns of an unruled table as blocks of their own: their lines join."""
    row = [_ocr("Inventering", 50, 200.0, 210.0, 7), _ocr("av", 120, 202.5, 210.0, 7),
           _ocr("förskolor", 140, 200.3, 212.0, 7), _ocr("Kommunerna", 300, 200.6, 210.4, 12),
           _ocr("2024", 420, 200.1, 210.0, 15)]
    next_row = [_ocr("Tillsyn", 50, 218.0, 228.0, 8), _ocr("Länsstyrelsen", 300, 218.2, 228.0, 13)]
    lines = [" ".join(w.text for w in members) for members in word_lines(next_row + row)]
    assert lines == ["Inventering av förskolor Kommunerna 2024", "Tillsyn Länsstyrelsen"]


def test_text_layer_words_are_still_grouped_by_their_tops():
    words = [Word("Budget", 50, 100, 140, 112), Word("2024", 150, 100.5, 180, 112), Word("Summa", 50, 120, 90, 132)]
    assert [[w.text for w in line] for line in word_lines(words)] == [["Budget", "2024"], ["Summa"]]
