"""report deliveries: the monthly PDF report sent to each administrator in Telegram

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 01:00:00.000000

Empty at first: the bot then sends the latest released period's report once, and no backlog
of older ones. The primary key is the claim: of several bot processes, one sends.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'report_deliveries',
        sa.Column('survey_key', sa.String(length=32), nullable=False),
        sa.Column('period', sa.String(length=7), nullable=False),
        sa.Column('recipient', sa.String(length=64), nullable=False),
        sa.Column('scope', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('survey_key', 'period', 'recipient',
                                name=op.f('pk_report_deliveries')),
    )


def downgrade() -> None:
    op.drop_table('report_deliveries')
