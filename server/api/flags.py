"""Regression and attention flags of the caller's clinic: list, acknowledge, resolve."""

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import case, select
from sqlalchemy.orm import contains_eager

from server import clock
from server.api.pagination import SelectPage
from server.api.schemas.flags import (
    ACTIVE,
    AcknowledgeSchema,
    FlagQuerySchema,
    FlagSchema,
    ResolveSchema,
)
from server.api.scope import audit_read
from server.api.security import client_ip, staff_required
from server.enums import Severity
from server.errors import NotFound
from server.extensions import db
from server.models import Flag, Patient
from server.models.flag import ACTIVE_FLAG
from server.services import flags

blp = Blueprint("flags", __name__, url_prefix="/api/v1/flags", description="Regression flags")

URGENT_FIRST = case({s: -s.rank for s in Severity}, value=Flag.severity)


def _flags():
    return (
        select(Flag)
        .join(Patient, Patient.id == Flag.patient_id)
        .where(Flag.clinic_id == g.staff.clinic_id)
        .options(contains_eager(Flag.patient))
    )


def _clinic_flag(flag_id: int, lock: bool = False) -> Flag:
    query = _flags().where(Flag.id == flag_id)
    # Locked on PostgreSQL so two staff resolving at once get one success and one 409.
    flag = db.session.scalar(query.with_for_update(of=Flag) if lock else query)
    if flag is None:
        raise NotFound("No such flag.")
    return flag


@blp.route("")
@staff_required(blp)
@blp.arguments(FlagQuerySchema, location="query")
@blp.response(200, FlagSchema(many=True))
@blp.paginate(SelectPage)
def list_flags(filters):
    """The clinic's flags, urgent first, then the oldest; active (not resolved) by default."""
    query = _flags()
    status = filters.pop("status")
    query = query.where(ACTIVE_FLAG if status == ACTIVE else Flag.status == status)
    for name in ("severity", "rule", "patient_id"):
        if name in filters:
            query = query.where(getattr(Flag, name) == filters[name])
    audit_read("flag.list", filters.get("patient_id"), status=status)
    return query.order_by(URGENT_FIRST, Flag.opened_at, Flag.id)


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
