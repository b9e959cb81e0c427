"""`live-ops health`: run `live_health_flow`; exit 1 on FAIL."""

from __future__ import annotations

import argparse

from live_ops.cli import Outcome, config_path, run_flow


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.console import health_text
    from live_ops.flows.health import live_health_flow

    report = run_flow(args, live_health_flow(config_path=config_path(args)))
    return Outcome(report, health_text(report), report.exit_code)
