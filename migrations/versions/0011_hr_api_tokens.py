"""API tokens for HR systems reading recognition data (only the SHA-256 of each token is stored).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hr_api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_hr_api_token_created_by_id_user_account")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["user_account.id"],
                                name=op.f("fk_hr_api_token_revoked_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hr_api_token_token_hash")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_hr_api_token_idempotency_key")),
    )
    op.create_index(op.f("ix_hr_api_token_created_by_id"), "hr_api_token", ["created_by_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_hr_api_token_created_by_id"), table_name="hr_api_token")
    op.drop_table("hr_api_token")
