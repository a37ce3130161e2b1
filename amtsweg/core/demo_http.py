"""The JSON-over-HTTP frame of the demo services that stand in for outside systems (the demo residents'
register, the demo vehicle registry): a bearer token on every request, JSON bodies and answers, and no
request logged, since the requests carry personal data.

Standard library only, so that a demo service runs as its own process without the portal's settings.
"""

from __future__ import annotations

import argparse
import hmac
import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class JsonRequestHandler(BaseHTTPRequestHandler):
    """A request to a demo service; a subclass sets ``token`` and answers in ``route``."""

    token = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the requests carry personal data: nothing is logged

    def answer(self, status: int, body: dict[str, Any] | None = None) -> None:
        data = json.dumps(body or {}, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self) -> dict[str, Any]:
        """The request's JSON object; ValueError for anything else."""
        length = int(self.headers.get("Content-Length") or 0)
        data = json.loads(self.rfile.read(length) or b"{}") if length else {}
        if not isinstance(data, dict):
            raise ValueError("a JSON object is expected")
        return data

    def route(self, method: str, parts: list[str], query: str) -> None:
        """Answer the request: ``parts`` are the path's segments, unquoted; ``query`` the query string."""
        raise NotImplementedError

    def _handle(self, method: str) -> None:
        given = self.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
            self.answer(401, {"error": "unauthorised"})
            return
        url = urlsplit(self.path)
        self.route(method, [unquote(part) for part in url.path.split("/") if part], url.query)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")


def json_server(*, handler: type[JsonRequestHandler], host: str, port: int) -> ThreadingHTTPServer:
    """A started server (its port in ``server_address``); call ``serve_forever`` or run it in a thread."""
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve_from_command_line(*, description: str, default_port: int, serve: Callable[..., ThreadingHTTPServer]) -> None:
    """``python server.py --data FILE --token TOKEN [--host H] [--port P]``: serve until stopped."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    args = parser.parse_args()
    serve(data=args.data, token=args.token, host=args.host, port=args.port).serve_forever()


def serve_until_stopped(*, serve: Callable[..., ThreadingHTTPServer], data: Path, token: str, url: str) -> None:
    """Serve a demo service at ``url`` (its host and port) until interrupted, then close it (management commands)."""
    where = urlsplit(url)
    server = serve(data=data, token=token, host=where.hostname or "127.0.0.1", port=where.port or 80)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
