"""The installed `live-ops` console script, run the way an operator runs it (a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

LIVE_OPS = Path(sys.executable).with_name("live-ops")


def live_ops(*args: str, api_url: str | None = None, cwd: Path = REPO, env: dict[str, str] | None = None):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LIVE_OPS_")}
    environ.pop("PYTHONPATH", None)  # the installed package, not the working tree
    if api_url:
        environ["PREFECT_API_URL"] = api_url
    environ.update(env or {})
    return subprocess.run([str(LIVE_OPS), *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=180)
