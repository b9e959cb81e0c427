"""The archive's `index.html`: every report newest first, and the health trend at a glance.

Rebuilt from the files on disk on every run (after retention), so it can never disagree with
the archive for long, and replaced atomically so a browser never sees half a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no lock, the next run repairs a stale index
    fcntl = None  # type: ignore[assignment]

from live_ops.display import ADHOC_TAG, tone
from live_ops.reporting.archive import (
    IndexEntry,
    apply_retention,
    archive_errors,
    remove_stale_temp_files,
    replace_atomically,
    scan_archive,
)
from live_ops.reporting.render import render_template

INDEX_NAME = "index.html"
LOCK_NAME = ".index.lock"
TREND_LENGTH = 30
_KIND = {"html": "HTML", "md": "Markdown", "json": "data"}


@dataclass(frozen=True)
class _Link:
    href: str
    kind: str


@dataclass(frozen=True)
class _Row:
    when: str
    tag: str
    headline: str
    headline_tone: str
    status: str
    tone: str
    risk: str | None
    risk_tone: str
    files: list[_Link]
    kept: bool = False


@dataclass(frozen=True)
class _Tick:
    when: str
    status: str
    tone: str


def render_index(entries: list[IndexEntry], rebuilt_at: datetime) -> str:
    """Return the index page of `entries` (newest first): a trend of the last 30 and a table."""
    rows = [
        _Row(
            when=f"{e.generated_at:%Y-%m-%d %H:%M}",
            tag=e.tag or ADHOC_TAG,
            headline=e.headline_status or "unknown",
            headline_tone=tone(e.headline_status),
            status=e.overall_status or "unknown",
            tone=tone(e.overall_status),
            risk=e.risk_severity,
            risk_tone=tone(e.risk_severity),
            files=[_Link(f"{e.stem}.{ext}", _KIND[ext]) for ext in e.extensions],
            kept=e.kept,
        )
        for e in entries
    ]
    trend = [_Tick(r.when, r.headline, r.headline_tone) for r in reversed(rows[:TREND_LENGTH])]
    return render_template("index.html.j2", entries=rows, trend=trend,
                           rebuilt_at=f"{rebuilt_at.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S} UTC")


@dataclass(frozen=True)
class Maintenance:
    """What the archive upkeep did: the reports retention deleted and the rebuilt index."""

    deleted: list[Path]
    index: Path
    reports: int


@contextmanager
def _archive_lock(directory: Path) -> Iterator[None]:
    # the daily and weekly runs fire in the same minute every Monday: without the lock the run that
    # scanned first could replace the index last and leave the other report out of it
    if fcntl is None:
        yield
        return
    with (directory / LOCK_NAME).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def maintain_archive(output_dir: Path | str, keep_days: int | None, now: datetime) -> Maintenance:
    """Delete reports older than `keep_days` (None: keep all), rebuild `index.html`; return what was done."""
    directory = Path(output_dir)
    with archive_errors(directory):
        directory.mkdir(parents=True, exist_ok=True)
        with _archive_lock(directory):
            deleted = apply_retention(directory, keep_days, now) if keep_days is not None else []
            deleted += remove_stale_temp_files(directory)
            entries = scan_archive(directory)
            index = replace_atomically(directory, INDEX_NAME, render_index(entries, now))
    return Maintenance(deleted=deleted, index=index, reports=len(entries))
