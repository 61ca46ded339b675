"""The clinic overview for the dashboard, its condition programs (admins change them), and its
rule set (admins)."""

from flask import g
from flask_smorest import Blueprint

from server import clock
from server.api.schemas.clinic import ClinicOverviewSchema
from server.api.schemas.programs import ProgramChangeSchema, ProgramSchema
from server.api.schemas.rules import RuleOverridesSchema, RuleSetSchema
from server.api.scope import audit_read
from server.api.security import client_ip, staff_required
from server.enums import Role
from server.figure_cache import forget, served
from server.services import clinic_programs, clinic_settings, overview, rule_changes

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
    return served("api", clinic_id, clock.now(), overview.clinic_overview)


@blp.route("/programs")
@staff_required(blp)
@blp.response(200, ProgramSchema(many=True))
def list_programs():
    """The clinic's condition programs: measures, their cadence, the weekly check-in's weekday."""
    return clinic_programs.clinic_programs(g.staff.clinic_id)


@blp.route("/programs/<key>", methods=["PUT"])
@staff_required(blp, Role.ADMIN)
@blp.arguments(ProgramChangeSchema)
@blp.response(200, ProgramSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.doc(operationId="putClinicProgram")
def put_program(data, key):
    """Change one program (admins): its patients' check-ins still to come are re-planned."""
    clinic_id = g.staff.clinic_id
    changed = clinic_programs.change_program(g.staff, key, data, clock.now(), client_ip())
    forget(clinic_id)  # the overview's per-measure figures follow the programs
    return changed


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
    clinic_id = g.staff.clinic_id
    rules = rule_changes.update_rules(g.staff, overrides, clock.now(), client_ip())
    forget(clinic_id)  # the overview shows the rule version and figures graded under it
    return _described(rules)


def _described(rules) -> dict:
    return {
        "version": rules.version,
        "overrides": rules.overrides,
        "thresholds": rules.thresholds(),
    }
