"""Reference data of the parse stage, loaded once from parsers/data/*.json."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    return json.loads(resources.files("parsers").joinpath(f"data/{name}.json").read_text("utf-8"))
