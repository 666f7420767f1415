"""score rollups: room for a seventh driver (hizmet 2 asks about information and equal
treatment too)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 09:00:00.000000

The new columns start at 0. That is right for every survey with six drivers or fewer, and a
survey whose report definition changed (hizmet 2) is rebuilt from its answers at the next
start anyway (storage.rollups.ensure_rollup).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("score_cells", "score_cells_channel", "score_cells_daily", "score_cells_local")
SLOT = 6  # the seventh: slots count from 0
SUMS = ("n", "sum", "sumsq", "cross", "osum", "osumsq")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for part in SUMS:
                kind = sa.Integer() if part == "n" else sa.Float()
                batch.add_column(sa.Column(f"d{SLOT}_{part}", kind, nullable=False,
                                           server_default="0"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for part in SUMS:
                batch.drop_column(f"d{SLOT}_{part}")
