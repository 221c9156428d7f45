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

from .liveserve import WARM_MESSAGE, WARMING_MESSAGE

SENTENCE = "Served after an edit, sentence number {n}."
# `make serve`'s options for `mkdocs serve` (the Makefile's serve target; a test keeps them equal).
SERVE_OPTIONS = ("--dirty",)
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


def search_page_count(base: str) -> int | None:
    """Pages in the served search index (all parts), None while it cannot be read."""
    import json

    def count(folder: str) -> int | None:
        entry = _get(f"{base}{folder}/pagefind-entry.json")
        try:
            return sum(language["page_count"] for language in json.loads(entry)["languages"].values())
        except (TypeError, ValueError, KeyError):
            return None

    parts = _get(f"{base}pagefind/atlas-parts.json")
    try:
        folders = ["pagefind"] + [f"pagefind/{name}" for name in json.loads(parts)]
    except (TypeError, ValueError):
        return None
    counts = [count(folder) for folder in folders]
    return None if None in counts else sum(counts)


def _interruptible() -> None:
    """In the server's process before MkDocs starts: Ctrl-C (SIGINT) interrupts it, even when
    this process was started with SIGINT ignored (a background job of a shell, some CI
    runners), which a child inherits: the server is stopped with SIGINT (`ServedSite.__exit__`)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class ServedSite:
    """`mkdocs serve` on a project, started as `make serve` starts it; stopped on exit."""

    def __init__(self, root: Path, env: dict, timeout: float = 900.0):
        self.root, self.env, self.timeout = root, env, timeout
        self.base = f"http://127.0.0.1:{free_port()}/"
        self.first_build = self.ready = float("nan")

    def __enter__(self) -> "ServedSite":
        command = [sys.executable, "-m", "mkdocs", "serve", *SERVE_OPTIONS, "--dev-addr", self.base[7:-1]]
        self._log = tempfile.TemporaryFile()
        self.server = subprocess.Popen(command, cwd=self.root, env=dict(self.env, SITE_URL=self.base),
                                       stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
                                       preexec_fn=_interruptible)
        start = time.monotonic()
        # "Serving on" is logged once the first build is over (its pages are served while
        # it runs, so a page alone does not say the build is done).
        if not self.wait_for(lambda: "Serving on" in self.log()):
            self.__exit__(None, None, None)
            raise RuntimeError("the first build did not finish: " + self.log()[-500:])
        self.first_build = time.monotonic() - start
        # A first build that generated nothing fills its memos in the background: a save
        # made before that ends waits for it (measured apart, as "ready for edits").
        if WARMING_MESSAGE in self.log() and self.wait_for(lambda: WARM_MESSAGE in self.log()):
            self.ready = time.monotonic() - start
        else:
            self.ready = self.first_build
        return self

    def __exit__(self, *exc) -> None:
        # Stopped as Ctrl-C stops it: MkDocs then deletes the temporary folder it served
        # from (SIGTERM would leave a copy of the site behind in the temp dir every time).
        for stop, grace in ((signal.SIGINT, 20), (signal.SIGKILL, 20)):
            os.killpg(self.server.pid, stop)
            try:
                self.server.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue
        if os.environ.get("ATLAS_SERVE_LOG"):  # the whole log, its shutdown included
            Path(os.environ["ATLAS_SERVE_LOG"]).write_text(self.log(), encoding="utf-8")
        self._log.close()

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def get(self, path: str) -> str | None:
        return _get(self.base + path)

    def wait_for(self, ready, timeout: float | None = None) -> bool:
        """Poll `ready()` until it is true, the timeout passes or the server has stopped."""
        return _wait_until(ready, time.monotonic() + (timeout or self.timeout), self.server)

    def wait_for_page(self, path: str, text: str) -> bool:
        return self.wait_for(_page_shows(self.base + path, text))


def measure_serve_edit(root: Path, entry: Path, env: dict, timeout: float = 900.0) -> dict:
    """Seconds from saving `entry` to its page showing the change under `mkdocs serve`."""
    original = entry.read_bytes()
    try:
        with ServedSite(root, env, timeout) as site:
            path = f"papers/{entry.stem}/"
            if not site.wait_for_page(path, "</html>"):
                return {"error": "the page was not served: " + site.log()[-500:]}
            pages_before = search_page_count(site.base)
            sentence = SENTENCE.format(n=int(time.time()) % 100000)
            log_start = len(site.log())
            entry.write_bytes(original.rstrip(b"\n") + f" {sentence}\n".encode())
            saved = time.monotonic()
            if not site.wait_for_page(path, sentence):
                return {"error": "the edit never showed: " + site.log()[-500:]}
            shown = time.monotonic() - saved
            # The search index follows the pages (written in the background after a rebuild).
            site.wait_for(lambda: "atlas: search index of" in site.log()[log_start:])
            indexed = time.monotonic() - saved
            time.sleep(QUIET_SECONDS)  # a rebuild set off by the first one would have started by now
            rebuilds = site.log()[log_start:].count("Building documentation")
            return {"first build (s)": round(site.first_build, 1), "ready for edits after (s)": round(site.ready, 1),
                    "edit shown after (s)": round(shown, 1), "edit searchable after (s)": round(indexed, 1),
                    "rebuilds per save": rebuilds, "search pages before": pages_before,
                    "search pages after": search_page_count(site.base)}
    except RuntimeError as error:
        return {"error": str(error)}
    finally:
        entry.write_bytes(original)
