"""`live-ops dashboard`: serve the read-only desk page, /api/status and /metrics. No Prefect needed."""

from __future__ import annotations

import argparse
import sys

from live_ops.cli import Outcome, config_path


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.config import load_config
    from live_ops.dashboard.read import reader_for
    from live_ops.dashboard.server import build_server, check_bindable

    path = config_path(args)
    config = load_config(path)
    reader = reader_for(config)
    server = build_server(reader.read, config.reports.output_dir, args.host, args.port,
                          log_level="debug" if args.debug else "warning")
    check_bindable(args.host, args.port)  # one clear line instead of uvicorn's traceback and exit(1)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"live-ops dashboard on http://{host}:{args.port}/ (config {path}); Ctrl-C stops it", file=sys.stderr)
    server.run()  # blocks until SIGTERM / Ctrl-C
    return Outcome({"served": f"http://{host}:{args.port}/", "stopped": True}, "live-ops dashboard stopped")
