"""The status vocabulary: ordered families and the headline rule of SPEC §6."""

from __future__ import annotations

import pytest

from live_ops.status import CheckStatus, Headline, HealthStatus, Severity, at_or_above, headline, worst


@pytest.mark.parametrize(("health", "risk", "expected"), [
    ("FAIL", "BREACH", Headline.FAIL),
    ("FAIL", None, Headline.FAIL),
    ("OK", "BREACH", Headline.BREACH),
    ("DEGRADED", "BREACH", Headline.BREACH),
    ("DEGRADED", "WARNING", Headline.DEGRADED),
    ("DEGRADED", None, Headline.DEGRADED),
    ("OK", "WARNING", Headline.WARNING),
    (None, "WARNING", Headline.WARNING),
    ("OK", "OK", Headline.OK),
    (None, None, Headline.OK),
])
def test_headline_ranks_health_fail_over_breach_over_degraded_over_warning(health, risk, expected) -> None:
    assert headline(health, risk) is expected


def test_status_families_order_worst_last() -> None:
    assert CheckStatus.PASS < CheckStatus.WARN < CheckStatus.FAIL
    assert HealthStatus.OK < HealthStatus.DEGRADED < HealthStatus.FAIL
    assert Severity.OK < Severity.WARNING < Severity.BREACH
    assert worst([Severity.WARNING, Severity.BREACH, Severity.OK], Severity.OK) is Severity.BREACH
    assert worst([], CheckStatus.PASS) is CheckStatus.PASS


def test_status_fail_on_threshold_is_at_or_above() -> None:
    assert at_or_above(Headline.BREACH, "breach") and at_or_above("FAIL", "breach")
    assert not at_or_above(Headline.DEGRADED, "breach")
    assert not at_or_above(Headline.FAIL, None)
    assert Headline.BREACH.state_name == "Breach"
