"""The HTML report and the archive index in a real browser, at a wall screen's and a phone's width (slow).

Headless Debian chromium driven by Playwright. Screenshots land in the test's tmp dir (and in
$SCREENSHOTS_DIR when set, to look at them). What is asserted is what an operator must see
at either width: the headline first, and each limit's severity on screen, not scrolled away.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from live_ops.reporting import archive_report, maintain_archive, render_report, report_stem
from tests.fakes.browser import chromium
from tests.reporting.builders import WHEN, make_snapshot

WIDTHS = (1400, 390)
BREACH = {"max_symbol_exposure_notional = 5000.0": "max_symbol_exposure_notional = 2000.0"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from chromium()


@pytest.fixture
def breached_archive(write_config, tmp_path: Path) -> tuple[Path, Path]:
    """An archive holding one report of a desk with health OK and one limit breached; (report, index)."""
    snapshot = make_snapshot(write_config(replace=BREACH))
    assert snapshot.headline.value == "BREACH"
    rendered = render_report(snapshot, "both")
    archive = tmp_path / "archive"
    archived = archive_report(archive, report_stem(snapshot.generated_at, snapshot.tag), rendered.documents("both"),
                              snapshot.sidecar_json())
    done = maintain_archive(archive, None, WHEN)
    html = next(path for path in archived.files if path.suffix == ".html")
    return html, done.index


def _shoot(page: object, name: str, tmp_path: Path) -> None:
    for folder in filter(None, (tmp_path, os.environ.get("SCREENSHOTS_DIR"))):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", WIDTHS)
def test_report_says_breach_first_and_keeps_severity_on_screen(browser, breached_archive, tmp_path: Path,
                                                               width: int) -> None:
    report, _ = breached_archive
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(report.as_uri())
        _shoot(page, f"report-{width}.png", tmp_path)
        headline = page.locator("#headline")
        assert headline.inner_text().startswith("BREACH")
        first_banner = page.locator(".banner").first
        assert first_banner.get_attribute("id") == "headline"  # the headline leads, above everything else
        breached = page.locator("tr.flagged").filter(has_text="BREACH").first
        cell = breached.locator("td").first
        assert cell.inner_text().strip() == "BREACH"
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_index_colours_the_report_by_its_headline(browser, breached_archive, tmp_path: Path, width: int) -> None:
    _, index = breached_archive
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(index.as_uri())
        _shoot(page, f"index-{width}.png", tmp_path)
        row = page.locator("tr", has_text="BREACH").first
        assert row.count() == 1
        box = row.locator("text=BREACH").first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, (width, box)
    finally:
        page.close()
