"""`live-ops dashboard`: serve the read-only desk page, /api/status and /metrics. No Prefect needed."""

from __future__ import annotations

import argparse
import sys

from live_ops.cli import Outcome, config_path


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.config import load_config
    from live_ops.dashboard.read import reader_for
    from live_ops.dashboard.server import build_server, listen

    path = config_path(args)
    config = load_config(path)
    reader = reader_for(config)
    server = build_server(reader.read, config.reports.output_dir, args.host, args.port,
                          log_level="debug" if args.debug else "warning")
    sock = listen(args.host, args.port)  # one clear line instead of uvicorn's traceback
    host, port = sock.getsockname()[:2]
    url = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
    print(f"live-ops dashboard on {url} (config {path}); Ctrl-C stops it", file=sys.stderr, flush=True)
    try:
        server.run(sockets=[sock])  # blocks until SIGTERM / Ctrl-C
    finally:
        sock.close()
    return Outcome({"served": url, "stopped": True}, "live-ops dashboard stopped")
