"""Where the store lives and how it gets there: engines, migrations, the one SQLAlchemy error seam.

`[state].path` is an SQLite file (the embedded default); `[state].url` a PostgreSQL database
shared by several worker hosts, its password read from the env var `[state].password_env`.

Migrations (Alembic, `live_ops/store/migrations`) run on first use in each process, under a
lock so that two processes starting at the same minute upgrade once and never half-way:
SQLite takes its write lock (`BEGIN IMMEDIATE`, WAL + busy timeout), PostgreSQL a transaction
advisory lock. Both databases do DDL inside that transaction, so a crash leaves the old schema.
A state file made before the store existed has no `alembic_version`: migration 0001 adopts its
tables as they are.

SQLAlchemy's and the drivers' exceptions become `StateError` here (`translate`), nowhere else.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event, exc

from live_ops.errors import StateError

HEAD = "0003"  # tests/store/test_migrations.py checks it against the scripts
BUSY_TIMEOUT_S = 15.0
MIGRATIONS = Path(__file__).with_name("migrations")
_ADVISORY_LOCK = 0x6C6976655F6F7073  # "live_ops": one key for every process that migrates this schema


@dataclass(frozen=True)
class Target:
    """One database: an SQLite file or a server URL (its password never in `label`)."""

    url: sa.URL
    label: str  # for messages: the file path, or the URL without password
    path: Path | None = None  # SQLite only

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None


def sqlite_target(path: Path | str) -> Target:
    """Return the target of the SQLite file at `path`."""
    path = Path(path)
    return Target(url=sa.URL.create("sqlite", database=str(path)), label=str(path), path=path)


def server_target(url: str, password_env: str = "", environ: Mapping[str, str] | None = None) -> Target:
    """Return the target of a database server URL, with the password read from env var `password_env`."""
    environ = os.environ if environ is None else environ
    try:
        parsed = sa.make_url(url)
    except exc.ArgumentError:
        raise StateError("[state].url: not a database URL") from None
    if parsed.get_backend_name() != "postgresql":
        raise StateError(f"[state].url: backend {parsed.get_backend_name()!r} is not supported (postgresql only)")
    if parsed.get_driver_name() != "psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if password_env:
        password = environ.get(password_env)
        if not password:
            raise StateError(f"[state].password_env: environment variable {password_env} is not set")
        parsed = parsed.set(password=password)
    return Target(url=parsed, label=parsed.render_as_string(hide_password=True))


@contextmanager
def translate(target: Target, what: str) -> Iterator[None]:
    """Turn a database error inside the block into one `StateError` line naming the target."""
    try:
        yield
    except exc.SQLAlchemyError as error:
        detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise StateError(f"{target.label}: cannot {what} ({detail})") from None
    except (sqlite3.Error, OSError) as error:
        raise StateError(f"{target.label}: cannot {what} ({error})") from None


def _sqlite_engine(target: Target) -> sa.Engine:
    engine = sa.create_engine(target.url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # pysqlite's own transaction handling defers BEGIN and cannot take the write lock up front;
        # we issue BEGIN ourselves (below), so writers queue on the lock instead of failing to upgrade it
        dbapi_conn.isolation_level = None
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        delay = 0.01
        while True:
            try:
                dbapi_conn.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as error:
                # switching a new file to WAL needs an exclusive lock, and SQLite reports that contention
                # as "locked" at once, without its busy handler: two first runs at the same minute meet here
                if ("locked" not in str(error) and "busy" not in str(error)) or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
        dbapi_conn.execute("PRAGMA synchronous=NORMAL")
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return engine


def _server_engine(target: Target) -> sa.Engine:
    return sa.create_engine(target.url, pool_pre_ping=True, pool_size=2, max_overflow=4,
                            connect_args={"connect_timeout": int(BUSY_TIMEOUT_S)})


def _current_revision(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _upgrade(conn: sa.Connection) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


def migrate(engine: sa.Engine) -> str:
    """Bring the schema to HEAD under the cross-process lock; return the revision found before."""
    with engine.connect().execution_options(write=True) as conn:
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
            found = _current_revision(conn)
            if found != HEAD:
                _upgrade(conn)
    return found or "none"


_lock = threading.Lock()
_engines: dict[tuple[int, str], sa.Engine] = {}


def engine_for(target: Target) -> sa.Engine:
    """Return this process's engine for `target`, migrated to HEAD (once per process)."""
    key = (os.getpid(), target.url.render_as_string(hide_password=False))
    with _lock:
        engine = _engines.get(key)
        if engine is not None:
            return engine
        with translate(target, "open state database"):
            if target.path is not None:
                target.path.parent.mkdir(parents=True, exist_ok=True)
                engine = _sqlite_engine(target)
            else:
                engine = _server_engine(target)
            try:
                with engine.connect() as conn:
                    ready = _current_revision(conn) == HEAD
                if not ready:
                    migrate(engine)
            except BaseException:
                engine.dispose()
                raise
        _engines[key] = engine
        return engine


def dispose_all() -> None:
    """Close every pooled connection of this process (tests that delete their databases)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
