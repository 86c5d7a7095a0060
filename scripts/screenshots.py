"""The README's Datasette screenshots, taken from the sample plans so that they never go stale:
data/raw imported into a scratch corpus, `plans serve` on a free port, headless Chromium at
1400 × 900.

    .venv/bin/python scripts/screenshots.py      # writes docs/activities-view.png, docs/source-page.png
"""
from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANS = Path(sys.executable).parent / "plans"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1400, "height": 900}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "corpus.db"
        subprocess.run([str(PLANS), "import", str(ROOT / "data" / "raw"), "--db", str(db), "-q"], check=True,
                       cwd=ROOT)
        with sqlite3.connect(db) as conn:
            activity = conn.execute("select id from activities where title = ?",
                                    ["Köldmedia på bilverkstäder"]).fetchone()[0]
        port = _free_port()
        server = subprocess.Popen([str(PLANS), "serve", "--db", str(db), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(url + "/-/versions.json", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(f"{url}/corpus/activities_view")
                page.wait_for_selector("table.rows-and-columns tbody tr")
                page.screenshot(path=str(ROOT / "docs" / "activities-view.png"))
                page.goto(f"{url}/-/source/corpus/activities/{activity}")
                page.wait_for_function("document.querySelector('img.page-image').complete")
                page.wait_for_timeout(300)    # the row is scrolled into view when the image has loaded
                page.screenshot(path=str(ROOT / "docs" / "source-page.png"))
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
    print("docs/activities-view.png, docs/source-page.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
