"""call log indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 14:34:08.921644
"""
from __future__ import annotations

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index('ix_calls_caller_hash_received_at', ['caller_hash', 'received_at'], unique=False)
        batch_op.create_index('ix_calls_outcome_received_at', ['outcome', 'received_at'], unique=False)
        batch_op.create_index('ix_calls_staff_id_received_at', ['staff_id', 'received_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index('ix_calls_staff_id_received_at')
        batch_op.drop_index('ix_calls_outcome_received_at')
        batch_op.drop_index('ix_calls_caller_hash_received_at')

