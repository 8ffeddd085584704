"""A local stand-in for units' portals: tests/fixtures/portals/ served on 127.0.0.1 by a thread, never a real address.

Each site (``stale/``, ``broken/`` …) holds only the files in which it differs from ``fresh/``.
Besides the files: ``/_slow`` answers after ``SLOW_SECONDS``, ``/_huge`` streams without end,
``/_loop/a`` and ``/_loop/b`` redirect to each other, ``/_hops/N`` redirects N more times.
Every request is recorded with its arrival time (``requests``), to check the pace.
"""

from __future__ import annotations

import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "portals"
BASE_SITE = "fresh"
SLOW_SECONDS = 2.0


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that stopped reading (the timeout and size tests) is what is tested, not an error


class PortalServer:
    def __init__(self):
        self.requests: list[tuple[float, str, str]] = []  # (monotonic time, path, user agent)
        self.stopped = threading.Event()
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(FIXTURES), **kwargs)

            def log_message(self, *args):
                pass

            def translate_path(self, path):
                """A site holds only what differs from ``fresh/``, the complete portal; the rest comes from there."""
                local = Path(super().translate_path(path))
                if local.exists() or local.parent.parent != FIXTURES:
                    return str(local)
                return str(FIXTURES / BASE_SITE / local.name)

            def do_GET(self):
                server.requests.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
                if self.path == "/_slow":
                    server.stopped.wait(SLOW_SECONDS)
                    return self._answer(200, b"<html><body>late</body></html>")
                if self.path == "/_huge":
                    return self._stream()
                if self.path.startswith("/_loop/"):
                    return self._redirect("/_loop/b" if self.path.endswith("/a") else "/_loop/a")
                if self.path.startswith("/_hops/"):
                    left = int(self.path.rsplit("/", 1)[1])
                    return self._redirect(f"/_hops/{left - 1}") if left else self._answer(200, b"<html></html>")
                return super().do_GET()

            def _answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _redirect(self, where):
                self.send_response(302)
                self.send_header("Location", where)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _stream(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                chunk = b"<p>" + "信息".encode() * 2000 + b"</p>\n"
                try:
                    while not server.stopped.is_set():
                        self.wfile.write(chunk)
                except OSError:  # the client stopped reading, as it should
                    pass

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="portal-fixtures", daemon=True)

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.httpd.shutdown()
        self.httpd.server_close()
