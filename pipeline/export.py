"""The corpus as tables for spreadsheets and data frames: the current document of each plan, its
activities (with county, organisation, themes and partners), one row per activity and theme, one
per activity and partner, budget lines, and the pages that have no text.

Each format keeps the values as they are: ids (18 digits, more than a spreadsheet's float holds)
as text in the workbook and as 64-bit integers in Parquet and CSV; periods as dates; amounts as
whole kronor. CSV is UTF-8 with a byte-order mark, which Excel on Windows needs to read å, ä and ö
(`bom=False` leaves it out).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from normalizers.themes import themes

if TYPE_CHECKING:
    import sqlite_utils

FORMATS = ("csv", "parquet", "xlsx")
WORKBOOK = "corpus.xlsx"
ROW_IDS = ("id", "activity_id")   # the 18-digit ids of activities and budget lines (a document's is its hash)
DATE_COLUMNS = ("period_start", "period_end")
WHOLE_NUMBERS = ("amount_sek", "estimated_cost_sek", "plan_year", "budget_year", "year_from", "year_to",
                 "page_count", "page_from", "page_to", "page", "page_no", "ordinal", "is_total", "is_current")

_CURRENT = "select id from documents where is_current = 1"
QUERIES = {
    "documents": f"""
        select id, county, organisation, title, doc_type, year_from, year_to, file_name, source_path, source_kind,
               page_count, extraction, text_quality, imported_at, warnings, coverage_note
        from documents where id in ({_CURRENT}) order by county, year_from, file_name""",
    "activities": """
        select id, county, organisation, file_name, document_title, plan_year, category, title, goal, actions,
               timing_text, period_start, period_end, frequency_per_year, responsible, partners_text, partners,
               themes, target_group, effect_goals, followup, page_from, page_to, document_id
        from activities_view order by county, plan_year, document_id, ordinal""",
    "activity_themes": f"""
        select t.activity_id, t.theme, d.county, a.plan_year, a.title, a.document_id
        from activity_themes t join activities a on a.id = t.activity_id join documents d on d.id = a.document_id
        where d.id in ({_CURRENT}) order by t.theme, d.county, a.plan_year, a.ordinal""",
    "activity_partners": f"""
        select p.activity_id, p.partner, d.county, a.plan_year, a.title, a.document_id
        from activity_partners p join activities a on a.id = p.activity_id join documents d on d.id = a.document_id
        where d.id in ({_CURRENT}) order by p.partner, d.county, a.plan_year, a.ordinal""",
    "budget_lines": """
        select id, county, organisation, file_name, budget_year, section, label, amount_sek, amount_text,
               is_total, page, document_id
        from budget_view order by county, budget_year, document_id, ordinal""",
    "pages_without_text": f"""
        select p.document_id, d.file_name, p.page_no, p.method, p.error
        from pages p join documents d on d.id = p.document_id
        where d.id in ({_CURRENT}) and trim(coalesce(p.text, '')) = '' order by d.file_name, p.page_no""",
}


def frames(db: sqlite_utils.Database) -> dict[str, pd.DataFrame]:
    """Each exported table as a frame, typed: ids as Int64 (exact), periods as dates, whole numbers as
    Int64 (NULL stays missing), partners and themes of an activity as '; '-separated text, and each
    theme's Swedish label beside its id."""
    found = {}
    for name, sql in QUERIES.items():
        cursor = db.execute(sql)
        frame = pd.DataFrame(cursor.fetchall(), columns=[column[0] for column in cursor.description])
        found[name] = _typed(frame, row_ids=() if name == "documents" else ROW_IDS)
    activities = found["activities"]
    for column in ("partners", "themes"):
        activities[column] = activities[column].map(_joined).astype("string")
    labels = {theme.id: theme.label for theme in themes()}
    theme_rows = found["activity_themes"]
    theme_rows.insert(2, "theme_label", theme_rows["theme"].map(labels).astype("string"))
    return found


def _typed(frame: pd.DataFrame, row_ids: tuple[str, ...]) -> pd.DataFrame:
    for column in frame.columns:
        if column in row_ids:
            frame[column] = frame[column].astype("Int64")
        elif column in DATE_COLUMNS:
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d").dt.date
        elif column in WHOLE_NUMBERS:
            frame[column] = frame[column].astype("Int64")
        elif frame[column].dtype == object:
            frame[column] = frame[column].astype("string")
    return frame


def _joined(values: str) -> str | None:
    return "; ".join(json.loads(values)) or None


def export(db: sqlite_utils.Database, out: str | Path, fmt: str = "csv", bom: bool = True) -> list[Path]:
    """Write the tables to `out`: a file per table (csv, parquet), or one workbook with a sheet per
    table (xlsx). Returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tables = frames(db)
    if fmt == "xlsx":
        path = out / WORKBOOK
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, frame in tables.items():
                _for_a_sheet(frame).to_excel(writer, index=False, sheet_name=name)
                writer.sheets[name].freeze_panes = "A2"
        return [path]
    written = []
    for name, frame in tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False, encoding="utf-8-sig" if bom else "utf-8")
        else:
            frame.to_parquet(path, index=False)
        written.append(path)
    return written


def _for_a_sheet(frame: pd.DataFrame) -> pd.DataFrame:
    """A spreadsheet stores numbers as doubles, which keep 15 digits: ids go in as text."""
    sheet = frame.copy()
    for column in sheet.columns:
        if column in ROW_IDS and sheet[column].dtype == "Int64":
            sheet[column] = sheet[column].astype("string")
    return sheet
