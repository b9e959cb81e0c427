"""The status snapshot: everything a status report shows, computed once.

One `StatusSnapshot` feeds the Markdown, the HTML, the JSON sidecar, the Prefect artifacts and
the CLI JSON. It holds results (health, portfolio with risk, recent alerts, notes), never
formatting; `live_ops.reporting.view` turns it into display strings and chart geometry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from live_ops.health import HealthReport
from live_ops.portfolio import PortfolioSnapshot
from live_ops.reporting.notes import OperatorNotes
from live_ops.reporting.review import Review
from live_ops.status import Headline, HealthStatus, headline


class AlertRow(BaseModel):
    """One row of the alert history as the report shows it: the latest of `occurrences` alike events."""

    ts: datetime
    level: str
    source: str
    code: str
    message: str
    subject: str | None = None
    occurrences: int = Field(1, description="how many times this alert was raised in the window")
    first_ts: datetime | None = Field(None, description="the first of those times")
    deliveries: list[dict[str, Any]] = Field(default_factory=list,
                                             description="what each sink did with the latest one: {sink, status}")

    def delivery_status(self) -> str | None:
        """Return `sent` when some sink delivered it, `failed` when every attempt failed, else the one status."""
        statuses = {str(d.get("status")) for d in self.deliveries}
        if not statuses:
            return None
        if "sent" in statuses:
            return "sent"
        return "failed" if statuses == {"failed"} else sorted(statuses)[0]

    def delivery_text(self) -> str:
        """Return each sink's outcome of the latest one: `stderr sent, webhook[0] failed` ("-" when unknown)."""
        return ", ".join(f"{d.get('sink')} {d.get('status')}" for d in self.deliveries) or "-"

    @classmethod
    def from_record(cls, record: Any) -> AlertRow:
        """Return the row of an alert record (a mapping or an object with the same attributes)."""
        get = record.get if isinstance(record, dict) else lambda name: getattr(record, name, None)
        level = get("level")
        subject = get("subject")
        deliveries = [d if isinstance(d, dict) else {"sink": getattr(d, "sink", "?"), "status": getattr(d, "status", "?")}
                      for d in (get("deliveries") or [])]
        return cls(ts=get("ts"), level=str(getattr(level, "value", level)), source=str(get("source")),
                   code=str(get("code")), message=str(get("message")), subject=None if subject is None else str(subject),
                   deliveries=[{"sink": str(d.get("sink")), "status": str(d.get("status"))} for d in deliveries])


def collapse_alerts(rows: list[AlertRow], limit: int) -> list[AlertRow]:
    """Return one row per alert (source, code, subject), newest first, at most `limit`.

    A condition that persists is raised by every run (the history records each one, most of them
    deduplicated); the report shows it once, with how often and since when.
    """
    latest: dict[tuple[str, str, str], AlertRow] = {}
    for row in sorted(rows, key=lambda r: r.ts, reverse=True):
        key = (row.source, row.code, row.subject or row.message)
        seen = latest.get(key)
        if seen is None:
            latest[key] = row.model_copy(update={"first_ts": row.ts})
        else:
            latest[key] = seen.model_copy(update={"occurrences": seen.occurrences + 1, "first_ts": row.ts})
    return list(latest.values())[:limit]


class StatusSnapshot(BaseModel):
    """What one status report was rendered from (also written as the report's .json sidecar)."""

    generated_at: datetime = Field(description="UTC time of the run; the report's file name uses it")
    tag: str | None = None
    health: HealthReport
    portfolio: PortfolioSnapshot | None = Field(None, description="None when the exchange could not be read")
    portfolio_error: str | None = Field(None, description="why there is no portfolio, when there is none")
    alerts: list[AlertRow] = Field(default_factory=list, description="recent alerts, newest first")
    alerts_note: str | None = Field(None, description="why the alert list may be incomplete")
    notes: OperatorNotes = Field(default_factory=OperatorNotes)
    review: Review | None = Field(None, description="section 5, when the report reviews a period")
    kept: bool = Field(False, description="archived as a kept report: retention never deletes it")

    @property
    def overall_status(self) -> HealthStatus:
        return self.health.overall_status

    @property
    def risk_severity(self) -> str | None:
        """Return the portfolio's risk severity (None when risk was not evaluated)."""
        if self.portfolio is None or self.portfolio.risk is None:
            return None
        return self.portfolio.risk.severity.value

    @property
    def headline(self) -> Headline:
        """Return the one headline of this report (SPEC §6): FAIL > BREACH > DEGRADED > WARNING > OK."""
        return headline(self.overall_status, self.risk_severity)

    def headline_text(self) -> str:
        """Return the headline with what drives it: `BREACH — BTC/EUR exposure 120% of its limit`."""
        from live_ops.display import headline_line, headline_reason

        # failing checks first; each check's first problem (for the exchange: its first failing step)
        problems = [m for c in sorted(self.health.checks, key=lambda c: c.status != "fail") for m in c.problems()[:1]]
        risk = self.portfolio.risk if self.portfolio is not None else None
        return headline_line(self.headline, headline_reason(self.headline, health_problems=problems, risk=risk))

    def summary(self) -> dict[str, Any]:
        """Return the few fields the archive index lists for this report."""
        return {
            "generated_at": self.generated_at.isoformat(),
            "tag": self.tag,
            "headline_status": self.headline.value,
            "overall_status": self.overall_status,
            "risk_severity": self.risk_severity,
            "mode": self.health.mode,
            "period": self.review.period if self.review is not None else None,
        }

    def sidecar_json(self) -> str:
        """Return the JSON sidecar: the summary first, then the full snapshot."""
        # the summary is duplicated up front so the index can be rebuilt without re-deriving it
        return _Sidecar(summary=self.summary(), snapshot=self).model_dump_json(indent=1, by_alias=True)


class _Sidecar(BaseModel):
    summary: dict[str, Any]
    snapshot: StatusSnapshot
