"""Word tables derived from installed packages: built once into the cache folder, the same answers
from the file, from memory when the folder cannot be written, and after a damaged file."""
from __future__ import annotations

import stat

import pytest

from core import derived
from core.derived import WordTable

ENTRIES = [("avloppen", "avlopp"), ("små", "liten"), ("tillsyn", "tillsyn")]


@pytest.fixture()
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def _table(calls: list[int]) -> WordTable:
    def build():
        calls.append(1)
        return iter(ENTRIES)
    return WordTable("test-lemmas", "click", build)


def test_a_table_is_built_once_and_read_from_its_file(cache_home):
    calls: list[int] = []
    table = _table(calls)
    assert table.get("avloppen") == "avlopp" and table.get("små") == "liten"
    assert table.get("finns-inte") is None and "tillsyn" in table
    assert table.path.parent == cache_home / "miljosamverkan" and table.path.exists()
    assert table.path.name.startswith("test-lemmas-") and stat.S_IMODE(table.path.stat().st_mode) == 0o644
    again = _table(calls)                       # a new process would read the same file
    assert again.get("avloppen") == "avlopp"
    assert again.words() == {"avloppen", "små", "tillsyn"}
    assert calls == [1]
    assert [p.name for p in table.path.parent.iterdir()] == [table.path.name]   # no temporary left


def test_a_cache_folder_that_cannot_be_made_gives_the_same_answers_from_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))      # not even root can make a folder in a file
    table = _table([])
    assert table.get("små") == "liten" and table.get("finns-inte") is None
    assert table.words() == {"avloppen", "små", "tillsyn"}
    assert not table.path.exists()


def test_a_damaged_file_gives_the_same_answers_from_memory(cache_home):
    table = _table([])
    table.path.parent.mkdir(parents=True)
    table.path.write_bytes(b"not a database" * 100)
    assert table.get("avloppen") == "avlopp" and table.get("finns-inte") is None


def test_the_swedish_tables_answer_like_the_packages():
    from wordfreq import get_frequency_dict

    from normalizers.lemmas import _lemma_table
    assert [_lemma_table().get(word) for word in ("avloppen", "små", "arbetar")] == ["avlopp", "liten", "arbetare"]
    for word in ("miljö", "tillsyn", "och"):
        assert derived.swedish_frequencies().get(word) == get_frequency_dict("sv")[word]


def test_a_derived_value_is_built_once_kept_as_json_and_rebuilt_when_damaged(cache_home):
    calls: list[int] = []

    def build():
        calls.append(1)
        return {"special_cases": {"bl.a.": ["bl.a."]}, "prefix": None}

    assert derived.derived_json("test-rules", "click", build) == build()
    calls.clear()
    kept = next((cache_home / "miljosamverkan").glob("test-rules-*.json"))
    assert derived.derived_json("test-rules", "click", build) == {"special_cases": {"bl.a.": ["bl.a."]},
                                                                 "prefix": None}
    assert calls == []                                         # read from its file
    kept.write_text('{"special_cases": ', "utf-8")             # half a file
    assert derived.derived_json("test-rules", "click", build)["special_cases"] == {"bl.a.": ["bl.a."]}
    assert calls == [1]


def test_a_derived_value_without_a_writable_folder_is_built_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert derived.derived_json("test-rules", "click", lambda: [1, 2]) == [1, 2]
