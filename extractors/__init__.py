"""Stage 1, extract: bytes of a plan document -> pages with text, words, text blocks and table grids."""
VERSION = "2"   # of the extract stage: bump when what it produces changes, so its cache is redone

from extractors.types import Block, Cell, ExtractedDocument, Line, Page, Table, Word
from extractors.detect import extract_file, extract_bytes

__all__ = ["VERSION", "Block", "Cell", "ExtractedDocument", "Line", "Page", "Table", "Word",
           "extract_file", "extract_bytes"]
