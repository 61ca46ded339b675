"""Check-in planning (pure: no Flask, no database): policy, local send times, the planner."""

from server.planning.local_time import (
    QuietHours,
    is_allowed,
    local_date,
    local_send_time,
    next_allowed,
)
from server.planning.plan import (
    ExistingCheckIn,
    PatientContext,
    Plan,
    PlannedCheckIn,
    plan_discharge,
    plan_session,
)
from server.planning.policy import DEFAULT_POLICY, CheckInPolicy, PlannedKind, PolicyError

__all__ = [
    "DEFAULT_POLICY",
    "CheckInPolicy",
    "ExistingCheckIn",
    "PatientContext",
    "Plan",
    "PlannedCheckIn",
    "PlannedKind",
    "PolicyError",
    "QuietHours",
    "is_allowed",
    "local_date",
    "local_send_time",
    "next_allowed",
    "plan_discharge",
    "plan_session",
]
