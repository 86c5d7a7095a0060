"""Compression bombs found before PDFium inflates them.

PDFium inflates a page's content stream whole before it draws a glyph, so a few megabytes of
Flate data that inflate to gigabytes cost gigabytes of memory. Inflating each stream here once,
counting the bytes and keeping none of them, costs milliseconds for a real plan and refuses a bomb
in the time it takes to inflate it as far as the limit.
"""
from __future__ import annotations

import re
import zlib

# a plan's drawing instructions, fonts and object streams are kilobytes to a few megabytes
MAX_INFLATED_STREAM = 64 * 2**20

_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_HEAD_BYTES = 4096          # how far back from 'stream' its dictionary is looked for
_CHUNK = 1 << 16            # compressed bytes fed to the inflater at a time
_STEP = 1 << 20             # inflated bytes taken from it at a time


def oversized_stream(data: bytes, limit: int = MAX_INFLATED_STREAM) -> tuple[int, int] | None:
    """(object number, bytes inflated before giving up) of the first Flate stream that inflates past
    `limit`, or None. Images are left to the pixel limit of the OCR stage; a stream that does not
    inflate (damaged, encrypted) is left to PDFium."""
    for keyword, body in _streams(data):
        objects = list(_OBJECT.finditer(data, max(0, keyword - _HEAD_BYTES), keyword))
        if not objects:
            continue
        head = data[objects[-1].start():keyword]
        flates = head.count(b"/FlateDecode") + len(re.findall(rb"/Fl\b", head))
        if not flates or b"/Image" in head:
            continue
        inflated = _inflated_size(data, body, flates, limit)
        if inflated > limit:
            return int(objects[-1].group(0).split()[0]), inflated
    return None


def _streams(data: bytes):
    """(offset of the keyword, offset of the data) of each 'stream' keyword; a plain search, since a
    regular expression with a look-behind crawls through megabytes of image data."""
    position = data.find(b"stream")
    while position >= 0:
        body = position + len(b"stream")
        if data[position - 3:position] != b"end":
            if data[body:body + 2] == b"\r\n":
                yield position, body + 2
            elif data[body:body + 1] in (b"\n", b"\r"):
                yield position, body + 1
        position = data.find(b"stream", body)


def _inflated_size(data: bytes, start: int, filters: int, limit: int) -> int:
    """Bytes the stream at `start` inflates to through `filters` Flate filters, counted up to just
    past `limit`."""
    inflaters = [zlib.decompressobj() for _ in range(filters)]
    total = 0
    position = start
    try:
        while position < len(data) and not inflaters[0].eof and not inflaters[-1].eof:
            pending = data[position:position + _CHUNK]
            position += len(pending)
            while pending:
                for inflater in inflaters[:-1]:
                    # a filter before the last may itself inflate past the limit: bounded the same way
                    pending = inflater.decompress(pending, limit + 1)
                    if len(pending) > limit:
                        return len(pending)
                last = inflaters[-1]
                out = last.decompress(pending, _STEP)
                total += len(out)
                # at the end of its data an inflater keeps its tail but gives nothing more
                while last.unconsumed_tail and not last.eof and total <= limit:
                    out = last.decompress(last.unconsumed_tail, _STEP)
                    total += len(out)
                if total > limit:
                    return total
                pending = b""
    except zlib.error:
        pass
    return total
