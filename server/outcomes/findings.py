"""What the rules say should be flagged, in the clinic's words, and the non-response rule."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from server.enums import CheckInStatus, FlagRule, Measure, Severity
from server.outcomes.readings import Reading
from server.outcomes.rules import RuleSet

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Check-ins that were never sent, or are still waiting for a reply, neither break nor extend
# a run of expired ones.
_NOT_A_MISSED_REPLY = {
    CheckInStatus.SCHEDULED,
    CheckInStatus.PROMPTED,
    CheckInStatus.CANCELLED,
    CheckInStatus.SKIPPED,
}


@dataclass(frozen=True)
class Finding:
    """A flag the rules say should be open now: rule, severity, reason and evidence."""

    rule: FlagRule
    severity: Severity
    reason: str
    evidence_score_ids: tuple[int, ...]  # oldest first; the last one triggered the finding
    measure: Measure | None


def local_day(reading: Reading, tz: ZoneInfo) -> str:
    """The reading's date in the patient's time zone, as in "Dec 3" (locale-independent)."""
    local = reading.reported_at.astimezone(tz)
    return f"{_MONTHS[local.month - 1]} {local.day}"


def values_on_days(readings: Sequence[Reading], scale: int, tz: ZoneInfo) -> str:
    """The readings as "7/10 on Dec 3 and 8/10 on Dec 10", in the order given."""
    parts = [f"{r.value}/{scale} on {local_day(r, tz)}" for r in readings]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def evidence(readings: Iterable[Reading | None]) -> tuple[int, ...]:
    """Distinct score ids of the readings, oldest first, so the trigger comes last."""
    distinct = {r.score_id: r for r in readings if r is not None}
    ordered = sorted(distinct.values(), key=lambda r: (r.reported_at, r.score_id))
    return tuple(r.score_id for r in ordered)


def evaluate_non_response(
    checkin_statuses_newest_first: Sequence[str], rules: RuleSet
) -> Finding | None:
    """An info finding when the latest check-ins that went out expired without a reply."""
    expired = 0
    for status in map(CheckInStatus, checkin_statuses_newest_first):
        if status in _NOT_A_MISSED_REPLY:
            continue
        if status != CheckInStatus.EXPIRED:
            break
        expired += 1
    if expired < rules.non_response_expired_in_row:
        return None
    return Finding(
        rule=FlagRule.NON_RESPONSE,
        severity=Severity.INFO,
        reason=f"{expired} check-ins in a row expired without a reply.",
        evidence_score_ids=(),
        measure=None,
    )
