"""demo marks: responses and muhtar links made by `izdes demo`

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 12:00:00.000000

Synthetic data says so on every row that stands for a person's answers or a muhtar's link:
retention clears the link from a response to its respondent, so a mark on the respondent
alone would not last.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("responses", "links")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("demo", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("demo")
