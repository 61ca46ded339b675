"""Enrol a patient: the API's enrolment schema and service, with the SMS consent they gave."""

from flask import g, redirect, render_template, url_for

from server import clock
from server.api.patients import measures_to_columns
from server.api.schemas.patients import ConsentCreateSchema, PatientCreateSchema
from server.api.security import client_ip
from server.enums import ConsentAction
from server.extensions import db
from server.measures import CATALOG
from server.models import Clinic
from server.services import patients as patient_service
from server.sms.consent_wording import CONSENT_WORDINGS, CURRENT_WORDING
from server.web import bp
from server.web.form_input import FormRefused, attempt, form_fields, load, whole_numbers
from server.web.patient_choices import form_choices
from server.web.session import staff_page

PATIENT_FIELDS = ("first_name", "external_ref", "phone", "timezone", "language")
CONSENT_FIELDS = ("consent_source", "wording_version")


@bp.get("/patients/new")
@staff_page()
def enrol():
    """The enrolment form, with the clinic's time zone and the current consent wording."""
    clinic = db.session.get(Clinic, g.staff.clinic_id)
    values = {"timezone": clinic.timezone, "measures": [str(m) for m in CATALOG][:1]}
    values |= {"wording_version": CURRENT_WORDING, "consent_source": "intake_form"}
    return _form(values, {})


@bp.post("/patients/new")
@staff_page()
def enrol_post():
    """Enrol the patient (and their consent) in one transaction, or show every error."""
    values = form_fields(PATIENT_FIELDS + CONSENT_FIELDS + ("primary_therapist_id",), ["measures"])
    try:
        patient = _enrol(values)
    except FormRefused as refused:
        return _form(values, refused.errors), 422
    return redirect(url_for("web.patient", patient_id=patient.id))


def _enrol(values: dict):
    """Both schemas checked before anything is written, so every error shows at once."""
    fields, errors = _checked(PatientCreateSchema(), _patient_input(values))
    consent = None
    if values.get("consent_source"):
        consent, consent_errors = _checked(ConsentCreateSchema(), _consent_input(values))
        errors |= {("consent_source" if k == "source" else k): v for k, v in consent_errors.items()}
    if errors:
        raise FormRefused(errors)
    staff, now, ip, columns = g.staff, clock.now(), client_ip(), measures_to_columns(fields)
    return attempt(lambda: patient_service.enrol(staff, columns, now, ip, consent))


def _checked(schema, values: dict) -> tuple[dict, dict]:
    try:
        return load(schema, values), {}
    except FormRefused as refused:
        return {}, refused.errors


def _patient_input(values: dict) -> dict:
    wanted = PATIENT_FIELDS + ("measures", "primary_therapist_id")
    return whole_numbers({k: v for k, v in values.items() if k in wanted}, "primary_therapist_id")


def _consent_input(values: dict) -> dict:
    wording = values.get("wording_version", "")
    if wording and wording not in CONSENT_WORDINGS:
        wording = ""
    fields = {"action": ConsentAction.GRANTED.value, "source": values["consent_source"]}
    return fields | ({"wording_version": wording} if wording else {})


def _form(values: dict, errors: dict):
    choices = form_choices(g.staff.clinic_id)
    return render_template("enrol.html", values=values, errors=errors, **choices)
