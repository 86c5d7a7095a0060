"""Stage 3, parse: repaired pages -> plan metadata, activities and budget lines (raw strings kept)."""
from parsers.records import Activity, BudgetLine, Plan
from parsers.plan import parse_document, VERSION

__all__ = ["Activity", "BudgetLine", "Plan", "parse_document", "VERSION"]
