"""Good-practice notes: notes and their revisions, tags, "useful" marks, comments, flags and comment reports,
features to a unit subtree, follows, and the questions asked before a thank-you becomes a note.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

New tables only. Two partial unique indexes (one open flag per person and note, one open report per person and
comment) keep a double click from counting twice towards hiding; SQLite and PostgreSQL both have them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OPEN = sa.text("resolved_at IS NULL")


def _fk(table, column, target, ondelete=None):
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"),
                                   ondelete=ondelete)


def _texts():
    return [sa.Column("title", sa.String(length=120), nullable=False),
            sa.Column("summary", sa.String(length=200), nullable=False),
            sa.Column("body_source", sa.String(length=20000), nullable=False)]


def _prompts():
    return [sa.Column(name, sa.String(length=2000), nullable=False)
            for name in ("situation", "what_we_did", "what_changed", "tips")]


def upgrade():
    op.create_table(
        "practice_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        *_texts(),
        sa.Column("body_html", sa.Text(), nullable=False),
        *_prompts(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("personal_data", sa.JSON(), nullable=False),
        sa.Column("personal_data_cleared_by_id", sa.Integer(), nullable=True),
        sa.Column("personal_data_cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.String(length=1000), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("useful_count", sa.Integer(), nullable=False),
        sa.Column("open_flag_count", sa.Integer(), nullable=False),
        sa.Column("from_post_id", sa.Integer(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        sa.CheckConstraint("version > 0", name=op.f("ck_practice_note_positive_version")),
        _fk("practice_note", "author_id", "user_account.id"),
        _fk("practice_note", "unit_id", "unit.id"),
        _fk("practice_note", "personal_data_cleared_by_id", "user_account.id"),
        _fk("practice_note", "decided_by_id", "user_account.id"),
        _fk("practice_note", "superseded_by_id", "practice_note.id"),
        _fk("practice_note", "from_post_id", "recognition_post.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_note")),
        sa.UniqueConstraint("from_post_id", name=op.f("uq_practice_note_from_post_id")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_practice_note_idempotency_key")),
    )
    op.create_index("ix_practice_note_state_published", "practice_note", ["state", "published_at", "id"])
    op.create_index("ix_practice_note_author_updated", "practice_note", ["author_id", "updated_at"])
    op.create_index("ix_practice_note_state_review_due", "practice_note", ["state", "review_due_at"])
    op.create_index(op.f("ix_practice_note_unit_id"), "practice_note", ["unit_id"])

    op.create_table(
        "practice_note_tag",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        _fk("practice_note_tag", "note_id", "practice_note.id", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("note_id", "tag", name=op.f("pk_practice_note_tag")),
    )
    op.create_index(op.f("ix_practice_note_tag_tag"), "practice_note_tag", ["tag"])

    op.create_table(
        "practice_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=False),
        *_texts(),
        *_prompts(),
        sa.Column("tags_text", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("was_published", sa.Boolean(), nullable=False),
        _fk("practice_revision", "note_id", "practice_note.id", ondelete="CASCADE"),
        _fk("practice_revision", "editor_id", "user_account.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_revision")),
        sa.UniqueConstraint("note_id", "number", name=op.f("uq_practice_revision_note_id_number")),
    )
    op.create_index(op.f("ix_practice_revision_editor_id"), "practice_revision", ["editor_id"])

    op.create_table(
        "practice_useful",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("practice_useful", "note_id", "practice_note.id", ondelete="CASCADE"),
        _fk("practice_useful", "user_id", "user_account.id"),
        sa.PrimaryKeyConstraint("note_id", "user_id", name=op.f("pk_practice_useful")),
    )
    op.create_index(op.f("ix_practice_useful_user_id"), "practice_useful", ["user_id"])

    op.create_table(
        "practice_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("hidden_reason", sa.String(length=1000), nullable=True),
        sa.Column("open_report_count", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        _fk("practice_comment", "note_id", "practice_note.id", ondelete="CASCADE"),
        _fk("practice_comment", "author_id", "user_account.id"),
        _fk("practice_comment", "hidden_by_id", "user_account.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_comment")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_practice_comment_idempotency_key")),
    )
    op.create_index("ix_practice_comment_note_created", "practice_comment", ["note_id", "created_at"])
    op.create_index(op.f("ix_practice_comment_author_id"), "practice_comment", ["author_id"])

    op.create_table(
        "practice_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        _fk("practice_flag", "note_id", "practice_note.id", ondelete="CASCADE"),
        _fk("practice_flag", "reporter_id", "user_account.id"),
        _fk("practice_flag", "resolved_by_id", "user_account.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_flag")),
    )
    op.create_index(op.f("ix_practice_flag_note_id"), "practice_flag", ["note_id"])
    op.create_index(op.f("ix_practice_flag_reporter_id"), "practice_flag", ["reporter_id"])
    op.create_index("ix_practice_flag_open_once", "practice_flag", ["note_id", "reporter_id"], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)

    op.create_table(
        "practice_comment_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        _fk("practice_comment_report", "comment_id", "practice_comment.id", ondelete="CASCADE"),
        _fk("practice_comment_report", "reporter_id", "user_account.id"),
        _fk("practice_comment_report", "resolved_by_id", "user_account.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_comment_report")),
    )
    op.create_index(op.f("ix_practice_comment_report_comment_id"), "practice_comment_report", ["comment_id"])
    op.create_index(op.f("ix_practice_comment_report_reporter_id"), "practice_comment_report", ["reporter_id"])
    op.create_index("ix_practice_comment_report_open_once", "practice_comment_report", ["comment_id", "reporter_id"],
                    unique=True, sqlite_where=OPEN, postgresql_where=OPEN)

    op.create_table(
        "practice_feature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("featured_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("practice_feature", "note_id", "practice_note.id", ondelete="CASCADE"),
        _fk("practice_feature", "unit_id", "unit.id"),
        _fk("practice_feature", "featured_by_id", "user_account.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_feature")),
    )
    op.create_index(op.f("ix_practice_feature_note_id"), "practice_feature", ["note_id"])
    op.create_index("ix_practice_feature_unit_until", "practice_feature", ["unit_id", "until"])

    op.create_table(
        "practice_follow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(tag IS NULL) <> (unit_id IS NULL)", name=op.f("ck_practice_follow_tag_or_unit")),
        _fk("practice_follow", "user_id", "user_account.id", ondelete="CASCADE"),
        _fk("practice_follow", "unit_id", "unit.id", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_follow")),
        sa.UniqueConstraint("user_id", "tag", name=op.f("uq_practice_follow_user_id_tag")),
        sa.UniqueConstraint("user_id", "unit_id", name=op.f("uq_practice_follow_user_id_unit_id")),
    )
    op.create_index(op.f("ix_practice_follow_tag"), "practice_follow", ["tag"])
    op.create_index(op.f("ix_practice_follow_unit_id"), "practice_follow", ["unit_id"])

    op.create_table(
        "practice_thanks_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("champion_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note_id", sa.Integer(), nullable=True),
        _fk("practice_thanks_proposal", "post_id", "recognition_post.id"),
        _fk("practice_thanks_proposal", "champion_id", "user_account.id"),
        _fk("practice_thanks_proposal", "note_id", "practice_note.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_thanks_proposal")),
        sa.UniqueConstraint("post_id", name=op.f("uq_practice_thanks_proposal_post_id")),
    )
    op.create_index(op.f("ix_practice_thanks_proposal_champion_id"), "practice_thanks_proposal", ["champion_id"])

    op.create_table(
        "practice_proposal_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=10), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        _fk("practice_proposal_answer", "proposal_id", "practice_thanks_proposal.id", ondelete="CASCADE"),
        _fk("practice_proposal_answer", "user_id", "user_account.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_proposal_answer")),
        sa.UniqueConstraint("proposal_id", "user_id", name=op.f("uq_practice_proposal_answer_proposal_id_user_id")),
    )
    op.create_index(op.f("ix_practice_proposal_answer_user_id"), "practice_proposal_answer", ["user_id"])


def downgrade():
    for table in ("practice_proposal_answer", "practice_thanks_proposal", "practice_follow", "practice_feature",
                  "practice_comment_report", "practice_flag", "practice_comment", "practice_useful",
                  "practice_revision", "practice_note_tag", "practice_note"):
        op.drop_table(table)
