"""Patients of the caller's clinic: list, enrol, read, update, consent, discharge."""

from flask import g
from flask_smorest import Blueprint

from server import clock
from server.api.pagination import SelectPage
from server.api.schemas.patients import (
    ConsentCreateSchema,
    ConsentEventSchema,
    PatientCreateSchema,
    PatientListItemSchema,
    PatientQuerySchema,
    PatientSchema,
    PatientUpdateSchema,
)
from server.api.scope import audit_read, clinic_patient
from server.api.security import client_ip, staff_required
from server.enums import Measure
from server.extensions import db
from server.services import consent, patient_list, patients

blp = Blueprint(
    "patients",
    __name__,
    url_prefix="/api/v1/patients",
    description="Patients of the caller's clinic",
)


def measures_to_columns(fields: dict) -> dict:
    """The schema's `measures` as the patient's columns (the dashboard's forms use it too)."""
    if "measures" in fields:
        fields["tracks_headache"] = Measure.HEADACHE_DAYS in fields.pop("measures")
    return fields


@blp.route("")
@staff_required(blp)
@blp.arguments(PatientQuerySchema, location="query")
@blp.response(200, PatientListItemSchema(many=True))
@blp.paginate(SelectPage)
def list_patients(filters):
    """Patients with latest pain, change, MCID and open flags; filter, and sort e.g. -change."""
    query = patient_list.patients_with_outcomes(g.staff.clinic_id, filters)
    audit_read("patient.list", filters={k: str(v) for k, v in filters.items()})
    return query


@blp.route("", methods=["POST"])
@staff_required(blp)
@blp.arguments(PatientCreateSchema)
@blp.response(201, PatientSchema)
@blp.alt_response(409, response="CONFLICT")
def create_patient(fields):
    """Enrol a patient (SMS consent starts as pending)."""
    return patients.enrol(g.staff, measures_to_columns(fields), clock.now(), client_ip())


@blp.route("/<int:patient_id>")
@staff_required(blp)
@blp.response(200, PatientSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_patient(patient_id):
    """One patient."""
    patient = clinic_patient(patient_id)
    audit_read("patient.read", patient.id)
    return patient


@blp.route("/<int:patient_id>", methods=["PATCH"])
@staff_required(blp)
@blp.arguments(PatientUpdateSchema)
@blp.response(200, PatientSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def update_patient(fields, patient_id):
    """Change a patient's details, or pause / reactivate their check-ins."""
    patient = clinic_patient(patient_id)
    return patients.update(g.staff, patient, measures_to_columns(fields), clock.now(), client_ip())


@blp.route("/<int:patient_id>/consent", methods=["POST"])
@staff_required(blp)
@blp.arguments(ConsentCreateSchema)
@blp.response(201, ConsentEventSchema)
@blp.alt_response(404, response="NOT_FOUND")
def record_consent(fields, patient_id):
    """Record SMS consent given or revoked (appended to the consent log)."""
    patient = clinic_patient(patient_id)
    return patients.record_consent(g.staff, patient, fields, clock.now(), client_ip())


@blp.route("/<int:patient_id>/consent")
@staff_required(blp)
@blp.response(200, ConsentEventSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def consent_history(patient_id):
    """The patient's consent log, oldest first."""
    patient = clinic_patient(patient_id)
    events = db.session.scalars(consent.history(patient.id)).all()
    audit_read("patient.consent.read", patient.id)
    return events


@blp.route("/<int:patient_id>/discharge", methods=["POST"])
@staff_required(blp)
@blp.response(200, PatientSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def discharge(patient_id):
    """Discharge the patient from care."""
    patient = clinic_patient(patient_id)
    return patients.discharge(g.staff, patient, clock.now(), client_ip())
