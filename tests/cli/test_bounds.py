"""Findings 2, 5 and 6 re-run as written, end to end: a usage error (exit 2) or one line, never a traceback."""

from __future__ import annotations

import json
import time

import pytest

from tests.cli.console import live_ops
from tests.conftest import EXAMPLE_CONFIG


@pytest.mark.parametrize("argv", [
    ("alerts", "--since", "99999999999999w"),
    ("alerts", "--since", "10000000d"),
    ("alerts", "--limit", "99999999999999999999"),
    ("alerts", "--limit", "0"),
    ("portfolio", "--starting-cash", "nan"),
    ("portfolio", "--starting-cash", "inf"),
    ("portfolio", "--starting-cash", "-100"),
    ("orders", "--signals", "x.csv", "--notional", "nan"),
])
def test_overflowing_or_non_finite_flag_is_usage_error_exit_2(argv) -> None:
    result = live_ops(*argv, "--config", str(EXAMPLE_CONFIG), "--json")
    assert result.returncode == 2, result.stderr
    assert set(json.loads(result.stdout)) == {"error"}
    assert "Traceback" not in result.stderr


def test_config_from_dev_zero_ends_promptly_with_one_line() -> None:
    started = time.monotonic()
    result = live_ops("portfolio", "--config", "/dev/zero", "--json")
    assert result.returncode == 1
    assert "larger than 1 MiB" in json.loads(result.stdout)["error"]
    assert "Traceback" not in result.stderr and time.monotonic() - started < 20


def test_keep_days_overflow_is_config_error_not_upkeep_traceback(write_config) -> None:
    path = write_config(replace={"keep_days = 90": "keep_days = 99999999999"})
    result = live_ops("report", "--config", str(path), "--json")
    assert result.returncode == 1
    assert "reports.keep_days" in json.loads(result.stdout)["error"]
    assert "Traceback" not in result.stderr
