"""Fixtures for every test: copies of the fixture files kept in tests/fixtures/ inside this repository."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.run import process_file

FIXTURES = Path(__file__).parent / "fixtures"
PDF_001 = FIXTURES / "pdf" / "001_verksamhetsplan_jonkoping_2021-2023.pdf"
PDF_000 = FIXTURES / "pdf" / "000_kommunikationsplan_varmland_2011.pdf"
PDF_002 = FIXTURES / "pdf" / "002_miljosamverkan_vasterbotten.pdf"
PDF_003 = FIXTURES / "pdf" / "003_avsiktsforklaring_vastra_gotaland_halland.pdf"
TEXT_000 = FIXTURES / "seeds" / "000_554be3834ea983b0.txt"
TEXT_001 = FIXTURES / "seeds" / "001_cf9b1f122b977657.txt"
TEXT_002 = FIXTURES / "seeds" / "002_2881b726f051dbd2.txt"
TEXT_003 = FIXTURES / "seeds" / "003_2ce8b98c3bd59f6f.txt"
BAD = FIXTURES / "bad"


def gold(name: str) -> dict:
    return json.loads((FIXTURES / "gold" / f"{name}.json").read_text("utf-8"))


def no_spaces(text: str | None) -> str:
    """The PDFs break long words inside narrow cells; compare such fields without whitespace."""
    return "".join((text or "").split())


_PLANS: dict[Path, object] = {}


@pytest.fixture(scope="session")
def plan_of():
    def run(path: Path):
        if path not in _PLANS:
            _PLANS[path] = process_file(path).plan
        return _PLANS[path]
    return run
