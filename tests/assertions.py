"""Shared assertions on API responses, and counting stored rows."""

from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEvent


def assert_problem(response, status: int, field: str | None = None) -> dict:
    """The response is an RFC 9457 problem with this status (naming `field`, if given)."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["title"]
    if field is not None:
        assert field in body.get("errors", {}), body
    return body


def count(model, *where) -> int:
    """How many rows of this model (matching `where`) are stored."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def assert_audited(action: str, actor_id: int, target_id: int | None) -> AuditEvent:
    """Exactly one audit event is stored: this action, by this actor, on this target."""
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.actor_id, event.target_id) == (action, actor_id, target_id)
    return event
