"""The clinic at a glance: caseload, check-ins and replies, improvement, open flags."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import func, null, select

from server.enums import CareStatus, Severity
from server.extensions import db
from server.models import Flag, Patient
from server.models.flag import ACTIVE_FLAG
from server.outcomes import McidCategory
from server.services import measure_outcomes, overview_checkins
from server.services.clinic_settings import clinic_rules


@dataclass(frozen=True)
class Improvement:
    """How many active patients could be compared with baseline, and how many improved."""

    patients_compared: int
    improved: int

    @property
    def share(self) -> float | None:
        return _share(self.improved, self.patients_compared)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def clinic_overview(clinic_id: int, now: datetime) -> dict[str, Any]:
    """Active patients, check-ins and response, reply time, improvement and open flags."""
    head = {"as_of": now, "rule_version": clinic_rules(clinic_id).version}
    whole = _figures_of(*_figures(clinic_id, now, None)[None])
    by_measure = measure_outcomes.as_figures(measure_outcomes.much_better_counts(clinic_id)[None])
    return head | whole | by_measure | _urgent_flag_timings(clinic_id, now)


def overview_by_therapist(clinic_id: int, now: datetime) -> tuple[dict, dict[int | None, dict]]:
    """The clinic's figures and each primary therapist's, from the same three grouped queries
    (the clinic's are the sum of the groups: patients without a therapist are group None)."""
    groups = _figures(clinic_id, now, Patient.primary_therapist_id)
    whole = _figures_of(*(_summed([g[i] for g in groups.values()]) for i in range(3)))
    head = {"as_of": now, "rule_version": clinic_rules(clinic_id).version}
    timings = _urgent_flag_timings(clinic_id, now)  # clinic-wide: flags are owned, not grouped
    measures = measure_outcomes.much_better_counts(clinic_id, Patient.primary_therapist_id)
    whole |= measure_outcomes.as_figures(measure_outcomes.summed(measures.values()))
    figures = {g: measure_outcomes.as_figures(measures.get(g, {})) for g in groups}
    by_therapist = {g: head | _figures_of(*raw) | figures[g] for g, raw in groups.items()}
    return head | whole | timings, by_therapist


def _figures(clinic_id: int, now: datetime, by) -> dict[Any, tuple]:
    """Raw counts of each group of patients (`by` a Patient column; None: the whole clinic)."""
    outcomes = _outcomes(clinic_id, by)
    checkins = overview_checkins.checkin_figures(clinic_id, now, by)
    flags = _open_flags(clinic_id, by)
    groups = {None} if by is None else set(outcomes) | set(checkins) | set(flags)
    return {group: (outcomes[group], checkins[group], flags[group]) for group in groups}


def _summed(parts: list) -> Any:
    """Counters, or dicts of Counters, added up."""
    if parts and not isinstance(parts[0], Counter) and isinstance(parts[0], dict):
        keys = {k for part in parts for k in part}
        return {k: _summed([part.get(k, Counter()) for part in parts]) for k in keys}
    return sum((Counter(part) for part in parts), Counter())


def _figures_of(outcomes: Counter, checkins: dict, flags: dict) -> dict[str, Any]:
    pain, headache, active = _improvements(outcomes)
    week, month, replies = (checkins.get(k, Counter()) for k in ("week", "month", "replies"))
    return {
        "active_patients": active,
        "checkins": {
            "last_7_days": overview_checkins.counts(week),
            "last_30_days": overview_checkins.counts(month),
        },
        "median_hours_to_reply": overview_checkins.median_hours(replies),
        "pain_much_better": pain,
        "headache_responders": headache,
        "open_flags": {str(severity): flags.get(severity, 0) for severity in Severity},
    }


def _grouped(query, by, patient_id=None):
    """The query grouped, the group column last (joined to the patient when the rows are not)."""
    if by is None:
        return query.add_columns(null().label("grp"))
    if patient_id is not None:
        query = query.join(Patient, Patient.id == patient_id)
    query = query.add_columns(by.label("grp"))
    return query.group_by(by)


def _outcomes(clinic_id: int, by) -> dict[Any, Counter]:
    query = (
        select(Patient.pain_mcid, Patient.headache_responder, func.count())
        .where(Patient.clinic_id == clinic_id, Patient.care_status == CareStatus.ACTIVE)
        .group_by(Patient.pain_mcid, Patient.headache_responder)
    )
    found: dict[Any, Counter] = defaultdict(Counter)
    for mcid, responder, count, group in db.session.execute(_grouped(query, by)):
        found[group][mcid, responder] += count
    return found


def _improvements(rows: Counter) -> tuple[Improvement, Improvement, int]:
    pain = Improvement(
        sum(n for (mcid, _), n in rows.items() if mcid is not None),
        sum(n for (mcid, _), n in rows.items() if mcid == McidCategory.MUCH_BETTER),
    )
    headache = Improvement(
        sum(n for (_, responder), n in rows.items() if responder is not None),
        sum(n for (_, responder), n in rows.items() if responder),
    )
    return pain, headache, sum(rows.values())


def _open_flags(clinic_id: int, by) -> dict[Any, Counter]:
    query = (
        select(Flag.severity, func.count())
        .where(Flag.clinic_id == clinic_id, ACTIVE_FLAG)
        .group_by(Flag.severity)
    )
    found: dict[Any, Counter] = defaultdict(Counter)
    for severity, count, group in db.session.execute(_grouped(query, by, Flag.patient_id)):
        found[group][severity] = count
    return found


def _urgent_flag_timings(clinic_id: int, now: datetime) -> dict[str, Any]:
    """Median hours to acknowledge urgent flags opened in 30 days; urgent flags open > 48 h."""
    urgent = (Flag.clinic_id == clinic_id, Flag.severity == Severity.URGENT)
    acknowledged = db.session.execute(
        select(Flag.opened_at, Flag.first_acknowledged_at).where(
            *urgent, Flag.opened_at >= now - timedelta(days=30), Flag.first_acknowledged_at <= now
        )
    ).all()
    waits = [(seen - opened).total_seconds() / 3600 for opened, seen in acknowledged]
    overdue = db.session.scalar(
        select(func.count()).where(
            *urgent, ACTIVE_FLAG, Flag.opened_at < now - timedelta(hours=48)
        )
    )
    return {
        "median_hours_to_acknowledge_urgent": round(median(waits), 2) if waits else None,
        "urgent_open_over_48h": overdue,
    }
