"""A patient's PSFS activities: named by staff with the patient, asked one per check-in SMS."""

from flask import g
from flask_smorest import Blueprint

from server import clock
from server.api.schemas.psfs import (
    PsfsActivityCreateSchema,
    PsfsActivitySchema,
    PsfsActivityUpdateSchema,
)
from server.api.scope import audit_read, clinic_patient
from server.api.security import client_ip, staff_required
from server.errors import NotFound
from server.extensions import db
from server.models import PsfsActivity
from server.services import psfs_activities

blp = Blueprint(
    "psfs_activities",
    __name__,
    url_prefix="/api/v1/patients",
    description="Patient-Specific Functional Scale activities of a patient",
)


@blp.route("/<int:patient_id>/psfs-activities")
@staff_required(blp)
@blp.response(200, PsfsActivitySchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_activities(patient_id):
    """The activities asked now, in the order they were named."""
    patient = clinic_patient(patient_id)
    audit_read("psfs_activity.list", patient.id)
    return psfs_activities.active(patient.id)


@blp.route("/<int:patient_id>/psfs-activities", methods=["POST"])
@staff_required(blp)
@blp.arguments(PsfsActivityCreateSchema)
@blp.response(201, PsfsActivitySchema)
@blp.alt_response(404, response="NOT_FOUND")
def create_activity(fields, patient_id):
    """Name an activity (1 to 3 per patient)."""
    patient = clinic_patient(patient_id)
    return psfs_activities.add(patient, fields["label"], g.staff, clock.now(), client_ip())


@blp.route("/<int:patient_id>/psfs-activities/<int:activity_id>", methods=["PATCH"])
@staff_required(blp)
@blp.arguments(PsfsActivityUpdateSchema)
@blp.response(200, PsfsActivitySchema)
@blp.alt_response(404, response="NOT_FOUND")
def relabel_activity(fields, patient_id, activity_id):
    """Relabel an activity; its id and its scores stay."""
    activity = _activity_of(clinic_patient(patient_id).id, activity_id)
    psfs_activities.relabel(activity, fields["label"], g.staff, clock.now(), client_ip())
    return activity


@blp.route("/<int:patient_id>/psfs-activities/<int:activity_id>/retire", methods=["POST"])
@staff_required(blp)
@blp.response(200, PsfsActivitySchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
@blp.doc(operationId="retirePsfsActivity")
def retire_activity(patient_id, activity_id):
    """Stop asking an activity; it and its scores stay in the history (a second time: 409)."""
    activity = _activity_of(clinic_patient(patient_id).id, activity_id)
    psfs_activities.retire(activity, g.staff, clock.now(), client_ip())
    return activity


def _activity_of(patient_id: int, activity_id: int) -> PsfsActivity:
    activity = db.session.get(PsfsActivity, activity_id)
    if activity is None or activity.patient_id != patient_id:
        raise NotFound("No such activity.")
    return activity
