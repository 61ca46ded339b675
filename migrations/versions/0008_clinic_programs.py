"""clinic programs: a clinic's changes to its condition programs; weekly check-ins' dates

Revision ID: 0008_clinic_programs
Revises: 0007_dispatcher_heartbeat
"""
from alembic import op
import sqlalchemy as sa


revision = "0008_clinic_programs"
down_revision = "0007_dispatcher_heartbeat"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("clinic") as batch_op:
        batch_op.add_column(sa.Column("programs", sa.JSON(), nullable=True))
    with op.batch_alter_table("check_in") as batch_op:
        batch_op.add_column(sa.Column("week_of", sa.Date(), nullable=True))
        batch_op.create_index("ix_check_in_patient_week", ["patient_id", "week_of"], unique=False)


def downgrade():
    with op.batch_alter_table("check_in") as batch_op:
        batch_op.drop_index("ix_check_in_patient_week")
        batch_op.drop_column("week_of")
    with op.batch_alter_table("clinic") as batch_op:
        batch_op.drop_column("programs")
