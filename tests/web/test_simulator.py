"""The SMS simulator: only with the console gateway; replies go through the webhook's service."""

from sqlalchemy import select

from server.demo.waiting_prompts import leave_prompts_waiting
from server.enums import CheckInStatus, ConsentStatus, Measure
from server.extensions import db
from server.models import CheckIn, Message, Score


def test_absent_unless_texts_go_to_the_console(dashboard, therapist, patient, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_BACKEND", "twilio")
    dashboard.sign_in(therapist)
    assert dashboard.get(f"/patients/{patient.id}/simulator").status_code == 404
    assert dashboard.post(f"/patients/{patient.id}/simulator", {"body": "7"}).status_code == 404
    assert dashboard.post("/simulator/tick").status_code == 404
    assert "SMS simulator" not in dashboard.get(f"/patients/{patient.id}").get_data(as_text=True)


def test_a_waiting_prompt_answered_seven_stores_the_score(
    dashboard, therapist, clinic, patient, clock
):
    assert leave_prompts_waiting(clinic, clock.now) == [patient.id]
    dashboard.sign_in(therapist)
    phone = dashboard.get(f"/patients/{patient.id}/simulator").get_data(as_text=True)
    assert "Northside PT" in phone  # the prompt, as the phone shows it
    assert dashboard.post(f"/patients/{patient.id}/simulator", {"body": "seven"}).status_code == 302
    score = db.session.scalar(select(Score))
    assert (score.value, score.source, score.raw_text) == (7, "sms", "seven")
    checkin = db.session.scalar(select(CheckIn))
    assert score.check_in_id == checkin.id and checkin.answered[0] == Measure.PAIN


def test_stop_opts_out_through_the_same_service(dashboard, therapist, clinic, patient, clock):
    leave_prompts_waiting(clinic, clock.now)
    dashboard.sign_in(therapist)
    dashboard.post(f"/patients/{patient.id}/simulator", {"body": "STOP"})
    db.session.refresh(patient)
    assert patient.consent_status == ConsentStatus.OPTED_OUT
    assert db.session.scalar(select(CheckIn.status)) == CheckInStatus.CANCELLED


def test_empty_reply_stores_nothing(dashboard, therapist, patient):
    dashboard.sign_in(therapist)
    page = dashboard.post(f"/patients/{patient.id}/simulator", {"body": "  "})
    assert page.status_code == 422
    assert 'id="body-error">Type the patient' in page.get_data(as_text=True)
    assert db.session.scalar(select(Message.id)) is None


def test_run_due_jobs_now_runs_the_tick(dashboard, therapist, patient):
    dashboard.sign_in(therapist)
    done = dashboard.post("/simulator/tick", {"patient_id": str(patient.id)})
    assert done.status_code == 302 and "ran=Check-ins" in done.headers["Location"]
