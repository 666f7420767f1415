"""score rollups: the figures' sums per period and cell, kept as responses complete

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 07:00:00.000000

The cells start empty: storage.rollups.ensure_rollups fills them from the answers already
stored the first time the bot or a command opens the database after this migration.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DRIVER_SLOTS = 6
SUMS = ("n", "overall_sum", "overall_sumsq", "satisfied", "effort_n", "effort_sum",
        *(f"d{slot}_{part}" for slot in range(DRIVER_SLOTS)
          for part in ("n", "sum", "sumsq", "cross", "osum", "osumsq")))
KEY_TYPES = {
    "survey_key": sa.String(length=32), "period": sa.String(length=10),
    "province": sa.String(length=2), "service": sa.String(length=32),
    "channel": sa.String(length=32), "district": sa.String(length=64),
    "link_id": sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
    "mahalle": sa.String(length=100), "flagged": sa.Boolean(),
}
PROVINCE = ("survey_key", "period", "province", "service", "flagged")
NATIONAL = ("survey_key", "period", "province", "service", "channel", "flagged")
LOCAL = ("survey_key", "period", "province", "service", "channel", "district", "link_id",
         "mahalle", "flagged")


def _cells(name: str, keys: tuple[str, ...]) -> None:
    op.create_table(
        name,
        *(sa.Column(key, KEY_TYPES[key], nullable=False) for key in keys),
        *(sa.Column(total, sa.Integer() if total in ("n", "satisfied") or total.endswith("_n")
                    else sa.Float(), nullable=False) for total in SUMS),
        sa.PrimaryKeyConstraint(*keys, name=op.f(f"pk_{name}")),
    )


# PostgreSQL samples far too few distinct response ids in a large answers table (on ten
# million responses it guessed 133 answers each, not 7-15) and then reads every answer instead
# of looking up those of a few thousand responses. A response has about fourteen answers.
ANSWERS_PER_RESPONSE = "-0.07"


def upgrade() -> None:
    op.create_index('ix_responses_completed_at', 'responses', ['completed_at'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("ALTER TABLE answers ALTER COLUMN response_id "
                   f"SET (n_distinct = {ANSWERS_PER_RESPONSE})")
    _cells("score_cells", PROVINCE)
    _cells("score_cells_channel", NATIONAL)
    _cells("score_cells_daily", NATIONAL)
    _cells("score_cells_local", LOCAL)
    op.create_table(
        'score_rollups',
        sa.Column('survey_key', sa.String(length=32), nullable=False),
        sa.Column('definition', sa.String(length=500), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('survey_key', name=op.f('pk_score_rollups')),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("ALTER TABLE answers ALTER COLUMN response_id RESET (n_distinct)")
    op.drop_index('ix_responses_completed_at', table_name='responses')
    op.drop_table('score_rollups')
    op.drop_table('score_cells_local')
    op.drop_table('score_cells_daily')
    op.drop_table('score_cells_channel')
    op.drop_table('score_cells')
