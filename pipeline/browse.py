"""Datasette on the corpus: read-only (immutable), described, faceted, searchable, with canned queries."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

TEMPLATE_NAME = "corpus"


def metadata_for(db_path: str | Path) -> dict:
    """The metadata kept in pipeline/datasette/metadata.json, under the name Datasette gives this file."""
    data = json.loads(resources.files("pipeline").joinpath("datasette/metadata.json").read_text("utf-8"))
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
