"""admin tokens: the purpose a microdata token was given for

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('admin_tokens') as batch:
        batch.add_column(sa.Column('purpose', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('admin_tokens') as batch:
        batch.drop_column('purpose')
