"""`live-ops`: the thin CLI that runs the Prefect flows ad hoc.

A funnel: parse flags, run the flow in-process, map the result to an exit code. Every
`LiveOpsError` is caught once, here, and printed as one line (`{"error": ...}` with --json).
Importing this module imports neither Prefect nor ccxt, so `--help` stays fast; each command
imports its flow only when it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import importlib
import json
import math
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from live_ops.errors import LiveOpsError, UsageError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


@dataclass
class Outcome:
    """What a command produced: the JSON payload, the human text and the exit code."""

    payload: Any  # a pydantic model or a JSON-ready dict
    text: str
    exit_code: int = EXIT_OK


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors raise UsageError (exit 2) instead of exiting on their own."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


MAX_AMOUNT = 1e15  # the config's own bound on money amounts
MAX_LIMIT = 100_000


def amount(text: str) -> float:
    """argparse type: a finite amount > 0 and at most 1e15 (nan, inf and negatives are usage errors)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (math.isfinite(value) and 0 < value <= MAX_AMOUNT):
        raise argparse.ArgumentTypeError(f"expected a finite number above 0 and at most {MAX_AMOUNT:g}, got {text!r}")
    return value


def count(text: str) -> int:
    """argparse type: a whole number from 1 to 100,000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to {MAX_LIMIT:,}, got {text!r}")
    return value


def _common_flags() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument("--config", metavar="PATH",
                        help="TOML config (default: $LIVE_OPS_CONFIG, else config/config.toml)")
    common.add_argument("--json", action="store_true", help="print exactly one JSON document on stdout")
    common.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    common.add_argument("--verbose", action="store_true",
                        help="also show Prefect's INFO logs (warnings and errors always show)")
    return common


FAIL_ON = ("fail", "breach", "degraded", "warning")


def _fail_on(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("--fail-on", choices=FAIL_ON, default=default, metavar="{" + ",".join(FAIL_ON) + "}",
                        help="exit 1 when the headline (FAIL > BREACH > DEGRADED > WARNING > OK) is at or above "
                             f"this (default: {default or 'never'})")


def build_parser() -> argparse.ArgumentParser:
    """Return the `live-ops` argument parser (every command takes --config, --json, --debug)."""
    common = _common_flags()
    parser = _Parser(prog="live-ops", description="Peak Live Ops: the operator cockpit for a crypto trading system.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)

    commands.add_parser("health", parents=[common], help="is the setup sound enough to start a session?",
                        description="Check config, exchange connectivity, alerting and risk limits. "
                                    "Exit 0 for OK/DEGRADED, 1 for FAIL.")

    portfolio = commands.add_parser("portfolio", parents=[common], help="balances, positions, exposure and risk",
                                    description="Snapshot the exchange account and evaluate it against [live_risk].")
    portfolio.add_argument("--no-risk", action="store_true", help="skip the risk evaluation")
    portfolio.add_argument("--starting-cash", type=amount, metavar="FLOAT",
                           help="base for the daily-loss limits instead of the day's first recorded equity")
    _fail_on(portfolio, None)

    orders = commands.add_parser("orders", parents=[common], help="preview orders from a signals CSV (never sent)",
                                 description="Turn a forward-signals CSV into order previews and check them, on top "
                                             "of the current portfolio, against the live risk limits.")
    orders.add_argument("--signals", required=True, metavar="PATH", help="signals CSV (symbol, direction, ...)")
    orders.add_argument("--notional", type=float, metavar="FLOAT",
                        help="notional per order (default: [live_risk].default_order_notional)")
    enforce = orders.add_mutually_exclusive_group()
    enforce.add_argument("--enforce-live-risk", action="store_true", help="exit 1 on a risk BREACH")
    enforce.add_argument("--skip-live-risk", action="store_true", help="do not evaluate the live risk limits")
    orders.add_argument("--tag", metavar="STR", help="name of this preview (letters, digits, - and _)")
    orders.add_argument("--out", metavar="PATH", help="also write the previewed orders as CSV")

    report = commands.add_parser("report", parents=[common], help="write a status report (Markdown/HTML)",
                                 description="Run health, portfolio and risk, and archive a status report.")
    report.add_argument("--output-dir", metavar="DIR", help="default: [reports].output_dir")
    report.add_argument("--format", choices=("markdown", "html", "both"), default="markdown")
    report.add_argument("--tag", metavar="STR", help="suffix of the report name (letters, digits, - and _)")
    report.add_argument("--notes-file", metavar="PATH", help="operator notes (Markdown) to include")
    report.add_argument("--period", metavar="AGE",
                        help="add section 5, the Period Review of the history over this period (1d, 7d, 30d, ...)")
    report.add_argument("--keep", action="store_true", help="archive as a kept report: retention never deletes it")
    _fail_on(report, "fail")

    alerts = commands.add_parser("alerts", parents=[common], help="show the alert history (newest first)",
                                 description="Show the alert history from the state database.")
    alerts.add_argument("--since", default="24h", metavar="AGE", help="e.g. 30m, 24h, 7d (default 24h)")
    alerts.add_argument("--level", choices=("info", "warning", "critical"), help="lowest level to show")
    alerts.add_argument("--limit", type=count, default=50, metavar="N", help="at most N events (default 50)")

    history = commands.add_parser("history", parents=[common], help="show the recorded history (newest first)",
                                  description="Show the health runs, portfolio snapshots, order previews and "
                                              "reports recorded in the history store.")
    history.add_argument("--since", default="7d", metavar="AGE", help="e.g. 12h, 7d, 30d (default 7d)")
    history.add_argument("--kind", choices=("health", "portfolio", "orders", "reports"), help="one kind only")

    compare = commands.add_parser("compare", parents=[common], help="compare two archived reports (before/after)",
                                  description="Compare two archived reports: headline, equity, exposure, daily PnL, "
                                              "positions, limits, and the alerts raised in between.")
    compare.add_argument("before", metavar="BEFORE", help="report name (live_status_...) or its .json sidecar")
    compare.add_argument("after", metavar="AFTER", help="report name (live_status_...) or its .json sidecar")
    compare.add_argument("--format", choices=("markdown", "html", "json"), default="markdown")
    compare.add_argument("--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    compare.add_argument("--output-dir", metavar="DIR", help="where the reports are archived "
                                                             "(default: [reports].output_dir)")

    keep = commands.add_parser("keep", parents=[common], help="mark an archived report kept (or --undo)",
                               description="Mark an archived report kept: retention never deletes it.")
    keep.add_argument("name", metavar="NAME", help="report name (live_status_...) or one of its files")
    keep.add_argument("--undo", action="store_true", help="remove the mark: retention applies again")
    keep.add_argument("--output-dir", metavar="DIR", help="default: [reports].output_dir")

    commands.add_parser("serve", parents=[common], help="serve the daily/weekly deployments (foreground)",
                        description="Serve status_report_flow (daily and weekly) and live_health_flow on their "
                                    "schedules, with no cron and no work pool.")

    dashboard = commands.add_parser("dashboard", parents=[common], help="serve the read-only desk page and /metrics",
                                    description="Serve the desk now as a web page, /api/status (JSON) and /metrics "
                                                "(Prometheus), read from the history and the report archive. "
                                                "Any address but 127.0.0.1/::1/localhost needs "
                                                "LIVE_OPS_DASHBOARD_TOKEN.")
    dashboard.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    dashboard.add_argument("--port", type=int, default=8787, help="port (default 8787)")
    return parser


def config_path(args: argparse.Namespace) -> str:
    """Return the config path for this run: --config, else $LIVE_OPS_CONFIG, else config/config.toml."""
    from live_ops.config import default_config_path

    return str(args.config) if args.config else str(default_config_path())


def run_flow(args: argparse.Namespace, coroutine: Any) -> Any:
    """Run an async flow in-process, tagged like a deployment run, and return its result.

    Raises what the flow raised.
    """
    from prefect import tags

    from live_ops.cli.quiet import quiet_console, watch_task_runs

    # by now the caller imported its flow, so Prefect's logging is configured and can be trimmed
    if not args.debug:
        quiet_tracebacks()
    quiet_console(verbose=args.verbose or args.debug)
    watch_task_runs()
    with tags(*RUN_TAGS):
        return asyncio.run(coroutine)


RUN_TAGS = ("live-ops", "adhoc")  # deployment runs carry "live-ops" too; "adhoc" tells a CLI run apart


# command -> "module:function" of its handler, imported only when that command runs
COMMANDS: dict[str, str] = {
    "health": "live_ops.cli.health:run",
    "portfolio": "live_ops.cli.portfolio:run",
    "orders": "live_ops.cli.orders:run",
    "report": "live_ops.cli.report:run",
    "alerts": "live_ops.cli.alerts:run",
    "history": "live_ops.cli.history:run",
    "compare": "live_ops.cli.compare:run",
    "keep": "live_ops.cli.keep:run",
    "serve": "live_ops.cli.serve:run",
    "dashboard": "live_ops.cli.dashboard:run",
}


def _handler(command: str) -> Callable[[argparse.Namespace], Outcome]:
    module_name, _, function = COMMANDS[command].partition(":")
    return getattr(importlib.import_module(module_name), function)


def _to_json(payload: Any, indent: int | None = 2) -> str:
    if hasattr(payload, "model_dump_json"):
        return payload.model_dump_json(indent=indent)
    return json.dumps(payload, indent=indent, default=str)


def _prepare_environment(debug: bool) -> None:
    # no analytics from an operator's machine; Prefect reads these at import time
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # a fresh temporary server migrates its database first: on a busy 2-core machine that took
    # 20-40 s, past Prefect's 20 s default, and the run failed before it began
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if debug:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "DEBUG")


def quiet_tracebacks() -> None:
    """Make Prefect's console log one line per failure: the CLI prints the one-line reason itself."""
    import logging

    class _NoTraceback(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.exc_info = None
            record.exc_text = None
            return True

    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs"):
        for handler in logging.getLogger(name).handlers:
            handler.addFilter(_NoTraceback())


def main(argv: Sequence[str] | None = None) -> int:
    """Run `live-ops` with `argv`; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    want_json = "--json" in argv
    debug = "--debug" in argv
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        if want_json:
            print(json.dumps({"error": str(exc)}))
        return EXIT_USAGE
    _prepare_environment(debug)
    try:
        outcome = _handler(args.command)(args)
    except UsageError as exc:
        return _fail(str(exc), want_json, EXIT_USAGE)
    except LiveOpsError as exc:
        if debug:
            raise
        return _fail(str(exc), want_json, EXIT_FAIL)
    except KeyboardInterrupt:
        return _fail("interrupted", want_json, 130)
    if args.json:
        # indented for a person at a terminal; compact for a pipe (100k orders: 46 MB and 0.2 s less)
        print(_to_json(outcome.payload, indent=2 if sys.stdout.isatty() else None))
    else:
        print(outcome.text)
    return outcome.exit_code


def _fail(message: str, want_json: bool, code: int) -> int:
    print(f"live-ops: error: {message}", file=sys.stderr)
    if want_json:
        print(json.dumps({"error": message}))
    return code


def console_main() -> NoReturn:
    """Entry point of the `live-ops` console script: run `main()`, then leave without teardown."""
    exit_fast(main())


def exit_fast(code: int) -> NoReturn:
    """Finish what matters and exit with `code`, skipping the interpreter's own teardown.

    Tearing down the modules and objects of a process that has imported Prefect takes ~0.5 s
    (measured; an empty flow's script pays it too) and does nothing for a CLI that is done. What
    matters runs first, as the interpreter itself would run it: threading's exit hooks and the
    join of non-daemon threads (Prefect drains its event and log queues to the API there), then
    the atexit handlers (logging flushes; an ephemeral Prefect server is stopped), then stdout
    and stderr are flushed.
    """
    threading._shutdown()  # type: ignore[attr-defined]  # the interpreter's own first step at exit
    if "prefect" in sys.modules:
        from live_ops.cli.quiet import wait_for_ephemeral_server

        wait_for_ephemeral_server()  # before atexit stops it: it may still be recording our task runs
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing left to deliver to
            pass
    os._exit(code)
