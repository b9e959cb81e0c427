"""`live-ops compare BEFORE AFTER`: two archived reports side by side. No Prefect needed."""

from __future__ import annotations

import argparse
from pathlib import Path

from live_ops.cli import Outcome, config_path


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.config import load_config
    from live_ops.errors import LiveOpsError
    from live_ops.reporting import output_directory
    from live_ops.reporting.archive import replace_atomically
    from live_ops.reporting.compare import AlertBetween, compare, load_report
    from live_ops.reporting.compare_view import render_comparison
    from live_ops.store import Store

    config = load_config(config_path(args))
    directory = output_directory(args.output_dir, config.reports.output_dir)
    before, after = load_report(args.before, directory), load_report(args.after, directory)
    start, end = sorted((before.snapshot.generated_at, after.snapshot.generated_at))
    try:
        stored = Store.at(config.state).alerts(start, end)
        alerts: list[AlertBetween] | None = [
            AlertBetween(ts=a.ts, level=a.level, source=a.source, code=a.code, message=a.message)
            for a in reversed(stored) if a.ts > start]  # oldest first: the story in between
    except LiveOpsError:
        alerts = None  # compare still works from the two reports alone
    comparison = compare(before, after, alerts)
    text = render_comparison(comparison, args.format)
    if args.output:
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        written = replace_atomically(target.parent, target.name, text)
        return Outcome({**comparison.model_dump(mode="json"), "output": str(written)},
                       f"{comparison.headline.before} → {comparison.headline.after}: wrote {written}")
    return Outcome(comparison, text.rstrip("\n"))
