"""Which measures each planned check-in asks: the policy's lists, or the patient's program.

A patient without a program is asked each kind's own measures (today's default). A program
patient is asked by cadence: after-session measures at the session's first check-in; weekly
ones at the program's weekly check-in (planning/weekly.py), PGIC at every 4th of those; a
discharge follow-up asks everything. A check-in asks at most MAX_QUESTIONS (PSFS counts one
per activity); what does not fit moves to the event's next check-in. Pure.
"""

from server.enums import Measure
from server.measures import spec
from server.planning.policy import DISCHARGE, CheckInPolicy, PlannedKind
from server.planning.rows import PatientContext
from server.programs import Cadence

MAX_QUESTIONS = 3
PGIC_EVERY_WEEKS = 4


def measures_by_kind(
    policy: CheckInPolicy, on: str, patient: PatientContext
) -> list[tuple[PlannedKind, tuple[Measure, ...]]]:
    """Each kind planned on this event (earliest first) with the measures it asks."""
    kinds = sorted((k for k in policy.kinds if k.on == on), key=lambda k: k.offset_days)
    asked: list[list[Measure]] = []
    carried: list[Measure] = []
    for kind in kinds:
        # What the previous check-in could not ask goes first (it rotates), then its own.
        wanted = carried + [m for m in _asked(kind, kinds, patient) if m not in carried]
        taken, carried = _within_cap(wanted, patient, MAX_QUESTIONS)
        asked.append(taken)
    for measure in carried:  # still left after the last: an earlier check-in with room
        for taken in asked:
            if measure not in taken and _room(taken, patient) >= _count(measure, patient):
                taken.append(measure)
                break
    return [(kind, _in_order(taken, patient)) for kind, taken in zip(kinds, asked, strict=True)]


def _asked(kind: PlannedKind, kinds: list[PlannedKind], patient: PatientContext) -> tuple:
    if patient.cadences is None:
        return tuple(m for m in kind.measures if m in patient.measures)
    asked = [m for m, cadence in patient.cadences if _fits(cadence, kind, kinds, patient)]
    if kind.on == DISCHARGE and kind == kinds[0]:  # the global impression of change first
        cadence = dict(patient.cadences)
        asked.sort(key=lambda m: cadence[m] is not Cadence.DISCHARGE_AND_4_WEEKLY)
    return tuple(asked)


def _fits(cadence: Cadence, kind: PlannedKind, kinds: list[PlannedKind], patient) -> bool:
    if kind.on == DISCHARGE:
        return True
    # Weekly and 4-weekly measures have their own check-in, on the program's weekday.
    return cadence is Cadence.AFTER_SESSION and kind == kinds[0]


def weekly_measures(patient: PatientContext, week: int) -> tuple[Measure, ...]:
    """What the weekly check-in of `week` (0: the week of the first session) asks.

    Weekly measures every week; the 4-weekly (PGIC) from week 4, every 4th week.
    """
    every_4th = week >= PGIC_EVERY_WEEKS and week % PGIC_EVERY_WEEKS == 0
    wanted = {Cadence.WEEKLY} | ({Cadence.DISCHARGE_AND_4_WEEKLY} if every_4th else set())
    asked = [m for m, cadence in patient.cadences or () if cadence in wanted]
    return tuple(m for m in asked if _count(m, patient))


def _in_order(measures: list[Measure], patient: PatientContext) -> tuple[Measure, ...]:
    """Each measure once, in the patient's order (the program's, else pain first)."""
    order = [m for m, _ in patient.cadences] if patient.cadences else list(Measure)
    return tuple(sorted(set(measures), key=order.index))


def _count(measure: Measure, patient: PatientContext) -> int:
    """How many questions a measure is: PSFS one per activity (none without one)."""
    return patient.activities if spec(measure).per_activity else 1


def _room(taken, patient: PatientContext) -> int:
    return MAX_QUESTIONS - sum(_count(m, patient) for m in taken)


def fill(asked, wanted, patient: PatientContext) -> tuple[tuple, tuple]:
    """A check-in asking `asked` widened by what of `wanted` fits: (its measures, the rest)."""
    asked = tuple(dict.fromkeys(asked))  # a stored PSFS is listed once per activity
    taken, rest = _within_cap([m for m in wanted if m not in asked], patient, _room(asked, patient))
    return _in_order([*asked, *taken], patient), tuple(rest)


def _within_cap(wanted: list[Measure], patient: PatientContext, room: int) -> tuple[list, list]:
    """The measures that fit `room` questions, in order, and those that move on."""
    asked, rest = [], []
    for measure in wanted:
        count = _count(measure, patient)
        if 0 < count <= room:
            asked.append(measure)
            room -= count
        elif count:
            rest.append(measure)
    return asked, rest
