"""Treatment sessions and in-clinic scores of a patient."""

from flask import g
from flask_smorest import Blueprint

from server import clock
from server.api.pagination import SelectPage
from server.api.schemas.sessions import (
    ScoreCreateSchema,
    ScoreQuerySchema,
    ScoreSchema,
    SessionCreateSchema,
    SessionSchema,
)
from server.api.scope import audit_read, clinic_patient
from server.api.security import client_ip, staff_required
from server.services import scores, sessions


class SessionPage(SelectPage):
    """A page of sessions, each a RecordedSession: with its in-clinic score and check-ins."""

    @property
    def items(self):
        return sessions.with_details(super().items)


blp = Blueprint(
    "sessions", __name__, url_prefix="/api/v1/patients", description="Treatment sessions and scores"
)


@blp.route("/<int:patient_id>/sessions", methods=["POST"])
@staff_required(blp)
@blp.arguments(SessionCreateSchema)
@blp.response(201, SessionSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def create_session(fields, patient_id):
    """Record a treatment session (and its in-clinic pain score)."""
    patient = clinic_patient(patient_id)
    return sessions.record_session(g.staff, patient, fields, clock.now(), client_ip())


@blp.route("/<int:patient_id>/sessions")
@staff_required(blp)
@blp.response(200, SessionSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
@blp.paginate(SessionPage)
def list_sessions(patient_id):
    """The patient's sessions, newest first."""
    patient = clinic_patient(patient_id)
    audit_read("session.list", patient.id)
    return sessions.sessions_of(patient.id)


@blp.route("/<int:patient_id>/scores", methods=["POST"])
@staff_required(blp)
@blp.arguments(ScoreCreateSchema)
@blp.response(201, ScoreSchema)
@blp.alt_response(404, response="NOT_FOUND")
def create_score(fields, patient_id):
    """Record a score measured in the clinic."""
    patient = clinic_patient(patient_id)
    return sessions.record_clinic_score(g.staff, patient, fields, clock.now(), client_ip())


@blp.route("/<int:patient_id>/scores")
@staff_required(blp)
@blp.arguments(ScoreQuerySchema, location="query")
@blp.response(200, ScoreSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
@blp.paginate(SelectPage)
def list_scores(filters, patient_id):
    """The patient's scores from every source, oldest first."""
    patient = clinic_patient(patient_id)
    audit_read("score.list", patient.id)
    return scores.scores_of(patient.id, filters.get("measure"))
