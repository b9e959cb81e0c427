"""The report archive: naming, atomic never-overwriting writes, the index page and retention.

Names are `live_status_YYYY-MM-DD_HHMM[_TAG][-N].{md,html,json}` in UTC; `-N` (2, 3, ...) is
added when a report of the same minute and tag exists, so nothing is ever overwritten. A file
appears atomically: it is written to a hidden temp file in the same directory and hard-linked to
its final name, which fails instead of replacing an existing file (a plain rename would silently
overwrite a report written by a concurrent run). The tag is validated before it is used in a
name, and every final path is checked to sit directly inside the output directory.

Crash consistency: the JSON sidecar is linked last, so it is the proof that a report set is
complete; the index lists only sets that have one (a run killed midway leaves files the index
ignores, never a row with an unknown status). Temp files a killed run left behind are removed by
the next upkeep once they are an hour old. `OSError` is translated into `ArchiveError` here,
naming the path: this module is the archive's one seam.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from live_ops.errors import ArchiveError, UsageError
from live_ops.status import headline

TAG_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
REPORT_NAME = re.compile(
    r"^live_status_(?P<date>\d{4}-\d{2}-\d{2})_(?P<time>\d{4})(?:_(?P<tag>[A-Za-z0-9_-]+?))?(?:-(?P<n>\d+))?"
    r"\.(?P<ext>md|html|json)$"
)
REPORT_EXTENSIONS = ("md", "html", "json")
KEPT_SUFFIX = ".keep"  # `<stem>.keep` beside a report: retention never deletes it (`live-ops keep`)
MAX_COLLISIONS = 1000
DEFAULT_OUTPUT_DIR = "reports/live_status"
TEMP_PREFIX, TEMP_SUFFIX = ".live_status_", ".tmp"
STALE_TEMP_S = 3600.0  # a temp file this old belongs to no running write: a killed run left it


@contextmanager
def archive_errors(directory: Path) -> Iterator[None]:
    """Translate an OSError of archive I/O into one `ArchiveError` line naming the path."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or directory
        reason = exc.strerror or type(exc).__name__
        if isinstance(exc, FileExistsError) and not Path(where).is_dir():
            reason = "exists and is not a directory"
        raise ArchiveError(f"cannot write the report archive at {where}: {reason}") from None


def validate_tag(tag: str | None) -> str | None:
    """Return `tag` (None or empty: no tag); raise UsageError unless it is letters, digits, - and _."""
    if tag is None or tag == "":
        return None
    if not TAG_PATTERN.fullmatch(tag):
        raise UsageError(f"--tag {tag!r} is invalid: use 1-64 letters, digits, '-' or '_'")
    return tag


def artifact_key(tag: str | None) -> str:
    """Return the Prefect artifact key of a report: `live-status-<tag>` or `live-status-adhoc`."""
    slug = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "-", (validate_tag(tag) or "adhoc").lower())).strip("-")
    return f"live-status-{slug or 'adhoc'}"


def report_stem(generated_at: datetime, tag: str | None) -> str:
    """Return the base name of a report (no collision suffix, no extension), in UTC."""
    when = generated_at.astimezone(timezone.utc)
    tag = validate_tag(tag)
    return f"live_status_{when:%Y-%m-%d_%H%M}" + (f"_{tag}" if tag else "")


def output_directory(explicit: Path | str | None, configured: str | None) -> Path:
    """Return where reports go: the explicit directory, else `[reports].output_dir`, else the default."""
    if explicit is not None and str(explicit) != "":
        return Path(explicit)
    return Path(configured or DEFAULT_OUTPUT_DIR)


def _inside(directory: Path, name: str) -> Path:
    path = directory / name
    if path.resolve().parent != directory.resolve() or "/" in name or os.sep in name:
        raise UsageError(f"refusing to write {name!r} outside {directory}")
    return path


def _temp_file(directory: Path, text: str) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=directory)
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide reports from the web server or a colleague
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def publish_new(directory: Path, name: str, text: str) -> bool:
    """Make `directory/name` appear atomically with `text`; return False (and write nothing) if it exists."""
    final = _inside(directory, name)
    tmp = _temp_file(directory, text)
    try:
        os.link(tmp, final)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # a filesystem without hard links: check, then rename (atomic, but a race could overwrite)
        if final.exists():
            return False
        os.replace(tmp, final)
        return True
    finally:
        tmp.unlink(missing_ok=True)
    return True


def replace_atomically(directory: Path, name: str, text: str) -> Path:
    """Write `directory/name` with `text` atomically, replacing it if it exists; return its path."""
    final = _inside(directory, name)
    os.replace(_temp_file(directory, text), final)
    return final


@dataclass(frozen=True)
class ArchivedReport:
    """The files one report run archived."""

    stem: str
    files: list[Path]  # the reports (.md / .html) in the order written
    sidecar: Path


def archive_report(output_dir: Path | str, stem: str, documents: dict[str, str], sidecar: str,
                   kept: bool = False) -> ArchivedReport:
    """Write `documents` ({extension: text}) and the JSON `sidecar` under `stem`, adding -2, -3, ...

    Returns the archived paths. Never overwrites an existing file and never leaves a partial
    set: if a name is taken midway (a concurrent run), the files of this attempt are removed
    and the next suffix is tried. `kept` marks the report kept (retention never deletes it).
    """
    directory = Path(output_dir)
    with archive_errors(directory):
        return _archive(directory, stem, documents, sidecar, kept)


def _archive(directory: Path, stem: str, documents: dict[str, str], sidecar: str, kept: bool) -> ArchivedReport:
    directory.mkdir(parents=True, exist_ok=True)
    if not directory.is_dir():  # /dev/null and friends: mkdir(exist_ok) accepts any existing path
        raise FileExistsError(errno.EEXIST, "exists and is not a directory", str(directory))
    # the sidecar last: its presence proves the set is complete (the index lists only those)
    parts = [*((ext, text) for ext, text in documents.items() if ext != "json"), ("json", sidecar)]
    for n in range(1, MAX_COLLISIONS + 1):
        name = stem if n == 1 else f"{stem}-{n}"
        if any((directory / f"{name}.{ext}").exists() for ext in REPORT_EXTENSIONS):
            continue
        written: list[Path] = []
        for ext, text in parts:
            if not publish_new(directory, f"{name}.{ext}", text):
                break
            written.append(directory / f"{name}.{ext}")
        else:
            if kept:
                mark_kept(directory, name)
            return ArchivedReport(stem=name, files=written[:-1], sidecar=written[-1])
        for path in written:  # lost a race: undo this attempt, ours alone
            path.unlink(missing_ok=True)
    raise UsageError(f"{directory}: more than {MAX_COLLISIONS} reports named {stem}; use another --tag")


def remove_stale_temp_files(output_dir: Path | str, *, older_than_s: float = STALE_TEMP_S,
                            clock: Callable[[], float] = time.time) -> list[Path]:
    """Delete the archive's own temp files older than `older_than_s`; return what was deleted."""
    directory = Path(output_dir)
    removed: list[Path] = []
    cutoff = clock() - older_than_s
    with os.scandir(directory) as entries:
        for entry in entries:
            if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX)):
                continue
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    Path(entry.path).unlink(missing_ok=True)
                    removed.append(Path(entry.path))
            except FileNotFoundError:
                continue  # a concurrent upkeep got it first
    return sorted(removed)


def report_time(name: str) -> datetime | None:
    """Return the UTC minute encoded in a report file name (None if the name is not a report's)."""
    match = REPORT_NAME.match(name)
    if match is None:
        return None
    year, month, day = match["date"].split("-")
    hhmm = match["time"]
    try:  # the digits are matched already: the constructor validates (strptime is ~20x slower, per file listed)
        return datetime(int(year), int(month), int(day), int(hhmm[:2]), int(hhmm[2:]), tzinfo=timezone.utc)
    except ValueError:
        return None


def report_stem_of(name: str) -> str | None:
    """Return the stem of a report file or sidecar name (`live_status_..._daily`), None if not a report's."""
    if name.endswith(KEPT_SUFFIX):
        name = name[: -len(KEPT_SUFFIX)] + ".json"
    elif not name.endswith(tuple(f".{ext}" for ext in REPORT_EXTENSIONS)):
        name += ".json"
    return name.rsplit(".", 1)[0] if report_time(name) is not None else None


def is_kept(output_dir: Path | str, stem: str) -> bool:
    """Return whether the report `stem` is marked kept."""
    return (Path(output_dir) / f"{stem}{KEPT_SUFFIX}").is_file()


def mark_kept(output_dir: Path | str, stem: str, kept: bool = True) -> bool:
    """Mark (or unmark) the archived report `stem` kept; return whether its mark changed.

    Raises UsageError when no report of that name is archived in `output_dir`.
    """
    directory = Path(output_dir)
    if report_stem_of(stem) != stem or not any((directory / f"{stem}.{ext}").is_file() for ext in REPORT_EXTENSIONS):
        raise UsageError(f"{directory}: no archived report named {stem!r}")
    marker = directory / f"{stem}{KEPT_SUFFIX}"
    if kept == marker.is_file():
        return False
    if kept:
        publish_new(directory, marker.name, f"kept: retention never deletes {stem}\n")
    else:
        marker.unlink(missing_ok=True)
    return True


def apply_retention(output_dir: Path | str, keep_days: int, now: datetime) -> list[Path]:
    """Delete archived reports older than `keep_days`, except kept ones; return the deleted paths.

    Only regular files directly in `output_dir` whose names match the report pattern are ever
    touched; anything else an operator keeps there is left alone, and so is every file of a
    report marked kept (`<stem>.keep`).
    """
    directory = Path(output_dir)
    if not directory.is_dir():
        return []
    cutoff = now.astimezone(timezone.utc) - timedelta(days=keep_days)
    deleted: list[Path] = []
    with os.scandir(directory) as entries:
        names = [(entry.name, entry.path, entry.is_file(follow_symlinks=False)) for entry in entries]
    kept = {name[: -len(KEPT_SUFFIX)] for name, _, is_file in names if is_file and name.endswith(KEPT_SUFFIX)}
    for name, path, is_file in names:
        when = report_time(name)
        if when is not None and when < cutoff and is_file and name.rsplit(".", 1)[0] not in kept:
            Path(path).unlink(missing_ok=True)
            deleted.append(Path(path))
    return sorted(deleted)


@dataclass
class IndexEntry:
    """One archived report as the index lists it."""

    stem: str
    generated_at: datetime
    tag: str | None = None
    overall_status: str | None = None
    risk_severity: str | None = None
    headline_status: str | None = None
    extensions: list[str] = field(default_factory=list)
    kept: bool = False


def scan_archive(output_dir: Path | str) -> list[IndexEntry]:
    """Return every archived report in `output_dir`, newest first, with the status from its sidecar."""
    directory = Path(output_dir)
    entries: dict[str, IndexEntry] = {}
    kept: set[str] = set()
    for path in directory.iterdir() if directory.is_dir() else ():
        if path.name.endswith(KEPT_SUFFIX):
            kept.add(path.name[: -len(KEPT_SUFFIX)])
            continue
        when = report_time(path.name)
        if when is None:
            continue
        stem, ext = path.name.rsplit(".", 1)
        entry = entries.setdefault(stem, IndexEntry(stem=stem, generated_at=when))
        entry.extensions.append(ext)
        if ext == "json":
            read_summary(path, entry)
    # a set without its sidecar is incomplete (being written, or its run was killed): not listed
    complete = [e for e in entries.values() if "json" in e.extensions]
    for entry in complete:
        entry.extensions.sort(key=REPORT_EXTENSIONS.index)
        entry.kept = entry.stem in kept
    return sorted(complete, key=lambda e: (e.generated_at, e.stem), reverse=True)


def read_summary(path: Path, entry: IndexEntry) -> None:
    """Fill `entry`'s time, tag and statuses from the report's JSON sidecar at `path` (a damaged one: left as is)."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8")).get("summary", {})
        entry.generated_at = datetime.fromisoformat(summary["generated_at"]).astimezone(timezone.utc)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # a damaged sidecar still lists the report, by its name, with an unknown status
    entry.tag = summary.get("tag")
    entry.overall_status = summary.get("overall_status")
    entry.risk_severity = summary.get("risk_severity")
    # sidecars from before the headline existed: derive it from the two statuses they do carry
    entry.headline_status = summary.get("headline_status") or _derived_headline(entry)


def _derived_headline(entry: IndexEntry) -> str | None:
    if entry.overall_status is None:
        return None
    try:
        return headline(entry.overall_status, entry.risk_severity).value
    except ValueError:
        return None
