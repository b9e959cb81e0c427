"""A webhook/Slack receiver on 127.0.0.1: a real HTTP server in a thread that records every request.

    rx = Receiver()                      # listening at once; rx.url = "http://127.0.0.1:PORT"
    rx.url_for("/hooks/T0/B0/secret")    # a URL with a token-like path
    rx.script(500, 500, 200)             # statuses for the next requests, then the default reply
    rx.script(Reply(429, headers={"Retry-After": "2"}), 200)
    rx.default = Reply(200, "ok")        # what is answered once the script is used up
    rx.slow()                            # every request blocks until rx.release() (or close())
    rx.requests                          # [Recorded(method, path, headers, body)], in arrival order
    rx.close()

`refused_url()` returns a URL on a port where nothing listens (connection refused).
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: str = "ok"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """Records requests and answers them from a script; see the module docstring."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.default = Reply()
        self._script: list[Reply] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._released.set()
        self.arrived = threading.Event()  # set on every request; tests may wait on it
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                reply = receiver._take(Recorded("POST", self.path, dict(self.headers), body))
                receiver._released.wait()
                data = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout) before we answered

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True, name="receiver")
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url_for(self, path: str) -> str:
        return self.url + path

    def script(self, *replies: int | Reply) -> None:
        with self._lock:
            self._script = [r if isinstance(r, Reply) else Reply(r, "ok" if r < 300 else f"error {r}")
                            for r in replies]

    def slow(self) -> None:
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    def _take(self, recorded: Recorded) -> Reply:
        with self._lock:
            self.requests.append(recorded)
            reply = self._script.pop(0) if self._script else self.default
        self.arrived.set()
        return reply

    def close(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()


def refused_url(path: str = "/hook") -> str:
    """Return a 127.0.0.1 URL on a port that was free a moment ago: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
