"""What an operator sees in a real browser: headless Debian chromium driven by Playwright (slow).

The page is served by uvicorn on 127.0.0.1 from a desk recorded by real runs; a breach recorded
by a later run must show, in red, within one refresh of the page, without touching the browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from tests.dashboard.conftest import BREACH_CONFIG, Desk, serving
from tests.fakes.browser import chromium

REFRESH_S = 2
RED = "rgb(207, 34, 46)"  # --bad

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from chromium()


def test_breach_shows_in_red_within_one_refresh(browser, write_config) -> None:
    calm = Desk(write_config())
    calm.record_run(datetime.now(timezone.utc).replace(hour=0, minute=1))
    calm.record_run(datetime.now(timezone.utc))
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone first
    page.on("request", lambda request: requests.append(request.url))
    with serving(calm.reader().read, calm.archive, refresh_seconds=REFRESH_S) as base:
        page.goto(base + "/")
        assert page.inner_text("#headline") == "OK"
        assert page.locator(".limit.bad").count() == 0
        assert page.locator("#positions td", has_text="BTC/EUR").first.is_visible()
        assert page.locator("#curves polyline").count() == 2
        assert page.locator("#curves polyline").first.get_attribute("points").count(",") >= 2
        box = page.locator("#curves svg").first.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 40  # drawn, at phone width

        # a later run, with a tighter limit, finds a breach; the open page is not touched
        found_it = Desk(write_config(replace=BREACH_CONFIG, name="breach.toml"))
        found_it.record_run(datetime.now(timezone.utc))
        breached = page.locator('.limit.bad[data-severity="BREACH"]').first
        breached.wait_for(state="visible", timeout=(REFRESH_S + 5) * 1000)  # one refresh, and time to render
        assert page.inner_text("#headline") == "BREACH"
        label = breached.locator(".label")
        assert "max_symbol_exposure_notional · BTC/EUR" in label.inner_text()
        assert label.evaluate("e => getComputedStyle(e).color") == RED
        assert breached.locator(".fill").evaluate("e => getComputedStyle(e).backgroundColor") == RED
        assert page.locator("#headline").evaluate("e => getComputedStyle(e).color") == RED

        page.set_viewport_size({"width": 3840, "height": 2160})  # the wall screen
        assert page.locator("#headline").bounding_box()["height"] > 40
    assert requests and all(url.startswith(base) for url in requests), requests
