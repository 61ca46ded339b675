"""One patient's course: charts per measure, flags, check-in timeline, texts and downloads."""

from flask import Response, current_app, g, json, render_template, stream_with_context

from server import clock
from server.api.schemas.messages import MessageSchema
from server.api.scope import audit_read, clinic_patient
from server.enums import Resolution, Role
from server.extensions import db
from server.models import Patient
from server.services import exports, fhir, patient_record
from server.services.scores import scores_of
from server.web import bp
from server.web.charts import chart_data
from server.web.patient_choices import patient_form_state
from server.web.session import staff_page
from server.web.wording import staff_names

# The API reads this page mirrors, each audited under the API's own action.
PAGE_READS = ("patient.read", "trends.read", "flag.list", "checkin.list", "message.list")


@bp.get("/patients/<int:patient_id>")
@staff_page()
def patient(patient_id):
    """Charts, flags, check-ins and the SMS conversation of one patient of the clinic."""
    return render_patient(clinic_patient(patient_id))


def render_patient(found: Patient, form: str | None = None, errors=None, values=None) -> str:
    """The patient page, audited as the API reads it mirrors; `form` redrawn with its errors."""
    for action in PAGE_READS:
        audit_read(action, found.id)
    record = patient_record.record_of(found, clock.now())
    charts = chart_data(record.trends, record.rules, record.unsolicited)
    messages = MessageSchema(many=True).dump(record.messages)  # sign-in codes hidden, as in the API
    return render_template(
        "patient.html",
        record=record,
        charts=charts,
        messages=messages,
        staff=staff_names(found.clinic_id),
        resolutions=list(Resolution),
        forms=patient_form_state(found, form, errors or {}, values or {}),
    )


@bp.get("/patients/<int:patient_id>/fhir.json")
@staff_page()
def patient_fhir(patient_id):
    """The patient's scores as a FHIR R4 Bundle, downloaded."""
    found = clinic_patient(patient_id)
    audit_read("fhir.export", found.id)
    scores = db.session.scalars(scores_of(found.id)).all()
    bundle = fhir.patient_bundle(found, scores, current_app.config["PUBLIC_BASE_URL"], clock.now())
    filename = f"painline-patient-{found.id}.fhir.json"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(json.dumps(bundle), mimetype="application/fhir+json", headers=headers)


@bp.get("/patients/<int:patient_id>/scores.csv")
@staff_page()
def patient_csv(patient_id):
    """The patient's scores as CSV (the clinic export's columns, this patient only)."""
    found = clinic_patient(patient_id)
    clinic_id, found_id = found.clinic_id, found.id
    audit_read("export.scores_csv", found_id)
    return _csv(exports.scores_csv(clinic_id, patient_id=found_id), f"patient-{found_id}")


@bp.get("/exports/scores.csv")
@staff_page(Role.ADMIN)
def clinic_csv():
    """Every score of the clinic as CSV: admins only, as in the API (a bulk disclosure)."""
    clinic_id = g.staff.clinic_id
    audit_read("export.scores_csv")
    return _csv(exports.scores_csv(clinic_id), "scores")


def _csv(rows, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="painline-{name}.csv"'}
    return Response(stream_with_context(rows), mimetype="text/csv", headers=headers)
