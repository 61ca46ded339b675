"""A patient's trends, and their scores as a FHIR R4 Bundle for the EHR."""

from flask import Response, current_app, json
from flask_smorest import Blueprint

from server import clock
from server.api.schemas.examples.clinic import FHIR_BUNDLE
from server.api.schemas.trends import PatientTrendsSchema
from server.api.scope import audit_read, clinic_patient
from server.api.security import staff_required
from server.extensions import db
from server.services import fhir, trends
from server.services.scores import scores_of

blp = Blueprint(
    "trends", __name__, url_prefix="/api/v1/patients", description="Trends and FHIR export"
)
FHIR_JSON = "application/fhir+json"
BUNDLE_DOC = {
    "description": "FHIR R4 Bundle (type collection): the Patient and one Observation per score",
    "content": {FHIR_JSON: {"schema": {"type": "object", "required": ["resourceType", "type"]},
                            "example": FHIR_BUNDLE}},
}


@blp.route("/<int:patient_id>/trends")
@staff_required(blp)
@blp.response(200, PatientTrendsSchema)
@blp.alt_response(404, response="NOT_FOUND")
def patient_trends(patient_id):
    """Per measure: series, session markers, baseline, latest, change, MCID, best, mean."""
    patient = clinic_patient(patient_id)
    audit_read("trends.read", patient.id)
    return trends.patient_trends(patient, clock.now())


@blp.route("/<int:patient_id>/fhir")
@staff_required(blp)
@blp.doc(responses={"200": BUNDLE_DOC})
@blp.alt_response(404, response="NOT_FOUND")
def patient_fhir(patient_id):
    """The patient's scores as a FHIR R4 Bundle (application/fhir+json)."""
    patient = clinic_patient(patient_id)
    audit_read("fhir.export", patient.id)
    scores = db.session.scalars(scores_of(patient.id)).all()
    base_url = current_app.config["PUBLIC_BASE_URL"]
    bundle = fhir.patient_bundle(patient, scores, base_url, clock.now())
    return Response(json.dumps(bundle), mimetype=FHIR_JSON)
