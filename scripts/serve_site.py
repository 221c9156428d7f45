"""Serve a built site on 127.0.0.1 as a static host would: gzip for text, a thread per request.

`make lighthouse` measures through this server so the figures reflect what readers get from
GitHub Pages (which compresses text and allows short caching), not Python's bare http.server.

Usage: python scripts/serve_site.py SITE_DIR PORT
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import sys

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "application/atom+xml", "image/svg+xml")


class StaticHostHandler(http.server.SimpleHTTPRequestHandler):
    # Keep-alive, as real hosts do (HTTP/1.0 would open a new connection per file).
    protocol_version = "HTTP/1.1"

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        content_type = self.guess_type(path)
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and os.path.isfile(path) and content_type.startswith(COMPRESSIBLE)):
            return super().send_head()
        with open(path, "rb") as source:
            body = gzip.compress(source.read(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):
        pass


def main(argv: list[str]) -> int:
    site_dir, port = argv[0], int(argv[1])
    handler = functools.partial(StaticHostHandler, directory=site_dir)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
