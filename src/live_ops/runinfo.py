"""How a run tells Prefect what it found: its headline, the name of its final state, its event.

SPEC §6: every run emits `live-ops.<flow>.<headline lowercased>` with resource id
`live-ops.account.<mode>.<exchange id or paper>`, and a report or portfolio run that is not OK
ends in a Completed state named after its headline (`Breach`, `Degraded`, ...), so Prefect's
run list and automations see it without parsing anything. The names are decided here, in the
core; the flows hand their result to one Prefect-side call (`live_ops.flows.outcome.conclude`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from live_ops.status import Headline, headline

# Prefect flow name -> the <flow> part of the event name
FLOW_EVENT_NAMES = {
    "live-health-flow": "live-health",
    "portfolio-flow": "portfolio",
    "order-preview-flow": "order-preview",
    "status-report-flow": "status-report",
}
NAMED_STATE_FLOWS = frozenset({"portfolio", "status-report"})


@dataclass(frozen=True)
class RunVerdict:
    """What a finished run reports to Prefect."""

    flow: str
    headline: Headline
    event: str
    resource: dict[str, str]
    payload: dict[str, Any] = field(default_factory=dict)
    state_name: str | None = None  # a Completed state named after the headline; None: plain Completed
    message: str = ""


def result_headline(result: Any) -> Headline:
    """Return the headline of a run's result (health report, portfolio, order preview or report)."""
    if hasattr(result, "headline_status"):  # a report result
        return Headline(str(getattr(result.headline_status, "value", result.headline_status)))
    if hasattr(result, "checks") and hasattr(result, "overall_status"):  # a health report
        return headline(result.overall_status, None)
    risk = getattr(result, "risk", None)
    return headline(None, risk.severity if risk is not None else None)


def resource_id(mode: str | None, venue: str | None) -> str:
    """Return the event's resource id: `live-ops.account.<mode>.<exchange id or paper>`."""
    return f"live-ops.account.{mode or 'unknown'}.{venue or 'unknown'}"


def venue_of(config: Any) -> str | None:
    """Return the venue of a config: `paper` in paper mode, else the ccxt exchange id (None without config)."""
    if config is None:
        return None
    mode = getattr(config, "mode", None)
    return "paper" if mode == "paper" else str(config.exchange.id)


def run_verdict(flow_name: str, result: Any, config: Any, *, mode: str | None = None, text: str = "") -> RunVerdict:
    """Return the verdict of a finished run of `flow_name` (Prefect's flow name) with `result`."""
    flow = FLOW_EVENT_NAMES.get(flow_name, flow_name.removesuffix("-flow"))
    word = result_headline(result)
    mode = getattr(config, "mode", None) or mode or getattr(result, "mode", None)
    rid = resource_id(mode, venue_of(config))
    named = word is not Headline.OK and flow in NAMED_STATE_FLOWS
    return RunVerdict(
        flow=flow,
        headline=word,
        event=f"live-ops.{flow}.{word.value.lower()}",
        resource={"prefect.resource.id": rid, "prefect.resource.name": rid.removeprefix("live-ops.account."),
                  "live-ops.mode": mode or "unknown"},
        payload={"headline": word.value, "summary": text or word.value},
        state_name=word.state_name if named else None,
        message=text or word.value,
    )
