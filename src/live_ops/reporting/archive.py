"""The report archive: naming, atomic never-overwriting writes, the index page and retention.

Names are `live_status_YYYY-MM-DD_HHMM[_TAG][-N].{md,html,json}` in UTC; `-N` (2, 3, ...) is
added when a report of the same minute and tag exists, so nothing is ever overwritten. A file
appears atomically: it is written to a hidden temp file in the same directory and hard-linked to
its final name, which fails instead of replacing an existing file (a plain rename would silently
overwrite a report written by a concurrent run). The tag is validated before it is used in a
name, and every final path is checked to sit directly inside the output directory.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from live_ops.errors import UsageError

TAG_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
REPORT_NAME = re.compile(
    r"^live_status_(?P<date>\d{4}-\d{2}-\d{2})_(?P<time>\d{4})(?:_(?P<tag>[A-Za-z0-9_-]+?))?(?:-(?P<n>\d+))?"
    r"\.(?P<ext>md|html|json)$"
)
REPORT_EXTENSIONS = ("md", "html", "json")
MAX_COLLISIONS = 1000
DEFAULT_OUTPUT_DIR = "reports/live_status"


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
    fd, tmp = tempfile.mkstemp(prefix=".live_status_", suffix=".tmp", dir=directory)
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


def archive_report(output_dir: Path | str, stem: str, documents: dict[str, str], sidecar: str) -> ArchivedReport:
    """Write `documents` ({extension: text}) and the JSON `sidecar` under `stem`, adding -2, -3, ...

    Returns the archived paths. Never overwrites an existing file and never leaves a partial
    set: if a name is taken midway (a concurrent run), the files of this attempt are removed
    and the next suffix is tried.
    """
    directory = Path(output_dir)
    directory.mkdir(parents=True, exist_ok=True)
    parts = [*((ext, text) for ext, text in documents.items()), ("json", sidecar)]
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
            return ArchivedReport(stem=name, files=written[:-1], sidecar=written[-1])
        for path in written:  # lost a race: undo this attempt, ours alone
            path.unlink(missing_ok=True)
    raise UsageError(f"{directory}: more than {MAX_COLLISIONS} reports named {stem}; use another --tag")


def report_time(name: str) -> datetime | None:
    """Return the UTC minute encoded in a report file name (None if the name is not a report's)."""
    match = REPORT_NAME.match(name)
    if match is None:
        return None
    try:
        return datetime.strptime(f"{match['date']} {match['time']}", "%Y-%m-%d %H%M").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def apply_retention(output_dir: Path | str, keep_days: int, now: datetime) -> list[Path]:
    """Delete archived reports older than `keep_days`; return the deleted paths.

    Only regular files directly in `output_dir` whose names match the report pattern are ever
    touched; anything else an operator keeps there is left alone.
    """
    directory = Path(output_dir)
    if not directory.is_dir():
        return []
    cutoff = now.astimezone(timezone.utc) - timedelta(days=keep_days)
    deleted: list[Path] = []
    with os.scandir(directory) as entries:
        for entry in entries:
            when = report_time(entry.name)
            if when is not None and when < cutoff and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)
                deleted.append(Path(entry.path))
    return sorted(deleted)


@dataclass
class IndexEntry:
    """One archived report as the index lists it."""

    stem: str
    generated_at: datetime
    tag: str | None = None
    overall_status: str | None = None
    risk_severity: str | None = None
    extensions: list[str] = field(default_factory=list)


def scan_archive(output_dir: Path | str) -> list[IndexEntry]:
    """Return every archived report in `output_dir`, newest first, with the status from its sidecar."""
    directory = Path(output_dir)
    entries: dict[str, IndexEntry] = {}
    for path in directory.iterdir() if directory.is_dir() else ():
        when = report_time(path.name)
        if when is None:
            continue
        stem, ext = path.name.rsplit(".", 1)
        entry = entries.setdefault(stem, IndexEntry(stem=stem, generated_at=when))
        entry.extensions.append(ext)
        if ext == "json":
            read_summary(path, entry)
    for entry in entries.values():
        entry.extensions.sort(key=REPORT_EXTENSIONS.index)
    return sorted(entries.values(), key=lambda e: (e.generated_at, e.stem), reverse=True)


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
