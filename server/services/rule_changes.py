"""Changing a clinic's rule set: a new rule version, and every stored figure that depends on
the rules refreshed in the same transaction, so no view shows figures from the old ones."""

from datetime import datetime
from typing import Any

from sqlalchemy import and_, select, update

from server.errors import InvalidField
from server.extensions import db
from server.models import Clinic, Patient, Score, Staff
from server.outcomes import RuleSet
from server.services import audit, clinic_settings, trends
from server.services.flags.evaluation import refresh_trend_figures

CHUNK = 500  # patients whose readings are held in memory at once


def update_rules(staff: Staff, overrides: dict[str, int], now: datetime, ip: str | None) -> RuleSet:
    """Replace the clinic's rule overrides (admins; checked by the API); new flags carry it."""
    try:
        rules = RuleSet.from_mapping(overrides)
    except (TypeError, ValueError) as error:
        raise InvalidField(_named_setting(str(error), overrides), str(error)) from None
    clinic = db.session.get(Clinic, staff.clinic_id)
    before = clinic_settings.clinic_rules(clinic.id)
    clinic.rule_overrides = rules.overrides or None
    _refresh_post_needling_windows(clinic.id, rules.post_needling_hours)
    refresh_patient_figures(clinic.id, rules, now)
    detail = {"from": before.version, "to": rules.version, "overrides": rules.overrides}
    audit.on_clinic(staff, "clinic.rules.update", now, ip, detail)
    db.session.commit()
    return rules


def _named_setting(message: str, overrides: dict[str, Any]) -> str:
    return next((name for name in overrides if str(name) in message), "rules")


def _refresh_post_needling_windows(clinic_id: int, window_hours: int) -> None:
    # outcomes.within_post_needling_window as one UPDATE: a clinic may hold a million scores.
    hours = Score.hours_since_session
    inside = and_(hours.is_not(None), hours >= 0, hours < window_hours)
    db.session.execute(
        update(Score)
        .where(Score.clinic_id == clinic_id)
        .values(in_post_needling_window=inside)
        .execution_options(synchronize_session=False)
    )


def refresh_all_figures(now: datetime) -> int:
    """Recompute every clinic's stored patient figures (each measure's MCID category too) under
    its own rules, one commit per clinic: the backfill after an upgrade added a figure."""
    clinic_ids = db.session.scalars(select(Clinic.id).order_by(Clinic.id)).all()
    for clinic_id in clinic_ids:
        refresh_patient_figures(clinic_id, clinic_settings.clinic_rules(clinic_id), now)
        db.session.commit()
    return len(clinic_ids)


def refresh_patient_figures(clinic_id: int, rules: RuleSet, now: datetime) -> None:
    """The patient list's latest pain, change, MCID and headache response, under the new rules."""
    patients = db.session.scalars(
        select(Patient).where(Patient.clinic_id == clinic_id).order_by(Patient.id)
    ).all()
    for start in range(0, len(patients), CHUNK):
        chunk = patients[start : start + CHUNK]
        readings = trends.readings_by_patient([p.id for p in chunk], rules)
        for patient in chunk:
            refresh_trend_figures(patient, readings.get(patient.id, []), rules, now)
