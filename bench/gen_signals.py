"""Write a forward-signals CSV of N rows for benchmarks and load tests.

    python bench/gen_signals.py ROWS OUT.csv [--symbols BTC/EUR,ETH/EUR,...] [--balanced]

Rows cycle through the symbols (default: the example config's paper symbols). `--balanced`
alternates buy and sell per symbol so the projected exposure nets out and the risk check stays
OK however many rows there are; otherwise directions follow a fixed pattern (buy, buy, sell, flat).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

DEFAULT_SYMBOLS = ("BTC/EUR", "ETH/EUR", "SOL/EUR", "XRP/EUR")
_PATTERN = (1, 1, -1, 0)


def write_signals(path: Path | str, rows: int, symbols: tuple[str, ...] = DEFAULT_SYMBOLS,
                  balanced: bool = False) -> Path:
    """Write `rows` signals to `path` with every SPEC column filled; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["symbol", "direction", "as_of", "strategy_key", "run_name", "size_hint", "comment",
                         "extra_json", "generated_at"])
        n = len(symbols)
        for i in range(rows):
            direction = (1 if (i // n) % 2 == 0 else -1) if balanced else _PATTERN[i % len(_PATTERN)]
            writer.writerow([symbols[i % n], direction, "2026-01-02", f"strat-{i % 7}", "bench", "1.0",
                             f"row {i}", '{"score": 0.5}', "2026-01-02T06:00:00Z"])
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--symbols", default=",".join(DEFAULT_SYMBOLS))
    parser.add_argument("--balanced", action="store_true")
    args = parser.parse_args()
    print(write_signals(args.out, args.rows, tuple(args.symbols.split(",")), args.balanced))


if __name__ == "__main__":
    main()
