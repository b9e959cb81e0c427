"""`live-ops portfolio`: run `portfolio_flow`; exit 0 unless an error occurs."""

from __future__ import annotations

import argparse

from live_ops.cli import Outcome, config_path, run_flow


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.config import load_config
    from live_ops.console import portfolio_text

    path = config_path(args)
    load_config(path)  # fail fast, in one line, before Prefect starts
    from live_ops.flows.portfolio import portfolio_flow

    snapshot = run_flow(args, portfolio_flow(config_path=path, evaluate_risk=not args.no_risk,
                                             starting_cash=args.starting_cash))
    return Outcome(snapshot, portfolio_text(snapshot))
