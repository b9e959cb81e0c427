"""`live-ops orders`: run `order_preview_flow`; exit 1 when a risk BREACH blocks the preview."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone

from flows.cli import EXIT_FAIL, EXIT_OK, Outcome, config_path, run_flow


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.config import load_config
    from live_ops.orders import load_signals, order_notional, preview_name
    from live_ops.orders.text import preview_text

    # fail fast, in one line, before Prefect starts: flags, config, and the whole signals file
    # (parsing 100k rows costs a fraction of a second; finding a bad row after the exchange
    # round trips would cost more)
    preview_name(args.tag, datetime.now(timezone.utc))
    path = config_path(args)
    config = load_config(path)
    order_notional(args.notional, config.live_risk.default_order_notional)
    load_signals(args.signals)
    from flows.orders import order_preview_flow

    preview = run_flow(args, order_preview_flow(
        signals_path=str(args.signals), config_path=path, notional=args.notional,
        evaluate_risk=not args.skip_live_risk, enforce_live_risk=args.enforce_live_risk,
        tag=args.tag, out_path=args.out,
    )).unquote()
    # with --skip-live-risk `risk` is None, which the model leaves out of its JSON
    return Outcome(preview, preview_text(preview), EXIT_FAIL if preview.blocked else EXIT_OK)
