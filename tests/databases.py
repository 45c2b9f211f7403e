"""Test databases: SQLite files by default, PostgreSQL databases when TEST_DATABASE_URL is set.

Each pytest-xdist worker of each run gets databases of its own (the run's id is in the name), so workers — and two
runs on one machine — never see each other's rows or schema changes. PostgreSQL databases made by a process are
dropped when it ends.
"""

from __future__ import annotations

import atexit
import os
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL") or None
IN_CI = os.environ.get("CI") == "true"
_made: list[str] = []


def on_postgres() -> bool:
    return POSTGRES_URL is not None


def _admin_engine():
    base = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    return base, create_engine(base, isolation_level="AUTOCOMMIT")


def fresh_database_url(name: str, tmp_dir: Path) -> str:
    """An empty database called ``name`` (dropped first if it exists)."""
    if POSTGRES_URL is None:
        path = tmp_dir / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = name[:63]
    base, admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    if not _made:
        atexit.register(_drop_made)
    _made.append(name)
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_made() -> None:
    _, admin = _admin_engine()
    with admin.connect() as conn:
        for name in _made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def worker_name() -> str:
    """This process's part of a database name: the xdist worker and the run, or the process id."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or str(os.getpid())
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{run}"
