"""How a run tells Prefect what it found: its headline, the name of its final state, its event.

SPEC §6: every run emits `live-ops.<flow>.<headline lowercased>` with resource id
`live-ops.account.<mode>.<exchange id or paper>`, and a report or portfolio run that is not OK
ends in a Completed state named after its headline (`Breach`, `Degraded`, ...), so Prefect's
run list and automations see it without parsing anything. The names are decided here, in the
core; the flows hand their result to one Prefect-side call (`live_ops.flows.announce.announce`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from live_ops.status import Headline, headline

# the <flow> part of the event name, one per flow
FLOWS = frozenset({"status-report", "portfolio", "health", "order-preview"})
NAMED_STATE_FLOWS = frozenset({"status-report", "portfolio"})


@dataclass(frozen=True)
class RunVerdict:
    """What a finished run reports to Prefect."""

    flow: str
    headline: Headline
    event: str
    resource: dict[str, str]
    payload: dict[str, Any] = field(default_factory=dict)
    state_name: str | None = None  # a Completed state named after the headline; None: plain Completed


def result_headline(result: Any) -> Headline:
    """Return the headline of a run's result (health report, portfolio, order preview or report)."""
    if hasattr(result, "headline_status"):  # a report result
        return Headline(str(getattr(result.headline_status, "value", result.headline_status)))
    if hasattr(result, "checks") and hasattr(result, "overall_status"):  # a health report
        return headline(result.overall_status, None)
    risk = getattr(result, "risk", None)  # a portfolio snapshot or an order preview
    return headline(None, risk.severity if risk is not None else None)


def resource_id(config: Any) -> str:
    """Return the event's resource id: `live-ops.account.<mode>.<exchange id or paper>`.

    `config` is None when it did not load (a health run on a broken config): `...unknown.unknown`.
    """
    if config is None:
        return "live-ops.account.unknown.unknown"
    venue = "paper" if config.mode == "paper" else str(config.exchange.id)
    return f"live-ops.account.{config.mode}.{venue}"


def run_verdict(flow: str, result: Any, config: Any) -> RunVerdict:
    """Return the verdict of a finished run of `flow` (one of FLOWS) with `result` under `config`."""
    if flow not in FLOWS:
        raise ValueError(f"unknown flow {flow!r}: expected one of {', '.join(sorted(FLOWS))}")
    word = result_headline(result)
    text = str(getattr(result, "headline_text", "") or word.value)
    return RunVerdict(
        flow=flow,
        headline=word,
        event=f"live-ops.{flow}.{word.value.lower()}",
        resource={"prefect.resource.id": resource_id(config)},
        payload={"headline": word.value, "summary": text},
        state_name=word.state_name if word is not Headline.OK and flow in NAMED_STATE_FLOWS else None,
    )
