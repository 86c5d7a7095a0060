"""The README's example outputs are what its commands print (scripts/readme_outputs.py --check)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_readme_outputs_are_what_the_commands_print():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "readme_outputs.py"), "--check"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
