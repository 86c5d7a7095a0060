"""Datasette on the corpus: read-only and live, described, faceted, searchable, with canned queries."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

from core.processes import die_with_parent

TEMPLATE_NAME = "corpus"
PLUGINS_DIR = Path(__file__).resolve().parent / "datasette" / "plugins"   # the source-page plugin
# Where the columns of each view come from, for their descriptions.
VIEW_SOURCES = {
    "activities_view": ["activities", "documents"],
    "activity_themes_view": ["activity_themes", "activities", "documents"],
    "budget_view": ["budget_lines", "documents"],
}


def metadata_for(db_path: str | Path, page_cache: str | Path | None = None) -> dict:
    """The metadata kept in pipeline/datasette/metadata.json, under the name Datasette gives this file;
    `page_cache` is where the source-page plugin keeps the page images it renders (None: nowhere)."""
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
    data["plugins"] = {"plans-source": {"cache_dir": str(page_cache) if page_cache is not None else None}}
    guide = _guide(name, data["databases"][name])
    data["description_html"] += guide
    data["databases"][name]["description_html"] = f"<p>{data['databases'][name]['description']}</p>{guide}"
    return data


def _guide(database: str, metadata: dict) -> str:
    """Links to the views and canned queries, which Datasette lists after every table: first."""
    from html import escape
    views = "".join(f'<li><a href="/{database}/{view}">{view}</a>: {escape(metadata["tables"][view]["description"])}'
                    "</li>" for view in VIEW_SOURCES)
    queries = "".join(f'<li><a href="/{database}/{name}">{escape(query["title"])}</a></li>'
                      for name, query in metadata["queries"].items())
    return (f"<p><strong>Views</strong> (a row per activity or budget line, with county and year):</p><ul>{views}</ul>"
            f"<p><strong>Canned queries</strong>:</p><ul>{queries}</ul>")


def datasette_command(db_path: str | Path, metadata_path: str | Path, host: str, port: int,
                      immutable: bool = False) -> list[str]:
    """Datasette on the corpus as a mutable file, which it opens read-only (SQLite's mode=ro) and
    reads afresh: an import while it serves shows up, where --immutable (a promise that the file
    never changes) answered 'database disk image is malformed'. Only a corpus on read-only media,
    which cannot change and where mode=ro cannot keep a WAL's shared memory, is served immutable."""
    database = ["--immutable", str(db_path)] if immutable else [str(db_path)]
    return [sys.executable, "-m", "datasette", "serve", *database, "--metadata", str(metadata_path),
            "--plugins-dir", str(PLUGINS_DIR), "--host", host, "--port", str(port),
            "--setting", "default_page_size", "50"]


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001, immutable: bool = False,
          page_cache: str | Path | None = None) -> int:
    """Run Datasette until interrupted or terminated; the metadata is written to a temporary file
    for it. Datasette dies with this process, however it ends (a SIGKILL too)."""
    parent = os.getpid()
    with tempfile.TemporaryDirectory() as folder:
        metadata_path = Path(folder) / "metadata.json"
        metadata_path.write_text(json.dumps(metadata_for(db_path, page_cache), ensure_ascii=False), "utf-8")
        child = subprocess.Popen(datasette_command(db_path, metadata_path, host, port, immutable),
                                 preexec_fn=lambda: die_with_parent(parent))
        previous = signal.signal(signal.SIGTERM, lambda *_: child.terminate())
        try:
            child.wait()
        except KeyboardInterrupt:
            child.terminate()
            child.wait()
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
        return 0 if child.returncode in (0, -signal.SIGTERM) else child.returncode


def _view_columns(sql: str) -> list[str]:
    """Column names of a view, from an in-memory copy of its select."""
    import sqlite3

    from pipeline.database import SCHEMA
    conn = sqlite3.connect(":memory:")
    for table, spec in SCHEMA.items():
        conn.execute(f"create table {table} ({', '.join(spec['columns'])})")
    return [d[0] for d in conn.execute(f"select * from ({sql}) limit 0").description]
