"""The import graph goes one way: core < extractors, normalizers < parsers < pipeline, no cycles."""
from __future__ import annotations

from pipeline.versions import STAGES, module_closure
from scripts.import_graph import LAYERS, cycles, layer_violations, module_graph


def test_no_package_imports_one_above_it_or_its_neighbour():
    graph = module_graph()
    assert {module.split(".")[0] for module in graph} == set(LAYERS)
    assert len(graph) > 30 and sum(map(len, graph.values())) > 80   # the reader did find the imports
    assert layer_violations(graph) == []


def test_no_modules_import_each_other():
    assert cycles(module_graph()) == []


def test_the_checks_catch_what_they_look_for():
    planted = {"core.records": ["pipeline.run"], "extractors.pdf": ["normalizers.fold"],
               "normalizers.fold": [], "pipeline.run": ["core.records"],
               "parsers.a": ["parsers.b"], "parsers.b": ["parsers.c"], "parsers.c": ["parsers.a"]}
    assert layer_violations(planted) == [
        "core.records imports pipeline.run: core may not import pipeline",
        "extractors.pdf imports normalizers.fold: extractors may not import normalizers"]
    assert sorted(cycles(planted)) == [["core.records", "pipeline.run"], ["parsers.a", "parsers.b", "parsers.c"]]


def test_the_bottom_imports_nothing_of_ours():
    graph = module_graph()
    assert all(target.startswith("core") for module, targets in graph.items() if module.startswith("core")
               for target in targets)


def test_each_stage_reads_only_what_it_runs():
    """The stage versions hash these modules: the parse stage holds no database or OCR code, the
    repair stage not the diacritic repair (versioned apart, for damaged documents only)."""
    parse = module_closure(STAGES["parse"].entry)
    assert "parsers.budget" in parse and "normalizers.periods" in parse
    assert not any(m.startswith(("pipeline", "extractors")) for m in parse)
    repair = module_closure(STAGES["repair"].entry)
    assert "pipeline.repair" in repair and "normalizers.speller" in repair
    assert "normalizers.diacritics" not in repair
    # the library API in pipeline/__init__ imports inside its functions, which importing the package does not run
    assert "pipeline" in repair and "pipeline.batch" not in repair and "pipeline.export" not in repair
    assert "extractors.ocr" not in module_closure(STAGES["extract"].entry)
