"""inbound sweep: index the texts stored but never processed

Revision ID: 0006_inbound_sweep
Revises: 0005
Create Date: 2026-11-30 04:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_inbound_sweep'
down_revision = '0005'
branch_labels = None
depends_on = None

UNPROCESSED = sa.text("direction = 'inbound' AND processed_at IS NULL")


def upgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_unprocessed', ['created_at'], unique=False, postgresql_where=UNPROCESSED, sqlite_where=UNPROCESSED)


def downgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_unprocessed', postgresql_where=UNPROCESSED, sqlite_where=UNPROCESSED)
