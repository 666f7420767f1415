"""muhtar links

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 04:33:21.476700
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('links',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('payload', sa.String(length=64), nullable=False),
    sa.Column('stats_digest', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('district', sa.String(length=64), nullable=True),
    sa.Column('mahalle', sa.String(length=100), nullable=True),
    sa.Column('service', sa.String(length=32), nullable=True),
    sa.Column('survey_key', sa.String(length=32), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_links')),
    sa.UniqueConstraint('payload', name=op.f('uq_links_payload')),
    sa.UniqueConstraint('stats_digest', name=op.f('uq_links_stats_digest'))
    )
    op.create_table('link_weeks',
    sa.Column('link_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('opened', sa.Integer(), nullable=False),
    sa.Column('consented', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['links.id'], name=op.f('fk_link_weeks_link_id_links')),
    sa.PrimaryKeyConstraint('link_id', 'week', name=op.f('pk_link_weeks'))
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('mahalle', sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f('ix_responses_link_id'), ['link_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_responses_link_id_links'), 'links', ['link_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_responses_link_id_links'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_responses_link_id'))
        batch_op.drop_column('mahalle')
        batch_op.drop_column('link_id')

    op.drop_table('link_weeks')
    op.drop_table('links')
