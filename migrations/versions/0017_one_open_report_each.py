"""One open report per person per thank-you, and per comment: a double click on "Send report" makes one report.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29

Open duplicates that a double click made before this revision are closed as the first one's duplicates (resolved
when they were made, no outcome), so the unique partial indexes can be built; the first report stays open.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OPEN_POST = "resolved_at IS NULL AND comment_id IS NULL"
OPEN_COMMENT = "resolved_at IS NULL AND comment_id IS NOT NULL"


def upgrade() -> None:
    op.execute("""
        UPDATE recognition_report SET resolved_at = created_at
        WHERE resolved_at IS NULL AND EXISTS (
            SELECT 1 FROM recognition_report AS first
            WHERE first.resolved_at IS NULL AND first.reporter_id = recognition_report.reporter_id
              AND first.post_id = recognition_report.post_id
              AND (first.comment_id = recognition_report.comment_id
                   OR (first.comment_id IS NULL AND recognition_report.comment_id IS NULL))
              AND first.id < recognition_report.id)
    """)
    op.create_index("ix_recognition_report_open_post_once", "recognition_report", ["post_id", "reporter_id"],
                    unique=True, sqlite_where=sa.text(OPEN_POST), postgresql_where=sa.text(OPEN_POST))
    op.create_index("ix_recognition_report_open_comment_once", "recognition_report", ["comment_id", "reporter_id"],
                    unique=True, sqlite_where=sa.text(OPEN_COMMENT), postgresql_where=sa.text(OPEN_COMMENT))


def downgrade() -> None:
    op.drop_index("ix_recognition_report_open_comment_once", table_name="recognition_report")
    op.drop_index("ix_recognition_report_open_post_once", table_name="recognition_report")
