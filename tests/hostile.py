"""Crafted hostile inputs, made on the spot (for the tests and scripts/fault_injection.py)."""
from __future__ import annotations

import random
import subprocess
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest


def one_page_pdf(content: bytes, filters: str = "/FlateDecode", compressed: bool = False) -> bytes:
    """A valid one-page PDF whose page draws `content`, stored compressed with `filters` (already
    compressed with them, when `compressed`)."""
    stream = content
    for _ in range(0 if compressed else filters.count("/FlateDecode")):
        stream = zlib.compress(stream, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter [%s] >>\nstream\n" % (len(stream), filters.encode()) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream_bomb(inflated_mb: int) -> bytes:
    """A PDF of a few hundred kilobytes whose page content inflates to `inflated_mb` megabytes."""
    return one_page_pdf(b"BT /F1 12 Tf 72 720 Td (Plan) Tj ET\n" + b" " * (inflated_mb * 2**20))


def random_bytes_without_nul(size: int, seed: int = 15) -> bytes:
    """Noise that no NUL byte gives away as binary."""
    rng = random.Random(seed)
    return bytes(rng.randrange(1, 256) for _ in range(size))


def huge_text_export(megabytes: int) -> bytes:
    line = "Tillsyn av små avlopp\tKommunerna\tLöpande\n".encode()
    return line * (megabytes * 2**20 // len(line) + 1)


def scanned_pages(width_mm: float, height_mm: float, shade: int = 255, pages: int = 1) -> bytes:
    """A PDF of pages that are one greyscale image each (`shade` 255: blank paper), no text layer."""
    from fpdf import FPDF
    from PIL import Image
    pdf = FPDF(unit="mm", format=(width_mm, height_mm))
    image = Image.new("L", (200, 280), shade)
    for _ in range(pages):
        pdf.add_page()
        pdf.image(image, x=0, y=0, w=width_mm, h=height_mm)
    return bytes(pdf.output())


DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def pdf_without_to_unicode(lines: list[str]) -> bytes:
    """A born-digital page in an embedded font whose glyph codes map to no letters (its ToUnicode
    table renamed away, keeping every byte offset): the text layer reads as control codes."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=DEJAVU)
    pdf.set_font("DejaVu", size=14)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    data = bytes(pdf.output())
    assert data.count(b"/ToUnicode") == 1
    return data.replace(b"/ToUnicode", b"/XoUnicode")


def children_of(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is `pid`, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@contextmanager
def mounted(target: Path, *commands: list[str]):
    """Run mount commands (as root); skip the test with the reason where this machine refuses them."""
    target.mkdir(parents=True, exist_ok=True)
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            subprocess.run(["umount", str(target)], capture_output=True)
            pytest.skip(f"cannot mount here ({' '.join(command[:2])}: {done.stderr.strip()})")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)
