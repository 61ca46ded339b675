"""A patient's check-ins, and the clinic's check-in policy (admins)."""

from flask import g
from flask_smorest import Blueprint

from server import clock
from server.api.pagination import SelectPage
from server.api.schemas.checkins import CheckInPolicySchema, CheckInQuerySchema, CheckInSchema
from server.api.scope import audit_read, clinic_patient
from server.api.security import client_ip, staff_required
from server.enums import Role
from server.extensions import db
from server.models import Clinic
from server.services import clinic_settings
from server.services.checkins import planning as checkins

blp = Blueprint(
    "checkins", __name__, url_prefix="/api/v1", description="Check-ins and the check-in policy"
)


@blp.route("/patients/<int:patient_id>/checkins")
@staff_required(blp)
@blp.arguments(CheckInQuerySchema, location="query")
@blp.response(200, CheckInSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
@blp.paginate(SelectPage)
def list_checkins(filters, patient_id):
    """The patient's check-ins, latest due first; filter by status."""
    patient = clinic_patient(patient_id)
    audit_read("checkin.list", patient.id, **{k: str(v) for k, v in filters.items()})
    statuses = [filters["status"]] if "status" in filters else []
    return checkins.checkins_of(patient.id, *statuses)


@blp.route("/clinic/checkin-policy")
@staff_required(blp, Role.ADMIN)
@blp.response(200, CheckInPolicySchema)
def get_policy():
    """Which check-ins the clinic plans after sessions and discharges (admins)."""
    return clinic_settings.policy_of(db.session.get(Clinic, g.staff.clinic_id))


@blp.route("/clinic/checkin-policy", methods=["PUT"])
@staff_required(blp, Role.ADMIN)
@blp.arguments(CheckInPolicySchema)
@blp.response(200, CheckInPolicySchema)
def put_policy(data):
    """Replace the clinic's check-in policy; it applies to sessions recorded from now on."""
    return clinic_settings.update_policy(g.staff, data, clock.now(), client_ip())
