"""A patient's SMS transcript: every text in and out, in order, with delivery statuses."""

from flask_smorest import Blueprint
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from server.api.pagination import SelectPage
from server.api.schemas.messages import MessageSchema
from server.api.scope import audit_read, clinic_patient
from server.api.security import staff_required
from server.models import Message

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


def transcript(patient_id: int):
    """Select a patient's messages in the order they happened (sent, else created)."""
    return (
        select(Message)
        .where(Message.patient_id == patient_id)
        .options(selectinload(Message.status_history))
        .order_by(func.coalesce(Message.sent_at, Message.created_at), Message.id)
    )
