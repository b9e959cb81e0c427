"""Reading the operator's input files (config, signals) with one-line errors that name the file.

Both files are UTF-8 text as spreadsheets and editors write it: a BOM is dropped; a byte that is
not UTF-8 is reported with its line.
"""

from __future__ import annotations

from pathlib import Path

from live_ops.errors import LiveOpsError


def read_bytes(path: Path, *, what: str, error: type[LiveOpsError]) -> bytes:
    """Return the bytes of `path`; raises `error` ("<path>: <what> not found", ...) when it cannot."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory, not a {what}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror})") from None


def decode_utf8(raw: bytes, path: Path, *, error: type[LiveOpsError]) -> str:
    """Return `raw` as text without a leading BOM; raises `error` naming the line of a non-UTF-8 byte."""
    try:
        return raw.decode("utf-8-sig")  # utf-8-sig drops the BOM that spreadsheet exports add
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"{path} line {line}: not UTF-8 text (byte {exc.start})") from None
