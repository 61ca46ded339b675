"""CheckIn.measures and .answered are typed: Measure in, Measure out, unknown names refused."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import StatementError

from server.enums import Measure
from server.extensions import db
from server.models import CheckIn


def _checkin(patient, clock, measures) -> CheckIn:
    return CheckIn(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        kind="day7",
        measures=measures,
        due_at=clock.now,
        window_end=clock.now + timedelta(hours=48),
        created_at=clock.now,
    )


def test_measures_come_back_as_measures_in_the_order_asked(patient, clock):
    checkin = _checkin(patient, clock, [Measure.HEADACHE_DAYS, "pain_nprs"])
    db.session.add(checkin)
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(CheckIn, checkin.id)
    assert stored.measures == [Measure.HEADACHE_DAYS, Measure.PAIN]
    assert all(type(m) is Measure for m in stored.measures)
    assert stored.answered == []


def test_an_unknown_measure_is_refused_on_write(patient, clock):
    db.session.add(_checkin(patient, clock, ["pain_nprs", "mood"]))
    with pytest.raises(StatementError):
        db.session.flush()
    db.session.rollback()
