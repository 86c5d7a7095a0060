"""The project's import graph, and whether it goes one way: no package imports one above it, none of
extractors and normalizers imports the other, and no modules import each other in a circle.

    .venv/bin/python scripts/import_graph.py          # packages, the imports between them, problems
    .venv/bin/python scripts/import_graph.py --modules  # every import between modules

Exit status 1 when there is a problem. tests/test_architecture.py holds the same rules.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.versions import imports_of, our_modules

# A package may import those of a lower rank and its own modules; two packages of one rank may not
# import each other.
LAYERS = {"core": 0, "extractors": 1, "normalizers": 1, "parsers": 2, "pipeline": 3}


def module_graph() -> dict[str, list[str]]:
    """module -> the modules of ours it imports (type-checking imports included)."""
    return {module: imports_of(module, runtime_only=False) for module in our_modules()}


def package_of(module: str) -> str:
    return module.split(".")[0]


def layer_violations(graph: dict[str, list[str]]) -> list[str]:
    problems = []
    for module, imported in graph.items():
        for target in imported:
            source_package, target_package = package_of(module), package_of(target)
            if source_package != target_package and LAYERS[target_package] >= LAYERS[source_package]:
                problems.append(f"{module} imports {target}: {source_package} may not import {target_package}")
    return problems


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.get(module, []):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in graph.get(module, []):
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", action="store_true", help="list every import between modules")
    args = parser.parse_args()
    graph = module_graph()
    between = Counter((package_of(m), package_of(t)) for m, ts in graph.items() for t in ts
                      if package_of(m) != package_of(t))
    print("imports between packages (from -> to: count)")
    for (source, target), count in sorted(between.items(), key=lambda item: (LAYERS[item[0][0]], item[0])):
        print(f"  {source:<12} -> {target:<12} {count:>3}")
    if args.modules:
        print("\nimports between modules")
        for module in sorted(graph):
            for target in graph[module]:
                print(f"  {module} -> {target}")
    problems = layer_violations(graph) + [" <-> ".join(group) + ": import each other" for group in cycles(graph)]
    print(f"\n{len(graph)} modules, {sum(map(len, graph.values()))} imports, {len(problems)} problems")
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
