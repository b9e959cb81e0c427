"""Forward signals: the CSV a strategy hands over, parsed into `Signal`s or one clear `InputError`.

The file has a header line; `symbol` and `direction` are required, `as_of, strategy_key,
run_name, size_hint, comment, extra_json, generated_at` are optional and travel with the order
so the operator can see where it came from. Columns are matched case-insensitively after
stripping whitespace; other columns are ignored (and listed, so a typo is visible). A UTF-8 BOM
and whitespace around values are tolerated; blank lines are skipped.

Every error names the file, the line, the column and the bad value, e.g.
`signals.csv line 7, column 2 (direction): 'buy' is not a number`. The csv module does the
splitting (C speed); the per-row work is a handful of strip() calls and one `Signal`, about
2 us a row. Values that repeat across rows (symbol, strategy, dates, numbers, `extra_json`)
are parsed and kept once, not once per row, so a 100k-row batch stays small.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from live_ops.errors import InputError
from live_ops.inputs import decode_utf8, read_bytes

REQUIRED_COLUMNS = ("symbol", "direction")
MAX_SIGNALS_BYTES = 256 << 20  # 256 MiB: ~2.5M signals; past that it is not a signals file
OPTIONAL_COLUMNS = ("as_of", "strategy_key", "run_name", "size_hint", "comment", "extra_json", "generated_at")


class Signal(NamedTuple):
    """One signal row; `line` is its line number in the file (the header is line 1).

    A named tuple rather than a frozen dataclass: just as immutable, and four times cheaper to
    build (a frozen dataclass sets each field through `object.__setattr__`), which is half the
    parse time of a 100k-row file.
    """

    line: int
    symbol: str
    direction: float
    as_of: str | None = None
    strategy_key: str | None = None
    run_name: str | None = None
    size_hint: float | None = None
    comment: str | None = None
    extra_json: str | None = None  # kept verbatim; checked to be valid JSON
    generated_at: str | None = None


@dataclass(frozen=True, slots=True, repr=False, weakref_slot=True)
class SignalBatch:
    """Every signal of one file, in file order, and the header columns that were not used."""

    path: str
    signals: tuple[Signal, ...]
    ignored_columns: tuple[str, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:
        return f"SignalBatch(path={self.path!r}, signals={len(self.signals)})"  # never 100k rows in a log

    def symbols(self) -> list[str]:
        """Return the distinct symbols of the batch, in order of first appearance."""
        return list(dict.fromkeys(s.symbol for s in self.signals))


def _where(path: Path, line: int, column: int, name: str) -> str:
    return f"{path} line {line}, column {column} ({name})"


def _number(text: str, path: Path, line: int, column: int, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{_where(path, line, column, name)}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{_where(path, line, column, name)}: {text!r} is not a finite number")
    return value


def _header(row: list[str], path: Path, line: int) -> dict[str, int]:
    """Return column name -> index for the header row; raises on duplicates and missing columns."""
    index: dict[str, int] = {}
    for i, cell in enumerate(row):
        name = cell.strip().lower()
        if not name:
            continue
        if name in index:
            raise InputError(f"{path} line {line}, column {i + 1}: duplicate column {cell.strip()!r}")
        index[name] = i
    for name in REQUIRED_COLUMNS:
        if name not in index:
            found = ", ".join(c.strip() for c in row if c.strip()) or "nothing"
            raise InputError(f"{path} line {line}: missing required column {name!r} (header has: {found})")
    return index


# (path, digest of the bytes) -> the batch parsed from them, for as long as someone holds it: the
# CLI checks the file before Prefect starts and keeps the batch, so the flow's load-signals task
# gets it back without a second parse. A changed file has another digest and is parsed again.
_parsed: weakref.WeakValueDictionary[tuple[str, bytes], SignalBatch] = weakref.WeakValueDictionary()


def load_signals(path: Path | str) -> SignalBatch:
    """Return the signals in the CSV at `path`; raises InputError naming file, line, column and value.

    A batch parsed from the same path and the same bytes that is still alive in this process is
    returned as is (batches are immutable).
    """
    path = Path(path)
    raw = read_bytes(path, what="signals file", error=InputError, max_bytes=MAX_SIGNALS_BYTES)
    key = (str(path), hashlib.blake2b(raw, digest_size=16).digest())
    batch = _parsed.get(key)
    if batch is None:
        batch = _parsed[key] = _parse(decode_utf8(raw, path, error=InputError), path)
    return batch


def _parse(text: str, path: Path) -> SignalBatch:
    if not text.strip():
        raise InputError(f"{path}: signals file is empty (expected a header with symbol, direction)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):  # leading blank lines
            header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: signals file has no header line (expected symbol, direction)") from None
    except csv.Error as exc:
        raise InputError(f"{path} line {reader.line_num}: malformed CSV ({exc})") from None
    columns = _header(header, path, reader.line_num)
    width = len(header)
    i_symbol, i_direction = columns["symbol"], columns["direction"]
    used = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}
    ignored = tuple(header[i].strip() for name, i in columns.items() if name not in used)

    # an optional column the header lacks reads the empty cell appended at index `width`
    i_as_of, i_strategy, i_run, i_size, i_comment, i_extra, i_generated = (
        columns.get(name, width) for name in OPTIONAL_COLUMNS)
    cells = width + any(name not in columns for name in OPTIONAL_COLUMNS)
    # values that repeat across rows (symbol, strategy, run, dates, extra_json) are stored once,
    # not once per row; `checked_json` holds the extra_json texts already parsed (they repeat too)
    shared: dict[str, str] = {}
    share = shared.setdefault
    checked_json: set[str] = set()
    numbers: dict[str, float] = {}  # text -> value: directions and size hints repeat as well

    signals: list[Signal] = []
    last = reader.line_num
    try:
        for row in reader:
            start, last = last + 1, reader.line_num  # a quoted field may span several lines
            if not row or (not row[0].strip() and not any(cell.strip() for cell in row)):
                continue  # a blank line, or one of empty cells (",,,"); row[0] short-circuits the usual case
            if len(row) > width:
                raise InputError(f"{path} line {start}: {len(row)} fields but the header has {width} "
                                 f"(unquoted comma? extra value {row[width].strip()!r})")
            if len(row) < cells:
                row += [""] * (cells - len(row))  # noqa: PLW2901 - trailing optional cells may be left off
            symbol = row[i_symbol].strip()
            if not symbol:
                raise InputError(f"{_where(path, start, i_symbol + 1, 'symbol')}: symbol is empty")
            raw_direction = row[i_direction].strip()
            direction = numbers.get(raw_direction)
            if direction is None:
                if not raw_direction:
                    raise InputError(f"{_where(path, start, i_direction + 1, 'direction')}: direction is empty")
                direction = numbers[raw_direction] = _number(raw_direction, path, start, i_direction + 1,
                                                             "direction")
            raw_size = row[i_size].strip()
            size_hint = numbers.get(raw_size) if raw_size else None
            if raw_size and size_hint is None:
                size_hint = numbers[raw_size] = _number(raw_size, path, start, i_size + 1, "size_hint")
            extra_json = row[i_extra].strip()
            if extra_json and extra_json not in checked_json:
                try:
                    json.loads(extra_json)
                except ValueError:
                    where = _where(path, start, i_extra + 1, "extra_json")
                    raise InputError(f"{where}: {extra_json!r} is not valid JSON") from None
                checked_json.add(extra_json)
            as_of, strategy_key = row[i_as_of].strip(), row[i_strategy].strip()
            run_name, generated_at = row[i_run].strip(), row[i_generated].strip()
            signals.append(Signal(
                start,
                share(symbol, symbol),
                direction,
                share(as_of, as_of) or None,
                share(strategy_key, strategy_key) or None,
                share(run_name, run_name) or None,
                size_hint,
                row[i_comment].strip() or None,  # free text, usually one per row: not shared
                share(extra_json, extra_json) or None,
                share(generated_at, generated_at) or None,
            ))
    except csv.Error as exc:
        raise InputError(f"{path} line {reader.line_num}: malformed CSV ({exc})") from None
    # a header with no rows is a valid "nothing to trade today", not an error
    return SignalBatch(path=str(path), signals=tuple(signals), ignored_columns=ignored)
