"""Read the desk now: the only dashboard module that knows where the data lives.

Sources, all read-only: the alert history and the report archive (its index and the JSON sidecar
of each report). A source that cannot be read costs the page that section, said plainly in
`Desk.problems`, never the whole page.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from live_ops.alerts.history import AlertHistory
from live_ops.dashboard.model import (
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
from live_ops.reporting.archive import scan_archive
from live_ops.status import headline

CURVE_WINDOW = timedelta(days=7)
ALERTS_WINDOW = timedelta(days=7)
ALERTS_SHOWN = 25
REPORTS_SHOWN = 10
MAX_SIDECAR_BYTES = 64 * 1024 * 1024
RESCAN_S = 10.0


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class _Parsed:
    """What one report sidecar holds, cached by (name, mtime, size)."""

    health: HealthRun | None
    snapshot: Snapshot | None
    mode: str | None


def health_run(data: dict[str, Any]) -> HealthRun:
    """Return the health run of a `HealthReport` as JSON."""
    return HealthRun(
        at=_utc(data["checked_at"]), overall=str(data["overall_status"]),
        checks=tuple(Check(name=str(c["name"]), status=str(c["status"]), messages=tuple(map(str, c.get("messages", []))))
                     for c in data.get("checks", [])),
    )


def snapshot(data: dict[str, Any]) -> Snapshot:
    """Return the snapshot of a `PortfolioSnapshot` (with its risk) as JSON."""
    risk = data.get("risk") or None
    metrics = (risk or {}).get("metrics") or {}
    daily = metrics.get("daily_pnl")
    return Snapshot(
        at=_utc(data["as_of"]), quote_currency=str(data["quote_currency"]), equity=float(data["equity"]),
        free_cash=float(data["free_cash"]), exposure_total=float(data["totals"]["total_notional"]),
        open_positions=int(data["totals"]["num_open_positions"]),
        daily_pnl=float(daily) if isinstance(daily, (int, float)) else None,
        risk_severity=str(risk["severity"]) if risk else None,
        limits=tuple(Limit(name=str(d["limit_name"]), symbol=d.get("symbol"), ratio=float(d["ratio"]),
                           severity=str(d["severity"]), current_value=float(d["current_value"]),
                           limit_value=float(d["limit_value"]))
                     for d in (risk or {}).get("limit_details", [])),
        positions=tuple(Position(symbol=str(p["symbol"]), side=str(p["side"]), size=float(p["size"]),
                                 notional=float(p["notional"]), unrealized_pnl=float(p["unrealized_pnl"]),
                                 mark_price=float(p["mark_price"]))
                        for p in data.get("positions", [])),
    )


class DeskReader:
    """Reads a `Desk` from the state database at `state_path` and the archive in `archive_dir`."""

    def __init__(self, state_path: Path | str, archive_dir: Path | str, *,
                 clock: Callable[[], datetime] = _now) -> None:
        self.state_path = Path(state_path)
        self.archive_dir = Path(archive_dir)
        self.clock = clock
        self._sidecars: dict[tuple[str, int, int], _Parsed] = {}
        self._scan: tuple[int, float, list[Any]] | None = None  # (folder mtime, when, scan_archive result)

    def read(self) -> Desk:
        """Return the desk now; what cannot be read is named in `problems`."""
        now = self.clock()
        problems: list[str] = []
        alerts = self._alerts(now, problems)
        reports, parsed = self._archive(now, problems)
        latest = next((p for _, p in parsed if p.health or p.snapshot), None)
        health = next((p.health for _, p in parsed if p.health), None)
        snap = next((p.snapshot for _, p in parsed if p.snapshot), None)
        curve = sorted(
            (CurvePoint(at=p.snapshot.at, equity=p.snapshot.equity, exposure=p.snapshot.exposure_total)
             for _, p in parsed if p.snapshot and p.snapshot.at >= now - CURVE_WINDOW),
            key=lambda point: point.at)
        last_runs: dict[str, datetime] = {}
        if health:
            last_runs["health"] = health.at
        if snap:
            last_runs["portfolio"] = snap.at
        if reports:
            last_runs["report"] = reports[0].generated_at
        return Desk(read_at=now, mode=latest.mode if latest else None, health=health, snapshot=snap,
                    curve=tuple(curve), alerts=tuple(alerts), reports=tuple(reports[:REPORTS_SHOWN]),
                    archive_index=(self.archive_dir / "index.html").is_file(), last_runs=last_runs,
                    problems=tuple(problems))

    def _alerts(self, now: datetime, problems: list[str]) -> list[Alert]:
        try:
            stored = AlertHistory(self.state_path).query(since=now - ALERTS_WINDOW, limit=ALERTS_SHOWN)
        except StateError as exc:
            problems.append(f"The alert history could not be read: {exc}")
            return []
        return [Alert(at=a.ts, level=a.level.value, source=a.source, code=a.code, message=a.message,
                      deliveries=tuple(Delivery(sink=str(d["sink"]), status=str(d["status"]),
                                                target=str(d.get("target") or "")) for d in a.deliveries))
                for a in stored]

    def _archive(self, now: datetime, problems: list[str]) -> tuple[list[Report], list[tuple[str, _Parsed]]]:
        try:
            entries = self._entries()
        except OSError as exc:
            problems.append(f"The report archive {self.archive_dir} could not be read: {exc.strerror or exc}")
            return [], []
        reports = [Report(name=e.stem, generated_at=e.generated_at,
                          headline=headline(e.overall_status, e.risk_severity).value if e.overall_status else None,
                          files=tuple(f"{e.stem}.{ext}" for ext in e.extensions))
                   for e in entries]
        parsed: list[tuple[str, _Parsed]] = []
        for entry in entries:
            if "json" not in entry.extensions:
                continue
            # the newest report always; older ones only while they can add to the 7-day curve
            if parsed and entry.generated_at < now - CURVE_WINDOW:
                break
            result = self._sidecar(self.archive_dir / f"{entry.stem}.json")
            if result is not None:
                parsed.append((entry.stem, result))
        return reports, parsed

    def _entries(self) -> list[Any]:
        # a report appears (link/rename) or goes (retention) by changing the folder: its mtime says when
        # to scan again; the scan reads every sidecar's summary, which a refreshing page need not repeat
        try:
            mtime = self.archive_dir.stat().st_mtime_ns
        except FileNotFoundError:
            return []
        # two changes within one tick of the file system's clock leave one mtime: rescan now and then anyway
        if self._scan is None or self._scan[0] != mtime or time.monotonic() - self._scan[1] > RESCAN_S:
            self._scan = (mtime, time.monotonic(), scan_archive(self.archive_dir))
        return self._scan[2]

    def _sidecar(self, path: Path) -> _Parsed | None:
        try:
            stat = path.stat()
            key = (path.name, stat.st_mtime_ns, stat.st_size)
            if key in self._sidecars:
                return self._sidecars[key]
            if stat.st_size > MAX_SIDECAR_BYTES:
                return None
            data = json.loads(path.read_bytes()).get("snapshot", {})
            result = _Parsed(health=health_run(data["health"]) if data.get("health") else None,
                             snapshot=snapshot(data["portfolio"]) if data.get("portfolio") else None,
                             mode=(data.get("health") or {}).get("mode"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # a damaged sidecar is left out; the report itself is still linked
        if len(self._sidecars) > 4096:
            self._sidecars.clear()
        self._sidecars[key] = result
        return result


def reader_for(config: Any) -> DeskReader:
    """Return the reader of the desk a `LiveOpsConfig` describes (its state and its report archive)."""
    return DeskReader(config.state.path, os.fspath(config.reports.output_dir))
