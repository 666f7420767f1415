"""order of stored updates per respondent

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 02:25:36.668088
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('processed_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('respondent_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('sequence', sa.BigInteger(), nullable=True))
        batch_op.create_index('ix_processed_events_waiting', ['respondent_key', 'sequence'], unique=False, postgresql_where=sa.text('processed_at IS NULL'), sqlite_where=sa.text('processed_at IS NULL'))



def downgrade() -> None:
    with op.batch_alter_table('processed_events', schema=None) as batch_op:
        batch_op.drop_index('ix_processed_events_waiting', postgresql_where=sa.text('processed_at IS NULL'), sqlite_where=sa.text('processed_at IS NULL'))
        batch_op.drop_column('sequence')
        batch_op.drop_column('respondent_key')

