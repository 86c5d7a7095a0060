"""Stage 1, extract: bytes of a plan document -> pages with text, words, text blocks and table grids."""
from extractors.detect import extract_bytes, extract_file

__all__ = ["extract_bytes", "extract_file"]
