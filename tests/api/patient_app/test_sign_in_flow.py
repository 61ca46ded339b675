"""The whole app journey: the code goes out through the outbox dispatcher to (fake) Twilio.

`sms` (tests/conftest.py) points the app's twilio gateway, real SDK, at a fake Twilio on loopback;
`tick()` is one run of the scheduler's jobs, the dispatcher included.
"""

from sqlalchemy import select
from twilio.request_validator import RequestValidator

from server.extensions import db
from server.jobs.tasks import tick
from server.models import Score
from tests.api.patient_app.conftest import code_in, otp_messages


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_patient_signs_in_with_the_texted_code_and_answers_a_checkin(
    client, clinic, patient, add_checkin, sms
):
    checkin = add_checkin(patient, measures=["pain_nprs"])
    started = client.post("/api/v1/patient-auth/start", json={"phone": "617-555-1234"})
    assert started.status_code == 202
    tick()  # what the scheduler's dispatch job does every JOBS_DISPATCH_SECONDS
    [sent] = sms.messages
    assert (sent["To"], sent["From"]) == (patient.phone, clinic.sms_sender)
    assert sent["Body"].startswith("Northside PT: Your sign-in code is ")
    assert sent["ValidityPeriod"] == "600"  # a code that arrives after it expired is useless
    [row] = otp_messages()
    assert row.sent_at is not None and row.twilio_sid.startswith("SM")

    verify = {"phone": patient.phone, "code": code_in(sent["Body"])}
    token = client.post("/api/v1/patient-auth/verify", json=verify).get_json()["token"]
    assert client.get("/api/v1/me", headers=bearer(token)).get_json()["first_name"] == "Ana"
    [open_checkin] = client.get("/api/v1/me/checkins", headers=bearer(token)).get_json()
    assert open_checkin["id"] == checkin.id
    answer = client.post(
        f"/api/v1/me/checkins/{open_checkin['id']}/answers",
        json={"pain_nprs": 3},
        headers=bearer(token),
    )
    assert answer.get_json()["check_in"]["status"] == "completed"
    assert client.get("/api/v1/me/checkins", headers=bearer(token)).get_json() == []
    assert client.post("/api/v1/patient-auth/logout", headers=bearer(token)).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_an_unknown_phone_gets_the_same_answer_and_twilio_gets_nothing(client, patient, sms):
    response = client.post("/api/v1/patient-auth/start", json={"phone": "+16175550000"})
    assert response.status_code == 202
    tick()
    assert sms.attempts == []


def test_codes_go_out_at_night_too_since_the_patient_just_asked(client, clock, patient, sms):
    clock.set("2026-12-02T08:00:00Z")  # 03:00 in Boston: check-in texts would wait
    client.post("/api/v1/patient-auth/start", json={"phone": patient.phone})
    tick()
    assert [m["To"] for m in sms.messages] == [patient.phone]


def test_a_text_reply_after_the_app_answered_is_kept_as_late_and_overwrites_nothing(
    client, app, clinic, patient, headers, add_checkin, sms
):
    checkin = add_checkin(patient, measures=["pain_nprs"])
    client.post(f"/api/v1/me/checkins/{checkin.id}/answers", json={"pain_nprs": 3}, headers=headers)
    text = {"MessageSid": "SM" + "1" * 32, "From": patient.phone, "To": clinic.sms_sender,
            "Body": "7", "AccountSid": sms.account_sid, "NumMedia": "0"}  # fmt: skip
    url = app.config["PUBLIC_BASE_URL"] + "/sms/inbound"
    signature = RequestValidator(sms.auth_token).compute_signature(url, text)
    reply = client.post("/sms/inbound", data=text, headers={"X-Twilio-Signature": signature})
    assert reply.status_code == 200
    stored = db.session.execute(select(Score.value, Score.source, Score.late).order_by(Score.id))
    assert stored.all() == [(3, "app", False), (7, "sms", True)]
