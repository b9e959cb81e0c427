"""Benchmarks for Peak Live Ops: one command, a table of ratios, a JSON file.

    python bench/run.py [--repeat 5] [--quick] [--out bench/results.json]

The machines are noisy, so every timing is the median of several runs and is reported as a
ratio against a floor measured in the same run (`python -c pass`, an empty Prefect flow against
the same server, ...). Targets (issue 7) are printed next to each ratio; nothing here fails a
test suite: numbers go in the README.

It starts its own `prefect server start` on 127.0.0.1 with a throwaway PREFECT_HOME and the
fake exchange from tests/fakes on 127.0.0.1; both are stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LIVE_OPS = str(BIN / "live-ops")
PREFECT = str(BIN / "prefect")
sys.path[:0] = [str(REPO / "src"), str(REPO)]


@dataclass
class Row:
    name: str
    value: float
    unit: str
    floor: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    returncode: int


def run_once(cmd: Sequence[str], env: dict[str, str], cwd: Path = REPO) -> Run:
    """Run `cmd` once; return its wall time and peak RSS (from wait4, this child only)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(elapsed, usage.ru_maxrss / 1024, proc.returncode)


def median_run(cmd: Sequence[str], env: dict[str, str], repeat: int, cwd: Path = REPO) -> tuple[float, float]:
    """Return (median seconds, max peak RSS MB) over `repeat` runs; raises if a run fails."""
    runs = [run_once(cmd, env, cwd) for _ in range(repeat)]
    bad = [r for r in runs if r.returncode not in (0,)]
    if bad:
        raise RuntimeError(f"{' '.join(cmd)} exited {bad[0].returncode}")
    return statistics.median(r.seconds for r in runs), max(r.max_rss_mb for r in runs)


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Return the median wall time of calling `fn` `repeat` times in this process."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrefectServer:
    """`prefect server start` on 127.0.0.1 with its own PREFECT_HOME; stopped by PID."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.env = dict(env)
        self.proc: subprocess.Popen | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def __enter__(self) -> PrefectServer:
        self.proc = subprocess.Popen(
            [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=1) as reply:
                    if reply.status == 200:
                        return self
            except OSError:
                time.sleep(0.25)
        raise RuntimeError("prefect server did not start within 90 s")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def ratio_row(name: str, value: float, floor: float, limit: float, target: str, unit: str = "s") -> Row:
    ratio = value / floor if floor else None
    return Row(name, round(value, 4), unit, round(floor, 4), round(ratio, 3) if ratio else None, target,
               None if ratio is None else ratio <= limit)


def bench_cli_startup(env: dict[str, str], repeat: int) -> list[Row]:
    floor, _ = median_run([sys.executable, "-c", "pass"], env, repeat)
    rows = []
    for args in (["--help"], ["health", "--help"]):
        seconds, _ = median_run([LIVE_OPS, *args], env, repeat)
        rows.append(Row(f"live-ops {' '.join(args)}", round(seconds, 4), "s", round(floor, 4),
                        round(seconds / floor, 2), "<= 0.3 s", seconds <= 0.3))
    return rows


def bench_health(env: dict[str, str], repeat: int, label: str) -> tuple[list[Row], float]:
    """Return health's ratio to the empty-flow floor, and to an empty flow taking one parameter."""
    floor_script = str(REPO / "bench" / "floor_flow.py")
    # interleave the three commands so drift in machine load hits them alike
    runs: dict[str, list[float]] = {"floor": [], "floor+param": [], "health": []}
    rss = 0.0
    for _ in range(repeat):
        runs["floor"].append(median_run([sys.executable, floor_script], env, 1)[0])
        runs["floor+param"].append(median_run([sys.executable, floor_script, "--with-parameter"], env, 1)[0])
        seconds, peak = median_run([LIVE_OPS, "health", "--json"], env, 1)
        runs["health"].append(seconds)
        rss = max(rss, peak)
    floor, floor_param, health = (statistics.median(runs[k]) for k in ("floor", "floor+param", "health"))
    return [
        ratio_row(f"health --json ({label})", health, floor, 1.2, "<= 1.2x empty flow"),
        ratio_row(f"  same, vs empty flow with 1 parameter ({label})", health, floor_param, 1.2,
                  "(like for like)"),
    ], rss


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (median)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, skip the ephemeral-server runs")
    parser.add_argument("--out", default=str(REPO / "bench" / "results.json"))
    args = parser.parse_args(argv)
    repeat = 2 if args.quick else args.repeat

    home = tempfile.mkdtemp(prefix="live-ops-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LIVE_OPS_"))}
    env.update(PREFECT_HOME=home, PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONPATH="")
    rows: list[Row] = []
    memory: dict[str, float] = {}
    try:
        rows += bench_cli_startup(env, repeat)
        with PrefectServer(env) as server:
            served = {**env, "PREFECT_API_URL": server.api_url}
            health_rows, memory["health"] = bench_health(served, repeat, "with server")
            rows += health_rows
            rows += bench_extra(served, repeat, memory)
        if not args.quick:
            # ephemeral: every run starts its own temporary server; warm PREFECT_HOME first
            run_once([sys.executable, str(REPO / "bench" / "floor_flow.py")], env)
            ephemeral_rows, _ = bench_health(env, max(2, repeat // 2), "ephemeral")
            rows += ephemeral_rows
    finally:
        shutil.rmtree(home, ignore_errors=True)
    rows += [Row(f"peak RSS {name}", round(mb, 1), "MB") for name, mb in memory.items()]
    print_table(rows)
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "repeat": repeat,
        "rows": [asdict(r) for r in rows],
    }
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(f"\nwritten to {args.out}")
    return 0


def bench_extra(env: dict[str, str], repeat: int, memory: dict[str, float]) -> list[Row]:
    """Benchmarks of the commands beyond health (portfolio, orders, report): see bench/scenarios.py."""
    from bench.scenarios import run_scenarios

    return run_scenarios(env, repeat, memory)


def print_table(rows: list[Row]) -> None:
    headers = ("benchmark", "value", "floor", "ratio", "target", "met")
    cells = [headers] + [
        (r.name, f"{r.value:g} {r.unit}", "" if r.floor is None else f"{r.floor:g}",
         "" if r.ratio is None else f"{r.ratio:g}", r.target, "" if r.met is None else ("yes" if r.met else "NO"))
        for r in rows
    ]
    widths = [max(len(str(c[i])) for c in cells) for i in range(len(headers))]
    for i, row in enumerate(cells):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    sys.exit(main())
