"""The Alembic revisions build exactly the schema the models describe, and can be undone and redone."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from portal.extensions import db
from tests.conftest import make_test_app
from tests.databases import fresh_database_url, worker_name


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "compare_server_default": True})
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def audit_log_rejects_changes() -> bool:
    """The append-only triggers are in place: an UPDATE on audit_event fails."""
    with db.engine.connect() as connection:
        connection.execute(text("INSERT INTO audit_event (occurred_at, action, details) "
                                "VALUES (CURRENT_TIMESTAMP, 'test.probe', '{}')"))
        try:
            connection.execute(text("UPDATE audit_event SET action = 'test.rewritten'"))
        except DatabaseError:
            return True
        finally:
            connection.rollback()
    return False


@pytest.mark.committed
def test_upgrade_matches_the_models_and_round_trips(tmp_path):
    app = make_test_app(fresh_database_url(f"frontline_migrations_{worker_name()}", tmp_path))  # upgrades to head
    try:
        with app.app_context():
            model_tables = set(db.metadata.tables)
            assert model_tables <= table_names()
            assert schema_differences() == []
            assert audit_log_rejects_changes()

            downgrade(revision="base")
            assert table_names() <= {"alembic_version"}
            assert schema_differences() != []  # the comparison does notice a missing schema

            upgrade()
            assert model_tables <= table_names()
            assert schema_differences() == []
            assert audit_log_rejects_changes()
    finally:
        with app.app_context():
            db.engine.dispose()
