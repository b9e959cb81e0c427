"""Read the desk now: the only dashboard module that knows where the data lives.

Sources, all read-only: the history store (`live_ops.store`: the latest health run and portfolio
snapshot, the 7-day series, the alerts with their deliveries, the latest run of each kind) and
the report archive folder (what `/reports/` can serve). A source that cannot be read costs the
page that section, said plainly in `Desk.problems`, never the whole page.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from live_ops.dashboard.model import (
    RUN_KINDS,
    Alert,
    Check,
    CurvePoint,
    Delivery,
    Desk,
    HealthRun,
    Limit,
    Position,
    Report,
    Snapshot,
)
from live_ops.errors import StateError
from live_ops.reporting.archive import REPORT_EXTENSIONS, IndexEntry, read_summary, report_time
from live_ops.status import headline
from live_ops.store import Store
from live_ops.store import models as stored

CURVE_WINDOW = timedelta(days=7)
ALERTS_WINDOW = timedelta(days=7)
ALERTS_SHOWN = 15
ALERTS_SCANNED = 300  # a persisting condition re-raised by every half-hourly run: 6 days of it
REPORTS_SHOWN = 10
RESCAN_S = 10.0
# the store's kinds -> the dashboard's run kinds (`live_ops_last_run_timestamp_seconds{flow}`)
_KIND: dict[stored.Kind, str] = {"health": "health", "portfolio": "portfolio", "orders": "orders", "reports": "report"}
assert set(_KIND.values()) == set(RUN_KINDS)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def health_run(run: stored.HealthRun) -> HealthRun:
    """Return the dashboard's view of a recorded health run."""
    return HealthRun(at=run.at, overall=run.overall_status,
                     checks=tuple(Check(name=name, status=status, messages=tuple(run.messages.get(name, ())))
                                  for name, status in run.checks.items()))


def snapshot(point: stored.PortfolioPoint) -> Snapshot:
    """Return the dashboard's view of a recorded portfolio snapshot."""
    return Snapshot(
        at=point.at, quote_currency=point.quote_currency, equity=point.equity, free_cash=point.free_cash,
        exposure_total=point.total_exposure, open_positions=point.open_positions, daily_pnl=point.daily_pnl,
        risk_severity=point.risk_severity,
        limits=tuple(Limit(name=lim.limit_name, symbol=lim.symbol, ratio=lim.ratio, severity=lim.severity)
                     for lim in point.limits),
        positions=tuple(Position(symbol=p.symbol, side=p.side, size=p.size, notional=p.notional,
                                 unrealized_pnl=p.unrealized_pnl) for p in point.positions),
    )


def alert(record: stored.AlertRecord) -> Alert:
    return Alert(at=record.ts, level=record.level, source=record.source, code=record.code, message=record.message,
                 subject=record.subject, first_at=record.ts,
                 deliveries=tuple(Delivery(sink=d.sink, status=d.status, target=d.target) for d in record.deliveries))


def collapse(alerts: list[Alert], limit: int) -> list[Alert]:
    """Return one row per alert (source, code, subject), newest first, with how often and since when.

    The report's rule (`reporting.snapshot.collapse_alerts`): the history records every run's
    repeat of a persisting condition, the desk shows it once.
    """
    rows: dict[tuple[str, str, str], Alert] = {}
    for each in alerts:  # newest first
        key = (each.source, each.code, each.subject or each.message)
        seen = rows.get(key)
        rows[key] = each if seen is None else replace(
            seen, occurrences=seen.occurrences + 1, first_at=each.at, deliveries=_merge(seen.deliveries, each.deliveries))
    return list(rows.values())[:limit]


def _merge(newer: tuple[Delivery, ...], older: tuple[Delivery, ...]) -> tuple[Delivery, ...]:
    # per sink, the newest outcome that says something: "deduplicated" only means an earlier one was sent
    earlier = {d.sink: d for d in older if d.status != "deduplicated"}
    return tuple(earlier.get(d.sink, d) if d.status == "deduplicated" else d for d in newer)


class DeskReader:
    """Reads a `Desk` from a history store and the report archive in `archive_dir`."""

    def __init__(self, store: Store | Path | str | Any, archive_dir: Path | str, *,
                 clock: Callable[[], datetime] = _now) -> None:
        self.store = Store.at(store)
        self.archive_dir = Path(archive_dir)
        self.clock = clock
        self._scan: tuple[int, float, list[IndexEntry]] | None = None  # (folder mtime, when, scan)
        self._points: tuple[tuple[int | None, datetime], datetime, list[CurvePoint]] | None = None
        self._recent: tuple[int | None, datetime, list[Alert]] | None = None

    def _curve(self, latest: stored.PortfolioPoint, since: datetime) -> list[CurvePoint]:
        # the series only grows by new snapshots: while the newest is the same one, the points read last
        # time are the points now (less those the window slid past); a refresh every 30 s reads them once a run
        key = (latest.id, latest.at)
        if self._points is None or self._points[0] != key or since < self._points[1]:
            points = [CurvePoint(at=at, equity=equity, exposure=exposure)
                      for at, equity, exposure in self.store.portfolio_curve(since)]
            self._points = (key, since, points)
        return [p for p in self._points[2] if p.at >= since]

    def read(self) -> Desk:
        """Return the desk now; what cannot be read is named in `problems`."""
        now = self.clock()
        problems: list[str] = []
        health = snap = None
        curve: list[CurvePoint] = []
        last_runs: dict[str, datetime] = {}
        mode = None
        try:
            latest = {kind: self.store.latest(kind) for kind in _KIND}
            for kind, record in latest.items():
                if record is not None:
                    last_runs[_KIND[kind]] = record.at
            if isinstance(latest["health"], stored.HealthRun):
                health = health_run(latest["health"])
            if isinstance(latest["portfolio"], stored.PortfolioPoint):
                snap = snapshot(latest["portfolio"])
                curve = self._curve(latest["portfolio"], now - CURVE_WINDOW)
            newest = max((r for r in latest.values() if r is not None and r.mode), key=lambda r: r.at, default=None)
            mode = newest.mode if newest else None
        except StateError as exc:
            problems.append(f"The history could not be read: {exc}")
        alerts: list[Alert] = []
        try:
            alerts = collapse([a for a in self._alerts(now - ALERTS_WINDOW) if a.at >= now - ALERTS_WINDOW],
                              ALERTS_SHOWN)
        except StateError as exc:
            problems.append(f"The alert history could not be read: {exc}")
        reports = self._reports(problems)
        if reports and "report" not in last_runs:
            last_runs["report"] = reports[0].generated_at
        return Desk(read_at=now, mode=mode, health=health, snapshot=snap, curve=tuple(curve), alerts=tuple(alerts),
                    reports=tuple(reports[:REPORTS_SHOWN]), archive_index=(self.archive_dir / "index.html").is_file(),
                    last_runs=last_runs, problems=tuple(problems))

    def _alerts(self, since: datetime) -> list[Alert]:
        # like the curve: while the newest alert is the same one, so are the ones before it
        newest = self.store.alerts(since, limit=1)
        key = newest[0].id if newest else None
        if self._recent is None or self._recent[0] != key or since < self._recent[1]:
            self._recent = (key, since, [alert(a) for a in self.store.alerts(since, limit=ALERTS_SCANNED)])
        return self._recent[2]

    def _reports(self, problems: list[str]) -> list[Report]:
        try:
            entries = self._entries()
        except OSError as exc:
            problems.append(f"The report archive {self.archive_dir} could not be read: {exc.strerror or exc}")
            return []
        return [Report(name=e.stem, generated_at=e.generated_at,
                       headline=headline(e.overall_status, e.risk_severity).value if e.overall_status else None,
                       files=tuple(f"{e.stem}.{ext}" for ext in e.extensions))
                for e in entries]

    def _entries(self) -> list[IndexEntry]:
        # a report appears (link/rename) or goes (retention) by changing the folder: its mtime says when
        # to scan again (the scan reads every sidecar's summary, which a refreshing page need not repeat);
        # two changes within one tick of the file system's clock leave one mtime: rescan now and then anyway
        try:
            mtime = self.archive_dir.stat().st_mtime_ns
        except FileNotFoundError:
            return []
        if self._scan is None or self._scan[0] != mtime or time.monotonic() - self._scan[1] > RESCAN_S:
            self._scan = (mtime, time.monotonic(), newest_reports(self.archive_dir, REPORTS_SHOWN))
        return self._scan[2]


def newest_reports(directory: Path, limit: int) -> list[IndexEntry]:
    """Return the newest `limit` archived reports, with the status from their sidecars.

    Like `reporting.archive.scan_archive`, but only the reports shown have their sidecar read
    (90 days of reports are ~100 sidecars; the desk shows 10).
    """
    entries: dict[str, IndexEntry] = {}
    with os.scandir(directory) as listing:
        for item in listing:
            when = report_time(item.name)
            if when is None:
                continue
            stem, ext = item.name.rsplit(".", 1)
            entries.setdefault(stem, IndexEntry(stem=stem, generated_at=when)).extensions.append(ext)
    # the name's minute orders them; the sidecar refines the time of the ones shown
    # a set without its sidecar is incomplete (being written, or its run was killed): not shown
    complete = [e for e in entries.values() if "json" in e.extensions]
    newest = sorted(complete, key=lambda e: (e.generated_at, e.stem), reverse=True)[:limit]
    for entry in newest:
        entry.extensions.sort(key=REPORT_EXTENSIONS.index)
        read_summary(directory / f"{entry.stem}.json", entry)
    return sorted(newest, key=lambda e: (e.generated_at, e.stem), reverse=True)


def reader_for(config: Any) -> DeskReader:
    """Return the reader of the desk a `LiveOpsConfig` describes (its `[state]` store and its report archive)."""
    return DeskReader(config.state, config.reports.output_dir)
