"""The one clock of Peak Live Ops: now in UTC, or the simulated instant of `LIVE_OPS_AS_OF`.

`LIVE_OPS_AS_OF=2026-11-23T07:00:00Z` makes every run stamp its health run, snapshot, preview,
report name and history record with that instant, so a week of runs can be replayed in minutes
(drills, tests, demos). Unset, it is the wall clock. Read here and nowhere else.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from live_ops.errors import ConfigError

AS_OF_ENV = "LIVE_OPS_AS_OF"


def now() -> datetime:
    """Return the current instant, aware UTC (the simulated one when LIVE_OPS_AS_OF is set)."""
    raw = os.environ.get(AS_OF_ENV, "").strip()
    if not raw:
        return datetime.now(timezone.utc)
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"{AS_OF_ENV}: {raw!r} is not an ISO-8601 time (e.g. 2026-11-23T07:00:00Z)") from None
    if value.tzinfo is None:
        raise ConfigError(f"{AS_OF_ENV}: {raw!r} has no UTC offset (add Z or +00:00)")
    return value.astimezone(timezone.utc)
