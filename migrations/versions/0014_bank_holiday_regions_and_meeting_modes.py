"""Bank-holiday regions for units, how a booked session meets, and "moved" bookings.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29

``support_unit_region`` says which United Kingdom bank holidays a unit keeps (England and Wales, Scotland,
Northern Ireland); units without a row inherit their nearest ancestor's. ``support_booking.meeting_mode`` is the way
of meeting chosen when booking (none for older bookings). A booking that was rescheduled used to be left
"cancelled"; it is now "moved", so both people read what happened.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "support_unit_region",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=3), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_support_unit_region_unit_id_unit"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_support_unit_region")),
    )
    op.add_column("support_booking", sa.Column("meeting_mode", sa.String(length=10), nullable=True))
    op.execute("UPDATE support_booking SET status = 'moved' WHERE status = 'cancelled' AND id IN "
               "(SELECT rescheduled_from_id FROM support_booking WHERE rescheduled_from_id IS NOT NULL)")


def downgrade():
    op.execute("UPDATE support_booking SET status = 'cancelled' WHERE status = 'moved'")
    with op.batch_alter_table("support_booking") as batch_op:
        batch_op.drop_column("meeting_mode")
    op.drop_table("support_unit_region")
