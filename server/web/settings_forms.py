"""The admin settings forms: what each section posts, and the current settings to show."""

import re

from flask import request
from sqlalchemy import select

from server.enums import Language, Role
from server.extensions import db
from server.measures import CATALOG
from server.models import Clinic, Staff
from server.outcomes import DEFAULT_RULES
from server.planning.policy import DISCHARGE, SESSION
from server.services import clinic_hours, clinic_settings
from server.web.form_input import whole_numbers

POLICY_LIMITS = ("window_hours", "reminder_after_hours", "max_prompts_per_7_days")
KIND_FIELDS = ("kind", "offset_days", "on")
STAFF_FIELDS = ("name", "email", "role", "password")
MAX_KIND_ROWS = 20


def section_values(section: str) -> dict:
    """The posted values of one settings section, as typed (never the password)."""
    form = request.form
    if section == "policy":
        rows = min(
            int(form.get("rows", "0") or 0) if form.get("rows", "").isdigit() else 0, MAX_KIND_ROWS
        )
        values = {n: form.get(n, "").strip() for n in POLICY_LIMITS} | {"rows": rows}
        for i in range(rows):
            values |= {
                f"kinds.{i}.{n}": form.get(f"kinds.{i}.{n}", "").strip() for n in KIND_FIELDS
            }
            values[f"kinds.{i}.measures"] = form.getlist(f"kinds.{i}.measures")
        return values
    if section == "staff":
        return {n: form.get(n, "").strip() for n in STAFF_FIELDS}
    return {k: v.strip() for k, v in form.items() if k != "csrf_token"}


def policy_input(values: dict) -> tuple[dict, list[int]]:
    """The policy as the API takes it (blank rows left out) and the form row of each kind."""
    rows = [i for i in range(values["rows"]) if values.get(f"kinds.{i}.kind")]
    kinds = []
    for i in rows:
        kind = {n: values[f"kinds.{i}.{n}"] for n in KIND_FIELDS if values[f"kinds.{i}.{n}"]}
        kinds.append(
            whole_numbers(kind, "offset_days") | {"measures": values[f"kinds.{i}.measures"]}
        )
    limits = {n: values[n] for n in POLICY_LIMITS if values.get(n)}
    return {"kinds": kinds} | whole_numbers(limits, *POLICY_LIMITS), rows


def form_rows(errors: dict, rows: list[int]) -> dict:
    """Errors on the n-th kind sent ("kinds.1.x" or "kinds[1].x") named by its form row."""
    named = {}
    for field, message in errors.items():
        found = re.match(r"kinds[.\[](\d+)\]?(.*)", field)
        if found and int(found.group(1)) < len(rows):
            field = f"kinds.{rows[int(found.group(1))]}{found.group(2)}"
        named[field] = message
    return named


def rules_input(values: dict) -> dict:
    """Thresholds that differ from rule set v1 (the overrides), as whole numbers."""
    defaults = {t["name"]: t["default"] for t in DEFAULT_RULES.thresholds()}
    typed = whole_numbers({k: v for k, v in values.items() if v}, *defaults)
    return {k: v for k, v in typed.items() if defaults.get(k) != v}


def staff_input(values: dict) -> dict:
    """The new staff member's fields (blank ones left for the schema to name)."""
    return {k: v for k, v in values.items() if v}


def current_settings(clinic_id: int) -> dict:
    """Each section's current values, the rule thresholds, the staff and the form choices."""
    clinic = db.session.get(Clinic, clinic_id)
    rules = clinic_settings.clinic_rules(clinic_id)
    hours = {
        k: (v.strftime("%H:%M") if hasattr(v, "strftime") else v)
        for k, v in clinic_hours.hours_of(clinic).items()
    }
    return {
        "typed": {
            "policy": _policy_values(clinic),
            "hours": hours,
            "rules": {t["name"]: t["value"] for t in rules.thresholds()},
            "staff": {"role": Role.THERAPIST.value},
        },
        "thresholds": rules.thresholds(),
        "rule_version": rules.version,
        "members": db.session.scalars(
            select(Staff).where(Staff.clinic_id == clinic_id).order_by(Staff.name)
        ).all(),
        "measures": [(m.value, spec.label[Language.EN]) for m, spec in CATALOG.items()],
        "ons": [(SESSION, "after each session"), (DISCHARGE, "after discharge")],
        "roles": [(r.value, r.value) for r in Role],
    }


def _policy_values(clinic: Clinic) -> dict:
    policy = clinic_settings.policy_of(clinic)
    values = {n: getattr(policy, n) for n in POLICY_LIMITS} | {"rows": len(policy.kinds) + 1}
    for i, kind in enumerate(policy.kinds):
        values |= {f"kinds.{i}.{n}": getattr(kind, n) for n in KIND_FIELDS}
        values[f"kinds.{i}.measures"] = [m.value for m in kind.measures]
    return values
