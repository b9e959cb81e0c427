"""Sequential exchange round trips of `health` and `report`, against the local fake with injected latency.

    .venv/bin/python bench/round_trips.py [--latency 0.25] [--no-cli] [--venue binanceusdm]

Every request to the fake (tests/fakes/exchange_server.py, 127.0.0.1) is held `--latency`
seconds before its reply. A run that waits for N replies one after another spends N x latency
on the exchange, whatever its own overhead. Reported, from the fake's request log: the longest
chain of requests each sent after the previous reply (`round_trips`), the busy time (the union
of every request's [arrival, arrival + latency]) over the latency as a cross-check, and the
requests per endpoint. Ratios only: no absolute timing is asserted anywhere.

Measured two ways:
- through the gateway API: one gateway per run, as a run context holds it; health = `probe`,
  report = `probe` + `fetch_holdings` on the same gateway;
- through the CLI in live mode (`live-ops health --json`, `live-ops report --json`), unless
  `--no-cli`: whatever the flows do today (e.g. a gateway per task) is what is counted.

Targets (issue 10): health <= 2 round trips, report <= 3, each endpoint once per report.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

TARGETS = {"health": 2.0, "report": 3.0}


def round_trips(arrivals: list[float], latency: float) -> float:
    """Return the union length of [t, t + latency] over `arrivals`, in latencies."""
    busy, end = 0.0, float("-inf")
    for start in sorted(arrivals):
        if start >= end:
            busy += latency
        else:
            busy += start + latency - end
        end = max(end, start + latency)
    return busy / latency if latency else 0.0


def sequential_requests(arrivals: list[float], latency: float) -> int:
    """Return the longest chain of requests each sent after the previous one's reply (greedy by arrival)."""
    chain, free_at = 0, float("-inf")
    for start in sorted(arrivals):
        if start >= free_at - 1e-3:  # 1 ms: the reply and the next send are the same instant
            chain += 1
            free_at = start + latency
    return chain


def measure(fake, latency: float, run) -> dict:
    """Run `run()` against the fake with latency; return its round trips and requests per endpoint."""
    fake.reset()
    fake.inject("", delay_s=latency)
    started = time.monotonic()
    run()
    wall = time.monotonic() - started
    requests = list(fake.requests)
    per_endpoint = Counter(r.path for r in requests)
    arrivals = [r.at for r in requests]
    return {"round_trips": sequential_requests(arrivals, latency),
            "busy_over_latency": round(round_trips(arrivals, latency), 2),
            "wall_over_latency": round(wall / latency, 2), "requests": len(requests),
            "per_endpoint": dict(sorted(per_endpoint.items())),
            "repeated_endpoints": sorted(path for path, n in per_endpoint.items() if n > 1)}


def gateway_runs(fake, venue: str, latency: float) -> dict:
    from live_ops.config.models import ExchangeConfig
    from live_ops.exchange.ccxt_gateway import CcxtGateway
    from tests.fakes.exchange_server import DEFAULT_KEY, DEFAULT_SECRET

    env = {"LIVE_OPS_API_KEY": DEFAULT_KEY, "LIVE_OPS_API_SECRET": DEFAULT_SECRET}
    config = ExchangeConfig(id=venue, api_base_url=fake.url, timeout_ms=10_000,
                            ccxt_config={"enableRateLimit": False})

    def health() -> None:
        gateway = CcxtGateway(config, mode="live", environ=env)
        assert all(p.status == "pass" for p in gateway.probe(deadline_s=20)), "health did not pass"
        gateway.close()

    def report() -> None:  # one gateway per run: the probe's markets and balance serve the portfolio
        gateway = CcxtGateway(config, mode="live", environ=env)
        assert all(p.status == "pass" for p in gateway.probe(deadline_s=20)), "health did not pass"
        gateway.fetch_holdings()
        gateway.close()

    return {"health": measure(fake, latency, health), "report": measure(fake, latency, report)}


def cli_runs(fake, venue: str, latency: float) -> dict:
    from tests.fakes.exchange_server import DEFAULT_KEY, DEFAULT_SECRET

    work = Path(tempfile.mkdtemp(prefix="live-ops-bench-rt-"))
    body = (REPO / "config" / "config.toml").read_text()
    for old, new in {'mode = "paper"': 'mode = "live"', 'id = "binanceusdm"': f'id = "{venue}"',
                     'api_base_url = ""': f'api_base_url = "{fake.url}"\nccxt_config = {{ enableRateLimit = false }}',
                     'path = "reports/live_ops.db"': f'path = "{work / "state.db"}"',
                     'output_dir = "reports/live_status"': f'output_dir = "{work / "reports"}"'}.items():
        body = body.replace(old, new)
    config = work / "config.toml"
    config.write_text(body)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVE_OPS_")}
    env.update(PYTHONPATH=f"{REPO / 'src'}{os.pathsep}{REPO}", LIVE_OPS_API_KEY=DEFAULT_KEY,
               LIVE_OPS_API_SECRET=DEFAULT_SECRET, PREFECT_HOME=str(work / "prefect"),
               PREFECT_SERVER_ANALYTICS_ENABLED="false")

    def command(*args: str):
        def run() -> None:
            done = subprocess.run([sys.executable, "-m", "live_ops.cli", *args, "--config", str(config), "--json"],
                                  cwd=work, env=env, capture_output=True, text=True, timeout=300)
            if done.returncode not in (0, 1):
                raise SystemExit(f"live-ops {' '.join(args)} failed: {done.stderr[-2000:]}")
        return run

    return {"health": measure(fake, latency, command("health")), "report": measure(fake, latency, command("report"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.25, help="seconds the fake holds every reply")
    parser.add_argument("--venue", default="binanceusdm", help="fake venue dialect (binanceusdm, bybit, okx)")
    parser.add_argument("--no-cli", action="store_true", help="measure through the gateway API only")
    args = parser.parse_args()
    from tests.fakes.exchange_server import FakeExchange

    fake = FakeExchange().start()
    try:
        results = {"venue": args.venue, "latency_s": args.latency, "gateway": gateway_runs(fake, args.venue, args.latency)}
        if not args.no_cli:
            results["cli"] = cli_runs(fake, args.venue, args.latency)
    finally:
        fake.stop()
    for where in ("gateway", "cli"):
        for run, target in TARGETS.items():
            if where in results:
                got = results[where][run]
                mark = "ok" if got["round_trips"] <= target else "over"
                print(f"{where:8} {run:7} {got['round_trips']} sequential round trips, busy {got['busy_over_latency']:.2f}"
                      f" x latency (target <= {target:g}: {mark}), "
                      f"{got['requests']} requests, repeated: {', '.join(got['repeated_endpoints']) or 'none'}",
                      file=sys.stderr)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
