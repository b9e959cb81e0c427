"""`live-ops keep NAME` / `keep --undo NAME`: mark an archived report kept, so retention never deletes it."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from live_ops import clock
from live_ops.cli import Outcome, config_path


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.config import load_config
    from live_ops.errors import LiveOpsError, UsageError
    from live_ops.reporting import maintain_archive, output_directory
    from live_ops.reporting.archive import mark_kept, report_stem_of
    from live_ops.store import Store

    config = load_config(config_path(args))
    directory = output_directory(args.output_dir, config.reports.output_dir)
    stem = report_stem_of(Path(args.name).name)
    if stem is None:
        raise UsageError(f"keep: {args.name!r} is not a report name (live_status_YYYY-MM-DD_HHMM[_TAG])")
    kept = not args.undo
    changed = mark_kept(directory, stem, kept)
    index = maintain_archive(directory, None, clock.now()).index  # the index shows the mark at once
    warning = None
    try:
        Store.at(config.state).set_kept(stem, kept)  # the history's copy of the mark; the file is what counts
    except LiveOpsError as exc:
        warning = f"the history was not updated: {exc}"
        logging.getLogger("live_ops.cli").warning(warning)
    verb = "kept" if kept else "no longer kept"
    text = f"{stem}: {verb}" + ("" if changed else " (already)") + f"\n  index {index}"
    payload = {"name": stem, "kept": kept, "changed": changed, "index": str(index), "warning": warning}
    return Outcome(payload, text)
