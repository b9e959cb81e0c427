"""Dashboard fixtures: a real uvicorn server on a free 127.0.0.1 port, and a desk recorded for real.

The server's socket is bound and listening before uvicorn starts, so a client may connect at
once (the kernel queues it): no polling for "started".
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from live_ops.alerts import Alerter
from live_ops.config import load_config
from live_ops.dashboard.read import DeskReader
from live_ops.dashboard.server import build_server, listen
from live_ops.recording import health_record, portfolio_record
from live_ops.reporting import StatusSnapshot, archive_report, maintain_archive, render_report, report_stem
from live_ops.status import headline
from live_ops.store import Store
from live_ops.store import models as stored
from tests.reporting.builders import make_snapshot

BREACH_CONFIG = {"max_symbol_exposure_notional = 5000.0": "max_symbol_exposure_notional = 2000.0"}


@contextmanager
def serving(read: Callable, archive_dir: Path, host: str = "127.0.0.1", *, environ: dict[str, str] | None = None,
            refresh_seconds: int = 30) -> Iterator[str]:
    """Serve the dashboard on `host` and a free port; yield its base URL."""
    server = build_server(read, archive_dir, host, 0, environ=environ or {}, refresh_seconds=refresh_seconds)
    sock = listen(host, 0)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class Desk:
    """A config and what real runs recorded with it: reports in the archive, alerts in the history."""

    def __init__(self, config_path: Path) -> None:
        self.config_path = config_path
        self.config = load_config(config_path)
        self.archive = Path(self.config.reports.output_dir)

    def record_run(self, at: datetime, *, tag: str = "daily") -> str:
        """Record one status run at `at` as the report flow does: alerts, then the archived report."""
        snapshot = make_snapshot(self.config_path, tag=tag, generated_at=at)
        assert snapshot.portfolio is not None and snapshot.portfolio.risk is not None
        record_history(Store.at(self.config.state), snapshot)
        Alerter(self.config).risk(snapshot.portfolio.risk, "portfolio")
        rendered = render_report(snapshot, "both")
        archived = archive_report(self.archive, report_stem(at, tag), rendered.documents("both"),
                                  snapshot.sidecar_json())
        maintain_archive(self.archive, self.config.reports.keep_days, at)
        return archived.stem

    def reader(self, clock: Callable[[], datetime] | None = None) -> DeskReader:
        return DeskReader(self.config.state, self.archive, **({"clock": clock} if clock else {}))


def record_history(store: Store, snapshot: StatusSnapshot) -> None:
    """Record the health run, the portfolio snapshot and the report of `snapshot` in the history store."""
    health, portfolio = snapshot.health, snapshot.portfolio
    mode = health.mode or ""
    head = headline(health.overall_status, snapshot.risk_severity).value
    store.record(health_record(health))  # the conversion every health run uses
    if portfolio is not None:
        store.record(portfolio_record(portfolio))
    store.record(stored.ReportRecord(at=snapshot.generated_at, mode=mode, headline=head,
                                     name=report_stem(snapshot.generated_at, snapshot.tag)))


@pytest.fixture
def desk(write_config) -> Desk:
    """A paper desk whose BTC exposure breaches its limit, with three days of recorded runs."""
    d = Desk(write_config(replace=BREACH_CONFIG))
    now = datetime.now(timezone.utc)
    for days in (2, 1, 0):
        d.record_run(now - timedelta(days=days, minutes=5))
    return d


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, trust_env=False) as c:
        yield c
