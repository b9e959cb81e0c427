"""`live-ops serve`: serve the daily/weekly report and the health deployments in the foreground."""

from __future__ import annotations

import argparse
import os
from collections.abc import MutableMapping

from live_ops.cli import Outcome, config_path

HEARTBEAT_SECONDS = "60"


def heartbeat_environment(environ: MutableMapping[str, str] | None = None) -> MutableMapping[str, str]:
    """Turn on Prefect flow-run heartbeats (every 60 s, unless the operator set a frequency); return `environ`.

    Served runs execute in child processes that inherit this environment: a run killed with -9
    stops beating, and the README's automation marks it Crashed (its FLOW_CRASHED notification).
    """
    environ = os.environ if environ is None else environ
    environ.setdefault("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", HEARTBEAT_SECONDS)
    return environ


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.config import load_config

    path = config_path(args)
    load_config(path)  # fail fast, in one line, before Prefect starts
    heartbeat_environment()  # before Prefect reads its settings
    from live_ops.deployments.serve import serve_deployments

    serve_deployments(path, announce=not args.json)  # blocks until SIGTERM / Ctrl-C; the schedules are then paused
    return Outcome({"served": path, "stopped": True}, f"live-ops serve stopped ({path}); schedules paused")
