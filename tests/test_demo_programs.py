"""seed-demo --programs: patients in condition programs whose new charts and flags show."""

from sqlalchemy import select

from server.enums import FlagRule, Measure
from server.extensions import db
from server.models import Flag, Patient, PsfsActivity
from server.services.trends import patient_trends


def seeded(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--patients", "3", "--programs"])
    assert result.exit_code == 0, result.output
    assert "with 8 patients" in result.output
    return {
        p.first_name: p
        for p in db.session.scalars(select(Patient).where(Patient.program.is_not(None)))
    }


def flags_of(patient) -> set[FlagRule]:
    return set(db.session.scalars(select(Flag.rule).where(Flag.patient_id == patient.id)))


def test_the_demo_shows_every_new_flag(app, db, clock):
    patients = seeded(app)
    assert set(patients) == {"Mia", "Pedro", "Fiona", "Nadia", "Andre"}
    assert FlagRule.MEDICATION_OVERUSE_RISK in flags_of(patients["Mia"])
    assert FlagRule.FUNCTION_DROP in flags_of(patients["Nadia"])
    assert FlagRule.SANE_LOW_RETURN in flags_of(patients["Andre"])
    assert flags_of(patients["Pedro"]) == set()


def test_the_post_operative_patients_function_improves_much(app, db, clock):
    pedro = seeded(app)["Pedro"]
    psfs = next(m for m in patient_trends(pedro, clock.now).measures if m.measure == Measure.PSFS)
    assert str(psfs.mcid) == "much_better" and psfs.change.points > 0
    labels = db.session.scalars(
        select(PsfsActivity.label).where(PsfsActivity.patient_id == pedro.id)
    )
    assert len(psfs.activities) == len(list(labels)) == 2


def test_the_fibromyalgia_patient_sleeps_badly(app, db, clock):
    fiona = seeded(app)["Fiona"]
    sleep = next(
        m
        for m in patient_trends(fiona, clock.now).measures
        if m.measure == Measure.SLEEP_INTERFERENCE
    )
    assert sleep.latest.value >= 7 and len(sleep.series) == 5
