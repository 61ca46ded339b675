"""Regression flags and the patient's trend figures, re-evaluated with every new score.

Runs inside the transaction that stores the score (services/scores.add_score), so a reply and
the flag it raises are committed together or not at all.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.enums import FlagRule, FlagStatus, Measure
from server.extensions import db
from server.models import Flag, Patient
from server.outcomes import Finding, Reading, RuleSet, evaluate, summarize
from server.services import clinic_settings, trends
from server.services.flags import store as flags

# The rules that read scores; non_response, reply_review and phone_invalid are raised elsewhere.
SCORE_RULES = (
    FlagRule.PAIN_RISE,
    FlagRule.PAIN_JUMP,
    FlagRule.PAIN_SEVERE,
    FlagRule.HEADACHE_RISE,
    FlagRule.FUNCTION_DROP,
    FlagRule.MEDICATION_OVERUSE_RISK,
    FlagRule.SANE_LOW_RETURN,
)


def evaluate_patient(patient: Patient, now: datetime, trigger_id: int | None = None) -> list[Flag]:
    """Run the clinic's rules on the patient's scores; open or update flags (caller commits).

    trigger_id: the score that just arrived. When it is not the newest (a delayed SMS, or two
    replies committed out of order), the rules also run on the history as it stood at that
    reading, so its own regression is flagged whatever the arrival order.
    """
    # An SMS and an app reply may arrive at once: one evaluation per patient at a time, so the
    # second sees the first's flag and updates it. NO KEY UPDATE: the score rows' foreign keys
    # hold KEY SHARE locks on the patient, which FOR UPDATE would deadlock against.
    lock = select(Patient.id).where(Patient.id == patient.id).with_for_update(key_share=True)
    db.session.execute(lock)
    rules = clinic_settings.clinic_rules(patient.clinic_id)
    readings = trends.readings_of(patient.id, rules)
    moments = [readings]
    if trigger_id is not None and trigger_id in (ids := [r.score_id for r in readings]):
        upto = readings[: ids.index(trigger_id) + 1]
        moments = [upto, readings] if len(upto) < len(readings) else moments
    return _apply(patient, moments, rules, _score_flags([patient.id])[patient.id], now)


def evaluate_patients(patients: Sequence[Patient], now: datetime) -> int:
    """The same for many patients (demo data, backfills) in three queries; returns flags raised.

    Past data: the flags it raises send no alerts (services/alerts).
    """
    ids = [p.id for p in patients]
    rules = {c: clinic_settings.clinic_rules(c) for c in {p.clinic_id for p in patients}}
    known = _score_flags(ids)
    readings: dict[int, list[Reading]] = {}
    for clinic_id, clinic_rules in rules.items():
        mine = [p.id for p in patients if p.clinic_id == clinic_id]
        readings |= trends.readings_by_patient(mine, clinic_rules)
    raised = 0
    for patient in patients:
        found = readings.get(patient.id, [])
        clinic_rules = rules[patient.clinic_id]
        raised += len(_apply(patient, [found], clinic_rules, known[patient.id], now, alert=False))
    return raised


def _apply(
    patient: Patient,
    moments: list[list[Reading]],
    rules: RuleSet,
    known: list[Flag],
    now: datetime,
    alert: bool = True,
) -> list[Flag]:
    """Evaluate each moment's readings (the last is the full history) and raise what they find."""
    refresh_trend_figures(patient, moments[-1], rules, now)
    tz = ZoneInfo(patient.timezone)
    raised = []
    sport = patient.returning_to_sport
    for finding in (f for readings in moments for f in evaluate(readings, rules, tz, sport)):
        flag = _flag_for(patient, finding, known, now)
        if flag is None:
            continue
        flags.record_finding(flag, finding, now, rules.version, alert=alert)
        raised.append(flag)
    return raised


def _flag_for(patient: Patient, finding: Finding, known: list[Flag], now: datetime) -> Flag | None:
    """The active flag to update, a new one, or None when staff already resolved this reading."""
    same_rule = [f for f in known if f.rule == finding.rule]
    active = next((f for f in same_rule if f.status != FlagStatus.RESOLVED), None)
    if active is not None:
        return active
    # A reply on another measure re-runs every rule, and the finding comes back with the same
    # trigger (its newest reading): a flag staff resolved for that reading stays resolved.
    trigger = finding.evidence_score_ids[-1]
    if any(trigger in (f.evidence_score_ids or []) for f in same_rule):
        return None
    flag = flags.new_flag(patient, finding.rule, now)
    known.append(flag)
    return flag


def _score_flags(patient_ids: list[int]) -> dict[int, list[Flag]]:
    query = select(Flag).where(Flag.patient_id.in_(patient_ids), Flag.rule.in_(SCORE_RULES))
    found: dict[int, list[Flag]] = defaultdict(list)
    for flag in db.session.scalars(query):
        found[flag.patient_id].append(flag)
    return found


def refresh_trend_figures(
    patient: Patient, readings: list[Reading], rules: RuleSet, now: datetime
) -> None:
    """Copy latest pain, change, MCID and headache response onto the patient for the list, and
    each measure's MCID category for the overview."""
    pain = summarize(readings, Measure.PAIN, now, rules)
    headache = summarize(readings, Measure.HEADACHE_DAYS, now, rules)
    patient.latest_pain = pain.latest.value if pain.latest else None
    patient.latest_pain_at = pain.latest.reported_at if pain.latest else None
    patient.pain_change = pain.change.points if pain.change else None
    patient.pain_change_percent = pain.change.percent if pain.change else None
    patient.pain_mcid = pain.mcid
    patient.headache_responder = headache.responder
    graded = {r.measure for r in readings} - {Measure.PAIN}
    categories = {str(m): summarize(readings, m, now, rules).mcid for m in graded}
    categories[str(Measure.PAIN)] = pain.mcid
    patient.mcid_by_measure = {m: str(c) for m, c in sorted(categories.items()) if c} or None
