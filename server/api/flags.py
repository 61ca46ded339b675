"""Regression and attention flags of the caller's clinic: list, acknowledge, resolve."""

from flask import g
from flask_smorest import Blueprint

from server import clock
from server.api.pagination import SelectPage
from server.api.schemas.flags import (
    AcknowledgeSchema,
    AssignSchema,
    FlagQuerySchema,
    FlagSchema,
    ResolveSchema,
    SnoozeSchema,
)
from server.api.scope import audit_read
from server.api.security import client_ip, staff_required
from server.services import flag_inbox
from server.services.flags import store as flags
from server.services.flags import triage as flag_triage

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
    query = flag_inbox.triage_order(g.staff.clinic_id, _owner_as_id(filters))
    audit_read("flag.list", filters.get("patient_id"), status=filters["status"])
    return query


def _owner_as_id(filters: dict) -> dict:
    """?owner=me is the caller; ?owner=<id> a staff id."""
    owner = filters.pop("owner", None)
    if owner is not None:
        filters["owner_id"] = g.staff.id if owner == "me" else int(owner)
    return filters


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


@blp.route("/<int:flag_id>/owner", methods=["POST"])
@staff_required(blp)
@blp.arguments(AssignSchema)
@blp.response(200, FlagSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
@blp.doc(operationId="assignFlag")
def assign(fields, flag_id):
    """Give the flag to another staff member; an open urgent flag alerts them at once."""
    flag = _clinic_flag(flag_id, lock=True)
    flag_triage.assign(g.staff, flag, fields["owner_id"], clock.now(), client_ip())
    return _clinic_flag(flag_id)


@blp.route("/<int:flag_id>/snooze", methods=["POST"])
@staff_required(blp)
@blp.arguments(SnoozeSchema)
@blp.response(200, FlagSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
@blp.doc(operationId="snoozeFlag")
def snooze(fields, flag_id):
    """Put the flag aside until a time, with a note; then it reopens and alerts again."""
    flag = _clinic_flag(flag_id, lock=True)
    flag_triage.snooze(g.staff, flag, fields["until"], fields["note"], clock.now(), client_ip())
    return _clinic_flag(flag_id)
