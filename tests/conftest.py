"""Fixtures for every test: copies of the fixture files kept in tests/fixtures/ inside this repository."""
from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from normalizers.speller import swedish_speller
from pipeline.cache import StageCache
from pipeline.run import process_file

# hypothesis keeps its examples and caches outside the checkout: tests write nothing into the repository
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="hypothesis-")
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
settings.register_profile("no-database", database=None)
settings.load_profile("no-database")

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
def stage_cache(tmp_path_factory) -> Path:
    """One stage cache for the fixture corpora of a session, so that a plan several test modules
    import (the damaged 004 takes seconds to repair) is processed once; tests of extraction itself
    use none."""
    return tmp_path_factory.mktemp("stage-cache")


@pytest.fixture(scope="session")
def plan_of(stage_cache):
    def run(path: Path):
        if path not in _PLANS:
            _PLANS[path] = process_file(path, cache=StageCache(stage_cache)).plan
        return _PLANS[path]
    return run


def _processes_left(base: Path) -> list[str]:
    """Processes this session started that still run: its children, and any process (a server whose
    parent is gone) working on a file under the session's temporary folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, IndexError, ValueError):
            continue   # ended while we looked
        if command and (parent == os.getpid() or str(base) in command):
            found.append(f"{entry.name}: {command[:200]}")
    return found


@pytest.fixture(scope="session", autouse=True)
def no_processes_left(tmp_path_factory):
    """Tests leave no processes behind: servers stopped, pool workers joined, hunspell closed."""
    base = tmp_path_factory.getbasetemp()
    yield
    swedish_speller().close()
    assert _processes_left(base) == []
