"""What a report run publishes as Prefect artifacts, computed in the core (the task only uploads it).

The positions table carries display strings with their currency, its first column marks a
symbol whose limit is at WARNING or BREACH, and the archived file is named by its path (a
browser will not open a `file://` link from the Prefect UI) or, when a dashboard serves the
archive (`LIVE_OPS_DASHBOARD_URL`), by its http URL there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from live_ops.display import amount, money
from live_ops.reporting.archive import ArchivedReport
from live_ops.reporting.snapshot import StatusSnapshot


@dataclass(frozen=True)
class ReportArtifacts:
    description: str
    positions_title: str
    file_name: str
    file_title: str
    file_markdown: str
    file_url: str | None = None
    positions: list[dict[str, str]] = field(default_factory=list)


def file_url(name: str, dashboard_url: str | None) -> str | None:
    """Return the archived file's URL on the dashboard (`<url>/reports/<name>`), or None without one."""
    if not dashboard_url or not dashboard_url.startswith(("http://", "https://")):
        return None
    return f"{dashboard_url.rstrip('/')}/reports/{quote(name)}"


def report_artifacts(snapshot: StatusSnapshot, archived: ArchivedReport | None, dashboard_url: str | None = None
                     ) -> ReportArtifacts:
    """Return the artifacts of a report run: description, positions table, where the file is.

    `archived` None (the archive could not be written): no file, its fields are empty.
    """
    portfolio = snapshot.portfolio
    flagged: dict[str, str] = {}
    if portfolio is not None and portfolio.risk is not None:
        for detail in portfolio.risk.limit_details:
            if detail.symbol and detail.severity.value != "OK":
                flagged[detail.symbol] = max(flagged.get(detail.symbol, "WARNING"), detail.severity.value,
                                             key=("WARNING", "BREACH").index)
    ccy = portfolio.quote_currency if portfolio is not None else ""
    positions = [
        {"risk": flagged.get(p.symbol, "OK"), "symbol": p.symbol, "side": p.side, "size": amount(p.size),
         "entry": money(p.entry_price, ccy), "mark": money(p.mark_price, ccy), "notional": money(p.notional, ccy),
         "unrealized_pnl": money(p.unrealized_pnl, ccy),
         "realized_pnl": "n/a" if p.realized_pnl is None else money(p.realized_pnl, ccy)}
        for p in (portfolio.positions if portfolio is not None else [])
    ]
    description = f"Live status report: {snapshot.headline_text()}"
    positions_title = f"Open positions at {snapshot.generated_at:%Y-%m-%d %H:%M} UTC ({snapshot.headline.value})"
    if archived is None:
        return ReportArtifacts(description=description, positions_title=positions_title, file_name="",
                               file_title="", file_markdown="", positions=positions)
    main = archived.files[-1] if archived.files else archived.sidecar  # the HTML when there is one
    path = str(main.resolve())
    return ReportArtifacts(
        description=description,
        positions_title=positions_title,
        file_name=main.name,
        file_title="The archived report on the machine that ran the flow",
        file_markdown=f"Archived report ({snapshot.headline.value}): `{path}`",
        file_url=file_url(main.name, dashboard_url),
        positions=positions,
    )
