"""Idempotency keys for the forms a double click can repeat: thank-yous, comments, nominations, award schemes and
mentoring requests.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Each form carries a random key; a unique constraint lets the first of two identical submissions in and refuses the
second, which then finds and returns its twin. Rows made without a form (demo data, jobs, older rows) have none.

SQLite cannot add a unique constraint to a table in place: batch mode copies the table, drops the old one and renames
the copy. With foreign keys enforced, that DROP would first delete every row and cascade to the rows that refer to it
(every thank-you's recipients, values and comments; every nomination's answers and history), or fail. So on SQLite
enforcement is off while the tables are rebuilt — SQLite only changes it outside a transaction — and the foreign keys
are checked before it is switched back on.
"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("recognition_post", "recognition_comment", "award_scheme", "nomination", "mentoring")


@contextmanager
def foreign_keys_off_on_sqlite():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    bind.exec_driver_sql("BEGIN")
    try:
        yield
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"rebuilding the tables broke foreign keys: {broken[:5]}")
    except BaseException:
        bind.exec_driver_sql("ROLLBACK")
        raise
    else:
        bind.exec_driver_sql("COMMIT")
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")
        bind.exec_driver_sql("BEGIN")


def upgrade():
    with foreign_keys_off_on_sqlite():
        for table in TABLES:
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
                batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_idempotency_key"), ["idempotency_key"])


def downgrade():
    with foreign_keys_off_on_sqlite():
        for table in reversed(TABLES):
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.drop_constraint(batch_op.f(f"uq_{table}_idempotency_key"), type_="unique")
                batch_op.drop_column("idempotency_key")
