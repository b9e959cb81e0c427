"""`live-ops portfolio`: run `portfolio_flow`; exit 1 on an error, or when the headline reaches --fail-on."""

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
    return Outcome(snapshot, portfolio_text(snapshot), exit_code_for(snapshot, args.fail_on))


def exit_code_for(snapshot: object, fail_on: str | None) -> int:
    """Return 1 when the portfolio's headline (its risk severity) is at or above `fail_on`, else 0."""
    from live_ops.status import at_or_above, headline

    risk = getattr(snapshot, "risk", None)
    return 1 if at_or_above(headline(None, risk.severity if risk is not None else None), fail_on) else 0
