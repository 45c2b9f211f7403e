"""Insight's indexes and the record of anonymised leavers.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29

Insight counts recognition and peer support per London month with grouped queries that filter on these columns,
which had no index of their own: a nomination's unit at the time, a session's start, when a de-brief was asked,
and when a mentoring was accepted or ended (portal/insight/models.py). Creating an index does not rebuild a table,
so no batch mode is needed, on SQLite either.

``anonymised_leaver`` has one row per person whose personal data the daily leavers job has removed, with when they
were deactivated and when they were anonymised: the job skips them afterwards, and the row is the proof it ran.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_nomination_nominee_unit_id", "nomination", "nominee_unit_id"),
    ("ix_support_booking_starts_at", "support_booking", "starts_at"),
    ("ix_debrief_request_created_at", "debrief_request", "created_at"),
    ("ix_mentoring_decided_at", "mentoring", "decided_at"),
    ("ix_mentoring_ended_at", "mentoring", "ended_at"),
]


def upgrade():
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], unique=False)
    op.create_table(
        "anonymised_leaver",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_anonymised_leaver_user_id_user_account")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_anonymised_leaver")),
    )


def downgrade():
    op.drop_table("anonymised_leaver")
    for name, table, _column in reversed(INDEXES):
        op.drop_index(name, table_name=table)
