"""Dashboard bench: /api/status and /metrics over real HTTP with a year of history.

    python bench/dashboard.py [--requests 200] [--out bench/dashboard.json]

Builds, in a temp dir, what a year at the default schedules leaves behind (see `populate`),
serves the dashboard with uvicorn on 127.0.0.1 in this process, and times sequential GETs
with one keep-alive client. The floor is `/healthz` on the same server (HTTP + uvicorn + the
app's middleware, no reading); each route is reported as its median, p95 and ratio to the floor.
Target (issue 15): /api/status and /metrics median <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

TARGET_MS = 50.0
HEALTH_EVERY = timedelta(minutes=30)
YEAR = timedelta(days=365)


def populate(root: Path, now: datetime) -> tuple[object, dict[str, int]]:
    """Write a year of history under `root`; return the config and what was written."""
    from bench.dashboard_data import write_year

    return write_year(root, now)


def _time(client, url: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--out", default=str(REPO / "bench" / "dashboard.json"))
    parser.add_argument("--data", metavar="DIR", help="keep the year's data here and reuse it on the next run")
    args = parser.parse_args()

    import httpx

    from live_ops.dashboard.read import reader_for
    from live_ops.dashboard.server import build_server, listen

    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory(prefix="live-ops-bench-dash-") as tmp:
        root = Path(args.data or tmp)
        started = time.perf_counter()
        if args.data and (root / "written.json").exists():
            from live_ops.config import load_config

            config, written = load_config(root / "config.toml"), json.loads((root / "written.json").read_text())
        else:
            root.mkdir(parents=True, exist_ok=True)
            config, written = populate(root, now)
            (root / "written.json").write_text(json.dumps(written))
        populate_s = time.perf_counter() - started
        reader = reader_for(config)

        def read():
            # `/cold/...`: a new reader per request, as the first request after each run finds it
            return reader_for(config).read() if cold.is_set() else reader.read()

        cold = threading.Event()
        server = build_server(read, config.reports.output_dir, "127.0.0.1", 0, environ={})
        sock = listen("127.0.0.1", 0)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        rows = {}
        try:
            with httpx.Client(timeout=30, trust_env=False) as client:
                for route in ("/healthz", "/api/status", "/metrics", "/"):
                    _time(client, base + route, 5)  # warm: first reads open files, fill caches
                for route in ("/healthz", "/api/status", "/metrics", "/"):
                    samples = _time(client, base + route, args.requests)
                    rows[route] = {"median_ms": round(statistics.median(samples), 2),
                                   "p95_ms": round(statistics.quantiles(samples, n=20)[-1], 2)}
                cold.set()
                samples = _time(client, base + "/api/status", max(20, args.requests // 5))
                rows["/api/status (cold)"] = {"median_ms": round(statistics.median(samples), 2),
                                              "p95_ms": round(statistics.quantiles(samples, n=20)[-1], 2)}
                cold.clear()
                status = client.get(base + "/api/status").json()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            sock.close()
    floor = rows["/healthz"]["median_ms"]
    for row in rows.values():
        row["ratio_to_healthz"] = round(row["median_ms"] / floor, 1)
    result = {"date": now.isoformat(timespec="seconds"), "machine": f"{platform.machine()} {platform.python_version()}",
              "written": written, "populate_s": round(populate_s, 1), "requests": args.requests, "routes": rows,
              "curve_points": len(status["curve"]), "target_ms": TARGET_MS}
    print(f"history: {written}  (written in {populate_s:.1f} s)")
    print(f"{'route':<20} {'median ms':>10} {'p95 ms':>8} {'x healthz':>10}  target")
    for route, row in rows.items():
        target = f"<= {TARGET_MS:.0f} ms " + ("ok" if row["median_ms"] <= TARGET_MS else "MISSED") \
            if route in ("/api/status", "/metrics", "/api/status (cold)") else ""
        print(f"{route:<20} {row['median_ms']:>10} {row['p95_ms']:>8} {row['ratio_to_healthz']:>10}  {target}")
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
