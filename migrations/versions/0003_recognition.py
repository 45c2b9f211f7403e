"""Recognition: values, thank-you cards, the wall, appreciations, comments and reports.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# What customers say they value (DESIGN.md), plus what the work takes. HR can rename and retire them.
SEED_VALUES = ["Listened", "Understood", "Easy to reach", "Respectful", "Not passed around", "Kept informed",
               "Timely", "Compassion under pressure"]


def upgrade():
    op.create_table('recognition_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('is_retired', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_value')),
    sa.UniqueConstraint('name', name=op.f('uq_recognition_value_name'))
    )
    op.create_table('recognition_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('author_unit_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('what_they_did', sa.Text(), nullable=False),
    sa.Column('difference', sa.Text(), nullable=False),
    sa.Column('learning', sa.Text(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('made_private_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('made_private_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('appreciation_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_recognition_post_author_id_user_account')),
    sa.ForeignKeyConstraint(['author_unit_id'], ['unit.id'], name=op.f('fk_recognition_post_author_unit_id_unit')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user_account.id'], name=op.f('fk_recognition_post_hidden_by_id_user_account')),
    sa.ForeignKeyConstraint(['made_private_by_id'], ['user_account.id'], name=op.f('fk_recognition_post_made_private_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_post'))
    )
    op.create_index(op.f('ix_recognition_post_author_id'), 'recognition_post', ['author_id'], unique=False)
    op.create_index(op.f('ix_recognition_post_author_unit_id'), 'recognition_post', ['author_unit_id'], unique=False)
    op.create_index('ix_recognition_post_kind', 'recognition_post', ['kind', 'created_at', 'id'], unique=False)
    op.create_index('ix_recognition_post_wall', 'recognition_post', ['visibility', 'created_at', 'id'], unique=False)
    op.create_table('recognition_appreciation',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['recognition_post.id'], name=op.f('fk_recognition_appreciation_post_id_recognition_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_recognition_appreciation_user_id_user_account')),
    sa.PrimaryKeyConstraint('post_id', 'user_id', name=op.f('pk_recognition_appreciation'))
    )
    op.create_index(op.f('ix_recognition_appreciation_user_id'), 'recognition_appreciation', ['user_id'], unique=False)
    op.create_table('recognition_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_recognition_comment_author_id_user_account')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user_account.id'], name=op.f('fk_recognition_comment_hidden_by_id_user_account')),
    sa.ForeignKeyConstraint(['post_id'], ['recognition_post.id'], name=op.f('fk_recognition_comment_post_id_recognition_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_comment'))
    )
    op.create_index(op.f('ix_recognition_comment_author_id'), 'recognition_comment', ['author_id'], unique=False)
    op.create_index('ix_recognition_comment_post', 'recognition_comment', ['post_id', 'created_at'], unique=False)
    op.create_table('recognition_post_value',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('value_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['recognition_post.id'], name=op.f('fk_recognition_post_value_post_id_recognition_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['value_id'], ['recognition_value.id'], name=op.f('fk_recognition_post_value_value_id_recognition_value')),
    sa.PrimaryKeyConstraint('post_id', 'value_id', name=op.f('pk_recognition_post_value'))
    )
    op.create_index(op.f('ix_recognition_post_value_value_id'), 'recognition_post_value', ['value_id'], unique=False)
    op.create_table('recognition_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['recognition_post.id'], name=op.f('fk_recognition_recipient_post_id_recognition_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_recognition_recipient_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_recognition_recipient_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_recipient')),
    sa.UniqueConstraint('post_id', 'user_id', 'unit_id', name=op.f('uq_recognition_recipient_post_id_user_id_unit_id'))
    )
    op.create_index(op.f('ix_recognition_recipient_unit_id'), 'recognition_recipient', ['unit_id'], unique=False)
    op.create_index(op.f('ix_recognition_recipient_user_id'), 'recognition_recipient', ['user_id'], unique=False)
    op.create_table('recognition_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['recognition_comment.id'], name=op.f('fk_recognition_report_comment_id_recognition_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['recognition_post.id'], name=op.f('fk_recognition_report_post_id_recognition_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['user_account.id'], name=op.f('fk_recognition_report_reporter_id_user_account')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user_account.id'], name=op.f('fk_recognition_report_resolved_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_report'))
    )
    op.create_index(op.f('ix_recognition_report_comment_id'), 'recognition_report', ['comment_id'], unique=False)
    op.create_index('ix_recognition_report_open', 'recognition_report', ['resolved_at', 'created_at'], unique=False)
    op.create_index(op.f('ix_recognition_report_post_id'), 'recognition_report', ['post_id'], unique=False)
    op.create_index(op.f('ix_recognition_report_reporter_id'), 'recognition_report', ['reporter_id'], unique=False)
    value_table = sa.table('recognition_value', sa.column('name', sa.String), sa.column('is_retired', sa.Boolean),
                           sa.column('created_at', sa.DateTime(timezone=True)))
    now = datetime.now(UTC)
    op.bulk_insert(value_table, [{'name': name, 'is_retired': False, 'created_at': now} for name in SEED_VALUES])


def downgrade():
    op.drop_index(op.f('ix_recognition_report_reporter_id'), table_name='recognition_report')
    op.drop_index(op.f('ix_recognition_report_post_id'), table_name='recognition_report')
    op.drop_index('ix_recognition_report_open', table_name='recognition_report')
    op.drop_index(op.f('ix_recognition_report_comment_id'), table_name='recognition_report')
    op.drop_table('recognition_report')
    op.drop_index(op.f('ix_recognition_recipient_user_id'), table_name='recognition_recipient')
    op.drop_index(op.f('ix_recognition_recipient_unit_id'), table_name='recognition_recipient')
    op.drop_table('recognition_recipient')
    op.drop_index(op.f('ix_recognition_post_value_value_id'), table_name='recognition_post_value')
    op.drop_table('recognition_post_value')
    op.drop_index('ix_recognition_comment_post', table_name='recognition_comment')
    op.drop_index(op.f('ix_recognition_comment_author_id'), table_name='recognition_comment')
    op.drop_table('recognition_comment')
    op.drop_index(op.f('ix_recognition_appreciation_user_id'), table_name='recognition_appreciation')
    op.drop_table('recognition_appreciation')
    op.drop_index('ix_recognition_post_wall', table_name='recognition_post')
    op.drop_index('ix_recognition_post_kind', table_name='recognition_post')
    op.drop_index(op.f('ix_recognition_post_author_unit_id'), table_name='recognition_post')
    op.drop_index(op.f('ix_recognition_post_author_id'), table_name='recognition_post')
    op.drop_table('recognition_post')
    op.drop_table('recognition_value')
