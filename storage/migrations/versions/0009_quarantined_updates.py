"""stored updates: the reason one was quarantined (it could not be parsed or handled)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 18:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('processed_events') as batch:
        batch.add_column(sa.Column('quarantined', sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('processed_events') as batch:
        batch.drop_column('quarantined')
