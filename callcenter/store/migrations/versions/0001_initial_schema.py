"""staff, calls, call events, callbacks and audit

Revision ID: 0001
Revises:
Create Date: 2026-11-29 11:57:53.108171
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.String(length=80), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('blocked_numbers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number_hash', sa.String(length=64), nullable=False),
    sa.Column('number_enc', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocked_numbers')),
    sa.UniqueConstraint('number_hash', name=op.f('uq_blocked_numbers_number_hash'))
    )
    op.create_table('call_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('call_sid', sa.String(length=40), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_events')),
    sa.UniqueConstraint('key', name=op.f('uq_call_events_key'))
    )
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_events_at'), ['at'], unique=False)
        batch_op.create_index('ix_call_events_call_sid_at', ['call_sid', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_events_event'), ['event'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_events_staff_id'), ['staff_id'], unique=False)

    op.create_table('callback_requests',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('number_hash', sa.String(length=64), nullable=False),
    sa.Column('number_enc', sa.Text(), nullable=False),
    sa.Column('call_sid', sa.String(length=40), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback_requests'))
    )
    with op.batch_alter_table('callback_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_requests_call_sid'), ['call_sid'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_requests_number_hash'), ['number_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_requests_status'), ['status'], unique=False)

    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('contact', sa.String(length=140), nullable=False),
    sa.Column('languages', sa.String(length=100), nullable=False),
    sa.Column('lines', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    op.create_table('call_legs',
    sa.Column('sid', sa.String(length=40), nullable=False),
    sa.Column('call_sid', sa.String(length=40), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_call_legs_staff_id_staff')),
    sa.PrimaryKeyConstraint('sid', name=op.f('pk_call_legs'))
    )
    with op.batch_alter_table('call_legs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_legs_call_sid'), ['call_sid'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_legs_staff_id'), ['staff_id'], unique=False)

    op.create_table('calls',
    sa.Column('sid', sa.String(length=40), nullable=False),
    sa.Column('direction', sa.String(length=20), nullable=False),
    sa.Column('line', sa.String(length=40), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('caller_hash', sa.String(length=64), nullable=True),
    sa.Column('caller_enc', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('wait_seconds', sa.Float(), nullable=True),
    sa.Column('talk_seconds', sa.Integer(), nullable=True),
    sa.Column('voicemail', sa.Boolean(), nullable=False),
    sa.Column('overflowed', sa.Boolean(), nullable=False),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_calls_staff_id_staff')),
    sa.PrimaryKeyConstraint('sid', name=op.f('pk_calls'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_caller_hash'), ['caller_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_staff_id'), ['staff_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_staff_id'))
        batch_op.drop_index(batch_op.f('ix_calls_received_at'))
        batch_op.drop_index(batch_op.f('ix_calls_outcome'))
        batch_op.drop_index(batch_op.f('ix_calls_caller_hash'))

    op.drop_table('calls')
    with op.batch_alter_table('call_legs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_legs_staff_id'))
        batch_op.drop_index(batch_op.f('ix_call_legs_call_sid'))

    op.drop_table('call_legs')
    op.drop_table('staff')
    with op.batch_alter_table('callback_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_requests_status'))
        batch_op.drop_index(batch_op.f('ix_callback_requests_number_hash'))
        batch_op.drop_index(batch_op.f('ix_callback_requests_call_sid'))

    op.drop_table('callback_requests')
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_events_staff_id'))
        batch_op.drop_index(batch_op.f('ix_call_events_event'))
        batch_op.drop_index('ix_call_events_call_sid_at')
        batch_op.drop_index(batch_op.f('ix_call_events_at'))

    op.drop_table('call_events')
    op.drop_table('blocked_numbers')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
