"""`--out`: the previewed orders as CSV for downstream execution tooling, written atomically.

The file is written to a temporary sibling, flushed to disk and renamed over the target, so a
reader polling for it never sees a half-written file. Numbers are written in plain decimal
notation (never `1e-05`), exactly as the preview holds them.

Text cells come from the signals file (comment, strategy_key, ...), which anyone may have
written: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed
with `'` (the OWASP CSV-injection rule), so a spreadsheet shows it instead of running it as a
formula. Numbers are never touched.
"""

from __future__ import annotations

import csv
import os
import tempfile
from decimal import Decimal
from operator import attrgetter
from pathlib import Path

from live_ops.errors import InputError
from live_ops.orders.preview import OrderPreview

COLUMNS = (
    "preview_name", "client_order_id", "symbol", "side", "order_type", "quantity", "price", "notional", "row",
    "as_of", "strategy_key", "run_name", "size_hint", "comment", "extra_json", "generated_at",
)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Return `text` with a leading `'` when a spreadsheet would read it as a formula (OWASP)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def plain(value: float) -> str:
    """Return `value` in plain decimal notation with no exponent and no trailing zeros (1e-05 -> 0.00001)."""
    return format(Decimal(repr(value)).normalize(), "f")


class _Cells:
    """Formats cells; a float's text is computed once per value (a batch's orders share a few prices)."""

    def __init__(self) -> None:
        self._floats: dict[float, str] = {}

    def __call__(self, value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            if not value:  # 0.0 == -0.0 as dict keys, but they print differently
                return plain(value)
            text = self._floats.get(value)
            if text is None:
                text = self._floats[value] = plain(value)
            return text
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return str(value)
        return neutralise(str(value))


def write_orders_csv(preview: OrderPreview, path: Path | str) -> Path:
    """Write `preview`'s orders to `path` (replacing it atomically); return the path written."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the orders CSV ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            values, cell, name = attrgetter(*COLUMNS[1:]), _Cells(), neutralise(preview.preview_name)
            writer.writerows([name, *map(cell, values(order))] for order in preview.orders)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the file is for other tools to read
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write the orders CSV ({exc.strerror})") from None
    return path
