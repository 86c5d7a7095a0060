"""Stage versions that cannot go stale: a hash of what each stage runs and reads.

A stage's version hashes the source of its entry module and of every module of ours it imports
(found by reading the imports, transitively), the reference-data files those modules name
(`core.reference.reference_json("normalizers", "themes.json")`), and the outside things its output
depends on: package versions, Tesseract and its language data, the Hunspell dictionary. Any change
to one of them changes the version, so the stage and those after it run again, from the cached
output of the stages before.

The diacritic repair is versioned apart from the rest of the repair stage because only documents
with damaged pages go through it: a change to its usage phrases reprocesses those documents alone.
Imports guarded by `if TYPE_CHECKING:` are not counted: they run no code.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from core.derived import cache_folder
from normalizers.speller import dictionary_files

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "extractors", "normalizers", "parsers", "pipeline")
_REFERENCE_READERS = {"reference_json", "reference_text", "reference_path"}
DIGEST_LENGTH = 12


def _tesseract() -> Iterable[str]:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return ["tesseract: none"]
    version = subprocess.run([tesseract, "--version"], capture_output=True, text=True, check=False)
    found = [f"tesseract: {(version.stdout or version.stderr).splitlines()[:1]}"]
    listing = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, check=False)
    folder = next((line.split('"')[1] for line in listing.stdout.splitlines() if '"' in line), None)
    for language in ("swe", "osd"):
        data = Path(folder, f"{language}.traineddata") if folder else None
        found.append(f"{language}: {_file_digest(data) if data and data.exists() else 'none'}")
    return found


def _hunspell() -> Iterable[str]:
    files = dictionary_files()
    return [f"{path.name}: {_file_digest(path)}" for path in files] if files else ["hunspell sv: none"]


@dataclass(frozen=True)
class Stage:
    entry: str                                   # the module whose imports make up the stage
    packages: tuple[str, ...] = ()               # outside packages whose version changes its output
    outside: tuple[Callable[[], Iterable[str]], ...] = ()   # other outside ingredients, as lines


# In the order the orchestrator runs them.
STAGES = {
    "extract": Stage("extractors.detect", ("pypdfium2", "pdfplumber", "ftfy", "wordfreq")),
    "ocr": Stage("extractors.ocr", ("pytesseract", "pypdfium2", "numpy", "Pillow"), (_tesseract,)),
    "repair": Stage("pipeline.repair", ("ftfy",), (_hunspell,)),
    "diacritics": Stage("normalizers.diacritics", ("wordfreq",), (_hunspell,)),
    "parse": Stage("parsers.parse"),
    "normalise": Stage("pipeline.normalise", ("spacy", "spacy-lookups-data", "wordfreq"), (_hunspell,)),
}


@cache
def stage_version(stage: str) -> str:
    """The version of one stage, computed once per process."""
    return stage_digest(stage, ROOT)


def stage_digest(stage: str, root: Path) -> str:
    """The version of one stage of the source tree at `root` (the project's own, or a copy)."""
    spec = STAGES[stage]
    digest = hashlib.sha256()
    modules = module_closure(spec.entry, root)
    for module in sorted(modules):
        digest.update(f"module {module}\n".encode())
        digest.update(module_path(module, root).read_bytes())
    for package, name in sorted(data_files(modules, root)):
        digest.update(f"data {package}/{name}\n".encode())
        digest.update((root / package / "data" / name).read_bytes())
    for package in spec.packages:
        digest.update(f"package {package} {_package_version(package)}\n".encode())
    for ingredient in spec.outside:
        for line in ingredient():
            digest.update(f"{line}\n".encode())
    _source_memo().save()
    return digest.hexdigest()[:DIGEST_LENGTH]


def pipeline_version(stages: Iterable[str]) -> str:
    """The stages a document (or a stage's output) went through, each with its version ('extract:…
    repair:… parse:… normalise:…'): what `documents.pipeline_version` records and the stage cache is
    keyed by, so that a stage's output is of it and of every stage its input came through."""
    return " ".join(f"{stage}:{stage_version(stage)}" for stage in stages)


def changed_stages(stored: str | None) -> list[str]:
    """The stages, of those a stored document went through, whose version is no longer today's;
    every stage when the stored version is of an older form (or missing)."""
    recorded = dict(part.split(":", 1) for part in (stored or "").split() if ":" in part)
    went_through = [stage for stage in STAGES if stage in recorded]
    if "extract" not in recorded:
        return list(STAGES)
    return [stage for stage in went_through if recorded[stage] != stage_version(stage)]


@cache
def module_closure(entry: str, root: Path = ROOT) -> frozenset[str]:
    """`entry` and every module of ours it imports, directly or through others, with the packages
    that hold them (importing a module runs its package's __init__: the imports at its top level,
    not those inside its functions, which run only when they are called)."""
    seen: dict[str, bool] = {}      # module -> reached as an import (not only as a package around one)
    todo = [(entry, True)]
    while todo:
        module, imported = todo.pop()
        if seen.get(module, False) or (module in seen and not imported):
            continue
        seen[module] = imported
        parts = module.split(".")
        todo += [(".".join(parts[:n]), False) for n in range(1, len(parts))]
        source = _source(module, root)
        todo += [(name, True) for name in (source.runtime_imports if imported else source.module_level_imports)]
    return frozenset(seen)


def module_path(module: str, root: Path = ROOT) -> Path:
    base = root.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def is_our_module(name: str, root: Path = ROOT) -> bool:
    return name.split(".")[0] in PACKAGES and module_path(name, root).exists()


def our_modules(root: Path = ROOT) -> list[str]:
    """Every module of our packages, by dotted name."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def imports_of(module: str, runtime_only: bool = True, root: Path = ROOT) -> list[str]:
    """Modules of ours that `module` imports anywhere in its source; with `runtime_only`, not those
    imported under TYPE_CHECKING (for types alone)."""
    source = _source(module, root)
    found = source.runtime_imports if runtime_only else source.runtime_imports + source.type_checking_imports
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class _Source:
    """What a module's source says about its ingredients, read in one pass over its syntax tree."""
    runtime_imports: tuple[str, ...]             # every import not under `if TYPE_CHECKING:`
    type_checking_imports: tuple[str, ...]       # those under it (for types alone)
    module_level_imports: tuple[str, ...]        # the runtime ones outside functions (run on import)
    data_files: frozenset[tuple[str, str]]       # (package, name) read through core.reference


@cache
def _source(module: str, root: Path) -> _Source:
    text = module_path(module, root).read_bytes()
    runtime, type_checking, module_level, data = _source_memo().reading(text)

    def ours(names: Iterable[str]) -> tuple[str, ...]:
        return tuple(name for name in dict.fromkeys(names) if is_our_module(name, root))
    return _Source(ours(runtime), ours(type_checking), ours(module_level), frozenset(data))


_SourceReading = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]


class _SourceMemo:
    """What earlier processes read from module sources, by the source's sha256, kept in the user's
    cache folder: parsing and walking the syntax trees of the ~35 modules of a stage took a third
    of a second at every start. Where the folder cannot be read or written, sources are read."""
    FILE = "module-sources-f2.json"
    ENTRIES = 1000      # the newest kept: edits add entries, none go away

    def __init__(self) -> None:
        try:
            entries = json.loads((cache_folder() / self.FILE).read_text("utf-8"))
        except (OSError, ValueError):
            entries = {}
        self.entries: dict[str, list] = entries if isinstance(entries, dict) else {}
        self.changed = False

    def reading(self, text: bytes) -> _SourceReading:
        key = hashlib.sha256(text).hexdigest()
        try:
            runtime, type_checking, module_level, data = self.entries[key]
            return (tuple(runtime), tuple(type_checking), tuple(module_level),
                    tuple((str(p), str(n)) for p, n in data))
        except (KeyError, TypeError, ValueError):
            pass  # not there, or not of this form: read the source
        reading = _read_source(text)
        self.entries[key] = [*map(list, reading[:3]), [list(entry) for entry in reading[3]]]
        self.changed = True
        return reading

    def save(self) -> None:
        """Written whole to a temporary file and renamed, so that a reader never sees half of it."""
        if not self.changed:
            return
        self.changed = False
        for stale in list(self.entries)[:-self.ENTRIES]:
            del self.entries[stale]
        folder = cache_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{self.FILE}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self.entries, out)
            os.replace(temporary, folder / self.FILE)
        except OSError:
            pass


@cache
def _source_memo() -> _SourceMemo:
    return _SourceMemo()


def _read_source(text: bytes) -> _SourceReading:
    """The modules a source imports (outside and under `if TYPE_CHECKING:`, and of the former those
    outside functions) and the reference data it names, read in one pass over its syntax tree."""
    tree = ast.parse(text)
    imports: dict[bool, list[str]] = {True: [], False: []}
    module_level: list[str] = []
    data: set[tuple[str, str]] = set()
    todo: list[tuple[ast.AST, bool, bool]] = [(tree, True, False)]   # node, runtime, inside a function
    while todo:
        node, runtime, deferred = todo.pop()
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # 'from extractors import ocr' imports the module extractors.ocr (kept where it is ours)
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        imports[runtime] += names
        if runtime and not deferred:
            module_level += names
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else None)
            if name in _REFERENCE_READERS and len(node.args) == 2 and all(
                    isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args):
                data.add((node.args[0].value, node.args[1].value))  # type: ignore[attr-defined]
        inside = deferred or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            todo += [(child, False, inside) for child in node.body]
            todo += [(child, runtime, inside) for child in node.orelse]
        else:
            todo += [(child, runtime, inside) for child in ast.iter_child_nodes(node)]
    return tuple(imports[True]), tuple(imports[False]), tuple(module_level), tuple(sorted(data))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def data_files(modules: Iterable[str], root: Path = ROOT) -> set[tuple[str, str]]:
    """(package, file name) of the reference data the modules read through core.reference."""
    return {entry for module in modules for entry in _source(module, root).data_files}


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:DIGEST_LENGTH]


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"
