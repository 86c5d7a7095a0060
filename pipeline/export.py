"""Activities and budget lines as pandas frames, with county, organisation, themes and partners."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlite_utils

FORMATS = ("csv", "parquet", "xlsx")


def frames(db: sqlite_utils.Database) -> dict[str, pd.DataFrame]:
    activities = pd.DataFrame(db.query("""
        select a.id, d.county, d.organisation, d.file_name, d.title as document_title, a.plan_year, a.category,
               a.title, a.goal, a.actions, a.timing_text, a.period_start, a.period_end, a.frequency_per_year,
               a.responsible, a.partners_text,
               (select group_concat(partner, '; ') from activity_partners p where p.activity_id = a.id) as partners,
               (select group_concat(theme, '; ') from activity_themes t where t.activity_id = a.id) as themes,
               a.target_group, a.effect_goals, a.followup, a.page_from, a.page_to, a.document_id
        from activities a join documents d on d.id = a.document_id
        order by d.county, a.plan_year, a.document_id, a.ordinal"""))
    budget = pd.DataFrame(db.query("""
        select b.id, d.county, d.organisation, d.file_name, b.budget_year, b.section, b.label, b.amount_sek,
               b.amount_text, b.is_total, b.page, b.document_id
        from budget_lines b join documents d on d.id = b.document_id
        order by d.county, b.budget_year, b.document_id, b.ordinal"""))
    return {"activities": activities, "budget_lines": budget}


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
