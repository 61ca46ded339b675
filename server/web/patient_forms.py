"""The patient page's forms: sessions, in-clinic scores, consent, care and details.

Each loads the posted form into the API's schema and calls the API's service; a refusal redraws
the page with every error next to its field and the typed values, and writes nothing.
"""

from flask import g, redirect, url_for

from server import clock
from server.api.patients import measures_to_columns
from server.api.schemas.patients import ConsentCreateSchema, PatientUpdateSchema
from server.api.schemas.sessions import ScoreCreateSchema, SessionCreateSchema
from server.api.scope import clinic_patient
from server.api.security import client_ip
from server.services import patients, sessions
from server.web import bp
from server.web.form_input import FormRefused, attempt, form_fields, instant, load, whole_numbers
from server.web.patient_page import render_patient
from server.web.session import staff_page
from server.web.wording import clinic_zone

FIELDS = {
    "session": (("occurred_at", "regions", "in_clinic_pain"), ()),
    "score": (("measure", "value", "reported_at"), ()),
    "consent": (("action", "source", "wording_version", "note"), ()),
    "care": (("care_status",), ()),
    "discharge": ((), ()),
    "details": (
        ("first_name", "external_ref", "phone", "timezone", "language", "primary_therapist_id"),
        ("measures",),
    ),
}


@bp.post("/patients/<int:patient_id>/<any(session, score, consent, care, discharge, details):form>")
@staff_page()
def patient_form(patient_id, form):
    """Apply one of the patient page's forms, then show the page (the result highlighted)."""
    patient = clinic_patient(patient_id)
    values = form_fields(*FIELDS[form])
    try:
        shown = CHANGES[form](patient, values) or {}
    except FormRefused as refused:
        return render_patient(patient, form, refused.errors, values), 422
    target = url_for("web.patient", patient_id=patient_id, done=form, **shown, _anchor=form)
    return redirect(target)


def _session(patient, values: dict) -> dict:
    regions = [r.strip() for r in values.get("regions", "").split(",") if r.strip()]
    posted = values | {"regions": regions, "occurred_at": _instant(values, "occurred_at")}
    fields = load(SessionCreateSchema(), whole_numbers(posted, "in_clinic_pain"))
    return {"recorded": _act(sessions.record_session, patient, fields).session.id}


def _score(patient, values: dict) -> None:
    posted = dict(values)
    if values.get("reported_at"):
        posted["reported_at"] = _instant(values, "reported_at")
    fields = load(ScoreCreateSchema(), whole_numbers(posted, "value"))
    _act(sessions.record_clinic_score, patient, fields)


def _consent(patient, values: dict) -> None:
    _act(patients.record_consent, patient, load(ConsentCreateSchema(), values))


def _details(patient, values: dict) -> None:
    posted = {"primary_therapist_id": None} | whole_numbers(values, "primary_therapist_id")
    fields = measures_to_columns(load(PatientUpdateSchema(), posted))
    _act(patients.update, patient, fields)


def _care(patient, values: dict) -> None:
    _act(patients.update, patient, load(PatientUpdateSchema(), values))


def _discharge(patient, _values: dict) -> None:
    _act(patients.discharge, patient)


CHANGES = {
    "session": _session,
    "score": _score,
    "consent": _consent,
    "care": _care,
    "discharge": _discharge,
    "details": _details,
}


def _act(service, patient, *fields):
    """Call the API's service as the signed-in staff member, now, from this address."""
    return attempt(lambda: service(g.staff, patient, *fields, clock.now(), client_ip()))


def _instant(values: dict, name: str) -> str:
    return instant(values.get(name, ""), clinic_zone())
