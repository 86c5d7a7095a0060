"""The README's example outputs, made by running its commands: every ```console block after a
`<!-- readme-output -->` line is rerun, each `$ command` line of it in turn, in a scratch folder
that sees data/raw, tests, docs and .venv of this checkout (docs not with --check, which changes
nothing) but has its own data/out, and the block is rewritten with what the commands printed
(standard output and error, in order).

    .venv/bin/python scripts/readme_outputs.py           # rewrite README.md
    .venv/bin/python scripts/readme_outputs.py --check   # exit 1, with a diff, if README.md is out of date

`<!-- readme-output lines=N -->` keeps the first N lines of a command's output and ends it with '…'.
tests/test_readme.py runs --check.
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^<!-- readme-output(?: lines=(\d+))? -->\n```console\n(.*?)```\n", re.MULTILINE | re.DOTALL)
SHARED = ("data/raw", "tests", ".venv")
DRAWN = "docs"     # where a command draws the README's images (the heatmap): the checkout's, but for --check
TIMEOUT = 600


def commands_of(block: str) -> list[str]:
    return [line[2:] for line in block.splitlines() if line.startswith("$ ")]


def run(command: str, folder: Path, lines: int | None) -> str:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    done = subprocess.run(["bash", "-c", command + " 2>&1"], cwd=folder, capture_output=True, text=True,
                          env=env, timeout=TIMEOUT)
    output = done.stdout.rstrip("\n").splitlines()
    if lines is not None and len(output) > lines:
        output = output[:lines] + ["…"]
    return "\n".join([f"$ {command}", *output])


def regenerate(text: str, draw: bool = True) -> str:
    """The README with its outputs rerun; with `draw`, the images its commands make land in docs/,
    else in the scratch folder (a check changes nothing in the checkout)."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for shared in (*SHARED, DRAWN) if draw else SHARED:
            (folder / shared).parent.mkdir(parents=True, exist_ok=True)
            (folder / shared).symlink_to(ROOT / shared)
        if not draw:
            (folder / DRAWN).mkdir()
        (folder / "data" / "out").mkdir(parents=True)

        def rewrite(match: re.Match[str]) -> str:
            lines = int(match.group(1)) if match.group(1) else None
            outputs = [run(command, folder, lines) for command in commands_of(match.group(2))]
            marker = match.group(0).split("\n", 1)[0]
            return f"{marker}\n```console\n" + "\n".join(outputs) + "\n```\n"
        return MARKER.sub(rewrite, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="say whether README.md is up to date; change nothing")
    args = parser.parse_args()
    readme = ROOT / "README.md"
    text = readme.read_text("utf-8")
    fresh = regenerate(text, draw=not args.check)
    if args.check:
        if fresh == text:
            print("README.md outputs are up to date")
            return 0
        sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), fresh.splitlines(True), "README.md",
                                                   "README.md as the commands print it"))
        return 1
    readme.write_text(fresh, "utf-8")
    print(f"README.md: {len(MARKER.findall(text))} outputs rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
