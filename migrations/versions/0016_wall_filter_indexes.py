"""The wall filtered to a team or directorate starts from the unit's recipients: an index on (unit_id, post_id)
of recognition_recipient, which replaces the one on unit_id alone.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29

With both columns in the index, "the posts thanking anyone in these units" is read from the index alone, so the
filtered wall's work follows the unit's own thanks rather than the size of the wall (bench/plans/wall_filter.txt).
Every query that used the old index (unit_id alone) can use the new one, its leading column.
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_recognition_recipient_unit_post", "recognition_recipient", ["unit_id", "post_id"])
    op.drop_index("ix_recognition_recipient_unit_id", table_name="recognition_recipient")


def downgrade() -> None:
    op.create_index("ix_recognition_recipient_unit_id", "recognition_recipient", ["unit_id"])
    op.drop_index("ix_recognition_recipient_unit_post", table_name="recognition_recipient")
