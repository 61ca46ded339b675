"""Staff alerts: my notification choices, the clinic's alert settings, the notification record."""

from flask import g
from flask_smorest import Blueprint

from server import clock
from server.api.pagination import SelectPage
from server.api.schemas.alerts import (
    ClinicAlertSettingsSchema,
    NotificationChoicesSchema,
    NotificationQuerySchema,
    NotificationSchema,
)
from server.api.scope import audit_read
from server.api.security import client_ip, staff_required
from server.enums import Role
from server.extensions import db
from server.models import Clinic
from server.services.alerts import settings

blp = Blueprint("alerts", __name__, url_prefix="/api/v1", description="Staff alerts")


@blp.route("/me/notifications")
@staff_required(blp)
@blp.response(200, NotificationChoicesSchema)
@blp.doc(operationId="getMyNotificationChoices")
def get_choices():
    """How you hear of urgent flags, and whether you get the daily digest."""
    choices = settings.preference_of(g.staff)
    audit_read("staff.notifications.read")
    return choices


@blp.route("/me/notifications", methods=["PUT"])
@staff_required(blp)
@blp.arguments(NotificationChoicesSchema)
@blp.response(200, NotificationChoicesSchema)
@blp.doc(operationId="putMyNotificationChoices")
def put_choices(changes):
    """Change how you hear of urgent flags (fields left out stay as they are)."""
    return settings.choose(g.staff, changes, clock.now(), client_ip())


@blp.route("/clinic/alert-settings")
@staff_required(blp, Role.ADMIN)
@blp.response(200, ClinicAlertSettingsSchema)
@blp.doc(operationId="getClinicAlertSettings")
def get_clinic_settings():
    """The escalation delay and the digest hour (admins)."""
    clinic = db.session.get(Clinic, g.staff.clinic_id)
    audit_read("clinic.alert_settings.read")
    return clinic


@blp.route("/clinic/alert-settings", methods=["PUT"])
@staff_required(blp, Role.ADMIN)
@blp.arguments(ClinicAlertSettingsSchema)
@blp.response(200, ClinicAlertSettingsSchema)
@blp.doc(operationId="putClinicAlertSettings")
def put_clinic_settings(changes):
    """Change the escalation delay or the digest hour (admins)."""
    return settings.update_clinic(g.staff, changes, clock.now(), client_ip())


@blp.route("/notifications")
@staff_required(blp, Role.ADMIN)
@blp.arguments(NotificationQuerySchema, location="query")
@blp.response(200, NotificationSchema(many=True))
@blp.paginate(SelectPage)
@blp.doc(operationId="listNotifications")
def list_notifications(filters):
    """Every alert sent or not sent to the clinic's staff, newest first (admins)."""
    clinic_id = g.staff.clinic_id
    audit_read("notification.list", **{k: str(v) for k, v in filters.items()})
    return settings.notification_record(clinic_id, filters)
