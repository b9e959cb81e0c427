"""Reading the operator's input files (config, signals) with one-line errors that name the file.

Both files are UTF-8 text as spreadsheets and editors write it: a BOM is dropped; a byte that is
not UTF-8 is reported with its line.
"""

from __future__ import annotations

from pathlib import Path

from live_ops.errors import LiveOpsError


def read_bytes(path: Path, *, what: str, error: type[LiveOpsError], max_bytes: int | None = None) -> bytes:
    """Return the bytes of `path`; raises `error` ("<path>: <what> not found", ...) when it cannot.

    With `max_bytes`, a file larger than that is an error too, found after reading at most
    `max_bytes + 1` bytes: `/dev/zero` or a runaway file ends promptly instead of filling memory.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise error(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory, not a {what}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror})") from None
    if max_bytes is not None and len(raw) > max_bytes:
        raise error(f"{path}: {what} is larger than {format_size(max_bytes)}: refused")
    return raw


def read_prefix(path: Path, max_bytes: int) -> tuple[bytes, bool]:
    """Return at most `max_bytes` of `path` and whether there was more (raises OSError as open() does)."""
    with path.open("rb") as handle:
        raw = handle.read(max_bytes + 1)
    return raw[:max_bytes], len(raw) > max_bytes


def format_size(size: int) -> str:
    """Return `size` bytes as text: 1 MiB, 64 KiB, 512 bytes."""
    for unit, factor in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def decode_utf8(raw: bytes, path: Path, *, error: type[LiveOpsError]) -> str:
    """Return `raw` as text without a leading BOM; raises `error` naming the line of a non-UTF-8 byte."""
    try:
        return raw.decode("utf-8-sig")  # utf-8-sig drops the BOM that spreadsheet exports add
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"{path} line {line}: not UTF-8 text (byte {exc.start})") from None
