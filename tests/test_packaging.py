"""Packaging: `live_ops` is the only installed top-level name, and every package folder is listed."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]


def _configured() -> tuple[set[str], dict[str, str]]:
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    return set(setuptools["packages"]), setuptools["package-dir"]


def test_packaging_lists_every_package_folder() -> None:
    packages, package_dir = _configured()
    found = set()
    for name, folder in package_dir.items():
        root = REPO / folder
        prefix = name.split(".") if name else []
        for init in root.rglob("__init__.py"):
            rel = init.parent.relative_to(root).parts
            dotted = ".".join([*prefix, *rel])
            if dotted and not (name == "" and dotted.split(".")[0] != "live_ops"):
                found.add(dotted)
    assert found - packages == set(), "package folders missing from [tool.setuptools].packages"
    assert packages - found == set(), "listed packages without a folder"


def test_packaging_installs_live_ops_alone() -> None:
    packages, _ = _configured()
    assert {name.split(".")[0] for name in packages} == {"live_ops"}


def test_packaging_mapped_layers_import_from_the_checkout() -> None:
    import live_ops.deployments
    import live_ops.flows
    import live_ops.tasks

    for module, folder in ((live_ops.flows, "flows"), (live_ops.tasks, "tasks"), (live_ops.deployments, "deployments")):
        assert Path(module.__file__).resolve().parent == REPO / folder
