"""`plans serve` on a free localhost port, for the browser tests and scripts/screenshots.py."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(db_path: Path) -> Iterator[str]:
    """The URL of `plans serve` on the corpus, answering; stopped, with its Datasette, at the end."""
    port = free_port()
    plans = shutil.which("plans") or str(Path(sys.executable).parent / "plans")
    # its own process group, so that stopping it stops the Datasette it starts too
    process = subprocess.Popen([plans, "serve", "--db", str(db_path), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("plans serve did not answer")
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
