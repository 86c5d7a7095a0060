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


def _page_of(words: list[Word]):
    from extractors.pdf import page_from_words
    return page_from_words(1, tuple(words), [], width=595, height=842, image_count=1, method="ocr")


def _title_line(texts_and_x: list[tuple[str, float]], top: float, height: float, line: int) -> list[Word]:
    return [Word(text=t, x0=x, top=top, x1=x + 0.5 * height * len(t), bottom=top + height, line=line,
                 confidence=95.0) for t, x in texts_and_x]


def test_the_title_of_a_scan_is_the_large_text_under_its_running_header():
    """The running header (small), the title in two large lines with its span of years broken
    after the dash, then body text: blocks by the height of OCR lines, the title whole."""
    from parsers.metadata import find_title
    words = (_title_line([("Miljösamverkan", 60), ("Gävleborg", 140)], 30, 9, 1)
             + _title_line([('"Miljösamverkan', 60), ("Gävleborg", 260), ("-", 370), ("verksamhetsplan", 385),
                            ("2018-", 560)], 60, 22, 2)
             + _title_line([("2019", 60)], 88, 13, 3)
             + _title_line([("Under", 60), ("senare", 95), ("år", 135), ("har", 150), ("samverkan", 172)], 130, 10, 4)
             + _title_line([("fått", 60), ("en", 85), ("allt", 100), ("viktigare", 122), ("roll.", 170)], 143, 10, 5))
    page = _page_of(words)
    assert [block.text.splitlines()[0] for block in page.blocks][:3] == [
        "Miljösamverkan Gävleborg", '"Miljösamverkan Gävleborg - verksamhetsplan 2018-', "2019"]
    assert find_title([page]) == "Miljösamverkan Gävleborg - verksamhetsplan 2018-2019"


def test_doubtful_specks_never_enter_the_text_but_doubtful_words_and_dashes_do():
    from extractors.ocr import is_speck
    def word(text, confidence):
        return Word(text=text, x0=0, top=0, x1=10, bottom=10, line=1, confidence=confidence)
    specks = [word("=", 41), word("»«", 12), word("SE", 30), word("SSR", 8), word("/", 55)]
    kept = [word("=", 91), word("SE", 75), word("-", 20), word("–", 35), word("2025", 21),
            word("kommunerna", 15), word("VA-huvudmannen", 30), word("Kemikalieinspektionen", 5)]
    assert [is_speck(w) for w in specks] == [True] * len(specks)
    assert [is_speck(w) for w in kept] == [False] * len(kept)
    assert not is_speck(Word("=", 0, 0, 10, 10))   # a text layer's words carry no confidence


def test_a_dot_read_as_a_glyph_and_a_guess_alone_in_an_empty_column_are_noise():
    """'i' and '1' of boxes under a point, however sure Tesseract was; 'Föne' read at 10 between a
    label and its amounts far from both. A lone mark ('X'), a guessed word beside its neighbours
    and a guess at the end of its line stay."""
    from extractors.ocr import without_specks

    def word(text, x0, confidence, line=1, size=9.0):
        return Word(text=text, x0=x0, top=100.0 * line, x1=x0 + size * 0.6 * len(text), bottom=100.0 * line + size,
                    line=line, confidence=confidence)
    body = [word("Totalt", 73, 95), word("1603", 341, 96), word("1564", 421, 96)]
    noise = [word("i", 244, 65, size=0.7), word("1", 330, 61, size=0.7), word("Föne", 274, 10)]
    kept = [word("Projektledning", 73, 96, 2), word("X", 274, 65, 2), word("223", 341, 90, 2),
            word("Lokalhyra", 73, 96, 3), word("ooch", 124, 12, 3), word("övrigt", 150, 95, 3), word("Sxgre", 421, 10, 3)]
    assert [w.text for w in without_specks(body + noise + kept)] == [w.text for w in body + kept]


def test_a_header_band_printed_light_on_dark_is_inverted_but_shaded_schedule_cells_are_not():
    import numpy as np

    from extractors.ocr import _invert_dark_bands
    page = np.full((400, 1000), 235, dtype=np.uint8)
    page[100:160, 50:950] = 70                       # the header band
    for x in range(80, 900, 40):                     # its light letters, 6 px strokes
        page[115:145, x:x + 6] = 240
    page[250:290, 50:950] = 235
    for x in range(50, 950, 150):                    # shaded schedule cells, light months between
        page[250:290, x:x + 75] = 90
    out = _invert_dark_bands(page)
    assert out[130, 60] == 255 - 70 and out[130, 82] == 255 - 240    # band inverted, letters now dark
    assert (out[250:290] == page[250:290]).all()                      # the schedule row as it was
    assert (out[:100] == page[:100]).all()


def test_specks_flat_or_tall_and_narrow_and_blocks_of_doubted_words_are_left_out():
    from extractors.ocr import without_specks

    def word(text, x0, top, x1, bottom, confidence, block=1, line=1):
        return Word(text=text, x0=x0, top=top, x1=x1, bottom=bottom, line=(block * 1000 + 1) * 1000 + line,
                    confidence=confidence)
    body = [word(f"ord{n}", 60 + 40 * n, 100, 90 + 40 * n, 108, 95) for n in range(6)]      # 8 pt high text
    flat = word("é", 320, 104, 324, 105, 47)                  # one point high: a dot between the lines
    border = word("addan", 550, 40, 558, 104, 29)              # 64 pt high, 8 wide: a border's edge
    sliver = word("5", 280, 100, 281, 108, 13)                 # one point wide, doubted: a scratch
    noise = [word(t, 560, 120 + 10 * n, 575, 128 + 10 * n, c, block=9, line=n)
             for n, (t, c) in enumerate([("uäkl", 0), ("al.", 43), ("Jen,", 46)])]
    kept = [word("i", 500, 100, 503, 107, 23),                 # doubted but as high as text
            word("Budget", 60, 130, 90, 138, 12),              # doubted words stay
            word("-", 200, 104, 204, 105, 20),                 # a flat dash is a dash
            word("2026", 100, 60, 160, 90, 24)]                # a title's year set large
    assert without_specks([*body, flat, border, sliver, *noise, *kept]) == (*body, *kept)
    # a block of doubted words with a figure in it is read text
    figures = [word("Summa", 560, 200, 590, 208, 30, block=7), word("kostnader", 600, 200, 640, 208, 30, block=7),
               word("1 450", 650, 200, 680, 208, 40, block=7)]
    assert without_specks([*body, *figures]) == (*body, *figures)


def test_dot_leaders_are_found_on_their_line_and_a_rule_or_a_grey_band_is_not():
    import numpy as np

    from extractors.ocr import _TO_PT, _leader_runs
    sheet = np.full((120, 900), 255, dtype=np.uint8)
    sheet[40:70, 20:200] = 0                                    # a label, 30 px high letters
    for x in range(210, 700, 14):                               # dots on the baseline, 14 px apart
        sheet[65:70, x:x + 5] = 0
    sheet[40:70, 720:860] = 0                                   # the amount
    line = [Word("Administration", 20 * _TO_PT, 40 * _TO_PT, 200 * _TO_PT, 70 * _TO_PT, confidence=90, line=1),
            Word("152", 720 * _TO_PT, 40 * _TO_PT, 860 * _TO_PT, 70 * _TO_PT, confidence=90, line=1)]
    [(left, _, right, _)] = _leader_runs(sheet, line)
    assert 205 <= left <= 212 and 690 <= right <= 700
    ruled = np.full((120, 900), 255, dtype=np.uint8)
    ruled[40:70, 20:200] = 0
    ruled[66:69, 210:700] = 0                                   # a thin rule: one long stroke
    ruled[40:70, 720:860] = 0
    assert _leader_runs(ruled, line) == []
    speckled = np.full((120, 900), 255, dtype=np.uint8)
    speckled[40:70, 20:200] = 0
    speckled[40:70, 720:860] = 0
    for x in (215, 231, 290, 301, 380, 455, 470, 560, 610, 690):   # specks of a grey band: uneven
        speckled[64:68, x:x + 4] = 0
    assert _leader_runs(speckled, line) == []


def test_scan_titles_the_ocr_damaged():
    """The type word on a line of its own (the dash before it lost), split by a space, a speck read
    as a full stop after the year, a heading under a title that has its years, and a word as tall
    as a title in a heading line that is not one."""
    from parsers.metadata import doc_type_of, find_title, years_of
    two_lines = (_title_line([("Miljösamverkan", 60), ("Jämtland", 175), ("Härjedalen", 250)], 40, 24, 1)
                 + _title_line([("verksamhetsplan", 60), ("2026", 185)], 70, 24, 2)
                 + _title_line([("Bakgrund", 60)], 118, 13, 3))
    title = find_title([_page_of(two_lines)])
    assert title == "Miljösamverkan Jämtland Härjedalen verksamhetsplan 2026"
    assert (doc_type_of(title), years_of(title)) == ("verksamhetsplan", (2026, 2026))
    split = (_title_line([("Miljösamverkan", 60), ("Örebro", 140), ("län", 180)], 30, 9, 1)
             + _title_line([("Verksam", 60), ("hetsplan", 140), ("2015", 220)], 60, 24, 2)
             + _title_line([("Bakgrund", 60)], 120, 13, 3))
    assert find_title([_page_of(split)]) == "Verksamhetsplan 2015"
    speck = (_title_line([("Verksamhetsplan", 60), ("2017.", 200)], 50, 18, 1)
             + _title_line([("Miljösamverkan", 60), ("Västra", 150), ("Götaland", 190)], 77, 10, 2))
    assert find_title([_page_of(speck)]) == "Verksamhetsplan 2017"
    heading = (_title_line([("Verksamhetsplan", 60), ("2018-2019", 200)], 40, 22, 1)
               + _title_line([("Budget", 60), ("2018", 110)], 80, 14, 2)
               + [Word("B", 160, 60, 164, 104, line=2, confidence=20)])     # a speck as tall as the title
    assert find_title([_page_of(heading)]) == "Verksamhetsplan 2018-2019"


def test_a_row_rule_lighter_than_ink_between_a_grids_dark_rules_is_a_rule():
    """JPEG greys a thin rule: taken where it runs from one of the grid's vertical rules to another
    between two of its dark rules, so two rows do not merge; a grey line elsewhere is no rule."""
    import numpy as np

    from extractors.ocr import _DARK, _RULE_INK, _rulings
    grey = np.full((1200, 1000), 235, dtype=np.uint8)
    grey[500:502, 100:903] = 165                   # a row rule gone grey
    grey[1000:1002, 100:903] = 165                 # a grey line under the grid
    for x in (100, 500, 900):
        grey[200:800, x:x + 3] = 40                # the grid's vertical rules
    for y in (200, 800):
        grey[y:y + 3, 100:903] = 40                # its top and bottom rules
    rulings, mask = _rulings(grey < _DARK, grey < _RULE_INK)
    rows = sorted(y for x0, y, x1, y1 in rulings if y == y1 and x1 - x0 > 500)
    assert [round(y, -1) for y in rows] == [200, 500, 800]
    assert mask[500, 300] and not mask[1000, 300]
    assert len(_rulings(grey < _DARK)[0]) == 5      # without the light ink: the dark rules alone


def test_a_grids_side_and_edge_rules_lighter_than_ink_and_a_header_cells_short_side_are_rules():
    """A grid whose right side and top rule JPEG greyed, and whose header row, one line high, has
    a dark rule between its cells too short to be a rule alone: all found, the grid complete."""
    import numpy as np

    from extractors.ocr import _DARK, _RULE_INK, _rulings
    from extractors.tables import grids_from_rulings
    grey = np.full((1200, 1000), 235, dtype=np.uint8)
    grey[200:202, 100:903] = 165                   # top rule, grey
    grey[200:800, 900:902] = 165                   # right side, grey
    grey[200:800, 100:103] = 40                    # left side
    grey[260:800, 500:503] = 40                    # between the body's cells
    grey[200:260, 500:503] = 40                    # between the header's cells: 60 px
    for y in (260, 500, 800):
        grey[y:y + 3, 100:903] = 40
    rulings, mask = _rulings(grey < _DARK, grey < _RULE_INK)
    [grid] = grids_from_rulings([tuple(v * 72 / 300 for v in ruling) for ruling in rulings])
    assert [len(row) for row in grid] == [2, 2, 2]
    assert mask[201, 300] and mask[400, 901] and mask[230, 501]
    assert len(_rulings(grey < _DARK)[0]) == 5      # without the light ink: the long dark rules alone


def test_a_box_one_glyph_wide_holds_one_letter():
    from extractors.ocr import _one_glyph
    assert _one_glyph("Xx", 6.0, 6.0) == "X"          # a schedule's mark as the language model reads it
    assert _one_glyph("xx", 5.0, 6.0) == "X"
    assert _one_glyph("av", 11.0, 6.0) == "av"        # two letters, two glyphs wide
    assert _one_glyph("Xx", 12.0, 6.0) == "Xx"
    assert _one_glyph("X", 6.0, 6.0) == "X"


def _cell_words(texts_and_x: list[tuple[str, float]], top: float, line: int, confidence: float = 95.0,
                widths: dict[str, float] | None = None) -> list[Word]:
    widths = widths or {}
    return [Word(text=t, x0=x, top=top, x1=x + widths.get(t, 4.5 * len(t)), bottom=top + 8, line=line,
                 confidence=confidence if t != "miljö:" else 19.0) for t, x in texts_and_x]


def test_ocr_noise_at_a_columns_edge_does_not_end_an_unruled_table():
    """Three things a scan does at a column's edge, none of which is prose running across it: a
    speck widens a word's box a few points into the column before ('"Granska'), a doubted word's
    box lies well wide of its letters ('miljö:'), and a round bullet comes back as '»'."""
    header = _cell_words([("Insats", 54), ("Vad", 216), ("göras?", 236), ("Tid", 435), ("Effekt", 500)], 100, 1)
    rows = (_cell_words([("Vindkraft", 54), ('"Granska', 208), ("villkor", 260), ("Våren", 435),
                         ("Miljö", 500)], 114, 2)
            + _cell_words([("Radon", 54), ("»", 210), ("Mäta", 216), ("halterna", 240), ("Maj", 435),
                           ("miljö:", 480)], 128, 3, widths={"»": 3.0, "miljö:": 40.0})
            + _cell_words([("Buller", 54), ("Mäta", 216), ("ljudet", 240), ("Juni", 435), ("Hälsa", 500)], 142, 4))
    page = _page_of(header + rows)
    assert len(page.tables) == 1
    assert [[cell.text for cell in row] for row in page.tables[0].rows] == [
        ["Insats", "Vad göras?", "Tid", "Effekt"],
        ["Vindkraft", '"Granska villkor', "Våren", "Miljö"],
        ["Radon", "» Mäta halterna", "Maj", "miljö:"],
        ["Buller", "Mäta ljudet", "Juni", "Hälsa"]]


def test_cells_of_an_amount_column_read_again_are_the_empty_the_damaged_and_the_doubted():
    """A budget's amount column on a scan: '242' read as 'ba' that Tesseract doubts, '20' read as
    '20:', '74' lost, '256' read but doubted; each is read again. A word read as it is ('76', 'Avgifter') and the header's
    'Utfall 2017' are not."""
    from extractors.ocr import _figure_cells_to_read_again
    lines = [[("Budgetpost", 64), ("Utfall", 330), ("2017", 360), ("Utfall", 420), ("2018", 450)],
             [("Avgifter", 64), ("1306", 350), ("1265", 440)],
             [("Utbildningar", 64), ("76", 358)],
             [("Region", 64), ("20:", 355), ("21", 446)],
             [("Havsmyndigheten", 64), ("ba", 355), ("256", 442)],
             [("Totalt", 64), ("1644", 350), ("1616", 440)]]
    words = []
    for number, line in enumerate(lines):
        words += _cell_words(line, 100 + 14 * number, number + 1, confidence=40.0 if line[1][0] == "ba" else 95.0)
    boxes = _figure_cells_to_read_again(tuple(words), ())
    # (line, column) of each cell: the line whose words lie inside it, left or right amount column
    read_again = sorted((next(n for n in range(len(lines)) if top <= 104 + 14 * n <= bottom), x0 > 400)
                        for x0, top, _x1, bottom in boxes)
    assert read_again == [(2, True), (3, False), (4, False), (4, True)]   # '74' lost, '20:', 'ba', doubted '256'


def test_a_cell_read_again_is_cut_to_its_glyphs_and_its_contrast_stretched():
    """Tesseract reads a lone grey '272' at the right of a wide cell with specks as 'FEET': the
    second reading sees the glyphs alone, from black to white; a cell of specks holds nothing."""
    import numpy as np

    from extractors.ocr import _around_ink
    crop = np.full((70, 330), 238, dtype=np.uint8)
    crop[20:50, 250:262] = 90          # two glyphs, grey
    crop[20:50, 268:280] = 70
    crop[30:34, 120:124] = 60          # a speck
    crop[60:63, 10:14] = 60            # another
    (left, top), part = _around_ink(crop)
    assert (left, top) == (242, 12) and part.shape == (46, 46)
    assert part.min() == 0 and part.max() == 255 and part[0, 0] == 255
    specks_only = np.full((70, 330), 238, dtype=np.uint8)
    specks_only[30:34, 120:124] = 60
    assert _around_ink(specks_only) is None


def test_a_damaged_figure_is_replaced_by_its_second_reading_and_keeps_its_unit():
    from extractors.ocr import _with_cells_read_again
    cell = (300.0, 100.0, 400.0, 116.0)

    def word(text, x0, confidence):
        return Word(text=text, x0=x0, top=104.0, x1=x0 + 5 * len(text), bottom=112.0, line=1, confidence=confidence)
    damaged = (word("Sj", 305, 33.0), word("1", 350, 81.0), word("665/", 358, 61.0))
    assert [w.text for w in _with_cells_read_again(damaged, [cell], [(word("1", 350, 61.0), word("665", 358, 61.0))])] \
        == ["1", "665"]      # surer of '1' in the damaged reading, yet '1 665' is the figure
    with_unit = (word('"923', 340, 40.0), word("tkr", 370, 95.0))
    assert [w.text for w in _with_cells_read_again(with_unit, [cell], [(word("923", 341, 60.0),)])] == ["tkr", "923"]
    assert [w.text for w in _with_cells_read_again(with_unit, [cell], [(word("923", 341, 60.0), word("tkr", 360, 90.0))])] \
        == ["923", "tkr"]    # the second reading's unit, not two
    assert _with_cells_read_again(with_unit, [cell], [(word("kr", 341, 90.0),)]) == with_unit   # a unit is no figure
    sure = (word("76", 358, 95.0),)
    assert _with_cells_read_again(sure, [cell], [(word("78", 358, 60.0),)]) == sure


def test_letters_tesseract_takes_for_digits_in_an_amount_cell_are_read_as_digits():
    from extractors.ocr import _as_figure, _damaged_figure, is_speck
    assert _damaged_figure("Okr") and _damaged_figure("J-204") and _damaged_figure("lO")
    assert not any(_damaged_figure(t) for t in ("X", "204", "kr", "Totalt", "Oförutsedda", "-"))
    assert [_as_figure(t) for t in ("O", "1 000", "lO", "X", "kr", "FEET")] == ["0", "1 000", "10", "X", "kr", None]
    speck = Word(text="3", x0=197.0, top=673.4, x1=201.4, bottom=676.6, line=1, confidence=0.0)
    figure = Word(text="3", x0=197.0, top=670.0, x1=201.4, bottom=677.0, line=1, confidence=15.0)
    assert is_speck(speck, 7.2) and not is_speck(figure, 7.2)
