"""Plain helpers for the alert tests (the fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import datetime, timezone

from live_ops.alerts import AlertEvent, AlertLevel

T0 = datetime(2025, 3, 3, 7, 0, tzinfo=timezone.utc)
SECRET_TOKENS = ("T0SECRET", "B0SECRET", "tok3n-SECRET-xyz", "SECRET-QUERY")
SECRET_PATH = "/services/T0SECRET/B0SECRET/tok3n-SECRET-xyz?token=SECRET-QUERY"


class Sleeps(list):
    """A sleep that records what it was asked to wait and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_event(level: AlertLevel = AlertLevel.WARNING, *, code: str = "RISK_LIMIT_WARNING_PORTFOLIO",
               subject: str = "max_symbol_exposure_notional:BTC/EUR", ts: datetime = T0, source: str = "portfolio",
               message: str = "portfolio risk WARNING: BTC/EUR exposure 4,200.00 EUR is at 84% of the limit",
               recovers: AlertLevel | None = None, **context) -> AlertEvent:
    """Return an event with sensible defaults (a BTC/EUR exposure WARNING at T0)."""
    return AlertEvent(ts=ts, level=level, source=source, code=code, subject=subject, message=message,
                      recovers=recovers,
                      context=context or {"limit": 5000.0, "value": 4200.0, "ratio": 0.84, "symbol": "BTC/EUR"})


def assert_no_secret(text: str) -> None:
    """Fail if any part of a secret URL path or query shows in `text`."""
    for token in SECRET_TOKENS:
        assert token not in text, f"secret {token!r} leaked"
