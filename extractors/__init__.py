"""Stage 1, extract: bytes of a plan document -> pages with text, words, text blocks and table grids."""
from extractors.types import Block, Cell, ExtractedDocument, Line, Page, Table, Word
from extractors.detect import extract_file, extract_bytes

__all__ = ["Block", "Cell", "ExtractedDocument", "Line", "Page", "Table", "Word",
           "extract_file", "extract_bytes"]
