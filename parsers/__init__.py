"""Stage 3, parse: repaired pages -> a ParsedPlan (metadata, activities and budget lines, as printed)."""
from parsers.parse import parse_document

__all__ = ["parse_document"]
