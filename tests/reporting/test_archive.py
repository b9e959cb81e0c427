"""The archive: names, collisions, atomic never-overwriting writes, tags, retention and the index."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from live_ops.errors import UsageError
from live_ops.reporting import apply_retention, archive_report, artifact_key, maintain_archive, report_stem
from live_ops.reporting.archive import publish_new, report_time, scan_archive, validate_tag
from live_ops.reporting.index import TREND_LENGTH
from tests.reporting.builders import WHEN, make_snapshot

NOW = datetime(2024, 5, 6, 7, 0, tzinfo=timezone.utc)


def _sidecar(when: datetime, status: str = "OK", tag: str | None = None) -> str:
    return json.dumps({"summary": {"generated_at": when.isoformat(), "tag": tag, "overall_status": status,
                                   "risk_severity": "OK"}})


def _visible(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_report_stem_is_utc_minute_and_tag() -> None:
    cest = timezone(timedelta(hours=2))
    assert report_stem(datetime(2024, 5, 6, 9, 5, 59, tzinfo=cest), "weekly") == "live_status_2024-05-06_0705_weekly"
    assert report_stem(NOW, None) == "live_status_2024-05-06_0700"


@pytest.mark.parametrize("tag", ["../etc", "a/b", "a b", "dä", "x.md", "a\nb", "x" * 65, "..", "/abs"])
def test_validate_tag_rejects_anything_but_letters_digits_dash_underscore(tag: str) -> None:
    with pytest.raises(UsageError, match="--tag"):
        validate_tag(tag)


def test_validate_tag_accepts_the_allowed_alphabet() -> None:
    assert validate_tag("Daily_run-2") == "Daily_run-2" and validate_tag("") is None and validate_tag(None) is None


def test_archive_report_writes_documents_and_sidecar(tmp_path: Path) -> None:
    out = tmp_path / "new" / "dir"
    archived = archive_report(out, "live_status_2024-05-06_0700_daily", {"md": "# md", "html": "<p>h</p>"}, "{}")
    assert [p.name for p in archived.files] == ["live_status_2024-05-06_0700_daily.md",
                                                "live_status_2024-05-06_0700_daily.html"]
    assert archived.sidecar.name == "live_status_2024-05-06_0700_daily.json"
    assert (out / "live_status_2024-05-06_0700_daily.md").read_text() == "# md"
    assert _visible(out) == sorted(p.name for p in [*archived.files, archived.sidecar])  # no temp file left


def test_archive_report_never_overwrites_it_adds_a_suffix(tmp_path: Path) -> None:
    stem = "live_status_2024-05-06_0700_daily"
    (tmp_path / f"{stem}.md").write_text("first")
    second = archive_report(tmp_path, stem, {"md": "second"}, "{}")
    third = archive_report(tmp_path, stem, {"html": "third"}, "{}")  # an html of the same minute is also new
    assert second.stem == f"{stem}-2" and third.stem == f"{stem}-3"
    assert (tmp_path / f"{stem}.md").read_text() == "first"
    assert (tmp_path / f"{stem}-2.md").read_text() == "second"


def test_publish_new_refuses_an_existing_file_and_leaves_it_intact(tmp_path: Path) -> None:
    (tmp_path / "taken.md").write_text("original")
    assert publish_new(tmp_path, "taken.md", "replacement") is False
    assert (tmp_path / "taken.md").read_text() == "original" and _visible(tmp_path) == ["taken.md"]


def test_publish_new_cannot_write_outside_the_directory(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    for name in ("../escape.md", "sub/x.md", "/tmp/x.md"):
        with pytest.raises(UsageError, match="outside"):
            publish_new(tmp_path / "out", name, "x")
    assert _visible(tmp_path) == ["out"]


def test_archive_report_concurrent_runs_get_distinct_complete_files(tmp_path: Path) -> None:
    stem, runs = "live_status_2024-05-06_0700_daily", 12
    barrier = threading.Barrier(runs)
    results: list = [None] * runs

    def run(i: int) -> None:
        barrier.wait()
        results[i] = archive_report(tmp_path, stem, {"md": f"report {i}\n" * 2000}, json.dumps({"run": i}))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    stems = [r.stem for r in results]
    assert sorted(stems) == sorted([stem] + [f"{stem}-{n}" for n in range(2, runs + 1)])
    for i, archived in enumerate(results):  # each run's md and sidecar belong together, complete
        assert archived.files[0].read_text() == f"report {i}\n" * 2000
        assert json.loads(archived.sidecar.read_text()) == {"run": i}
    assert not [n for n in _visible(tmp_path) if n.endswith(".tmp")]


def test_report_time_parses_only_report_names() -> None:
    assert report_time("live_status_2024-05-06_0700_daily-2.html") == NOW
    assert report_time("live_status_2024-05-06_0700.json") == NOW
    for name in ("index.html", "live_status_2024-05-06_0700.txt", "xlive_status_2024-05-06_0700.md",
                 "live_status_2024-13-06_0700.md", "live_status_2024-05-06_0700_a b.md", ".live_status_x.tmp"):
        assert report_time(name) is None


def test_apply_retention_deletes_only_old_report_files(tmp_path: Path) -> None:
    old = ["live_status_2024-01-01_0700_daily.md", "live_status_2024-01-01_0700_daily.json",
           "live_status_2024-02-05_0659-2.html"]
    kept = ["live_status_2024-02-06_0701.md", "live_status_2024-05-06_0700_weekly.html",
            "notes.md", "index.html", "live_status_2020-01-01_0000.txt", "live_status_old.md"]
    for name in old + kept:
        (tmp_path / name).write_text(name)
    (tmp_path / "live_status_2020-01-01_0000.md").mkdir()  # a directory with a report name is not a report
    deleted = apply_retention(tmp_path, keep_days=91, now=NOW)
    assert sorted(p.name for p in deleted) == sorted(old)
    assert _visible(tmp_path) == sorted([*kept, "live_status_2020-01-01_0000.md"])


def test_maintain_archive_index_lists_reports_newest_first_with_status_and_links(tmp_path: Path) -> None:
    for minutes, status in ((0, "OK"), (10, "FAIL"), (20, "DEGRADED")):
        when = NOW + timedelta(minutes=minutes)
        stem = report_stem(when, "daily")
        (tmp_path / f"{stem}.md").write_text("x")
        (tmp_path / f"{stem}.json").write_text(_sidecar(when, status, "daily"))
    (tmp_path / "live_status_2024-05-06_0800.json").write_text("{not json")  # damaged: listed, status unknown
    (tmp_path / "live_status_2024-05-06_0800.html").write_text("<p>x</p>")
    done = maintain_archive(tmp_path, keep_days=90, now=NOW)
    html = done.index.read_text()
    assert done.reports == 4 and done.deleted == []
    table = html[html.index("<table>"):]
    order = [table.index(s) for s in ("2024-05-06 08:00", "2024-05-06 07:20", "2024-05-06 07:10", "2024-05-06 07:00")]
    assert order == sorted(order)
    assert 'href="live_status_2024-05-06_0720_daily.md"' in html and 'href="live_status_2024-05-06_0800.html"' in html
    assert 'class="pill bad">FAIL' in html and 'class="pill warn">DEGRADED' in html and ">unknown<" in html
    assert not [n for n in _visible(tmp_path) if n.endswith(".tmp")]


def test_maintain_archive_trend_shows_the_last_30_statuses_oldest_first(tmp_path: Path) -> None:
    for i in range(35):
        when = NOW + timedelta(minutes=i)
        (tmp_path / f"{report_stem(when, None)}.json").write_text(_sidecar(when, "FAIL" if i == 34 else "OK"))
    html = maintain_archive(tmp_path, keep_days=90, now=NOW).index.read_text()
    trend = html[html.index('<div class="trend"'):]
    trend = trend[:trend.index("</div>")]
    assert trend.count("<span") == TREND_LENGTH
    assert 'title="2024-05-06 07:05: OK"' in trend and "07:04" not in trend  # the oldest five drop out
    assert trend.rstrip().endswith('<span class="bad" title="2024-05-06 07:34: FAIL"></span>')


def test_maintain_archive_retention_runs_before_the_index(tmp_path: Path) -> None:
    (tmp_path / "live_status_2023-01-01_0700.md").write_text("old")
    done = maintain_archive(tmp_path, keep_days=30, now=NOW)
    assert [p.name for p in done.deleted] == ["live_status_2023-01-01_0700.md"]
    assert "live_status_2023-01-01_0700" not in done.index.read_text() and done.reports == 0


def test_snapshot_sidecar_round_trips_through_the_index(write_config, tmp_path: Path) -> None:
    snapshot = make_snapshot(write_config(), tag="weekly")
    archive_report(tmp_path, report_stem(snapshot.generated_at, snapshot.tag), {"md": "x"}, snapshot.sidecar_json())
    [entry] = scan_archive(tmp_path)
    assert (entry.tag, entry.overall_status, entry.risk_severity) == ("weekly", "OK", "OK")
    assert entry.generated_at == WHEN
    data = json.loads((tmp_path / f"{entry.stem}.json").read_text())
    assert data["snapshot"]["portfolio"]["positions"][0]["symbol"] == "BTC/EUR"


@pytest.mark.parametrize("tag, key", [(None, "live-status-adhoc"), ("daily", "live-status-daily"),
                                      ("Weekly_EU", "live-status-weekly-eu"), ("__", "live-status-adhoc")])
def test_artifact_key_is_lowercase_letters_digits_dashes(tag: str | None, key: str) -> None:
    assert artifact_key(tag) == key


def test_maintain_archive_concurrent_runs_leave_an_index_listing_every_report(tmp_path: Path) -> None:
    runs = 8
    barrier = threading.Barrier(runs)

    def run(i: int) -> None:
        when = NOW + timedelta(minutes=i)
        barrier.wait()
        archive_report(tmp_path, report_stem(when, "daily" if i % 2 else "weekly"), {"md": "x"}, _sidecar(when))
        maintain_archive(tmp_path, keep_days=90, now=NOW)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    html = (tmp_path / "index.html").read_text()
    assert all(f"2024-05-06 07:0{i}" in html[html.index("<table>"):] for i in range(runs))


# finding 4 of the hardening campaign: kill -9 during the archive write


def test_killed_archive_write_leaves_no_half_set_in_the_index(tmp_path: Path) -> None:
    from live_ops.reporting import maintain_archive

    # what a run killed between the .md and the sidecar leaves behind
    (tmp_path / "live_status_2026-11-23_0700_daily.md").write_text("# half a set")
    (tmp_path / "live_status_2026-11-23_0700_daily.html").write_text("<p>half a set</p>")
    done = maintain_archive(tmp_path, None, datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc))
    assert done.reports == 0 and "unknown" not in done.index.read_text()


def test_stale_temp_files_of_a_killed_run_are_removed_by_next_upkeep(tmp_path: Path) -> None:
    import os
    import time

    from live_ops.reporting import maintain_archive

    stale, fresh = tmp_path / ".live_status_abc.tmp", tmp_path / ".live_status_def.tmp"
    stale.write_text("x" * 1000)
    fresh.write_text("being written right now")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    (tmp_path / ".keep_me.tmp").write_text("not ours")
    os.utime(tmp_path / ".keep_me.tmp", (two_hours_ago, two_hours_ago))
    maintain_archive(tmp_path, None, datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc))
    assert not stale.exists() and fresh.exists() and (tmp_path / ".keep_me.tmp").exists()


def test_output_dir_that_is_a_file_is_archive_error_naming_the_path(tmp_path: Path) -> None:
    from live_ops.errors import ArchiveError
    from live_ops.reporting.archive import archive_report

    target = tmp_path / "a_file"
    target.write_text("x")
    with pytest.raises(ArchiveError, match=f"cannot write the report archive at {target}: exists and is not a dir"):
        archive_report(target, "live_status_2026-11-23_0700", {"md": "#"}, "{}")
    with pytest.raises(ArchiveError, match="a_file/sub"):
        archive_report(target / "sub", "live_status_2026-11-23_0700", {"md": "#"}, "{}")


@pytest.mark.parametrize("where", ["/proc/1/reports", "/dev/null"])
def test_unwritable_output_dir_is_archive_error_not_oserror(where: str) -> None:
    from live_ops.errors import ArchiveError
    from live_ops.reporting.archive import archive_report

    with pytest.raises(ArchiveError, match="cannot write the report archive at /"):
        archive_report(Path(where), "live_status_2026-11-23_0700", {"md": "#"}, "{}")
