"""The end of every run: emit its `live-ops.<flow>.<headline>` event, name its final state (SPEC §6).

The names come from the core (`live_ops.runinfo`); this is the only Prefect side of it.
"""

from __future__ import annotations

from typing import Any

from prefect.events import emit_event
from prefect.states import Completed

from live_ops.runinfo import run_verdict
from live_ops.runs import RunContext


def announce(ctx: RunContext, flow: str, result: Any, shown: Any = None) -> Any:
    """Emit the run's event; return `shown` (default `result`) or a Completed state named after the headline.

    `result` is what the verdict is read from; `shown` is what the flow returns (e.g. a quoted preview).
    A returned state's data is the result, so a caller of the flow still gets the result itself.
    """
    verdict = run_verdict(flow, result, ctx.loaded_config())
    emit_event(verdict.event, resource=verdict.resource, payload=verdict.payload)
    value = result if shown is None else shown
    if verdict.state_name is None:
        return value
    return Completed(name=verdict.state_name, message=verdict.payload["summary"], data=value)

