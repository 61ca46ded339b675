"""End to end: a session recorded, the day-7 prompt sent through Twilio, answered by SMS."""

from server.enums import CheckInStatus, Role
from server.extensions import db
from server.models import CheckIn, Score
from tests.services.conversation.conftest import (
    PUBLIC_BASE_URL,
    new_sid,
    reply_of,
    twilio_signature,
)


def test_session_to_day7_prompt_to_answers_by_sms(app, client, make, clock, sms):
    clinic = make.clinic(name="Northside PT", timezone="America/New_York")
    headers = make.staff_token(make.staff(clinic, role=Role.THERAPIST))
    patient = make.patient(clinic, first_name="Ana", tracks_headache=True)
    session = client.post(
        f"/api/v1/patients/{patient.id}/sessions",
        json={"occurred_at": "2026-12-01T14:00:00Z"},
        headers=headers,
    )
    assert session.status_code == 201, session.get_json()
    [day7] = [c for c in session.get_json()["checkins"] if c["kind"] == "day7"]

    clock.set(day7["due_at"])  # the scheduler ticks at the day-7 send time
    ticked = app.test_cli_runner().invoke(args=["jobs", "tick", "--at", day7["due_at"]])
    assert ticked.exit_code == 0, ticked.output
    [prompt] = [m for m in sms.messages if m["To"] == patient.phone]
    assert prompt["Body"].startswith("Northside PT: ") and "AVERAGE pain" in prompt["Body"]
    assert prompt["From"] == clinic.sms_sender

    clock.advance(minutes=20)
    assert "how many days did you have a headache" in reply_of(
        text(client, sms, patient, clinic, "six")
    )
    assert scores_of(patient) == [("pain_nprs", 6)]
    clock.advance(minutes=2)
    assert reply_of(text(client, sms, patient, clinic, "2")).startswith("Northside PT: Thank you")
    assert scores_of(patient) == [("pain_nprs", 6), ("headache_days_7d", 2)]
    checkin = db.session.get(CheckIn, day7["id"], populate_existing=True)
    assert checkin.status == CheckInStatus.COMPLETED and checkin.completed_at == clock.now


def text(client, sms, patient, clinic, body: str):
    """The patient's reply, delivered by Twilio to the webhook with Twilio's signature."""
    params = {"MessageSid": new_sid(), "From": patient.phone, "To": clinic.sms_sender, "Body": body}
    signature = twilio_signature(PUBLIC_BASE_URL + "/sms/inbound", params, token=sms.auth_token)
    return client.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": signature})


def scores_of(patient) -> list[tuple[str, int]]:
    query = db.select(Score.measure, Score.value).where(Score.patient_id == patient.id)
    return [(str(m), v) for m, v in db.session.execute(query.order_by(Score.id))]
