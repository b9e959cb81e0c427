"""`live-ops serve`: serve the daily/weekly report and the health deployments in the foreground."""

from __future__ import annotations

import argparse

from live_ops.cli import Outcome, config_path


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.config import load_config

    path = config_path(args)
    load_config(path)  # fail fast, in one line, before Prefect starts
    from live_ops.deployments.serve import serve_deployments

    serve_deployments(path, announce=not args.json)  # blocks until SIGTERM / Ctrl-C; the schedules are then paused
    return Outcome({"served": path, "stopped": True}, f"live-ops serve stopped ({path}); schedules paused")
