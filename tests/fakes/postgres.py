"""A throwaway PostgreSQL cluster for the session: Debian's initdb + pg_ctl, a temp dir, a free port.

The server binaries live in /usr/lib/postgresql/<version>/bin (not on PATH); .ci/run installs
them. PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user
(runuser). Password authentication (scram) is on, so tests exercise `[state].password_env`.
Each test that wants a database asks `pg_database` for a fresh one.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "pg-test-secret-4711"
PASSWORD_ENV = "LIVE_OPS_TEST_PG_PASSWORD"


@dataclass(frozen=True)
class PgCluster:
    port: int
    user: str = "postgres"

    def url(self, database: str = "postgres") -> str:
        """Return the URL of `database`, without its password (that comes from PASSWORD_ENV)."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database; return its name."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user, password=PASSWORD,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unavailable() -> str | None:
    """Return why no cluster can be started here (None: it can)."""
    if _binaries() is None:
        return "PostgreSQL server binaries not installed (/usr/lib/postgresql/*/bin/initdb): .ci/run installs them"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg not installed (pip install -e '.[test]')"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: cannot start PostgreSQL as the postgres user"
    return None


@contextmanager
def running_cluster() -> Iterator[PgCluster]:
    """Start a throwaway cluster (initdb + pg_ctl in a temp dir, a free port); stop and delete it after."""
    bindir = _binaries()
    assert bindir is not None, unavailable()
    as_root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="live-ops-pg-"))
    data, sockets, pwfile = base / "data", base / "sock", base / "pw"
    sockets.mkdir()
    pwfile.write_text(PASSWORD + "\n")
    prefix: list[str] = []
    if as_root:
        for path in (base, sockets, pwfile):
            shutil.chown(path, "postgres")
        base.chmod(0o700)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=scram-sha-256",
            f"--pwfile={pwfile}", "--encoding=UTF8", "--no-instructions")
        options = (f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
                   " -c max_connections=60")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-o", options, "-w", "-t", "60",
            "start")
        yield PgCluster(port=port)
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60, check=False)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """Start a PostgreSQL cluster for the session; skip with the reason when it cannot be had."""
    reason = unavailable()
    if reason is not None:
        pytest.skip(reason)
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_database(pg_cluster: PgCluster, monkeypatch: pytest.MonkeyPatch) -> str:
    """Return the URL of a fresh, empty database; its password is in env var PASSWORD_ENV."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return pg_cluster.url(pg_cluster.new_database())
