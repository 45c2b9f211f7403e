"""Award schemes, categories, panels, nominations, co-signatures, panel scores and state history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('award_scheme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('decision_due_on', sa.Date(), nullable=False),
    sa.Column('needs_manager_endorsement', sa.Boolean(), nullable=False),
    sa.Column('is_blind_review', sa.Boolean(), nullable=False),
    sa.Column('needs_publicity_consent', sa.Boolean(), nullable=False),
    sa.Column('reminded_for', sa.Date(), nullable=True),
    sa.Column('escalated_for', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_award_scheme_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_scheme'))
    )
    op.create_index(op.f('ix_award_scheme_closes_on'), 'award_scheme', ['closes_on'], unique=False)
    op.create_table('award_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('criteria', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['award_scheme.id'], name=op.f('fk_award_category_scheme_id_award_scheme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_category')),
    sa.UniqueConstraint('scheme_id', 'name', name=op.f('uq_award_category_scheme_id_name'))
    )
    op.create_index(op.f('ix_award_category_scheme_id'), 'award_category', ['scheme_id'], unique=False)
    op.create_table('award_panel_member',
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['award_scheme.id'], name=op.f('fk_award_panel_member_scheme_id_award_scheme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_award_panel_member_user_id_user_account')),
    sa.PrimaryKeyConstraint('scheme_id', 'user_id', name=op.f('pk_award_panel_member'))
    )
    op.create_index(op.f('ix_award_panel_member_user_id'), 'award_panel_member', ['user_id'], unique=False)
    op.create_table('nomination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('nominator_id', sa.Integer(), nullable=False),
    sa.Column('nominee_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('endorser_id', sa.Integer(), nullable=True),
    sa.Column('nominator_unit_id', sa.Integer(), nullable=False),
    sa.Column('nominee_unit_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('state_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('endorsement_reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('publicity_consent', sa.Boolean(), nullable=True),
    sa.Column('announced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(nominee_id IS NULL) <> (team_id IS NULL)', name=op.f('ck_nomination_one_nominee')),
    sa.ForeignKeyConstraint(['category_id'], ['award_category.id'], name=op.f('fk_nomination_category_id_award_category')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_nomination_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['endorser_id'], ['user_account.id'], name=op.f('fk_nomination_endorser_id_user_account')),
    sa.ForeignKeyConstraint(['nominator_id'], ['user_account.id'], name=op.f('fk_nomination_nominator_id_user_account')),
    sa.ForeignKeyConstraint(['nominator_unit_id'], ['unit.id'], name=op.f('fk_nomination_nominator_unit_id_unit')),
    sa.ForeignKeyConstraint(['nominee_id'], ['user_account.id'], name=op.f('fk_nomination_nominee_id_user_account')),
    sa.ForeignKeyConstraint(['nominee_unit_id'], ['unit.id'], name=op.f('fk_nomination_nominee_unit_id_unit')),
    sa.ForeignKeyConstraint(['scheme_id'], ['award_scheme.id'], name=op.f('fk_nomination_scheme_id_award_scheme')),
    sa.ForeignKeyConstraint(['team_id'], ['unit.id'], name=op.f('fk_nomination_team_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination'))
    )
    op.create_index(op.f('ix_nomination_announced_at'), 'nomination', ['announced_at'], unique=False)
    op.create_index(op.f('ix_nomination_category_id'), 'nomination', ['category_id'], unique=False)
    op.create_index(op.f('ix_nomination_created_at'), 'nomination', ['created_at'], unique=False)
    op.create_index('ix_nomination_duplicate', 'nomination', ['scheme_id', 'nominator_id', 'nominee_id', 'team_id'], unique=False)
    op.create_index(op.f('ix_nomination_endorser_id'), 'nomination', ['endorser_id'], unique=False)
    op.create_index(op.f('ix_nomination_nominator_id'), 'nomination', ['nominator_id'], unique=False)
    op.create_index(op.f('ix_nomination_nominee_id'), 'nomination', ['nominee_id'], unique=False)
    op.create_index('ix_nomination_scheme_state', 'nomination', ['scheme_id', 'state'], unique=False)
    op.create_index(op.f('ix_nomination_state'), 'nomination', ['state'], unique=False)
    op.create_index(op.f('ix_nomination_team_id'), 'nomination', ['team_id'], unique=False)
    op.create_table('nomination_answer',
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_nomination_answer_nomination_id_nomination'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('nomination_id', 'position', name=op.f('pk_nomination_answer'))
    )
    op.create_table('nomination_cosignature',
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_nomination_cosignature_nomination_id_nomination'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_nomination_cosignature_user_id_user_account')),
    sa.PrimaryKeyConstraint('nomination_id', 'user_id', name=op.f('pk_nomination_cosignature'))
    )
    op.create_index(op.f('ix_nomination_cosignature_user_id'), 'nomination_cosignature', ['user_id'], unique=False)
    op.create_table('nomination_score',
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('panel_member_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_nomination_score_score_range')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_nomination_score_nomination_id_nomination'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['panel_member_id'], ['user_account.id'], name=op.f('fk_nomination_score_panel_member_id_user_account')),
    sa.PrimaryKeyConstraint('nomination_id', 'panel_member_id', 'position', name=op.f('pk_nomination_score'))
    )
    op.create_index(op.f('ix_nomination_score_panel_member_id'), 'nomination_score', ['panel_member_id'], unique=False)
    op.create_table('nomination_state_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_nomination_state_change_actor_id_user_account')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_nomination_state_change_nomination_id_nomination'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination_state_change'))
    )
    op.create_index(op.f('ix_nomination_state_change_nomination_id'), 'nomination_state_change', ['nomination_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_nomination_state_change_nomination_id'), table_name='nomination_state_change')
    op.drop_table('nomination_state_change')
    op.drop_index(op.f('ix_nomination_score_panel_member_id'), table_name='nomination_score')
    op.drop_table('nomination_score')
    op.drop_index(op.f('ix_nomination_cosignature_user_id'), table_name='nomination_cosignature')
    op.drop_table('nomination_cosignature')
    op.drop_table('nomination_answer')
    op.drop_index(op.f('ix_nomination_team_id'), table_name='nomination')
    op.drop_index(op.f('ix_nomination_state'), table_name='nomination')
    op.drop_index('ix_nomination_scheme_state', table_name='nomination')
    op.drop_index(op.f('ix_nomination_nominee_id'), table_name='nomination')
    op.drop_index(op.f('ix_nomination_nominator_id'), table_name='nomination')
    op.drop_index(op.f('ix_nomination_endorser_id'), table_name='nomination')
    op.drop_index('ix_nomination_duplicate', table_name='nomination')
    op.drop_index(op.f('ix_nomination_created_at'), table_name='nomination')
    op.drop_index(op.f('ix_nomination_category_id'), table_name='nomination')
    op.drop_index(op.f('ix_nomination_announced_at'), table_name='nomination')
    op.drop_table('nomination')
    op.drop_index(op.f('ix_award_panel_member_user_id'), table_name='award_panel_member')
    op.drop_table('award_panel_member')
    op.drop_index(op.f('ix_award_category_scheme_id'), table_name='award_category')
    op.drop_table('award_category')
    op.drop_index(op.f('ix_award_scheme_closes_on'), table_name='award_scheme')
    op.drop_table('award_scheme')
