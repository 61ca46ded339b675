"""The patient list: search, filters, sort and pages, each row with its recent course."""

from flask import g, render_template, request
from marshmallow import ValidationError

from server import clock
from server.api.schemas.patients import PatientQuerySchema
from server.api.scope import audit_read
from server.enums import CareStatus, ConsentStatus, Measure
from server.errors import InvalidField
from server.outcomes import DEFAULT_RULES, McidCategory
from server.services import patient_rows
from server.web import bp
from server.web.charts import measure_meta, percent, sparkline
from server.web.errors import as_problem
from server.web.session import staff_page
from server.web.wording import staff_names

PER_PAGE = 25
FILTERS = ("care_status", "consent_status", "therapist_id", "flagged", "mcid", "sort")


@bp.get("/patients")
@staff_page()
def patients():
    """The clinic's patients, searched by name or EMR id, filtered, sorted and paged."""
    filters, text, page = _filters()
    clinic_id, now = g.staff.clinic_id, clock.now()
    audit_read("patient.list", filters={k: str(v) for k, v in filters.items()})
    listing = patient_rows.patient_page(clinic_id, filters, text, page, PER_PAGE, now)
    template = (
        "patients/_rows.html" if request.headers.get("HX-Target") == "patients" else "patients.html"
    )
    return render_template(template, listing=listing, text=text, page=page, **_view(clinic_id))


def _filters() -> tuple[dict, str, int]:
    args = {k: v for k, v in request.args.items() if k in FILTERS and v}
    try:
        filters = PatientQuerySchema().load(args)
        page = int(request.args.get("page") or 1)
    except ValidationError as error:
        raise as_problem(error) from None
    except ValueError:
        raise InvalidField("page", "Not a valid page number.") from None
    if page < 1:
        raise InvalidField("page", "Not a valid page number.")
    return filters, request.args.get("q", "")[:64], page


def _view(clinic_id: int) -> dict:
    return {
        "per_page": PER_PAGE,
        "args": {k: v for k, v in request.args.items() if k != "page"},
        "staff": staff_names(clinic_id),
        "care_statuses": list(CareStatus),
        "consent_statuses": list(ConsentStatus),
        "mcid_categories": list(McidCategory),
        "pain_meta": measure_meta(Measure.PAIN, DEFAULT_RULES),
        "sparkline": sparkline,
        "percent": percent,
        "sparkline_days": patient_rows.SPARKLINE_DAYS,
        "now": clock.now(),
    }
