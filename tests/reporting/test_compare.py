"""Compare two archived reports: deltas, positions, limits, alerts between; bad inputs are one line."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from live_ops.errors import InputError
from live_ops.exchange.gateway import Position
from live_ops.reporting import archive_report, report_stem
from live_ops.reporting.compare import AlertBetween, compare, load_report
from live_ops.reporting.compare_view import render_comparison
from tests.reporting.builders import WHEN, make_snapshot


def _position(symbol: str, size: float, price: float) -> Position:
    return Position(symbol=symbol, size=size, entry_price=price, mark_price=price, contract_size=1.0,
                    unrealized_pnl=0.0, realized_pnl=0.0)


def _archive(out: Path, write_config, positions: list[Position], hours: int) -> str:
    snapshot = make_snapshot(write_config(), positions=positions, generated_at=WHEN + timedelta(hours=hours))
    return archive_report(out, report_stem(snapshot.generated_at, "daily"), {"md": "x"}, snapshot.sidecar_json()).stem


def test_compare_positions_opened_closed_resized_and_limits(tmp_path: Path, write_config) -> None:
    before = _archive(tmp_path, write_config, [_position("BTC/EUR", 0.01, 60_000), _position("ETH/EUR", 1, 3000)], 0)
    after = _archive(tmp_path, write_config, [_position("BTC/EUR", 0.07, 60_000), _position("SOL/EUR", 2, 150)], 24)
    c = compare(load_report(before, tmp_path), load_report(str(tmp_path / f"{after}.json"), tmp_path), alerts=[])
    assert [p.symbol for p in c.positions.opened] == ["SOL/EUR"]
    assert [p.symbol for p in c.positions.closed] == ["ETH/EUR"]
    assert [(p.symbol, p.size_before, p.size_after) for p in c.positions.resized] == [("BTC/EUR", 0.01, 0.07)]
    assert c.exposure.change == pytest.approx(4_200 - 600 - 3_000 + 300)
    # BTC 4,200 EUR vs the 5,000 limit: OK -> WARNING
    assert [(lc.limit_name, lc.symbol, lc.before, lc.after) for lc in c.limits if lc.symbol == "BTC/EUR"] == [
        ("max_symbol_exposure_notional", "BTC/EUR", "OK", "WARNING")]
    assert c.headline.after == "WARNING"
    markdown = render_comparison(c, "markdown")
    assert "| opened | SOL/EUR | long | – → 2 |" in markdown and "**OK** → **WARNING**" in markdown
    html = render_comparison(c, "html")
    assert "<td>opened</td><td>SOL/EUR</td>" in html
    assert json.loads(render_comparison(c, "json"))["positions"]["opened"][0]["symbol"] == "SOL/EUR"


def test_compare_without_history_takes_alerts_from_the_after_report(tmp_path: Path, write_config) -> None:
    before = _archive(tmp_path, write_config, [], 0)
    after = _archive(tmp_path, write_config, [], 24)
    c = compare(load_report(before, tmp_path), load_report(after, tmp_path), alerts=None)
    assert c.alerts == [] and any("history was not available" in note for note in c.notes)
    with_alert = compare(load_report(before, tmp_path), load_report(after, tmp_path),
                         alerts=[AlertBetween(ts=WHEN, level="CRITICAL", source="health", code="HEALTH_FAIL",
                                              message="<b>down</b>")])
    assert "&lt;b&gt;down&lt;/b&gt;" in render_comparison(with_alert, "html")


@pytest.mark.parametrize("ref", ["live_status_2020-01-01_0000_missing", "nonsense", "x.json"])
def test_compare_missing_report_is_one_line(tmp_path: Path, ref: str) -> None:
    with pytest.raises(InputError) as caught:
        load_report(ref, tmp_path)
    assert "\n" not in str(caught.value)


def test_compare_foreign_json_is_one_line(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"hello": "world"}')
    with pytest.raises(InputError, match="not a Peak Live Ops report sidecar"):
        load_report(str(foreign), tmp_path)
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputError):
        load_report(str(tmp_path / "bin.json"), tmp_path)
