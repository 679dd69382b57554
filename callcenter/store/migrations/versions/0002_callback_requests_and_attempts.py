"""callback requests and attempts; how long a call was held

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 12:34:33.017898
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('callback_attempts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('request_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('staff_call_sid', sa.String(length=40), nullable=True),
    sa.Column('caller_call_sid', sa.String(length=40), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('answered_by', sa.String(length=30), nullable=True),
    sa.Column('voicemail_left', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['callback_requests.id'], name=op.f('fk_callback_attempts_request_id_callback_requests')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_callback_attempts_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback_attempts'))
    )
    with op.batch_alter_table('callback_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_attempts_deadline_at'), ['deadline_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_attempts_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_attempts_staff_call_sid'), ['staff_call_sid'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_attempts_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_attempts_state'), ['state'], unique=False)

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_seconds', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('callback_requested', sa.Boolean(), nullable=False, server_default=sa.false()))

    # Rows from before this revision get the values a new request gets.
    with op.batch_alter_table('callback_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_call_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('line', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('time_zones', sa.String(length=400), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('preferred', sa.String(length=20), nullable=False, server_default='asap'))
        batch_op.add_column(sa.Column('consent_voicemail', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('consent_name', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('consent_any_time', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('first_name_enc', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('insurance_enc', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('recording_sid', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('current_attempt_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_outcome', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('assigned_staff_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_reason', sa.String(length=200), nullable=True))
        batch_op.create_index('ix_callback_requests_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_requests_original_call_at'), ['original_call_at'], unique=False)
        batch_op.create_index('uq_callback_requests_open_number', ['number_hash'], unique=True, sqlite_where=sa.text("status IN ('pending', 'in_progress')"), postgresql_where=sa.text("status IN ('pending', 'in_progress')"))
        batch_op.create_foreign_key(batch_op.f('fk_callback_requests_assigned_staff_id_staff'), 'staff', ['assigned_staff_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_callback_requests_merged_into_id_callback_requests'), 'callback_requests', ['merged_into_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('callback_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_callback_requests_merged_into_id_callback_requests'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_callback_requests_assigned_staff_id_staff'), type_='foreignkey')
        batch_op.drop_index('uq_callback_requests_open_number', sqlite_where=sa.text("status IN ('pending', 'in_progress')"), postgresql_where=sa.text("status IN ('pending', 'in_progress')"))
        batch_op.drop_index(batch_op.f('ix_callback_requests_original_call_at'))
        batch_op.drop_index('ix_callback_requests_due')
        batch_op.drop_column('closed_reason')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('assigned_staff_id')
        batch_op.drop_column('last_outcome')
        batch_op.drop_column('current_attempt_id')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('recording_sid')
        batch_op.drop_column('insurance_enc')
        batch_op.drop_column('first_name_enc')
        batch_op.drop_column('consent_any_time')
        batch_op.drop_column('consent_name')
        batch_op.drop_column('consent_voicemail')
        batch_op.drop_column('preferred')
        batch_op.drop_column('time_zones')
        batch_op.drop_column('language')
        batch_op.drop_column('line')
        batch_op.drop_column('original_call_at')

    with op.batch_alter_table('callback_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_attempts_state'))
        batch_op.drop_index(batch_op.f('ix_callback_attempts_staff_id'))
        batch_op.drop_index(batch_op.f('ix_callback_attempts_staff_call_sid'))
        batch_op.drop_index(batch_op.f('ix_callback_attempts_request_id'))
        batch_op.drop_index(batch_op.f('ix_callback_attempts_deadline_at'))

    op.drop_table('callback_attempts')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('callback_requested')
        batch_op.drop_column('held_seconds')
