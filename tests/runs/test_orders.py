"""The order-preview step: risk on top of the portfolio, the one blocking rule, export, without Prefect."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from live_ops.orders import Signal, SignalBatch
from live_ops.risk import RiskResult, Severity, blocks, enforcing
from live_ops.runs import RunContext, export_preview, preview_orders

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)


def _batch(*rows: tuple[str, float]) -> SignalBatch:
    return SignalBatch(path="s.csv", signals=tuple(Signal(line=i + 2, symbol=s, direction=d)
                                                   for i, (s, d) in enumerate(rows)))


def _preview(path, batch, **kw):
    with RunContext(path, environ={}, clock=lambda: NOW) as ctx:
        return preview_orders(ctx, batch, name="t", created_at=NOW, **kw)


@pytest.mark.parametrize(
    ("severity", "enforce", "block_on_violation", "expected"),
    [("BREACH", False, True, True), ("BREACH", True, False, True), ("BREACH", False, False, False),
     ("WARNING", True, True, False), ("OK", True, True, False)],
)
def test_blocks_only_a_breach_with_enforcement(severity, enforce, block_on_violation, expected, write_config) -> None:
    from live_ops.config import load_config

    limits = load_config(write_config(replace={"block_on_violation = true":
                                               f"block_on_violation = {str(block_on_violation).lower()}"})).live_risk
    risk = RiskResult(allowed=severity != "BREACH", severity=Severity(severity))
    assert blocks(risk, enforced=enforcing(limits, enforce=enforce)) is expected
    assert blocks(None, enforced=True) is False


def test_breach_on_top_of_the_portfolio_blocks_and_is_not_exported(write_config, tmp_path) -> None:
    path = write_config()
    preview = _preview(path, _batch(("BTC/EUR", 1)), notional=2500.0)  # BTC 3,000 + 2,500 > 5,000
    assert preview.risk is not None and preview.risk.severity is Severity.BREACH
    assert preview.blocked and preview.enforced  # block_on_violation = true in the example config
    assert "enforced" not in preview.model_dump(mode="json")
    out = tmp_path / "orders.csv"
    assert export_preview(preview, str(out)).out_path is None and not out.exists()


def test_breach_without_enforcement_is_reported_not_blocked(write_config, tmp_path) -> None:
    path = write_config(replace={"block_on_violation = true": "block_on_violation = false"})
    preview = _preview(path, _batch(("BTC/EUR", 1)), notional=2500.0)
    assert preview.risk.severity is Severity.BREACH and not preview.blocked and not preview.enforced
    assert _preview(path, _batch(("BTC/EUR", 1)), notional=2500.0, enforce=True).blocked
    out = tmp_path / "orders.csv"
    assert export_preview(preview, str(out)).out_path == str(out) and out.exists()


def test_skipping_risk_reads_no_portfolio(write_config) -> None:
    preview = _preview(write_config(), _batch(("BTC/EUR", 1)), notional=2500.0, evaluate_risk=False)
    assert preview.risk is None and not preview.blocked and preview.num_orders == 1
