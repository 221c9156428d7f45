"""How long a contributor waits under `make serve` between saving an entry and seeing it.

`atlas bench` starts `mkdocs serve` on a project copy exactly as `make serve` does, waits
for the first build, appends a sentence to one entry's abstract, and polls that paper's
served page until the sentence is there: the seconds between the save and that moment are
what the contributor waits (the hook's atlas build, MkDocs' rebuild and the search index).
It also counts the rebuilds one save set off (one, unless the build's own writes count).
ATLAS_SERVE_LOG=FILE keeps the server's log (each rebuild's parts are in it).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

SENTENCE = "Served after an edit, sentence number {n}."
QUIET_SECONDS = 3.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _wait_until(ready, deadline: float, server: subprocess.Popen) -> bool:
    """Poll `ready()` until it is true, the deadline passes or the server has stopped."""
    while time.monotonic() < deadline and server.poll() is None:
        if ready():
            return True
        time.sleep(0.1)
    return False


def _page_shows(url: str, text: str):
    def ready() -> bool:
        page = _get(url)
        return page is not None and text in page
    return ready


def _log_shows(log, text: str):
    def ready() -> bool:
        log.seek(0)
        return text.encode() in log.read()
    return ready


def measure_serve_edit(root: Path, entry: Path, env: dict, timeout: float = 900.0) -> dict:
    """Seconds from saving `entry` to its page showing the change under `mkdocs serve`."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    url = f"{base}papers/{entry.stem}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    original = entry.read_bytes()
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=root, env=dict(env, SITE_URL=base), stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            start = time.monotonic()
            # "Serving on" is logged once the first build is over (its pages are served while
            # it runs, so a page alone does not say the build is done).
            if not _wait_until(_log_shows(log, "Serving on"), start + timeout, server) or \
                    not _wait_until(_page_shows(url, "</html>"), start + timeout, server):
                log.seek(0)
                return {"error": "the first build did not finish: " + log.read().decode("utf-8", "replace")[-500:]}
            first_build = time.monotonic() - start
            sentence = SENTENCE.format(n=int(time.time()) % 100000)
            entry.write_bytes(original.rstrip(b"\n") + f" {sentence}\n".encode())
            saved = time.monotonic()
            log_start = os.fstat(log.fileno()).st_size
            if not _wait_until(_page_shows(url, sentence), saved + timeout, server):
                return {"error": "the edit never showed"}
            shown = time.monotonic() - saved
            time.sleep(QUIET_SECONDS)  # a rebuild set off by the first one would have started by now
            log.seek(log_start)
            rebuilds = log.read().decode("utf-8", "replace").count("Building documentation")
            if os.environ.get("ATLAS_SERVE_LOG"):
                log.seek(0)
                Path(os.environ["ATLAS_SERVE_LOG"]).write_bytes(log.read())
            return {"first build (s)": round(first_build, 1), "edit shown after (s)": round(shown, 1),
                    "rebuilds per save": rebuilds}
        finally:
            entry.write_bytes(original)
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
