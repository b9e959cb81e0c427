"""Kept reports: the mark, retention leaving them alone, the index showing them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from live_ops.errors import UsageError
from live_ops.reporting import archive_report, maintain_archive
from live_ops.reporting.archive import is_kept, mark_kept, report_stem_of

OLD = "live_status_2026-01-01_0700_daily"
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)


def _report(out: Path, stem: str, kept: bool = False) -> str:
    return archive_report(out, stem, {"md": "# r", "html": "<p>r</p>"}, '{"summary": {}}', kept=kept).stem


def test_report_stem_of_names_and_files() -> None:
    assert report_stem_of(OLD) == OLD
    assert report_stem_of(f"{OLD}.html") == OLD and report_stem_of(f"{OLD}.keep") == OLD
    assert report_stem_of("index.html") is None and report_stem_of("live_status_x") is None


def test_retention_never_deletes_a_kept_report(tmp_path: Path) -> None:
    kept = _report(tmp_path, OLD, kept=True)
    plain = _report(tmp_path, "live_status_2026-01-02_0700_daily")
    fresh = _report(tmp_path, "live_status_2026-11-22_0700_daily")
    done = maintain_archive(tmp_path, 30, NOW)
    assert sorted(p.name for p in done.deleted) == [f"{plain}.{ext}" for ext in ("html", "json", "md")]
    assert all((tmp_path / f"{stem}.{ext}").exists() for stem in (kept, fresh) for ext in ("md", "html", "json"))
    index = (tmp_path / "index.html").read_text()
    assert index.count(">kept</span>") == 1


def test_mark_and_undo_then_retention_applies(tmp_path: Path) -> None:
    stem = _report(tmp_path, OLD)
    assert mark_kept(tmp_path, stem) is True and is_kept(tmp_path, stem)
    assert mark_kept(tmp_path, stem) is False  # already kept
    assert maintain_archive(tmp_path, 30, NOW).deleted == []
    assert mark_kept(tmp_path, stem, kept=False) is True and not is_kept(tmp_path, stem)
    assert len(maintain_archive(tmp_path, 30, NOW + timedelta(days=1)).deleted) == 3


def test_mark_of_an_unknown_report_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no archived report named"):
        mark_kept(tmp_path, OLD)
    with pytest.raises(UsageError):
        mark_kept(tmp_path, "../../etc/passwd")
