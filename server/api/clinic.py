"""The clinic overview for the dashboard."""

from flask import g
from flask_smorest import Blueprint

from server import clock
from server.api.schemas.clinic import ClinicOverviewSchema
from server.api.scope import audit_read
from server.api.security import staff_required
from server.services import overview

blp = Blueprint("clinic", __name__, url_prefix="/api/v1/clinic", description="Clinic overview")


@blp.route("/overview")
@staff_required(blp)
@blp.response(200, ClinicOverviewSchema)
def clinic_overview():
    """Active patients, check-ins and response rate, reply time, improvement, open flags."""
    clinic_id = g.staff.clinic_id  # read before the audit commit expires g.staff
    audit_read("clinic.overview")
    return overview.clinic_overview(clinic_id, clock.now())
