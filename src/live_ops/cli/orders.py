"""`live-ops orders`: run `order_preview_flow`; exit 1 when a risk BREACH blocks the preview."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from live_ops import clock
from live_ops.cli import EXIT_FAIL, EXIT_OK, Outcome, config_path, run_flow


@contextmanager
def _collector_skips_what_exists() -> Iterator[None]:
    """Keep every object alive now (Prefect's modules: ~120k) out of the garbage collector's walks.

    A 100k-signal preview allocates ~200k objects, which sets off full collections that walk
    everything again each time: ~0.6 s of the run. The objects alive before the run outlive it
    anyway. Unfrozen afterwards (unless someone froze before us), so nothing is kept for good.
    """
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.config import load_config
    from live_ops.orders import load_signals, order_notional, preview_name
    from live_ops.orders.text import preview_text

    # fail fast, in one line, before Prefect starts: flags, config, and the whole signals file
    # (a bad row fails here in one line, before a flow run and its failure alert exist).
    # `batch` is held until the flow returns: its load-signals task then gets this parse back
    # from memory instead of reading 100k rows a second time
    preview_name(args.tag, clock.now())
    path = config_path(args)
    config = load_config(path)
    order_notional(args.notional, config.live_risk.default_order_notional)
    batch = load_signals(args.signals)
    from live_ops.flows.orders import order_preview_flow

    with _collector_skips_what_exists():
        preview = run_flow(args, order_preview_flow(
            signals_path=str(args.signals), config_path=path, notional=args.notional,
            evaluate_risk=not args.skip_live_risk, enforce_live_risk=args.enforce_live_risk,
            tag=args.tag, out_path=args.out,
        )).unquote()
    del batch
    # with --skip-live-risk `risk` is None, which the model leaves out of its JSON
    return Outcome(preview, preview_text(preview), EXIT_FAIL if preview.blocked else EXIT_OK)
