"""Operator commands: create-clinic, create-staff, seed-demo, refresh-figures."""

from datetime import timedelta

from server.demo.seed import DEMO_ADMIN, DEMO_PASSWORD
from server.extensions import db
from server.models import CheckIn, Clinic, Patient, Score, Staff


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_create_clinic_and_staff_who_can_then_sign_in(app, client):
    result = run(app, "create-clinic", "--name", "Northside PT", "--help-phone", "617-555-0100")
    assert result.exit_code == 0, result.output
    clinic = db.session.scalars(db.select(Clinic)).one()
    assert clinic.help_phone == "+16175550100"
    result = run(
        app,
        "create-staff",
        "--clinic-id",
        str(clinic.id),
        "--email",
        "a@x.org",
        "--name",
        "Alex",
        "--role",
        "admin",
        "--password",
        "long enough pw",
    )
    assert result.exit_code == 0, result.output
    login = client.post(
        "/api/v1/auth/login", json={"email": "a@x.org", "password": "long enough pw"}
    )
    assert login.status_code == 200


def test_create_clinic_rejects_a_name_too_long_for_sms(app, db):
    result = run(app, "create-clinic", "--name", "N" * 31, "--help-phone", "617-555-0100")
    assert result.exit_code != 0
    assert "name" in result.output
    assert db.session.scalar(db.select(db.func.count(Clinic.id))) == 0


def test_create_staff_rejects_short_passwords_and_unknown_clinics(app, make):
    clinic = make.clinic()
    short = run(
        app,
        "create-staff",
        "--clinic-id",
        str(clinic.id),
        "--email",
        "b@x.org",
        "--name",
        "B",
        "--password",
        "short",
    )
    unknown = run(
        app,
        "create-staff",
        "--clinic-id",
        "999",
        "--email",
        "c@x.org",
        "--name",
        "C",
        "--password",
        "long enough pw",
    )
    assert short.exit_code != 0 and "password" in short.output
    assert unknown.exit_code != 0 and "999" in unknown.output
    assert db.session.scalar(db.select(db.func.count(Staff.id))) == 0


def test_seed_demo_makes_a_usable_clinic_once(app, client):
    result = run(app, "seed-demo")
    assert result.exit_code == 0, result.output
    assert DEMO_ADMIN in result.output
    assert db.session.scalar(db.select(db.func.count(Patient.id))) == 12
    assert db.session.scalar(db.select(db.func.count(Score.id))) > 12 * 5
    statuses = set(db.session.scalars(db.select(CheckIn.status)))
    assert {"completed", "expired"} <= statuses
    again = run(app, "seed-demo", "--if-empty")
    assert "not seeding" in again.output
    assert db.session.scalar(db.select(db.func.count(Patient.id))) == 12
    login = client.post("/api/v1/auth/login", json={"email": DEMO_ADMIN, "password": DEMO_PASSWORD})
    assert login.status_code == 200


def test_refresh_figures_backfills_each_measures_mcid_category(app, make, clinic, clock):
    # A patient scored before the upgrade that added mcid_by_measure: the column is empty.
    patient = make.patient(clinic, program="post_operative")
    activity = make.psfs_activity(patient, "Walking")
    for days_ago, pain, psfs in ((14, 8, 3), (1, 3, 8)):
        at = clock.now - timedelta(days=days_ago)
        make.score(patient, measure="pain_nprs", value=pain, reported_at=at)
        make.score(patient, measure="psfs", value=psfs, reported_at=at, activity_id=activity.id)
    assert patient.mcid_by_measure is None
    result = run(app, "refresh-figures")
    assert result.exit_code == 0, result.output
    assert "figures refreshed in 1 clinic(s)" in result.output
    db.session.refresh(patient)
    assert patient.mcid_by_measure == {"pain_nprs": "much_better", "psfs": "much_better"}
    assert (patient.latest_pain, patient.pain_change) == (3, -5)
