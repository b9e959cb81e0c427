"""The equity ledger records the first equity of each UTC day, safely across processes."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from live_ops.errors import StateError
from live_ops.state import EquityLedger

T0 = datetime(2026, 11, 22, 0, 5, tzinfo=timezone.utc)


def test_first_snapshot_of_the_day_wins(tmp_path: Path) -> None:
    ledger = EquityLedger(tmp_path / "sub" / "state.db")
    assert ledger.start_of_day(10_000.0, "EUR", T0) == 10_000.0
    assert ledger.start_of_day(9_000.0, "EUR", T0 + timedelta(hours=5)) == 10_000.0
    assert ledger.start_of_day(9_000.0, "EUR", T0 + timedelta(days=1)) == 9_000.0


def test_utc_day_is_used_for_other_timezones(tmp_path: Path) -> None:
    ledger = EquityLedger(tmp_path / "state.db")
    late_utc = datetime(2026, 11, 22, 23, 30, tzinfo=timezone.utc)
    ledger.start_of_day(1.0, "EUR", late_utc)
    # 01:30 at UTC+2 on the 23rd is still the 22nd in UTC
    same_utc_day = datetime(2026, 11, 23, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    assert ledger.start_of_day(2.0, "EUR", same_utc_day) == 1.0


def _record(path: str, equity: float, results) -> None:
    results.put(EquityLedger(path).start_of_day(equity, "EUR", T0))


def test_concurrent_processes_agree_on_one_start_of_day(tmp_path: Path) -> None:
    path = str(tmp_path / "state.db")
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=_record, args=(path, float(i), results)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    values = {results.get(timeout=5) for _ in procs}
    assert len(values) == 1


def test_unwritable_state_path_is_a_state_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StateError, match="cannot open state database"):
        EquityLedger(blocker / "state.db").start_of_day(1.0, "EUR", T0)
