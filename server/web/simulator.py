"""The SMS simulator (console gateway only): a patient's phone, answered through the webhook's
own inbound service, and a button that runs the scheduler's tick now."""

import uuid

from flask import current_app, g, redirect, render_template, request, url_for

from server import clock
from server.api.schemas.messages import MessageSchema
from server.api.scope import audit_read, clinic_patient
from server.api.security import client_ip
from server.api.sms_inbound import read_inbound
from server.errors import DomainError, NotFound
from server.extensions import db
from server.jobs.tasks import describe, tick
from server.models import Clinic
from server.services import audit, patient_record
from server.services.conversation.inbound import receive
from server.web import bp
from server.web.session import staff_page

NOTHING_TYPED = "Type the patient's reply."


def _console_only() -> None:
    """The simulator exists only while texts go to the console: absent (404) otherwise."""
    if current_app.config["SMS_BACKEND"] != "console":
        raise NotFound("No such page.")


@bp.get("/patients/<int:patient_id>/simulator")
@staff_page()
def simulator(patient_id):
    """The texts PainLine sent this patient, as their phone shows them, and a reply box."""
    _console_only()
    return _phone(clinic_patient(patient_id), {}, {})


@bp.post("/patients/<int:patient_id>/simulator")
@staff_page()
def simulator_reply(patient_id):
    """Reply as the patient: the same inbound service (storage, parser, flags) as Twilio's."""
    _console_only()
    patient, body = clinic_patient(patient_id), request.form.get("body", "")
    if not body.strip():
        return _phone(patient, {"body": body}, {"body": NOTHING_TYPED}), 422
    clinic = db.session.get(Clinic, patient.clinic_id)
    form = {"MessageSid": "SM" + uuid.uuid4().hex, "From": patient.phone, "Body": body}
    try:
        sms = read_inbound(form | {"To": clinic.sms_sender or ""})
    except DomainError as error:
        return _phone(patient, {"body": body}, {"body": error.detail}), 422
    now = clock.now()
    audit.by_staff(g.staff, "simulator.reply", patient.id, now, client_ip())
    db.session.commit()
    receive(sms, now)
    return redirect(url_for("web.simulator", patient_id=patient_id, _anchor="reply"))


@bp.post("/simulator/tick")
@staff_page()
def simulator_tick():
    """Run every due job once, now: the same tick as `flask jobs tick`."""
    _console_only()
    report = tick()
    summary = f"Check-ins: {describe(report['checkins'])}. Texts: {describe(report['outbox'])}."
    back = request.form.get("patient_id", "")
    if not back.isdigit():
        return redirect(url_for("web.inbox"))
    return redirect(url_for("web.simulator", patient_id=int(back), ran=summary))


def _phone(patient, values: dict, errors: dict):
    audit_read("message.list", patient.id)
    record_messages = db.session.scalars(patient_record.transcript(patient.id)).all()
    clinic = db.session.get(Clinic, patient.clinic_id)
    return render_template(
        "simulator.html",
        patient=patient,
        clinic=clinic,
        messages=MessageSchema(many=True).dump(record_messages),
        rows=record_messages,
        values=values,
        errors=errors,
        ran=request.args.get("ran"),
    )
