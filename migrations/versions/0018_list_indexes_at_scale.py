"""Indexes found missing at scale M: search's "newest first" for thank-yous, the moderation queue's waiting and
flagged notes, and the thank-yous champions might share as good practice.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29

- recognition_post (created_at, id): the only orders PostgreSQL could walk began with visibility or kind, so a search
  sorted newest first read every match and sorted them all (810 ms for "complaint" at scale M, 83,000 matches); with
  it, the newest posts are read until the page is full (under 3 ms).
- practice_note (decided_at, id) where flagged: the queue read all 20,000 notes to find some 200 flagged ones.
- practice_note (state, submitted_at, id): the queue's notes waiting for a champion, oldest first, were read whole
  (800 at scale M, each joined to its author) and sorted to show 25 (15 ms); now read in order until 25 are found.
- recognition_post (created_at, id) where live, public and with something to learn: the champions' list of
  thank-yous to share read all 500,000 posts (64 ms) when few or none qualify.

The conditions are the models' (portal/practice/models.py FLAGGED, portal/recognition/models.py SHAREABLE), copied
here as they are today so this revision means the same later.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

FLAGGED = "(state = 'hidden' AND decision_reason IS NULL) OR (state = 'published' AND open_flag_count > 0)"
SHAREABLE = "visibility = 'public' AND withdrawn_at IS NULL AND hidden_at IS NULL AND learning <> ''"


def upgrade() -> None:
    op.create_index("ix_recognition_post_created", "recognition_post", ["created_at", "id"])
    op.create_index("ix_practice_note_state_submitted", "practice_note", ["state", "submitted_at", "id"])
    op.create_index("ix_practice_note_flagged", "practice_note", ["decided_at", "id"],
                    sqlite_where=sa.text(FLAGGED), postgresql_where=sa.text(FLAGGED))
    op.create_index("ix_recognition_post_shareable", "recognition_post", ["created_at", "id"],
                    sqlite_where=sa.text(SHAREABLE), postgresql_where=sa.text(SHAREABLE))


def downgrade() -> None:
    op.drop_index("ix_recognition_post_shareable", table_name="recognition_post")
    op.drop_index("ix_practice_note_flagged", table_name="practice_note")
    op.drop_index("ix_practice_note_state_submitted", table_name="practice_note")
    op.drop_index("ix_recognition_post_created", table_name="recognition_post")
