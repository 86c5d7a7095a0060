"""The born-digital reader on PDFium: the same words and rulings pdfplumber reads, on rotated pages
and under transforms too."""
from __future__ import annotations

import io
import zlib

import pdfplumber
import pypdfium2
import pytest

from extractors.pdf import extract_pdf
from extractors.pdfium_page import page_segments, page_words
from tests import layouts
from tests.conftest import FIXTURES

PDF_001 = FIXTURES / "pdf" / "001_verksamhetsplan_jonkoping_2021-2023.pdf"


def _plumber_words(page) -> list[tuple[str, float, float, float, float]]:
    return [(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in page.extract_words()]


def _sorted(words) -> list[tuple[str, float, float, float, float]]:
    return sorted(words, key=lambda w: (round(w[2]), w[1]))


def _same_box(mine, other) -> bool:
    """Across within a point; down within 3 pt, pdfminer setting the box off the baseline by the
    font's descent, where ours sits on it."""
    return (abs(mine[1] - other[1]) <= 1 and abs(mine[3] - other[3]) <= 1
            and abs(mine[2] - other[2]) <= 3 and abs(mine[4] - other[4]) <= 3)


@pytest.mark.parametrize("data", [PDF_001.read_bytes(), layouts.multi_year_budget()], ids=["001", "budget"])
def test_words_are_pdfplumbers_words(data):
    document = pypdfium2.PdfDocument(data)
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for page, expected in zip(document, plumber.pages, strict=True):
            ours = _sorted((w.text, w.x0, w.top, w.x1, w.bottom) for w in page_words(page))
            theirs = _sorted(_plumber_words(expected))
            assert [w[0] for w in ours] == [w[0] for w in theirs]
            for mine, other in zip(ours, theirs, strict=True):
                assert _same_box(mine, other), (mine, other)


def test_rulings_are_pdfplumbers_edges():
    document = pypdfium2.PdfDocument(PDF_001.read_bytes())
    with pdfplumber.open(PDF_001) as plumber:
        for page, expected in zip(document, plumber.pages, strict=True):
            ours = sorted(tuple(round(v, 2) for v in segment) for segment in page_segments(page))
            theirs = sorted((round(e["x0"], 2), round(e["top"], 2), round(e["x1"], 2), round(e["bottom"], 2))
                            for e in expected.edges if e["orientation"])
            assert ours == theirs
    assert sum(len(page_segments(page)) for page in document) > 100   # 001's tables are fully ruled


def _pdf(content: bytes, media_box: str = "0 0 400 300", rotate: int = 0) -> bytes:
    """A one-page PDF with Helvetica as /F1, its content stream compressed."""
    stream = zlib.compress(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [{media_box}] /Rotate {rotate} "
         f"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>").encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# A 2 x 2 grid drawn in a scaled, shifted coordinate system (the way many writers place a table),
# with a word in each cell drawn in page space
_GRID_UNDER_CM = b"""q 2 0 0 2 50 20 cm 0.5 w
0 0 m 100 0 l S 0 50 m 100 50 l S 0 100 m 100 100 l S
0 0 m 0 100 l S 50 0 m 50 100 l S 100 0 m 100 100 l S Q
BT /F1 10 Tf 60 190 Td (Aktivitet) Tj 100 0 Td (Ansvar) Tj ET
BT /F1 10 Tf 60 90 Td (Inventering) Tj 100 0 Td (Kommunerna) Tj ET
"""


def test_rulings_drawn_under_a_transform_make_the_table():
    page = extract_pdf(_pdf(_GRID_UNDER_CM), "grid.pdf").pages[0]
    assert len(page.tables) == 1
    rows = [[cell.text for cell in row] for row in page.tables[0].rows]
    assert rows == [["Aktivitet", "Ansvar"], ["Inventering", "Kommunerna"]]
    assert page.tables[0].bbox == pytest.approx((50, 80, 250, 280))   # top down: 300 - 220 .. 300 - 20


_TWO_LINES = b"""BT /F1 12 Tf 40 250 Td (Verksamhetsplan 2024) Tj 0 -20 Td (Tillsyn av f\xf6rskolor) Tj ET"""


def _upright_on(rotate: int, lines: list[tuple[float, float, str]], width=400, height=300) -> bytes:
    """Text placed so that it reads upright on the page as displayed: (x, baseline from the top)."""
    ops = []
    for x, baseline, text in lines:
        matrix = {0: (1, 0, 0, 1, x, height - baseline), 90: (0, 1, -1, 0, baseline, x),
                  180: (-1, 0, 0, -1, width - x, baseline), 270: (0, -1, 1, 0, width - baseline, height - x)}[rotate]
        ops.append(f"BT /F1 12 Tf {' '.join(map(str, matrix))} Tm ({text}) Tj ET")
    return _pdf("\n".join(ops).encode("cp1252"), rotate=rotate)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_a_rotated_page_is_read_as_displayed(rotate):
    """Landscape tables are often a portrait page turned by /Rotate with its text drawn turned
    back: the words come out upright, in the displayed page's coordinates, as pdfplumber has them."""
    data = _upright_on(rotate, [(40, 50, "Verksamhetsplan 2024"), (40, 70, "Tillsyn av förskolor")])
    page = pypdfium2.PdfDocument(data)[0]
    ours = [(w.text, round(w.x0), round(w.top), round(w.x1), round(w.bottom)) for w in page_words(page)]
    assert [w[0] for w in _sorted(ours)] == ["Verksamhetsplan", "2024", "Tillsyn", "av", "förskolor"]
    assert (ours[0][1], ours[0][2], ours[0][4]) == (40, 38, 50)   # one font size above the baseline
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        theirs = _plumber_words(plumber.pages[0])
    for mine, other in zip(_sorted(ours), _sorted(theirs), strict=True):
        assert mine[0] == other[0] and _same_box(mine, other), (mine, other)
    assert page.get_size() == ((300, 400) if rotate in (90, 270) else (400, 300))


def test_an_offset_media_box_starts_the_page_at_its_corner():
    page = extract_pdf(_pdf(_TWO_LINES.replace(b"40 250", b"140 350"), media_box="100 100 500 400"),
                       "offset.pdf").pages[0]
    first = min(page.words, key=lambda w: (w.top, w.x0))
    assert first.text == "Verksamhetsplan"
    assert (round(first.x0), round(first.top + 12)) == (40, 50)   # baseline 400 - 350 from the top
