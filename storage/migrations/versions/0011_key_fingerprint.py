"""the fingerprint of the secret key the database's codes were made with

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 19:50:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'key_fingerprints',
        sa.Column('purpose', sa.String(length=40), primary_key=True),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('key_fingerprints')
