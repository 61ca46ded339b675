"""overview speed: check-ins by clinic, status and prompt time (the weekly chart counts index
ranges), and a patient without MCID categories holds SQL NULL, not JSON null (a JSON null
passed the overview's IS NOT NULL and made it fail)

Revision ID: 0009_overview_speed
Revises: 0008_clinic_programs
Create Date: 2026-11-30 07:40:00

"""
from alembic import op


revision = '0009_overview_speed'
down_revision = '0008_clinic_programs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index('ix_check_in_clinic_status_prompted', ['clinic_id', 'status', 'prompted_at'], unique=False)
    # Written as JSON null by the model before none_as_null (a patient with no category yet).
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE patient SET mcid_by_measure = NULL WHERE json_typeof(mcid_by_measure) = 'null'")
    else:
        op.execute("UPDATE patient SET mcid_by_measure = NULL WHERE mcid_by_measure = 'null'")


def downgrade():
    # SQL NULL reads back as None, as JSON null did: the patients are left as they are.
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index('ix_check_in_clinic_status_prompted')
