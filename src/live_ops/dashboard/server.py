"""Run the dashboard under uvicorn: the checks that must pass before a socket is opened."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from live_ops.dashboard.app import REFRESH_SECONDS, create_app
from live_ops.dashboard.auth import dashboard_token
from live_ops.dashboard.model import Desk
from live_ops.errors import UsageError

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8787


def build_server(read: Callable[[], Desk], archive_dir: Path | str, host: str = DEFAULT_HOST,
                 port: int = DEFAULT_PORT, *, environ: dict[str, str] | None = None,
                 refresh_seconds: int = REFRESH_SECONDS, log_level: str = "warning"):
    """Return a uvicorn server for the dashboard on `host:port`, not yet started.

    Raises UsageError when `host` is not loopback and no token is set (see `dashboard.auth`), or
    the port is out of range. Nothing is bound until the server runs.
    """
    import uvicorn

    if not 0 <= port <= 65535:
        raise UsageError(f"--port: expected 0-65535, got {port}")
    token = dashboard_token(host, environ)
    app = create_app(read, archive_dir, token=token, refresh_seconds=refresh_seconds)
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False,
                            server_header=False, proxy_headers=False, lifespan="off")
    return uvicorn.Server(config)


def listen(host: str, port: int) -> socket.socket:
    """Return a socket bound to `host:port` and listening (port 0: a free one).

    Bound before uvicorn starts, so the address is known and clients can connect at once.
    Raises UsageError naming the address when it cannot be bound (in use, unknown host).
    """
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as exc:
        raise UsageError(f"cannot serve the dashboard on {host}:{port}: {exc.strerror or exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot serve the dashboard on {host}:{port}: {exc.strerror or exc}") from None
    return sock
