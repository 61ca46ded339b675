"""Clinic-wide exports. Admin only: a whole clinic's scores is a bulk disclosure of health data,
so therapists use the per-patient endpoints (minimum necessary) and admins export."""

from flask import Response, g, stream_with_context
from flask_smorest import Blueprint

from server.api.scope import audit_read
from server.api.security import staff_required
from server.enums import Role
from server.services import exports

blp = Blueprint("exports", __name__, url_prefix="/api/v1/exports", description="Data exports")
CSV_DOC = {
    "description": "Every score of the clinic, oldest first, with a header row (streamed)",
    "content": {"text/csv": {"schema": {"type": "string"}}},
    "headers": {"Content-Disposition": {
        "description": "A download named painline-scores.csv", "required": True,
        "schema": {"type": "string", "enum": ['attachment; filename="painline-scores.csv"']}}},
}


@blp.route("/scores.csv")
@staff_required(blp, Role.ADMIN)
@blp.doc(responses={"200": CSV_DOC})
def scores_csv():
    """All scores of the clinic as CSV, streamed with constant memory (admins only)."""
    clinic_id = g.staff.clinic_id  # read before the audit commit expires g.staff
    audit_read("export.scores_csv")
    rows = stream_with_context(exports.scores_csv(clinic_id))
    headers = {"Content-Disposition": 'attachment; filename="painline-scores.csv"'}
    return Response(rows, mimetype="text/csv", headers=headers)
