"""Test databases: SQLite files by default, PostgreSQL databases when TEST_DATABASE_URL is set.

Each pytest-xdist worker gets databases of its own, so workers never see each other's rows or schema changes.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL") or None
IN_CI = os.environ.get("CI") == "true"


def on_postgres() -> bool:
    return POSTGRES_URL is not None


def fresh_database_url(name: str, tmp_dir: Path) -> str:
    """An empty database called ``name`` (dropped first if it exists)."""
    if POSTGRES_URL is None:
        path = tmp_dir / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def worker_name() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")
