"""A patient's SMS transcript: every text in and out, in order, with delivery statuses."""

from flask_smorest import Blueprint

from server.api.pagination import SelectPage
from server.api.schemas.messages import MessageSchema
from server.api.scope import audit_read, clinic_patient
from server.api.security import staff_required
from server.services.patient_record import transcript

blp = Blueprint("messages", __name__, url_prefix="/api/v1/patients", description="SMS transcripts")


@blp.route("/<int:patient_id>/messages")
@staff_required(blp)
@blp.response(200, MessageSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
@blp.paginate(SelectPage)
def list_messages(patient_id):
    """The patient's texts, oldest first, with their statuses and status history."""
    patient = clinic_patient(patient_id)
    audit_read("message.list", patient.id)
    return transcript(patient.id)

