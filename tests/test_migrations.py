"""The Alembic revisions build exactly the schema the models describe, and can be undone and redone."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from portal.extensions import db
from portal.search.schema import include_name
from tests.conftest import make_test_app
from tests.databases import fresh_database_url, worker_name


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "compare_server_default": True,
                                                               "include_name": include_name})
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

            upgrade(revision="heads")
            assert model_tables <= table_names()
            assert schema_differences() == []
            assert audit_log_rejects_changes()
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.committed
def test_a_monthly_summary_waiting_at_the_upgrade_becomes_the_job_for_its_month(tmp_path):
    """Upgrading on the morning of the 1st, before the old daily job ran, must not lose that month's summary."""
    app = make_test_app(fresh_database_url(f"frontline_migrate_0007_{worker_name()}", tmp_path),
                        run_migrations=False)
    try:
        with app.app_context():
            upgrade(revision="0006")
            with db.engine.begin() as connection:
                for day in ("2026-12-01", "2026-11-30"):
                    connection.execute(text(
                        "INSERT INTO job (kind, payload, run_at, dedupe_key, status, attempts, created_at) VALUES "
                        "('recognition.monthly_summary', '{}', :run_at, :key, 'pending', 0, CURRENT_TIMESTAMP)"),
                        {"run_at": f"{day} 07:00:00+00:00", "key": f"recognition.monthly_summary:{day}"})
            upgrade(revision="0007")
            with db.engine.connect() as connection:
                jobs = connection.execute(text("SELECT dedupe_key, status, period FROM job ORDER BY id")).all()
                schedule = connection.execute(text("SELECT kind, last_period FROM job_schedule")).all()
        assert [tuple(row) for row in jobs] == [
            ("recognition.monthly_summary:2026-11", "pending", "2026-11"),  # November's, sent as the job for it
            ("recognition.monthly_summary:2026-11-30", "cancelled", None),  # a day that did nothing anyway
        ]
        assert [tuple(row) for row in schedule] == [("recognition.monthly_summary", "2026-11")]
    finally:
        with app.app_context():
            db.engine.dispose()
