"""The guard rails as checks: import contracts, ruff and mypy, run by the README's test command.

The contracts live in `pyproject.toml` (`[tool.importlinter]`). `live_ops.flows`/`.tasks`/`.deployments`
are mapped in from top-level folders, which an import graph of the editable install cannot see, so the
contracts are checked on a copy laid out as `pip install .` lays it out.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MAPPED = ("flows", "tasks", "deployments")
NOT_CORE = {"cli", *MAPPED}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed next to {sys.executable}: pip install -e '.[test]'")
    return str(path)


def _run(*argv: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def installed_layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`live_ops` as the wheel installs it: src/live_ops with the mapped folders inside."""
    site = tmp_path_factory.mktemp("layout")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "src" / "live_ops", site / "live_ops", ignore=ignore)
    for folder in MAPPED:
        shutil.copytree(ROOT / folder, site / "live_ops" / folder, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", site / "pyproject.toml")
    return site


def test_import_contracts_are_kept(installed_layout: Path) -> None:
    env = {"PATH": str(BIN), "PYTHONPATH": str(installed_layout), "HOME": str(installed_layout)}
    result = _run(_tool("lint-imports"), "pyproject.toml", cwd=installed_layout, env=env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_core_contract_names_every_core_module() -> None:
    """A new core module is covered by "the core never imports Prefect" the day it is added."""
    contracts = _pyproject()["tool"]["importlinter"]["contracts"]
    core = next(c for c in contracts if c["name"].startswith("The core never imports Prefect"))
    listed = {name.removeprefix("live_ops.") for name in core["source_modules"]}
    package = ROOT / "src" / "live_ops"
    present = {
        entry.stem if entry.suffix == ".py" else entry.name
        for entry in package.iterdir()
        if (entry.suffix == ".py" and entry.name != "__init__.py") or (entry / "__init__.py").exists()
    }
    assert present - NOT_CORE - listed == set(), "add these to the contract's source_modules in pyproject.toml"
    assert listed - present == set(), "the contract names modules that no longer exist"


def test_ruff_is_clean() -> None:
    result = _run(_tool("ruff"), "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_mypy_is_clean() -> None:
    result = _run(_tool("mypy"), "--cache-dir", str(ROOT / ".mypy_cache"))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
