"""Regression and attention flags of the caller's clinic: list, acknowledge, resolve."""

from flask import g
from flask_smorest import Blueprint

from server import clock
from server.api.pagination import SelectPage
from server.api.schemas.flags import AcknowledgeSchema, FlagQuerySchema, FlagSchema, ResolveSchema
from server.api.scope import audit_read
from server.api.security import client_ip, staff_required
from server.services import flag_inbox
from server.services.flags import store as flags

blp = Blueprint("flags", __name__, url_prefix="/api/v1/flags", description="Regression flags")


def _clinic_flag(flag_id: int, lock: bool = False):
    return flag_inbox.clinic_flag(g.staff.clinic_id, flag_id, lock)


@blp.route("")
@staff_required(blp)
@blp.arguments(FlagQuerySchema, location="query")
@blp.response(200, FlagSchema(many=True))
@blp.paginate(SelectPage)
def list_flags(filters):
    """The clinic's flags, urgent first, then the oldest; active (not resolved) by default."""
    query = flag_inbox.triage_order(g.staff.clinic_id, filters)
    audit_read("flag.list", filters.get("patient_id"), status=filters["status"])
    return query


@blp.route("/<int:flag_id>/acknowledge", methods=["POST"])
@staff_required(blp)
@blp.arguments(AcknowledgeSchema)
@blp.response(200, FlagSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def acknowledge(fields, flag_id):
    """Mark an open flag as seen (someone is on it)."""
    flag = _clinic_flag(flag_id, lock=True)
    flags.acknowledge(g.staff, flag, fields["note"], clock.now(), client_ip())
    return _clinic_flag(flag_id)


@blp.route("/<int:flag_id>/resolve", methods=["POST"])
@staff_required(blp)
@blp.arguments(ResolveSchema)
@blp.response(200, FlagSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def resolve(fields, flag_id):
    """Close a flag with what was done: contacted_patient, plan_changed, false_alarm, other."""
    flag = _clinic_flag(flag_id, lock=True)
    flags.resolve(g.staff, flag, fields["resolution"], fields["note"], clock.now(), client_ip())
    return _clinic_flag(flag_id)
