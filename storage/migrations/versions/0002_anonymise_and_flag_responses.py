"""anonymise responses, flag automated ones

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 01:47:40.052705
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flagged_automated', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.alter_column('respondent_id',
               existing_type=sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
               nullable=True)
        batch_op.drop_constraint(batch_op.f('fk_responses_respondent_id_respondents'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_responses_respondent_id_respondents'), 'respondents', ['respondent_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_responses_respondent_id_respondents'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_responses_respondent_id_respondents'), 'respondents', ['respondent_id'], ['id'], ondelete='CASCADE')
        batch_op.alter_column('respondent_id',
               existing_type=sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
               nullable=False)
        batch_op.drop_column('flagged_automated')

