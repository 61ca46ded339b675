"""overview speed: a patient without MCID categories holds SQL NULL, not JSON null (the
overview now counts each measure's categories in SQL, and json_each cannot read a JSON null)

Revision ID: 0008_overview_speed
Revises: 0007_dispatcher_heartbeat
Create Date: 2026-11-30 07:40:00

"""
from alembic import op


revision = '0008_overview_speed'
down_revision = '0007_dispatcher_heartbeat'
branch_labels = None
depends_on = None


def upgrade():
    # Written as JSON null by the model before none_as_null (a patient with no category yet).
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE patient SET mcid_by_measure = NULL WHERE json_typeof(mcid_by_measure) = 'null'")
    else:
        op.execute("UPDATE patient SET mcid_by_measure = NULL WHERE mcid_by_measure = 'null'")


def downgrade():
    pass  # SQL NULL reads back as None, as JSON null did
