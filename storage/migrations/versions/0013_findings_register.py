"""findings register: analysts' findings about published cells, their proposed solutions
and the history of every change

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-09 09:00:00.000000

Empty at first; nothing else refers to these tables.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'findings',
        sa.Column('id', ID, nullable=False),
        sa.Column('survey_key', sa.String(length=32), nullable=False),
        sa.Column('period', sa.String(length=7), nullable=False),
        sa.Column('province', sa.String(length=2), nullable=False),
        sa.Column('district', sa.String(length=64), nullable=True),
        sa.Column('service', sa.String(length=32), nullable=False),
        sa.Column('place', sa.String(length=160), nullable=False),
        sa.Column('drivers', sa.JSON(), nullable=False),
        sa.Column('evidence', sa.JSON(), nullable=False),
        sa.Column('problem', sa.Text(), nullable=False),
        sa.Column('responsible_unit', sa.String(length=200), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('raised_by', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('action_date', sa.Date(), nullable=True),
        sa.Column('action', sa.Text(), nullable=True),
        sa.Column('re_evaluated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('re_evaluation_note', sa.Text(), nullable=True),
        sa.Column('re_evaluation_result', sa.JSON(), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_as', sa.String(length=20), nullable=True),
        sa.Column('closing_note', sa.Text(), nullable=True),
        sa.Column('reopen_note', sa.Text(), nullable=True),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reported_by', sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_findings')),
    )
    op.create_index('ix_findings_listing', 'findings', ['province', 'status', 'due_date'],
                    unique=False)
    op.create_table(
        'finding_proposals',
        sa.Column('id', ID, nullable=False),
        sa.Column('finding_id', ID, nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('source_ref', sa.String(length=100), nullable=True),
        sa.Column('added_by', sa.String(length=100), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['finding_id'], ['findings.id'],
                                name=op.f('fk_finding_proposals_finding_id_findings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_proposals')),
    )
    op.create_index(op.f('ix_finding_proposals_finding_id'), 'finding_proposals',
                    ['finding_id'], unique=False)
    op.create_table(
        'finding_history',
        sa.Column('id', ID, nullable=False),
        sa.Column('finding_id', ID, nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('token_id', ID, nullable=True),
        sa.Column('actor', sa.String(length=100), nullable=False),
        sa.Column('via', sa.String(length=8), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['finding_id'], ['findings.id'],
                                name=op.f('fk_finding_history_finding_id_findings'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['token_id'], ['admin_tokens.id'],
                                name=op.f('fk_finding_history_token_id_admin_tokens'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_history')),
    )
    op.create_index(op.f('ix_finding_history_finding_id'), 'finding_history', ['finding_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_finding_history_finding_id'), table_name='finding_history')
    op.drop_table('finding_history')
    op.drop_index(op.f('ix_finding_proposals_finding_id'), table_name='finding_proposals')
    op.drop_table('finding_proposals')
    op.drop_index('ix_findings_listing', table_name='findings')
    op.drop_table('findings')
