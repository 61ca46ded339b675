"""The clinic overview: the API's figures, the same per therapist, and two charts."""

from datetime import datetime

from flask import g, render_template
from sqlalchemy import select

from server import clock
from server.api.scope import audit_read
from server.enums import Role
from server.extensions import db
from server.figure_cache import served
from server.models import Staff
from server.services import overview_charts
from server.services.overview import overview_by_therapist
from server.web import bp
from server.web.session import staff_page


@bp.get("/overview")
@staff_page()
def overview():
    """Caseload, check-ins and replies, improvement and open flags, clinic-wide and by therapist."""
    clinic_id, now = g.staff.clinic_id, clock.now()
    audit_read("clinic.overview")
    figures = served("page", clinic_id, now, _page_figures)
    therapists = db.session.execute(
        select(Staff.id, Staff.name)
        .where(Staff.clinic_id == clinic_id, Staff.role == Role.THERAPIST, Staff.active)
        .order_by(Staff.name)
    ).all()
    return render_template(
        "overview.html",
        clinic=figures["clinic"],
        planned=figures["planned"],
        by_therapist=[(t.name, figures["theirs"].get(t.id)) for t in therapists],
        charts=figures["charts"],
    )


def _page_figures(clinic_id: int, now: datetime) -> dict:
    clinic, theirs = overview_by_therapist(clinic_id, now)
    return {
        "clinic": clinic,
        "theirs": theirs,
        "planned": overview_charts.planned_last_30_days(clinic_id, now),
        "charts": {
            "weekly": overview_charts.weekly_response_rate(clinic_id, now),
            "pain_change": overview_charts.pain_change_distribution(clinic_id),
        },
    }
