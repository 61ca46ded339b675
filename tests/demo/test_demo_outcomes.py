"""seed-demo evaluates flags and list figures, so the dashboard has something to show."""

from sqlalchemy import func, select

from server.models import Flag, Patient, Score


def test_seeded_demo_patients_have_flags_and_list_figures(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--patients", "20"])
    assert result.exit_code == 0, result.output
    compared = db.session.scalar(select(func.count()).where(Patient.pain_change.is_not(None)))
    assert compared >= 15
    assert db.session.scalar(select(func.count(Flag.id))) > 0
    assert set(db.session.scalars(select(Flag.rule_version))) == {"v1"}


def test_weeks_gives_about_fifty_scores_per_patient(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--patients", "10", "--weeks", "16"])
    assert result.exit_code == 0, result.output
    per_patient = db.session.scalar(select(func.count(Score.id))) / 10
    assert 40 <= per_patient <= 60
    first = db.session.scalar(select(func.min(Score.reported_at)))
    last = db.session.scalar(select(func.max(Score.reported_at)))
    assert (last - first).days >= 15 * 7
