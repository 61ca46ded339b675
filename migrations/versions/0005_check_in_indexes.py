"""overview at 20k patients: check-ins by clinic and due time (the funnel's planned count), and
the patient in the clinic/prompted index (the per-therapist figures read it index-only)

Revision ID: 0005
Revises: 0004_programs_and_measures
Create Date: 2026-11-30 06:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004_programs_and_measures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index('ix_check_in_clinic_due', ['clinic_id', 'due_at'], unique=False)
        batch_op.drop_index('ix_check_in_clinic_prompted', postgresql_include=['status', 'completed_at'])
        batch_op.create_index('ix_check_in_clinic_prompted', ['clinic_id', 'prompted_at'], unique=False, postgresql_include=['status', 'completed_at', 'patient_id'])


def downgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index('ix_check_in_clinic_prompted', postgresql_include=['status', 'completed_at', 'patient_id'])
        batch_op.create_index('ix_check_in_clinic_prompted', ['clinic_id', 'prompted_at'], unique=False, postgresql_include=['status', 'completed_at'])
        batch_op.drop_index('ix_check_in_clinic_due')
