"""`live-ops report`: run `status_report_flow`; exit 1 when the headline reaches --fail-on (default FAIL).

The report is written whatever the headline.
"""

from __future__ import annotations

import argparse

from live_ops.cli import Outcome, config_path, run_flow


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.config import load_config
    from live_ops.reporting import validate_tag
    from live_ops.reporting.review import validate_period

    validate_tag(args.tag)  # a usage error (exit 2) before Prefect starts
    validate_period(args.period)
    path = config_path(args)
    load_config(path)  # fail fast, in one line, before Prefect starts
    from live_ops.flows.report import status_report_flow

    result = run_flow(args, status_report_flow(config_path=path, format=args.format, tag=args.tag,
                                               notes_file=args.notes_file, output_dir=args.output_dir,
                                               period=args.period, keep=args.keep))
    return Outcome(result.cli_payload(), result.text(), result.exit_code_for(args.fail_on))
