"""The history store: record what each run saw, read it back typed (SPEC §7).

One `Store` per database target. Writes are single transactions (SQLite: `BEGIN IMMEDIATE`,
so concurrent writers queue on the lock; PostgreSQL: ordinary row inserts), so two processes
writing at once lose no row. Reads of an SQLite file that does not exist yet return nothing
and create nothing.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from live_ops.store import schema
from live_ops.store.engine import Target, engine_for, server_target, sqlite_target, translate
from live_ops.store.models import (
    KINDS,
    MODELS,
    AlertRecord,
    Delivery,
    HealthRun,
    Kind,
    OrderPreviewRecord,
    PortfolioPoint,
    Pruned,
    Record,
    ReportRecord,
)

R = TypeVar("R", bound=Record)
HOST = socket.gethostname()
MAX_KEEP_DAYS = 3650


class Store:
    """The history of one database (SQLite file or PostgreSQL URL)."""

    def __init__(self, target: Target) -> None:
        self.target = target

    # --- construction ---------------------------------------------------------------------------

    @classmethod
    def at(cls, where: Store | Path | str | Any, environ: Mapping[str, str] | None = None) -> Store:
        """Return the store of `where`: a Store, an SQLite path, or a `[state]` config table."""
        if isinstance(where, Store):
            return where
        if isinstance(where, (str, Path)):
            return cls(sqlite_target(where))
        url = getattr(where, "url", "") or ""
        if url:
            return cls(server_target(url, getattr(where, "password_env", "") or "", environ))
        return cls(sqlite_target(where.path))

    def exists(self) -> bool:
        """Return whether there is anything to read (an SQLite file that was never written is not)."""
        return self.target.path is None or self.target.path.exists()

    @property
    def engine(self) -> sa.Engine:
        return engine_for(self.target)

    @contextmanager
    def _write(self, what: str) -> Iterator[sa.Connection]:
        with translate(self.target, what):
            with self.engine.connect().execution_options(write=True) as conn, conn.begin():
                yield conn

    @contextmanager
    def _read(self, what: str) -> Iterator[sa.Connection]:
        with translate(self.target, what):
            with self.engine.connect() as conn, conn.begin():  # one snapshot for every read inside
                yield conn

    def _insert(self, table: sa.Table) -> Any:
        dialect = postgresql if self.target.path is None else sqlite
        return dialect.insert(table)

    # --- the equity ledger ----------------------------------------------------------------------

    def start_of_day(self, equity: float, quote_currency: str, now: datetime) -> float:
        """Record `equity` if it is the UTC day's first; return the day's first equity (any host's)."""
        now = now.astimezone(timezone.utc)
        day = now.date().isoformat()
        table = schema.equity_snapshots
        with self._write("record start-of-day equity") as conn:
            conn.execute(self._insert(table).values(
                day=day, equity=equity, quote_currency=quote_currency, recorded_at=now.isoformat(),
            ).on_conflict_do_nothing(index_elements=["day"]))
            return float(conn.execute(sa.select(table.c.equity).where(table.c.day == day)).scalar_one())

    # --- alerts ---------------------------------------------------------------------------------

    def record_alert(self, *, ts: datetime, level: str, level_rank: int, source: str, code: str, subject: str,
                     message: str, context: Mapping[str, Any], recovers: str | None,
                     deliveries: Sequence[Delivery]) -> int:
        """Append one alert event with its deliveries in one transaction; return the event's id."""
        with self._write("write the alert history") as conn:
            event_id = conn.execute(schema.alert_events.insert().values(
                ts=ts, level=level, level_rank=level_rank, source=source, code=code, subject=subject,
                message=message, context=json.dumps(dict(context), default=str), recovers=recovers,
            ).returning(schema.alert_events.c.id)).scalar_one()
            if deliveries:
                conn.execute(schema.alert_deliveries.insert(), [
                    {"event_id": event_id, **d.model_dump()} for d in deliveries])
        return int(event_id)

    def last_sent(self, source: str, code: str, subject: str, since: datetime) -> dict[str, int]:
        """Return, per sink, the highest level rank at which the alert was sent since `since` and still stands.

        A send stops counting once the same sink was later told the opposite about the subject
        (a recovery after an alert, a new alert after a recovery): that news must go out again.
        """
        if not self.exists():
            return {}
        query = sa.text(
            "SELECT d.sink, MAX(e.level_rank) FROM alert_events e JOIN alert_deliveries d ON d.event_id = e.id"
            " WHERE e.source = :source AND e.code = :code AND e.subject = :subject AND e.ts >= :since"
            " AND d.status = 'sent'"
            " AND NOT EXISTS (SELECT 1 FROM alert_events r JOIN alert_deliveries rd ON rd.event_id = r.id"
            "   WHERE r.source = e.source AND r.subject = e.subject AND r.id > e.id AND rd.sink = d.sink"
            "   AND rd.status = 'sent' AND (r.recovers IS NULL) != (e.recovers IS NULL))"
            " GROUP BY d.sink"
        ).bindparams(sa.bindparam("since", type_=schema.UtcTime()))
        with self._read("read the alert history") as conn:
            rows = conn.execute(query, {"source": source, "code": code, "subject": subject, "since": since})
            return {sink: int(rank) for sink, rank in rows}

    def open_alerts(self, source: str) -> list[AlertRecord]:
        """Return the subjects of `source` whose latest event is a WARNING or CRITICAL (not yet recovered)."""
        if not self.exists():
            return []
        e, x = schema.alert_events, schema.alert_events.alias("x")
        latest = (sa.select(x.c.id).where(x.c.source == e.c.source, x.c.subject == e.c.subject)
                  .order_by(x.c.ts.desc(), x.c.id.desc()).limit(1).scalar_subquery())
        query = sa.select(e).where(e.c.source == source, e.c.level_rank >= 1, e.c.id == latest).order_by(e.c.id)
        with self._read("read the alert history") as conn:
            return [_alert(row, []) for row in conn.execute(query).mappings()]

    def alerts(self, since: datetime, until: datetime | None = None, *, min_rank: int = 0,
               limit: int | None = None) -> list[AlertRecord]:
        """Return alerts with `since <= ts < until` at or above `min_rank`, newest first, with deliveries."""
        if not self.exists():
            return []
        e, d = schema.alert_events, schema.alert_deliveries
        where = [e.c.ts >= since, e.c.level_rank >= min_rank]
        if until is not None:
            where.append(e.c.ts < until)
        query = sa.select(e).where(*where).order_by(e.c.ts.desc(), e.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._read("read the alert history") as conn:
            events = list(conn.execute(query).mappings())
            ids = [row["id"] for row in events]
            deliveries: dict[int, list[Delivery]] = {i: [] for i in ids}
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                for row in conn.execute(sa.select(d).where(d.c.event_id.in_(chunk))
                                        .order_by(d.c.event_id, d.c.sink)).mappings():
                    deliveries[row["event_id"]].append(Delivery.model_validate(
                        {k: v for k, v in row.items() if k != "event_id"}))
        return [_alert(row, deliveries[row["id"]]) for row in events]

    # --- the time series ------------------------------------------------------------------------

    def record(self, record: Record) -> int:
        """Append one health run, portfolio snapshot, order preview or report; return its id."""
        table = schema.SERIES[record.kind]
        values = record.model_dump(mode="json", exclude={"id", "kind"})
        values["at"] = record.at
        values["host"] = record.host or HOST
        with self._write(f"record a {record.kind} entry in the history") as conn:
            return int(conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one())

    record_health = record_portfolio = record_orders = record_report = record

    def latest(self, kind: Kind) -> Record | None:
        """Return the newest record of `kind`, or None."""
        table = schema.SERIES[kind]
        rows = self._select(kind, sa.select(table).order_by(table.c.at.desc(), table.c.id.desc()).limit(1))
        return rows[0] if rows else None

    def latest_health(self) -> HealthRun | None:
        return cast("HealthRun | None", self.latest("health"))

    def latest_portfolio(self) -> PortfolioPoint | None:
        return cast("PortfolioPoint | None", self.latest("portfolio"))

    def latest_orders(self) -> OrderPreviewRecord | None:
        return cast("OrderPreviewRecord | None", self.latest("orders"))

    def latest_report(self) -> ReportRecord | None:
        return cast("ReportRecord | None", self.latest("reports"))

    def series(self, kind: Kind, since: datetime, until: datetime | None = None) -> list[Record]:
        """Return the records of `kind` with `since <= at < until`, oldest first."""
        table = schema.SERIES[kind]
        where = [table.c.at >= since] + ([table.c.at < until] if until is not None else [])
        return self._select(kind, sa.select(table).where(*where).order_by(table.c.at, table.c.id))

    def health_series(self, since: datetime, until: datetime | None = None) -> list[HealthRun]:
        return cast("list[HealthRun]", self.series("health", since, until))

    def portfolio_series(self, since: datetime, until: datetime | None = None) -> list[PortfolioPoint]:
        return cast("list[PortfolioPoint]", self.series("portfolio", since, until))

    def portfolio_curve(self, since: datetime, until: datetime | None = None) -> list[tuple[datetime, float, float]]:
        """Return `(at, equity, total_exposure)` of the snapshots with `since <= at < until`, oldest first.

        The dashboard's curves: three columns, not whole records (no positions or limits to decode).
        """
        if not self.exists():
            return []
        t = schema.portfolio_snapshots
        where = [t.c.at >= since] + ([t.c.at < until] if until is not None else [])
        with self._read("read the history") as conn:
            rows = conn.execute(sa.select(t.c.at, t.c.equity, t.c.total_exposure).where(*where).order_by(t.c.at, t.c.id))
            return [(at, float(equity), float(exposure)) for at, equity, exposure in rows]

    def history(self, since: datetime, kind: Kind | None = None, limit: int | None = None) -> list[Record]:
        """Return the records since `since` (one kind or all), newest first."""
        records: list[Record] = []
        for each in ([kind] if kind else KINDS):
            table = schema.SERIES[each]
            query = sa.select(table).where(table.c.at >= since).order_by(table.c.at.desc(), table.c.id.desc())
            records += self._select(each, query.limit(limit) if limit else query)
        records.sort(key=lambda r: (r.at, r.id or 0), reverse=True)
        return records[:limit] if limit else records

    def _select(self, kind: str, query: sa.Select[Any]) -> list[Any]:
        if not self.exists():
            return []
        model = MODELS[kind]
        with self._read("read the history") as conn:
            return [model.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    # --- kept reports and retention -------------------------------------------------------------

    def set_kept(self, name: str, kept: bool = True) -> int:
        """Mark every recorded report named `name` kept (or not); return how many rows changed."""
        table = schema.reports
        with self._write("mark a kept report") as conn:
            return conn.execute(table.update().where(table.c.name == name).values(kept=kept)).rowcount

    def kept_names(self) -> set[str]:
        """Return the names of the reports marked kept."""
        if not self.exists():
            return set()
        table = schema.reports
        with self._read("read the history") as conn:
            return set(conn.execute(sa.select(table.c.name).where(table.c.kept.is_(True)).distinct()).scalars())

    def prune(self, keep_days: int, now: datetime) -> Pruned:
        """Delete history older than `keep_days` (never a kept report); return what went."""
        keep_days = max(1, min(int(keep_days), MAX_KEEP_DAYS))
        cutoff = now.astimezone(timezone.utc) - timedelta(days=keep_days)
        pruned = Pruned(cutoff=cutoff)
        if not self.exists():
            return pruned
        e, d = schema.alert_events, schema.alert_deliveries
        with self._write("prune the history") as conn:
            for kind, table in schema.SERIES.items():
                where = [table.c.at < cutoff] + ([table.c.kept.is_(False)] if kind == "reports" else [])
                pruned.rows[table.name] = conn.execute(table.delete().where(*where)).rowcount
            old = sa.select(e.c.id).where(e.c.ts < cutoff)
            pruned.rows[d.name] = conn.execute(d.delete().where(d.c.event_id.in_(old))).rowcount
            pruned.rows[e.name] = conn.execute(e.delete().where(e.c.ts < cutoff)).rowcount
            eq = schema.equity_snapshots
            pruned.rows[eq.name] = conn.execute(eq.delete().where(eq.c.day < cutoff.date().isoformat())).rowcount
        return pruned


def _alert(row: Any, deliveries: list[Delivery]) -> AlertRecord:
    return AlertRecord(id=row["id"], ts=row["ts"], level=row["level"], source=row["source"], code=row["code"],
                       subject=row["subject"], message=row["message"], context=json.loads(row["context"] or "{}"),
                       recovers=row["recovers"], deliveries=deliveries)
