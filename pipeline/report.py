"""What is in the corpus: documents, activities per county and year, budget totals."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils



def corpus_report(db: sqlite_utils.Database) -> dict[str, list[dict]]:
    return {
        "documents": list(db.query("""
            select file_name, county, doc_type, year_from, year_to, page_count, extraction,
                   (select count(*) from activities a where a.document_id = d.id) as activities,
                   (select count(*) from budget_lines b where b.document_id = d.id) as budget_lines
            from documents d where is_current = 1 order by county, year_from, file_name""")),
        "set_aside": list(db.query("""
            select d.file_name, case when d.superseded_by is not null then 'superseded by ' || n.file_name
                                     else 'copy of ' || c.file_name end as set_aside_as
            from documents d left join documents c on c.id = d.copy_of left join documents n on n.id = d.superseded_by
            where d.is_current = 0 order by d.file_name""")),
        "without_activities": list(db.query("""
            select file_name, coverage_note from documents where coverage_note is not null and is_current = 1
            order by file_name""")),
        "activities_by_county_year": list(db.query("""
            select county, plan_year, count(*) as activities from activities_view
            group by county, plan_year order by county, plan_year""")),
        "budget_totals": list(db.query("""
            select county, budget_year,
                   sum(case when section = 'income' and is_total then amount_sek end) as income_sek,
                   sum(case when section = 'cost' and is_total then amount_sek end) as cost_sek,
                   sum(case when section = 'result' then amount_sek end) as result_sek
            from budget_view group by county, budget_year order by county, budget_year""")),
    }


def format_table(rows: Sequence[dict], columns: Sequence[str] | None = None) -> str:
    """A plain fixed-width table for the terminal; numbers right-aligned with space thousands."""
    if not rows:
        return "(none)"
    columns = list(columns or rows[0].keys())

    def show(value) -> str:
        if value is None:
            return ""
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10000:
            return f"{value:,}".replace(",", " ")
        return str(value)

    cells = [[show(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    numeric = [all(isinstance(row.get(c), (int, float)) or row.get(c) is None for row in rows)
               for c in columns]

    def line(values) -> str:
        aligned = (v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True))
        return "  ".join(aligned).rstrip()

    return "\n".join([line(columns), line("-" * w for w in widths), *(line(r) for r in cells)])
