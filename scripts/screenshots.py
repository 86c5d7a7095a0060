"""The README's Datasette screenshots, taken from the sample plans so that they never go stale:
data/raw imported into a scratch corpus, `plans serve` on a free port, headless Chromium at
1400 × 900.

    .venv/bin/python scripts/screenshots.py      # writes docs/activities-view.png, docs/source-page.png
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.serving import CHROMIUM, FLAGS, serving  # noqa: E402

PLANS = Path(sys.executable).parent / "plans"
VIEWPORT = {"width": 1400, "height": 900}


def main() -> int:
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "corpus.db"
        subprocess.run([str(PLANS), "import", str(ROOT / "data" / "raw"), "--db", str(db), "-q"], check=True,
                       cwd=ROOT)
        with sqlite3.connect(db) as conn:
            activity = conn.execute("select id from activities where title = ?",
                                    ["Köldmedia på bilverkstäder"]).fetchone()[0]
        with serving(db) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(f"{url}/corpus/activities_view")
            page.wait_for_selector("table.rows-and-columns tbody tr")
            page.screenshot(path=str(ROOT / "docs" / "activities-view.png"))
            page.goto(f"{url}/-/source/corpus/activities/{activity}")
            page.wait_for_function("document.querySelector('img.page-image').complete")
            page.wait_for_timeout(300)    # the row is scrolled into view when the image has loaded
            page.screenshot(path=str(ROOT / "docs" / "source-page.png"))
            browser.close()
    print("docs/activities-view.png, docs/source-page.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
