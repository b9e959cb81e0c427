"""Who may read the dashboard: loopback by default, a bearer token for anything else.

Only `127.0.0.1`, `::1` and `localhost` count as loopback. Other 127.x addresses are on the
loopback interface too, but a deliberately unusual bind is treated like any other address: it
needs the token. With `LIVE_OPS_DASHBOARD_TOKEN` set, every route but `/healthz` needs
`Authorization: Bearer <token>`, whatever the address (compared in constant time).
"""

from __future__ import annotations

import hmac
import os

from starlette.types import ASGIApp, Receive, Scope, Send

from live_ops.errors import UsageError

TOKEN_ENV = "LIVE_OPS_DASHBOARD_TOKEN"
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
OPEN_PATHS = frozenset({"/healthz"})
MIN_TOKEN_LENGTH = 16


def is_loopback(host: str) -> bool:
    """Return whether binding `host` keeps the dashboard on this machine (see the module docstring)."""
    return host.strip("[]").lower() in LOOPBACK


def dashboard_token(host: str, environ: dict[str, str] | None = None) -> str | None:
    """Return the token the dashboard on `host` requires (None: none needed).

    Raises UsageError when `host` is not loopback and no token is set, or the token is too short
    to resist guessing. The token itself is never part of a message.
    """
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV, "").strip() or None
    if token is None and not is_loopback(host):
        raise UsageError(f"refusing to serve the dashboard on {host} without a token: set {TOKEN_ENV} "
                         "(clients send 'Authorization: Bearer <token>'), or bind 127.0.0.1")
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise UsageError(f"{TOKEN_ENV} is too short: use at least {MIN_TOKEN_LENGTH} characters")
    return token


class BearerAuth:
    """ASGI middleware: every HTTP request but `OPEN_PATHS` must carry the bearer token."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        given = next((value for name, value in scope.get("headers", []) if name == b"authorization"), b"")
        if hmac.compare_digest(given, self.expected):
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"www-authenticate", b'Bearer realm="live-ops"'), (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": b"401 Unauthorized: send Authorization: Bearer <token>\n"})
