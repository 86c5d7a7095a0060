"""The SQLite corpus. Table and column names are a contract with analysts' saved queries: add, never rename."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from core.errors import CorpusError
from core.records import Box, ProcessedDocument
from normalizers.plan_identity import key_prefix, plan_key, same_title
from normalizers.themes import themes


def _sqlite_utils():
    """sqlite_utils, imported without pandas when pandas is not loaded yet: sqlite-utils imports
    pandas (and with it pyarrow) at import only to map pandas.Timestamp values on insert, which the
    corpus never inserts; that import was a fifth of every `plans import`'s start-up."""
    if "pandas" in sys.modules:
        import sqlite_utils
        return sqlite_utils
    sys.modules["pandas"] = None  # type: ignore[assignment]  # makes `import pandas` raise ImportError
    try:
        import sqlite_utils
    finally:
        del sys.modules["pandas"]
    return sqlite_utils


if TYPE_CHECKING:
    import sqlite_utils
else:
    sqlite_utils = _sqlite_utils()


class TableSpec(TypedDict):
    columns: dict[str, type]
    pk: str | tuple[str, ...]


SCHEMA: dict[str, TableSpec] = {
    "documents": {
        "columns": {"id": str, "source_path": str, "file_name": str, "title": str, "organisation": str,
                    "county": str, "doc_type": str, "year_from": int, "year_to": int, "page_count": int,
                    "extraction": str, "text_quality": float, "imported_at": str, "pipeline_version": str,
                    "warnings": str, "coverage_note": str, "source_kind": str, "plan_key": str,
                    "is_current": int, "copy_of": str, "superseded_by": str, "source_file": str},
        "pk": "id",
    },
    "document_counties": {"columns": {"document_id": str, "county": str}, "pk": ("document_id", "county")},
    "pages": {"columns": {"document_id": str, "page_no": int, "method": str, "quality": float,
                          "raw_text": str, "text": str, "needs_diacritic_repair": int, "error": str,
                          "width": float, "height": float},
              "pk": ("document_id", "page_no")},
    "activities": {
        "columns": {"id": int, "document_id": str, "ordinal": int, "plan_year": int, "category": str,
                    "title": str, "goal": str, "actions": str, "timing_text": str, "period_start": str,
                    "period_end": str, "frequency_per_year": float, "responsible": str,
                    "partners_text": str, "target_group": str, "effect_goals": str, "followup": str,
                    "page_from": int, "page_to": int, "lemmas": str, "estimated_cost_sek": int,
                    "x0": float, "top": float, "x1": float, "bottom": float},
        "pk": "id",
    },
    "activity_partners": {"columns": {"activity_id": int, "partner": str}, "pk": ("activity_id", "partner")},
    "activity_themes": {"columns": {"activity_id": int, "theme": str}, "pk": ("activity_id", "theme")},
    # Derived, for speed: one row per activity, theme and county the activity's plan covers, so that
    # comparisons across counties and years are index scans, not joins over every activity.
    "activity_theme_counties": {
        "columns": {"activity_id": int, "theme": str, "county": str, "plan_year": int, "document_id": str},
        "pk": ("activity_id", "theme", "county"),
    },
    # The themes activities are given, from normalizers/data/themes.json (rewritten at every opening
    # for writing): their Swedish labels, for the views and the choice of a theme in Datasette.
    "themes": {"columns": {"id": str, "label": str, "kind": str}, "pk": "id"},
    "budget_lines": {
        "columns": {"id": int, "document_id": str, "ordinal": int, "budget_year": int, "section": str,
                    "label": str, "amount_sek": int, "amount_text": str, "is_total": int, "page": int,
                    "x0": float, "top": float, "x1": float, "bottom": float},
        "pk": "id",
    },
}
FOREIGN_KEYS = {
    "document_counties": [("document_id", "documents", "id")],
    "pages": [("document_id", "documents", "id")],
    "activities": [("document_id", "documents", "id")],
    "activity_partners": [("activity_id", "activities", "id")],
    "activity_themes": [("activity_id", "activities", "id")],
    "activity_theme_counties": [("activity_id", "activities", "id"), ("document_id", "documents", "id")],
    "budget_lines": [("document_id", "documents", "id")],
}
INDEXES = {
    "document_counties": [["document_id"], ["county"]],
    "pages": [["document_id"]],
    "activities": [["document_id"], ["plan_year"]],
    "activity_partners": [["activity_id"], ["partner"]],
    "activity_themes": [["activity_id"], ["theme"]],
    "activity_theme_counties": [["document_id"], ["theme", "county", "plan_year", "activity_id"],
                                ["county", "plan_year"]],
    "budget_lines": [["document_id"], ["budget_year"]],
}
# Views that put county, organisation and year on every row, so browsing never needs a join by hand.
VIEWS = {
    "activities_view": """
        select a.id, d.county, d.organisation, a.plan_year, a.ordinal, a.category, a.title, a.goal, a.actions,
               a.timing_text, a.period_start, a.period_end, a.frequency_per_year, a.responsible, a.partners_text,
               (select json_group_array(partner) from activity_partners p where p.activity_id = a.id) as partners,
               (select json_group_array(theme) from activity_themes t where t.activity_id = a.id) as themes,
               a.target_group, a.effect_goals, a.followup, d.doc_type, d.file_name, a.page_from, a.page_to,
               a.document_id, d.extraction, d.title as document_title,
               (select json_group_array(h.label) from activity_themes t join themes h on h.id = t.theme
                where t.activity_id = a.id) as theme_labels
        from activities a join documents d on d.id = a.document_id
        where d.is_current = 1
        order by d.county, a.plan_year, a.document_id, a.ordinal""",
    "activity_themes_view": """
        select t.theme, c.county, a.plan_year, a.title, a.timing_text, d.file_name, a.id as activity_id,
               a.document_id, h.label as theme_label
        from activity_themes t join activities a on a.id = t.activity_id
        join documents d on d.id = a.document_id join document_counties c on c.document_id = a.document_id
        left join themes h on h.id = t.theme
        where d.is_current = 1""",
    "budget_view": """
        select b.id, d.county, d.organisation, b.budget_year, b.section, b.label, b.amount_sek, b.amount_text,
               b.is_total, d.file_name, b.page, b.document_id, b.ordinal
        from budget_lines b join documents d on d.id = b.document_id
        where d.is_current = 1
        order by d.county, b.budget_year, b.document_id, b.ordinal""",
}
# Full-text search keeps å, ä and ö apart ('får' must not find 'far'); triggers keep it in sync.
FTS = {
    "activities": ["title", "goal", "actions", "lemmas"],
    "pages": ["text"],
}
FTS_TOKENIZER = "unicode61 remove_diacritics 0"

# Children first: the order in which a document's rows are deleted.
_CHILD_TABLES = ("activity_theme_counties", "activity_partners", "activity_themes", "activities", "budget_lines",
                 "pages", "document_counties")


def open_corpus(path: str | Path, create: bool = True) -> sqlite_utils.Database:
    """Open (and with `create`, create if needed) the corpus with WAL journaling and a busy timeout
    for parallel imports; a CorpusError says why it cannot be, and a file this call created is not
    left behind."""
    path = Path(path)
    created = not path.exists()
    if created and not create:
        raise CorpusError(f"{path}: no corpus yet (run 'plans import' first)")
    conn = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=60, isolation_level=None)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        # in WAL, NORMAL syncs at checkpoints, not at every document's commit: a crash may lose the
        # last documents imported, never leave one half-written
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        ensure_schema(db)
        return db
    except (sqlite3.Error, OSError) as exc:
        if conn is not None:
            conn.close()
        if created:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        raise CorpusError(f"{path}: {_why_not_opened(path, exc)}") from exc


def open_corpus_to_read(path: str | Path) -> sqlite_utils.Database:
    """The corpus for commands that only read it: opened as for an import where it can be written (an
    older corpus then gains its views), else immutable, which SQLite can read on read-only media
    where it cannot keep a WAL's shared memory."""
    path = Path(path)
    if not path.exists() or can_change(path):
        return open_corpus(path, create=False)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True, isolation_level=None)
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise CorpusError(f"{path}: {_why_not_opened(path, exc)}") from exc
    return sqlite_utils.Database(conn)


def can_change(path: Path) -> bool:
    """The file and its folder can be written (SQLite writes its WAL and shared memory beside it)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _why_not_opened(path: Path, exc: Exception) -> str:
    message = str(exc).lower()
    if "not a database" in message or "malformed" in message:
        return "not a SQLite database (give --db a corpus file, or a new file name)"
    if "full" in message or getattr(exc, "errno", None) == errno.ENOSPC:
        return "disk full: the corpus cannot be written there"
    folder = path.parent if path.parent.exists() else Path(path.anchor or ".")
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    if read_only:
        return "read-only file system: the corpus cannot be written there"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "no permission to write the corpus there"
    return f"cannot open the corpus ({exc})"


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """BEGIN IMMEDIATE: take the write lock up front, so two imports wait for each other (busy
    timeout) instead of failing when both try to turn a read into a write."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def ensure_schema(db: sqlite_utils.Database) -> None:
    migrate_identity = False
    with write_transaction(db):
        for name, spec in SCHEMA.items():
            table = db.table(name)
            if not table.exists():
                table.create(spec["columns"], pk=spec["pk"], foreign_keys=FOREIGN_KEYS.get(name, []),
                             not_null={c for c in (spec["pk"] if isinstance(spec["pk"], tuple) else (spec["pk"],))})
            else:
                missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
                for column, kind in missing.items():
                    table.add_column(column, kind)
                if name == "documents" and "is_current" in missing:
                    migrate_identity = True
        for name, indexes in INDEXES.items():
            for columns in indexes:
                db.table(name).create_index(columns, if_not_exists=True)
        if migrate_identity:   # a corpus from before plan identity: every document gets its key
            db.execute("""update documents set source_kind = case when lower(file_name) like '%.pdf' then 'pdf'
                          else 'text' end where source_kind is null""")
            for row in list(db.query("select id from documents where plan_key is null")):
                _store_plan_key(db, row["id"])
            settle_plans(db)
        _store_themes(db)
        for name, columns in FTS.items():
            if not db.table(f"{name}_fts").exists():
                db.table(name).enable_fts(columns, tokenize=FTS_TOKENIZER, create_triggers=True)
        for name, sql in VIEWS.items():
            wanted = f"CREATE VIEW {name} AS {sql}"
            stored = db.execute("select sql from sqlite_master where type = 'view' and name = ?", [name]).fetchone()
            if stored is None or stored[0] != wanted:
                db.execute(f"drop view if exists {name}")
                db.execute(wanted)


def _store_themes(db: sqlite_utils.Database) -> None:
    """The themes table as the reference data has it (written only when it differs)."""
    rows = [{"id": theme.id, "label": theme.label, "kind": theme.kind} for theme in themes()]
    stored = list(db.query("select id, label, kind from themes order by rowid"))
    if stored != rows:
        db.execute("delete from themes")
        db.table("themes").insert_all(rows)


def stored_version(db: sqlite_utils.Database, document_id: str) -> str | None:
    rows = list(db.query("select pipeline_version from documents where id = ?", [document_id]))
    return rows[0]["pipeline_version"] if rows else None


def _box_columns(box: Box | None) -> dict[str, float | None]:
    """A row's box as its columns, to a tenth of a point (finer than any rule or glyph)."""
    values = [round(value, 1) for value in box] if box is not None else [None] * 4
    return dict(zip(("x0", "top", "x1", "bottom"), values, strict=True))


def stable_id(document_id: str, table: str, ordinal: int) -> int:
    """Row id that survives a re-import (--force), so links to an activity or budget line stay valid."""
    return int(hashlib.sha256(f"{document_id}:{table}:{ordinal}".encode()).hexdigest()[:15], 16)


def write_document(db: sqlite_utils.Database, processed: ProcessedDocument, replace_path: bool = False) -> Settled:
    """Replace everything stored for this document in one transaction: all of it lands, or none.
    Another document of the same path (its older content) is superseded by this one, or with
    `replace_path` deleted; the plan's current document and copies are settled again."""
    doc, plan = processed.document, processed.plan
    methods = {page.method for page in doc.pages}
    qualities = [page.quality for page in doc.pages if page.quality is not None]
    with write_transaction(db):
        before = [row["id"] for row in db.query(
            "select id from documents where source_path = ? and id != ? and superseded_by is null",
            [plan.source_path, plan.sha256])]
        previous_keys = _documents_of_keys(db, [plan.sha256, *before])
        delete_document(db, plan.sha256)
        db.table("documents").insert({
            "id": plan.sha256,
            "source_path": plan.source_path,
            "file_name": plan.file_name,
            "title": plan.title,
            "organisation": plan.organisation,
            "county": plan.county,
            "doc_type": plan.doc_type,
            "year_from": plan.year_from,
            "year_to": plan.year_to,
            "page_count": plan.page_count,
            "extraction": methods.pop() if len(methods) == 1 else "mixed",
            "text_quality": min(qualities) if qualities else None,
            "imported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "pipeline_version": processed.pipeline_version,
            "warnings": json.dumps(list(plan.warnings), ensure_ascii=False) if plan.warnings else None,
            "coverage_note": plan.coverage_note,
            "source_kind": doc.source_kind,
            "source_file": os.path.abspath(plan.source_path),   # a relative path means nothing to `plans serve`
            "is_current": 1,
        })
        db.table("document_counties").insert_all(
            {"document_id": plan.sha256, "county": county} for county in plan.counties)
        db.table("pages").insert_all(
            {"document_id": plan.sha256, "page_no": page.page_no, "method": page.method,
             "quality": page.quality, "raw_text": page.raw_text, "text": page.text,
             "needs_diacritic_repair": int(page.needs_diacritic_repair), "error": page.error,
             "width": page.width, "height": page.height}
            for page in doc.pages)
        activity_rows, partner_rows, theme_rows = [], [], []
        for activity in plan.activities:
            identifier = stable_id(plan.sha256, "activities", activity.ordinal)
            activity_rows.append({
                "id": identifier, "document_id": plan.sha256, "ordinal": activity.ordinal,
                "plan_year": activity.plan_year, "category": activity.category, "title": activity.title,
                "goal": activity.goal, "actions": activity.actions, "timing_text": activity.timing_text,
                "period_start": activity.period_start, "period_end": activity.period_end,
                "frequency_per_year": activity.frequency_per_year, "responsible": activity.responsible,
                "partners_text": activity.partners_text, "target_group": activity.target_group,
                "effect_goals": activity.effect_goals, "followup": activity.followup,
                "page_from": activity.page_from, "page_to": activity.page_to, "lemmas": activity.lemmas,
                "estimated_cost_sek": activity.estimated_cost_sek, **_box_columns(activity.box),
            })
            partner_rows += [{"activity_id": identifier, "partner": p} for p in activity.partners]
            theme_rows += [{"activity_id": identifier, "theme": t} for t in activity.themes]
        db.table("activities").insert_all(activity_rows)
        db.table("activity_partners").insert_all(partner_rows)
        db.table("activity_themes").insert_all(theme_rows)
        db.table("budget_lines").insert_all(
            {"id": stable_id(plan.sha256, "budget_lines", line.ordinal), "document_id": plan.sha256,
             "ordinal": line.ordinal, "budget_year": line.budget_year, "section": line.section,
             "label": line.label, "amount_sek": line.amount_sek, "amount_text": line.amount_text,
             "is_total": int(line.is_total), "page": line.page, **_box_columns(line.box)}
            for line in plan.budget_lines)
        _store_plan_key(db, plan.sha256)
        for old in before:
            if replace_path:
                delete_document(db, old)
            else:
                db.execute("update documents set superseded_by = ?, is_current = 0, copy_of = null where id = ?",
                           [plan.sha256, old])
        settle_plans(db, [*previous_keys, plan.sha256])
    return Settled(superseded=tuple(before), replaced=replace_path)


@dataclass(frozen=True)
class Settled:
    """The documents of its path a written document superseded (or, `replaced`, deleted)."""
    superseded: tuple[str, ...] = ()
    replaced: bool = False


# born-digital before text export before OCR; then the most recently imported
_CURRENT_ORDER = """case when source_kind = 'pdf' and extraction = 'text' then 0
                         when source_kind = 'text' then 1 else 2 end, imported_at desc, id"""


def _store_plan_key(db: sqlite_utils.Database, document_id: str) -> None:
    """The document's plan key, or that of a document whose title differs from its own only as
    two readings of one title do."""
    doc = next(db.query("select * from documents where id = ?", [document_id]))
    counties = [r["county"] for r in db.query("select county from document_counties where document_id = ?",
                                              [document_id])]
    key = plan_key(counties, doc["doc_type"], doc["year_from"], doc["year_to"], doc["title"])
    if key is not None:
        prefix = key_prefix(counties, doc["doc_type"], doc["year_from"], doc["year_to"])
        skeleton = key[len(prefix):]
        for row in db.query("select distinct plan_key from documents where substr(plan_key, 1, ?) = ? "
                            "and id != ? order by plan_key", [len(prefix), prefix, document_id]):
            if same_title(skeleton, row["plan_key"][len(prefix):]):
                key = row["plan_key"]
                break
    db.execute("update documents set plan_key = ? where id = ?", [key, document_id])


def _documents_of_keys(db: sqlite_utils.Database, document_ids: list[str]) -> list[str]:
    """The given documents and every other document of their plans."""
    if not document_ids:
        return []
    marks = ", ".join("?" * len(document_ids))
    return [row["id"] for row in db.query(
        f"""select id from documents where id in ({marks}) or plan_key in
            (select plan_key from documents where id in ({marks}) and plan_key is not null)""",
        [*document_ids, *document_ids])]


def settle_plans(db: sqlite_utils.Database, document_ids: list[str] | None = None) -> None:
    """Mark, in the plans of these documents (of all, when None), the current document of each plan
    and the copies of it, and keep activity_theme_counties to the current documents' activities."""
    ids = [] if document_ids is None else _documents_of_keys(db, document_ids)
    if document_ids is not None and not ids:
        return
    marks = ", ".join("?" * len(ids))
    of_documents, of_rows = (f"where id in ({marks})", f"where document_id in ({marks})") if ids else ("", "")
    rows = list(db.query(f"select id, plan_key, superseded_by from documents {of_documents} "
                         f"order by {_CURRENT_ORDER}", ids))
    current: dict[str, str] = {}
    for row in rows:
        if row["superseded_by"]:
            db.execute("update documents set is_current = 0, copy_of = null where id = ?", [row["id"]])
        elif row["plan_key"] is None or row["plan_key"] not in current:
            if row["plan_key"] is not None:
                current[row["plan_key"]] = row["id"]
            db.execute("update documents set is_current = 1, copy_of = null where id = ?", [row["id"]])
        else:
            db.execute("update documents set is_current = 0, copy_of = ? where id = ?",
                       [current[row["plan_key"]], row["id"]])
    db.execute(f"delete from activity_theme_counties {of_rows}", ids)
    db.execute(f"""insert into activity_theme_counties
                   select t.activity_id, t.theme, c.county, a.plan_year, a.document_id
                   from activity_themes t join activities a on a.id = t.activity_id
                   join document_counties c on c.document_id = a.document_id
                   join (select id from documents {of_documents}) chosen on chosen.id = a.document_id
                   join documents d on d.id = a.document_id
                   where d.is_current = 1""", ids)


def remove_documents(db: sqlite_utils.Database, document_ids: list[str]) -> None:
    """Delete documents with all their rows, in one transaction; their plans' other documents are
    settled again (a copy becomes current when its plan's current document goes)."""
    with write_transaction(db):
        marks = ", ".join("?" * len(document_ids))
        revived = [row["id"] for row in db.query(f"select id from documents where superseded_by in ({marks})",
                                                 document_ids)]
        db.execute(f"update documents set superseded_by = null where superseded_by in ({marks})", document_ids)
        others = [i for i in _documents_of_keys(db, [*document_ids, *revived]) if i not in document_ids]
        for document_id in document_ids:
            delete_document(db, document_id)
        settle_plans(db, others)


def delete_document(db: sqlite_utils.Database, document_id: str) -> None:
    activity_ids = "select id from activities where document_id = ?"
    for table in _CHILD_TABLES:
        if table in ("activity_partners", "activity_themes"):
            db.execute(f"delete from {table} where activity_id in ({activity_ids})", [document_id])
        else:
            db.execute(f"delete from {table} where document_id = ?", [document_id])
    db.execute("delete from documents where id = ?", [document_id])
