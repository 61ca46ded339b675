"""The Alembic migrations build exactly the schema the models describe, constraints included."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from server.models import Flag


def test_migrations_match_the_models(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def _flag(patient, status, clock):
    return Flag(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        rule="pain_jump",
        rule_version="v1",
        severity="warning",
        reason="r",
        status=status,
        opened_at=clock(),
        updated_at=clock(),
    )


def test_database_allows_one_active_flag_per_patient_and_rule(db, make, clock):
    patient = make.patient(make.clinic())
    db.session.add_all(
        [
            _flag(patient, "resolved", clock),
            _flag(patient, "resolved", clock),
            _flag(patient, "open", clock),
        ]
    )
    db.session.commit()
    db.session.add(_flag(patient, "acknowledged", clock))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_database_refuses_an_out_of_range_score(db, make):
    patient = make.patient(make.clinic())
    with pytest.raises(IntegrityError):
        make.score(patient, measure="headache_days_7d", value=8)
