"""dispatcher heartbeat: which dispatcher holds a row in "sending"

Revision ID: 0007_dispatcher_heartbeat
Revises: 0006_inbound_sweep
Create Date: 2026-11-30 04:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_dispatcher_heartbeat'
down_revision = '0006_inbound_sweep'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_column('claimed_by')
