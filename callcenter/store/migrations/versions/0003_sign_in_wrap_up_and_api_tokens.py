"""sign-in, wrap-up dispositions, API tokens, audit actor ids

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 14:18:33.352560
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], name=op.f('fk_api_tokens_created_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_log_actor_id'), ['actor_id'], unique=False)

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disposition', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('notes_enc', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('wrapped_up_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('wrapped_up_by', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_calls_disposition'), ['disposition'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_calls_wrapped_up_by_staff'), 'staff', ['wrapped_up_by'], ['id'])

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('password_hash', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('contact',
               existing_type=sa.VARCHAR(length=140),
               nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_staff_username'), ['username'])



def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_username'), type_='unique')
        batch_op.alter_column('contact',
               existing_type=sa.VARCHAR(length=140),
               nullable=False)
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('password_hash')
        batch_op.drop_column('username')

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_calls_wrapped_up_by_staff'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_calls_disposition'))
        batch_op.drop_column('wrapped_up_by')
        batch_op.drop_column('wrapped_up_at')
        batch_op.drop_column('notes_enc')
        batch_op.drop_column('disposition')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_actor_id'))
        batch_op.drop_column('actor_id')

    op.drop_table('api_tokens')
