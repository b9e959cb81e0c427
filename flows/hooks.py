"""Flow-state hooks: a flow run that fails or crashes sends a CRITICAL alert through the same sinks.

Attach to every flow: `@flow(..., on_failure=[alert_on_flow_failure], on_crashed=[alert_on_flow_failure])`.
The hook reads the config path from the run's `config_path` parameter. If that config cannot be
loaded (often the very reason the run failed) the alert still goes out, through the default
`log` and `stderr` sinks. A hook never raises: the run's own state is what the operator sees.
Runs that never start (late, or crashed before any code ran) cannot call a hook: see the README
for the Prefect automation that covers them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from live_ops.alerts import (
    Alerter,
    EventOutcome,
    fallback_dispatcher,
    flow_failure_event,
    raise_safely,
    redact_text,
)
from live_ops.alerts.budget import for_run
from live_ops.config import default_config_path, load_config
from live_ops.errors import LiveOpsError

_log = logging.getLogger("live_ops.alerts.hooks")


def _send(flow_name: str, run_name: str, run_id: str, state_name: str, reason: str,
          config_path: str) -> list[EventOutcome]:
    try:
        config = load_config(config_path)
    except LiveOpsError as exc:
        event = flow_failure_event(flow=flow_name, run_name=run_name, run_id=run_id, state=state_name,
                                   reason=f"{reason} (alert config unreadable: {exc})", now=datetime.now(timezone.utc))
        return fallback_dispatcher().dispatch([event])
    return Alerter(config, budget=for_run(run_id)).flow_failure(flow=flow_name, run_name=run_name, run_id=run_id, state=state_name,
                                        reason=reason)


def alert_on_flow_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect `on_failure` / `on_crashed` hook: send a CRITICAL FLOW_FAILED / FLOW_CRASHED alert."""
    try:
        parameters = getattr(flow_run, "parameters", None) or {}
        config_path = str(parameters.get("config_path") or default_config_path())
        outcomes = raise_safely("flow failure", lambda: _send(
            flow.name, str(flow_run.name), str(flow_run.id), str(state.name), str(state.message or ""), config_path))
        _log.info("flow %s %s: alert %s", flow.name, state.name,
                  ", ".join(f"{d.sink}={d.status}" for o in outcomes for d in o.deliveries))
    except Exception as exc:  # noqa: BLE001 - a hook must never mask the run's own failure
        _log.error("flow %s: failure alert not sent: %s: %s", getattr(flow, "name", "?"), type(exc).__name__,
                   redact_text(str(exc)))
