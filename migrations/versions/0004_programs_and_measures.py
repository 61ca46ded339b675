"""programs and measures: the catalog's new measures, PSFS activities, condition programs

Existing patients keep pain (+ headache days) as their default: program stays NULL.

Revision ID: 0004_programs_and_measures
Revises: 0003 (cut from 0001; chained after alerts, then after the idempotency result, as main was merged in)
"""
from alembic import op
import sqlalchemy as sa


revision = "0004_programs_and_measures"
down_revision = "0003"
branch_labels = None
depends_on = None

OLD_MEASURES = ("pain_nprs", "headache_days_7d")
NEW_MEASURES = OLD_MEASURES + (
    "headache_intensity", "acute_med_days_7d", "psfs", "activity_interference",
    "sleep_interference", "pgic", "sane",
)
OLD_RULES = (
    "pain_rise", "pain_jump", "pain_severe", "headache_rise", "non_response", "reply_review",
    "phone_invalid",
)
NEW_RULES = OLD_RULES + ("function_drop", "medication_overuse_risk", "sane_low_return")
OLD_RANGES = "(measure = 'pain_nprs' AND value BETWEEN 0 AND 10) OR (measure = 'headache_days_7d' AND value BETWEEN 0 AND 7)"
NEW_RANGES = (
    OLD_RANGES
    + " OR (measure = 'headache_intensity' AND value BETWEEN 0 AND 10)"
    " OR (measure = 'acute_med_days_7d' AND value BETWEEN 0 AND 7)"
    " OR (measure = 'psfs' AND value BETWEEN 0 AND 10)"
    " OR (measure = 'activity_interference' AND value BETWEEN 0 AND 10)"
    " OR (measure = 'sleep_interference' AND value BETWEEN 0 AND 10)"
    " OR (measure = 'pgic' AND value BETWEEN 1 AND 7)"
    " OR (measure = 'sane' AND value BETWEEN 0 AND 100)"
)
ACTIVITY_FOR_PSFS = "(measure = 'psfs') = (activity_id IS NOT NULL)"


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True)


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _foreign_keys(on: bool) -> None:
    # SQLite batch mode rebuilds a table (copy, drop, rename): with enforcement on, dropping a
    # table other rows point at fails. It is off only while this migration runs.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    _upgrade()
    _foreign_keys(True)


def downgrade():
    _foreign_keys(False)
    _downgrade()
    _foreign_keys(True)


def _upgrade():
    op.create_table(
        "psfs_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=35), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"], name=op.f("fk_psfs_activity_clinic_id_clinic")),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], name=op.f("fk_psfs_activity_patient_id_patient")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_psfs_activity")),
    )
    with op.batch_alter_table("psfs_activity") as batch_op:
        batch_op.create_index(batch_op.f("ix_psfs_activity_patient_id"), ["patient_id"], unique=False)
    with op.batch_alter_table("patient") as batch_op:
        batch_op.add_column(sa.Column("program", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("returning_to_sport", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("mcid_by_measure", sa.JSON(), nullable=True))
    with op.batch_alter_table("patient") as batch_op:
        batch_op.alter_column("returning_to_sport", server_default=None)
    with op.batch_alter_table("score") as batch_op:
        batch_op.add_column(sa.Column("activity_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_score_activity_id_psfs_activity"), "psfs_activity", ["activity_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_score_activity_id"), ["activity_id"], unique=False)
        _widen(batch_op, "score", "measure", "measure", OLD_MEASURES, NEW_MEASURES, False)
        batch_op.drop_constraint(op.f("ck_score_value_in_range"), type_="check")
        batch_op.create_check_constraint("value_in_range", sa.text(NEW_RANGES))
        batch_op.create_check_constraint("activity_for_psfs", sa.text(ACTIVITY_FOR_PSFS))
    with op.batch_alter_table("flag") as batch_op:
        _widen(batch_op, "flag", "measure", "measure", OLD_MEASURES, NEW_MEASURES, True)
        _widen(batch_op, "flag", "rule", "flagrule", OLD_RULES, NEW_RULES, False)


def _downgrade():
    with op.batch_alter_table("flag") as batch_op:
        _widen(batch_op, "flag", "rule", "flagrule", NEW_RULES, OLD_RULES, False)
        _widen(batch_op, "flag", "measure", "measure", NEW_MEASURES, OLD_MEASURES, True)
    with op.batch_alter_table("score") as batch_op:
        batch_op.drop_constraint(op.f("ck_score_activity_for_psfs"), type_="check")
        batch_op.drop_constraint(op.f("ck_score_value_in_range"), type_="check")
        batch_op.create_check_constraint("value_in_range", sa.text(OLD_RANGES))
        _widen(batch_op, "score", "measure", "measure", NEW_MEASURES, OLD_MEASURES, False)
        batch_op.drop_index(batch_op.f("ix_score_activity_id"))
        batch_op.drop_constraint(batch_op.f("fk_score_activity_id_psfs_activity"), type_="foreignkey")
        batch_op.drop_column("activity_id")
    with op.batch_alter_table("patient") as batch_op:
        batch_op.drop_column("mcid_by_measure")
        batch_op.drop_column("returning_to_sport")
        batch_op.drop_column("program")
    op.drop_table("psfs_activity")


def _widen(batch_op, table, column, name, old, new, nullable):
    """A VARCHAR enum column with a new list of values: its check constraint and its length."""
    batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
    batch_op.alter_column(
        column,
        existing_type=sa.String(length=max(map(len, old))),
        type_=sa.String(length=max(map(len, new))),
        existing_nullable=nullable,
    )
    batch_op.create_check_constraint(name, sa.text(_in(column, new)))
