"""A clinic's settings: time zone lookups, quiet hours, check-in policy and clinical rule set."""

import logging
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from server.errors import InvalidField
from server.extensions import db
from server.models import Clinic, Staff
from server.outcomes import DEFAULT_RULES, RuleSet
from server.planning.local_time import LEGAL_EARLIEST, LEGAL_LATEST, QuietHours
from server.planning.policy import DEFAULT_POLICY, CheckInPolicy, PolicyError
from server.programs import Program, programs_with
from server.services import audit

logger = logging.getLogger(__name__)


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone of that name (cached: looked up for every message sent)."""
    return ZoneInfo(name)


def policy_of(clinic: Clinic) -> CheckInPolicy:
    """The clinic's check-in policy, or the default one."""
    if not clinic.checkin_policy:
        return DEFAULT_POLICY
    try:
        return CheckInPolicy.from_mapping(clinic.checkin_policy)
    except PolicyError:
        logger.error("clinic %s has an invalid check-in policy: using the default", clinic.id)
        return DEFAULT_POLICY


def programs_of(clinic: Clinic) -> dict[str, Program]:
    """The clinic's condition programs: the defaults with the clinic's changes."""
    return programs_with(clinic.programs)


def quiet_hours_of(clinic: Clinic) -> QuietHours:
    """The clinic's send window, never wider than the legal 08:00-21:00."""
    start, end = max(clinic.quiet_start, LEGAL_EARLIEST), min(clinic.quiet_end, LEGAL_LATEST)
    try:
        return QuietHours(start, end)
    except ValueError:
        return QuietHours()


def clinic_rules(clinic_id: int) -> RuleSet:
    """The clinic's rule set: v1 with its overrides."""
    clinic = db.session.get(Clinic, clinic_id)
    try:
        return RuleSet.from_mapping(clinic.rule_overrides or {})
    except (TypeError, ValueError):
        # A bad override must not lose a patient's reply: fall back to v1, loudly. The flag's
        # rule_version ("v1") shows which thresholds were used.
        logger.exception("clinic %s has invalid rule overrides; using rule set v1", clinic_id)
        return DEFAULT_RULES


def update_policy(
    staff: Staff, data: dict[str, Any], now: datetime, ip: str | None
) -> CheckInPolicy:
    """Replace the staff member's clinic's check-in policy (admins; checked by the API)."""
    try:
        policy = CheckInPolicy.from_mapping(data)
    except PolicyError as error:
        raise InvalidField(error.field, error.message) from None
    clinic = db.session.get(Clinic, staff.clinic_id)
    clinic.checkin_policy = policy.to_mapping()
    audit.on_clinic(staff, "clinic.checkin_policy.update", now, ip)
    db.session.commit()
    return policy
