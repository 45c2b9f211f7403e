"""A decision quorum per award scheme: how many panel members must score a nomination before it can be decided.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29

Existing schemes keep today's rule (any one panel member decides): the column starts at 1 for every row. Adding a
column with a server default, or dropping it again, needs no table rebuild on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("award_scheme", sa.Column("decision_quorum", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): batch mode would rebuild award_scheme on SQLite, and with
    # foreign keys enforced dropping the old table fails (see 0008).
    op.execute("ALTER TABLE award_scheme DROP COLUMN decision_quorum")
