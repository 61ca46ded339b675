"""The clinic overview for the dashboard, its condition programs, and its rule set (admins)."""

from flask import g
from flask_smorest import Blueprint

from server import clock
from server.api.schemas.clinic import ClinicOverviewSchema
from server.api.schemas.programs import ProgramSchema
from server.api.schemas.rules import RuleOverridesSchema, RuleSetSchema
from server.api.scope import audit_read
from server.api.security import client_ip, staff_required
from server.enums import Role
from server.programs import PROGRAMS
from server.services import clinic_settings, overview, rule_changes

blp = Blueprint(
    "clinic", __name__, url_prefix="/api/v1/clinic", description="Clinic overview and rule set"
)


@blp.route("/overview")
@staff_required(blp)
@blp.response(200, ClinicOverviewSchema)
def clinic_overview():
    """Active patients, check-ins and response rate, reply time, improvement, open flags."""
    clinic_id = g.staff.clinic_id  # read before the audit commit expires g.staff
    audit_read("clinic.overview")
    return overview.clinic_overview(clinic_id, clock.now())


@blp.route("/programs")
@staff_required(blp)
@blp.response(200, ProgramSchema(many=True))
def list_programs():
    """The condition programs a patient can be enrolled in: measures and their cadence."""
    return [
        {
            "id": p.id,
            "label": p.label,
            "measures": [{"measure": m, "cadence": c} for m, c in p.measures],
        }
        for p in PROGRAMS.values()
    ]


@blp.route("/rules")
@staff_required(blp, Role.ADMIN)
@blp.response(200, RuleSetSchema)
def get_rules():
    """The clinic's rule set: version, overrides, and every threshold with its range (admins)."""
    return _described(clinic_settings.clinic_rules(g.staff.clinic_id))


@blp.route("/rules", methods=["PUT"])
@staff_required(blp, Role.ADMIN)
@blp.arguments(RuleOverridesSchema, example={"post_needling_hours": 48, "severe_at": 7})
@blp.response(200, RuleSetSchema)
def put_rules(overrides):
    """Replace the overrides (omitted thresholds take rule set v1's); new flags carry it."""
    return _described(rule_changes.update_rules(g.staff, overrides, clock.now(), client_ip()))


def _described(rules) -> dict:
    return {
        "version": rules.version,
        "overrides": rules.overrides,
        "thresholds": rules.thresholds(),
    }
