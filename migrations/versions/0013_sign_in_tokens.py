"""Single-use links to choose a password (invitations and password resets), and each person's directory entry.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08

``sign_in_token`` keeps only the SHA-256 of each link's secret; a link is used by an UPDATE guarded on
``used_at IS NULL AND expires_at > now``, so it works once even when clicked twice at the same moment.

``user_account.directory_id`` is the stable id of a person's LDAP / Active Directory entry (entryUUID, or objectGUID
as a UUID). The column is added in place and made unique with a unique index, and the downgrade drops it in place
(SQLite 3.35+), so SQLite never rebuilds the table every other table refers to (a rebuild would also drop the search
index's triggers on it, revision 0010).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_sign_in_token_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sign_in_token_token_hash")),
    )
    op.create_index(op.f("ix_sign_in_token_user_id"), "sign_in_token", ["user_id"], unique=False)
    op.create_index(op.f("ix_sign_in_token_expires_at"), "sign_in_token", ["expires_at"], unique=False)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("directory_id", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_user_account_directory_id"), "user_account", ["directory_id"], unique=True)


def downgrade():
    op.drop_index(op.f("ix_user_account_directory_id"), table_name="user_account")
    op.drop_column("user_account", "directory_id")
    op.drop_index(op.f("ix_sign_in_token_expires_at"), table_name="sign_in_token")
    op.drop_index(op.f("ix_sign_in_token_user_id"), table_name="sign_in_token")
    op.drop_table("sign_in_token")
