"""The flag inbox: open and acknowledged flags, urgent first, acknowledged and resolved in place."""

from flask import g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from server import clock
from server.api.schemas.flags import AcknowledgeSchema, FlagQuerySchema, ResolveSchema
from server.api.scope import audit_read
from server.api.security import client_ip
from server.enums import Resolution, Severity
from server.errors import DomainError
from server.extensions import db
from server.services import flag_inbox
from server.services.flags import store as flags
from server.web import bp
from server.web.errors import as_problem
from server.web.session import staff_page
from server.web.wording import staff_names

INBOX_ROWS = 100  # the API's largest page, so both answer the same rows


@bp.get("/")
@staff_page()
def inbox():
    """Flags that still need someone (or as filtered), urgent first, then the oldest."""
    filters, clinic_id = _filters(), g.staff.clinic_id
    audit_read("flag.list", status=filters["status"])  # first: its commit would expire the rows
    rows = db.session.scalars(flag_inbox.triage_order(clinic_id, filters).limit(INBOX_ROWS)).all()
    template = "inbox/_flags.html" if request.headers.get("HX-Target") == "flags" else "inbox.html"
    return render_template(template, flags=rows, filters=filters, **_choices())


@bp.get("/flags/<int:flag_id>")
@staff_page()
def flag(flag_id):
    """An alert's link: the flag on its patient's page (after sign-in, clinic-scoped)."""
    found = flag_inbox.clinic_flag(g.staff.clinic_id, flag_id)
    return redirect(url_for("web.patient", patient_id=found.patient_id, _anchor=f"flag-{flag_id}"))


@bp.post("/flags/<int:flag_id>/acknowledge")
@staff_page()
def acknowledge(flag_id):
    """Acknowledge an open flag with an optional note; the row is redrawn in place."""
    return _act(flag_id, AcknowledgeSchema, _acknowledge)


@bp.post("/flags/<int:flag_id>/resolve")
@staff_page()
def resolve(flag_id):
    """Resolve a flag with what was done; it leaves the inbox."""
    return _act(flag_id, ResolveSchema, _resolve)


def _acknowledge(flag, fields):
    flags.acknowledge(g.staff, flag, fields["note"], clock.now(), client_ip())


def _resolve(flag, fields):
    flags.resolve(g.staff, flag, fields["resolution"], fields["note"], clock.now(), client_ip())


def _act(flag_id: int, schema, change):
    clinic_id = g.staff.clinic_id
    flag = flag_inbox.clinic_flag(clinic_id, flag_id, lock=True)
    fields = {k: v for k, v in request.form.items() if k in schema().fields and v != ""}
    try:
        change(flag, schema().load(fields))
    except (ValidationError, DomainError) as error:
        db.session.rollback()
        problem = as_problem(error)
        if not request.headers.get("HX-Request"):
            raise problem from None
        return _row(clinic_id, flag_id, problem)
    if not request.headers.get("HX-Request"):
        return redirect(url_for("web.inbox"))
    return _row(clinic_id, flag_id)


def _row(clinic_id: int, flag_id: int, problem: DomainError | None = None):
    """The flag's row redrawn (a resolved one leaves the list), with the navigation count."""
    flag = flag_inbox.clinic_flag(clinic_id, flag_id)
    error = problem.detail if problem else None
    page = render_template(
        "inbox/_flag_row.html", flag=flag, error=error, refresh=True, **_choices()
    )
    return page, problem.status if problem else 200


def _filters() -> dict:
    args = {k: v for k, v in request.args.items() if k in ("status", "severity") and v}
    try:
        filters = FlagQuerySchema().load(args)
    except ValidationError as error:
        raise as_problem(error) from None
    if request.args.get("mine"):
        filters["therapist_id"] = g.staff.id
    return filters


def _choices() -> dict:
    return {
        "severities": list(Severity),
        "resolutions": list(Resolution),
        "staff": staff_names(g.staff.clinic_id),
    }
