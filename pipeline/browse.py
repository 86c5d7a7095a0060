"""Datasette on the corpus: read-only (immutable), described, faceted, searchable, with canned queries."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

TEMPLATE_NAME = "corpus"
# Where the columns of each view come from, for their descriptions.
VIEW_SOURCES = {
    "activities_view": ["activities", "documents"],
    "activity_themes_view": ["activity_themes", "activities", "documents"],
    "budget_view": ["budget_lines", "documents"],
}


def metadata_for(db_path: str | Path) -> dict:
    """The metadata kept in pipeline/datasette/metadata.json, under the name Datasette gives this file."""
    data = json.loads(resources.files("pipeline").joinpath("datasette/metadata.json").read_text("utf-8"))
    tables = data["databases"][TEMPLATE_NAME]["tables"]
    from pipeline.database import VIEWS
    for view, sources in VIEW_SOURCES.items():
        columns = tables[view].setdefault("columns", {})
        for column in _view_columns(VIEWS[view]):
            if column not in columns:
                columns[column] = next(tables[t]["columns"][column] for t in sources
                                       if column in tables[t].get("columns", {}))
    name = Path(db_path).stem
    data["databases"] = {name: data["databases"][TEMPLATE_NAME]}
    data["description_html"] = data["description_html"].replace(f"/{TEMPLATE_NAME}/", f"/{name}/")
    return data


def datasette_command(db_path: str | Path, metadata_path: str | Path, host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "datasette", "serve", "--immutable", str(db_path), "--metadata",
            str(metadata_path), "--host", host, "--port", str(port), "--setting", "default_page_size", "50"]


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Run Datasette until interrupted; the metadata is written to a temporary file for it."""
    with tempfile.TemporaryDirectory() as folder:
        metadata_path = Path(folder) / "metadata.json"
        metadata_path.write_text(json.dumps(metadata_for(db_path), ensure_ascii=False), "utf-8")
        try:
            return subprocess.call(datasette_command(db_path, metadata_path, host, port))
        except KeyboardInterrupt:
            return 0


def _view_columns(sql: str) -> list[str]:
    """Column names of a view, from an in-memory copy of its select."""
    import sqlite3

    from pipeline.database import SCHEMA
    conn = sqlite3.connect(":memory:")
    for table, spec in SCHEMA.items():
        conn.execute(f"create table {table} ({', '.join(spec['columns'])})")
    return [d[0] for d in conn.execute(f"select * from ({sql}) limit 0").description]
