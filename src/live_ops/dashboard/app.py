"""The read-only dashboard: a Starlette app over a desk reader and the report archive.

    /              the desk now (HTML, one self-contained page that refreshes itself)
    /api/status    the same as JSON
    /metrics       Prometheus text format
    /healthz       the process itself (never needs the token)
    /reports/NAME  an archived report, served from the archive folder and nowhere else

Every response forbids the page to load anything from anywhere (`default-src 'none'`): the
first paint needs no request beyond this origin, and injected markup could not call out either.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from live_ops.dashboard.auth import BearerAuth
from live_ops.dashboard.model import Desk
from live_ops.dashboard.view import build_view
from live_ops.metrics import render_metrics
from live_ops.reporting.archive import report_time

REFRESH_SECONDS = 30
PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'")
_MEDIA = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
          "json": "application/json"}
_HEADERS = [(b"content-security-policy", _CSP.encode()), (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"), (b"cache-control", b"no-store")]

_templates = Environment(loader=PackageLoader("live_ops.dashboard", "templates"),
                         autoescape=select_autoescape(default=True, default_for_string=True),
                         trim_blocks=True, lstrip_blocks=True)


def archived_file(archive_dir: Path, name: str) -> Path | None:
    """Return the archived report `name` inside `archive_dir`, or None.

    Only a regular file directly in the folder, named like a report (or the archive's
    `index.html`), and not a symlink: no name can reach a file outside the archive.
    """
    if name != "index.html" and report_time(name) is None:
        return None  # the pattern admits no '/', '..' or NUL
    path = archive_dir / name
    try:
        if path.is_symlink() or not path.is_file() or path.resolve().parent != archive_dir.resolve():
            return None
    except (OSError, ValueError):
        return None
    return path


class _SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(read: Callable[[], Desk], archive_dir: Path | str, *, token: str | None = None,
               refresh_seconds: int = REFRESH_SECONDS) -> ASGIApp:
    """Return the dashboard app; `read` returns the desk now (called once per request, in a thread)."""
    archive = Path(archive_dir)
    page = _templates.get_template("desk.html.j2")

    async def desk() -> Desk:
        return await run_in_threadpool(read)

    async def index(request: Request) -> Response:
        view = build_view(await desk())
        return HTMLResponse(page.render(v=view, refresh_seconds=refresh_seconds))

    async def status(request: Request) -> Response:
        return JSONResponse((await desk()).to_json())

    async def metrics(request: Request) -> Response:
        body = render_metrics(await desk())
        return Response(body, media_type=PROMETHEUS_TYPE)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def reports_root(request: Request) -> Response:
        if archived_file(archive, "index.html") is None:
            return PlainTextResponse("no report index yet\n", status_code=404)
        return FileResponse(archive / "index.html", media_type=_MEDIA["html"])

    async def report(request: Request) -> Response:
        name = request.path_params["name"]
        path = archived_file(archive, name)
        if path is None:
            return PlainTextResponse("not found\n", status_code=404)
        return FileResponse(path, media_type=_MEDIA[name.rsplit(".", 1)[-1]])

    async def to_slash(request: Request) -> Response:
        return RedirectResponse("reports/", status_code=308)

    app = Starlette(routes=[
        Route("/", index), Route("/api/status", status), Route("/metrics", metrics), Route("/healthz", healthz),
        Route("/reports", to_slash), Route("/reports/", reports_root), Route("/reports/{name:path}", report),
    ])
    # the token is checked before anything is read; the headers go on every answer, a 401 too
    return _SecurityHeaders(BearerAuth(app, token) if token else app)
