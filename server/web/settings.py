"""Admin settings: check-in policy, send window and help phone, rule thresholds, staff.

Each section posts to its own URL, loads the form into the API's schema (or the one the API
would use) and calls the service; a refusal redraws the page with the section's errors.
"""

from flask import g, redirect, render_template, request, url_for

from server import clock
from server.api.schemas.checkins import CheckInPolicySchema
from server.api.schemas.clinic_hours import ClinicHoursSchema
from server.api.schemas.rules import RuleOverridesSchema
from server.api.schemas.staff import StaffCreateSchema
from server.api.security import client_ip
from server.enums import Role
from server.figure_cache import forget
from server.services import clinic_hours, clinic_settings, rule_changes, staff_accounts
from server.web import bp
from server.web.form_input import FormRefused, attempt, load
from server.web.session import staff_page
from server.web.settings_forms import (
    current_settings,
    form_rows,
    policy_input,
    rules_input,
    section_values,
    staff_input,
)

SECTIONS = ("policy", "hours", "rules", "staff")


@bp.get("/settings")
@staff_page(Role.ADMIN)
def settings():
    """Every admin setting of the clinic, each section its own form."""
    return _page()


@bp.post("/settings/<any(policy, hours, rules, staff):section>")
@staff_page(Role.ADMIN)
def settings_post(section):
    """Save one section through its service, or redraw it with each error by its field."""
    values = section_values(section)
    try:
        SAVES[section](values)
    except FormRefused as refused:
        return _page(section, refused.errors, values), 422
    return redirect(url_for("web.settings", saved=section, _anchor=section))


@bp.post("/settings/staff/<int:staff_id>/deactivate")
@staff_page(Role.ADMIN)
def deactivate_staff(staff_id):
    """Deactivate a colleague: their sessions and API tokens end at once."""
    try:
        attempt(lambda: staff_accounts.deactivate(g.staff, staff_id, clock.now(), client_ip()))
    except FormRefused as refused:
        return _page("staff", refused.errors, {}), 409
    return redirect(url_for("web.settings", saved="deactivated", _anchor="staff"))


def _save_policy(values: dict) -> None:
    payload, rows = policy_input(values)
    try:
        _as_admin(clinic_settings.update_policy, load(CheckInPolicySchema(), payload))
    except FormRefused as refused:
        raise FormRefused(form_rows(refused.errors, rows)) from None


def _save_hours(values: dict) -> None:
    _as_admin(clinic_hours.update_hours, load(ClinicHoursSchema(), values))


def _save_rules(values: dict) -> None:
    _as_admin(rule_changes.update_rules, load(RuleOverridesSchema(), rules_input(values)))


def _save_staff(values: dict) -> None:
    _as_admin(staff_accounts.create, load(StaffCreateSchema(), staff_input(values)))


SAVES = {"policy": _save_policy, "hours": _save_hours, "rules": _save_rules, "staff": _save_staff}


def _as_admin(service, fields: dict):
    clinic_id = g.staff.clinic_id  # read before the service's commit expires g.staff
    done = attempt(lambda: service(g.staff, fields, clock.now(), client_ip()))
    forget(clinic_id)  # the overview shows the rule set and therapists: recompute it
    return done


def _page(section: str | None = None, errors: dict | None = None, values: dict | None = None):
    state = current_settings(g.staff.clinic_id)
    if section:
        state["typed"][section] = values
    errors = {section: errors or {}} if section else {}
    saved = request.args.get("saved")
    return render_template("settings.html", errors=errors, saved=saved, **state)
