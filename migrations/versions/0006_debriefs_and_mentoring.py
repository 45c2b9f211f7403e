"""De-brief requests after a difficult contact, duty supporters, and mentoring (confidential content).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "debrief_duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_debrief_duty_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_debrief_duty_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debrief_duty")),
        sa.UniqueConstraint("unit_id", "user_id", name=op.f("uq_debrief_duty_unit_id_user_id")),
    )
    op.create_index(op.f("ix_debrief_duty_user_id"), "debrief_duty", ["user_id"], unique=False)
    op.create_table(
        "debrief_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("routed_unit_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("urgency", sa.String(length=20), nullable=False),
        sa.Column("contact_method", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("contact_detail", sa.String(length=200), nullable=True),
        sa.Column("session_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("respond_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("claimed_by_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("check_in_count", sa.Integer(), nullable=False),
        sa.Column("last_check_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content_erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["claimed_by_id"], ["user_account.id"], name=op.f("fk_debrief_request_claimed_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["user_account.id"], name=op.f("fk_debrief_request_requester_id_user_account")
        ),
        sa.ForeignKeyConstraint(["routed_unit_id"], ["unit.id"], name=op.f("fk_debrief_request_routed_unit_id_unit")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_debrief_request_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debrief_request")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_debrief_request_idempotency_key")),
    )
    op.create_index("ix_debrief_request_claimed_by_state", "debrief_request", ["claimed_by_id", "state"], unique=False)
    op.create_index(
        "ix_debrief_request_requester_created", "debrief_request", ["requester_id", "created_at"], unique=False
    )
    op.create_index("ix_debrief_request_state_created", "debrief_request", ["state", "created_at"], unique=False)
    op.create_index(op.f("ix_debrief_request_unit_id"), "debrief_request", ["unit_id"], unique=False)
    op.create_table(
        "debrief_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signposting", sa.Text(), nullable=False),
        sa.Column("fallback_contact_id", sa.Integer(), nullable=True),
        sa.Column("claim_minutes_this_shift", sa.Integer(), nullable=False),
        sa.Column("claim_minutes_72_hours", sa.Integer(), nullable=False),
        sa.Column("claim_minutes_this_week", sa.Integer(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "claim_minutes_this_shift > 0 AND claim_minutes_72_hours > 0 AND claim_minutes_this_week > 0",
            name=op.f("ck_debrief_settings_positive_windows"),
        ),
        sa.CheckConstraint("retention_days > 0", name=op.f("ck_debrief_settings_positive_retention")),
        sa.ForeignKeyConstraint(
            ["fallback_contact_id"],
            ["user_account.id"],
            name=op.f("fk_debrief_settings_fallback_contact_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debrief_settings")),
    )
    op.create_table(
        "debrief_unit_lead",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_debrief_unit_lead_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_debrief_unit_lead_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_debrief_unit_lead")),
    )
    op.create_index(op.f("ix_debrief_unit_lead_user_id"), "debrief_unit_lead", ["user_id"], unique=False)
    op.create_table(
        "mentor_load",
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("active_mentees", sa.Integer(), nullable=False),
        sa.CheckConstraint("active_mentees >= 0", name=op.f("ck_mentor_load_not_negative")),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["user_account.id"], name=op.f("fk_mentor_load_mentor_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("mentor_id", name=op.f("pk_mentor_load")),
    )
    op.create_table(
        "mentoring",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("respond_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("goals", sa.Text(), nullable=True),
        sa.Column("agreement_goals", sa.Text(), nullable=True),
        sa.Column("agreement_frequency", sa.String(length=120), nullable=True),
        sa.Column("agreement_length", sa.String(length=120), nullable=True),
        sa.Column("first_check_note", sa.Text(), nullable=True),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_check_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.Column("content_erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["mentee_id"], ["user_account.id"], name=op.f("fk_mentoring_mentee_id_user_account")),
        sa.ForeignKeyConstraint(["mentor_id"], ["user_account.id"], name=op.f("fk_mentoring_mentor_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring")),
    )
    op.create_index("ix_mentoring_created_at", "mentoring", ["created_at"], unique=False)
    op.create_index("ix_mentoring_mentee_created", "mentoring", ["mentee_id", "created_at"], unique=False)
    op.create_index("ix_mentoring_mentor_state", "mentoring", ["mentor_id", "state"], unique=False)
    open_pair = sa.text("state IN ('requested', 'accepted', 'active')")
    op.create_index("uq_mentoring_open_pair", "mentoring", ["mentee_id", "mentor_id"], unique=True,
                    postgresql_where=open_pair, sqlite_where=open_pair)
    op.create_table(
        "debrief_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["debrief_request.id"],
            name=op.f("fk_debrief_recipient_request_id_debrief_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_debrief_recipient_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debrief_recipient")),
        sa.UniqueConstraint("request_id", "user_id", name=op.f("uq_debrief_recipient_request_id_user_id")),
    )
    op.create_index(op.f("ix_debrief_recipient_user_id"), "debrief_recipient", ["user_id"], unique=False)


def downgrade():
    op.drop_table("debrief_recipient")
    op.drop_table("mentoring")
    op.drop_table("mentor_load")
    op.drop_table("debrief_unit_lead")
    op.drop_table("debrief_settings")
    op.drop_table("debrief_request")
    op.drop_table("debrief_duty")
