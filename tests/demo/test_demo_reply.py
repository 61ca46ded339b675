"""`make run`: replying 9 to a demo prompt logs one urgent-flag email on the console backend,
with its link and without any patient data, within one tick."""

import logging

from sqlalchemy import select

from server.demo import seed as demo
from server.extensions import db
from server.models import Clinic, Flag, Patient, Score
from tests.privacy import patient_data


def test_a_reply_of_9_to_a_demo_prompt_logs_one_urgent_email_with_a_link(
    app, client, clock, caplog, notify
):
    lines = []
    demo.seed(12, clock.now, echo=lines.append)
    waiting = [line for line in lines if line.startswith("Check-in awaiting a reply")]
    assert len(waiting) == 2
    sender = db.session.scalar(select(Clinic.sms_sender))
    phone = waiting[0].split()[-3]
    before = set(db.session.scalars(select(Flag.id)))

    form = {"From": phone, "To": sender, "Body": "9", "MessageSid": "SM" + "9" * 32}
    reply = client.post("/sms/inbound", data=form)
    with caplog.at_level(logging.INFO, logger="server.mail.console"):
        report = notify()

    # The 9 answers the pain question: the reply thanks, or asks the check-in's next measure.
    answer = reply.get_data(as_text=True)
    assert "Thank you" in answer or "headache" in answer
    patient = db.session.scalar(select(Patient).where(Patient.phone == phone))
    pain = select(Score.value).where(Score.patient_id == patient.id, Score.source == "sms")
    assert db.session.scalars(pain.where(Score.measure == "pain_nprs")).all()[-1] == 9
    urgent = select(Flag.id).where(Flag.severity == "urgent", Flag.id.not_in(before))
    [new_flag] = db.session.scalars(urgent).all()
    assert report["sent"] == 1
    [email] = [r.getMessage() for r in caplog.records if r.name == "server.mail.console"]
    assert f"https://painline.example/flags/{new_flag}" in email
    assert db.session.scalar(select(Patient.first_name).where(Patient.phone == phone))
    leaks = [kind for kind, pattern in patient_data() if pattern.search(email)]
    assert leaks == []
