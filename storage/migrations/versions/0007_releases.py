"""releases: the published cells of each period, decided once when it ended

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:00:00.000000

Empty at first: admin.publish releases every period that has ended the first time the bot
(or `izdes stats publish`) runs after this migration.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'releases',
        sa.Column('survey_key', sa.String(length=32), nullable=False),
        sa.Column('period', sa.String(length=7), nullable=False),
        sa.Column('min_cell', sa.Integer(), nullable=False),
        sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('survey_key', 'period', name=op.f('pk_releases')),
    )
    op.create_table(
        'released_cells',
        sa.Column('survey_key', sa.String(length=32), nullable=False),
        sa.Column('period', sa.String(length=7), nullable=False),
        sa.Column('place', sa.String(length=160), nullable=False),
        sa.Column('service', sa.String(length=32), nullable=False),
        sa.Column('depth', sa.Integer(), nullable=False),
        sa.Column('province', sa.String(length=2), nullable=False),
        sa.Column('listed', sa.Boolean(), nullable=False),
        sa.Column('hidden', sa.Boolean(), nullable=False),
        sa.Column('totals', sa.JSON(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint('survey_key', 'period', 'place', 'service',
                                name=op.f('pk_released_cells')),
    )
    op.create_index('ix_released_cells_lookup', 'released_cells',
                    ['survey_key', 'period', 'depth', 'province'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_released_cells_lookup', table_name='released_cells')
    op.drop_table('released_cells')
    op.drop_table('releases')
