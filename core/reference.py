"""Reference data (vocabularies, counties, OCR confusions, thresholds) lives in the `data/` folder
of the package that uses it, and is read through here, once per process.

Stage versions are hashes of the files a stage reads: a module names its data files with literal
arguments to these functions, so `pipeline.versions` can find them by reading the module's source.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


def reference_path(package: str, name: str) -> str:
    return str(resources.files(package).joinpath("data", name))


@cache
def reference_text(package: str, name: str) -> str:
    """The text of `package/data/name`."""
    return resources.files(package).joinpath("data", name).read_text("utf-8")


@cache
def reference_json(package: str, name: str) -> Any:
    """The parsed JSON of `package/data/name` (shared: callers must not change it)."""
    return json.loads(reference_text(package, name))
