"""Activities and budget lines as pandas frames, with county, organisation, themes and partners."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import sqlite_utils

FORMATS = ("csv", "parquet", "xlsx")


def frames(db: sqlite_utils.Database) -> dict[str, pd.DataFrame]:
    """The views Datasette shows, with partners and themes as '; '-separated text for spreadsheets."""
    activities = pd.DataFrame(db.query("""
        select id, county, organisation, file_name, document_title, plan_year, category, title, goal, actions,
               timing_text, period_start, period_end, frequency_per_year, responsible, partners_text, partners,
               themes, target_group, effect_goals, followup, page_from, page_to, document_id
        from activities_view order by county, plan_year, document_id, ordinal"""))
    for column in ("partners", "themes"):
        if column in activities:
            activities[column] = activities[column].map(_joined)
    budget = pd.DataFrame(db.query("""
        select id, county, organisation, file_name, budget_year, section, label, amount_sek, amount_text,
               is_total, page, document_id
        from budget_view order by county, budget_year, document_id, ordinal"""))
    return {"activities": activities, "budget_lines": budget}


def _joined(values: str) -> str | None:
    return "; ".join(json.loads(values)) or None


def export(db: sqlite_utils.Database, out: str | Path, fmt: str = "csv") -> list[Path]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames(db).items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False)
        elif fmt == "parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_excel(path, index=False, sheet_name=name)
        written.append(path)
    return written
