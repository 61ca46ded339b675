"""Condition programs: which measures a patient is asked, and how often (pure module).

Each program is a list of measures with a cadence. A patient enrolled without a program is
asked today's default: pain, plus headache days for a headache patient.
"""

from dataclasses import dataclass
from enum import StrEnum

from server.enums import Measure


class Cadence(StrEnum):
    AFTER_SESSION = "after_session"  # each session's first check-in (day3) and follow-ups
    WEEKLY = "weekly"  # the check-in a week after each session (day7) and follow-ups
    DISCHARGE_AND_4_WEEKLY = "discharge_and_4_weekly"  # every 4th session's day7; follow-ups


@dataclass(frozen=True)
class Program:
    """A condition program: its id, its name and its measures, each with a cadence."""

    id: str
    label: str
    measures: tuple[tuple[Measure, Cadence], ...]

    @property
    def measure_list(self) -> list[Measure]:
        """The program's measures in the order they are asked."""
        return [measure for measure, _ in self.measures]


_S, _W, _D = Cadence.AFTER_SESSION, Cadence.WEEKLY, Cadence.DISCHARGE_AND_4_WEEKLY
M = Measure
PROGRAMS: dict[str, Program] = {
    p.id: p
    for p in (
        Program(
            "neck_back_pain",
            "Neck and low-back pain",
            ((M.PAIN, _S), (M.PSFS, _W), (M.ACTIVITY_INTERFERENCE, _W), (M.PGIC, _D)),
        ),
        Program(
            "tension_type_headache",
            "Tension-type headache",
            ((M.HEADACHE_DAYS, _W), (M.HEADACHE_INTENSITY, _W), (M.ACUTE_MED_DAYS, _W)),
        ),
        Program("migraine", "Migraine", ((M.HEADACHE_DAYS, _W), (M.ACUTE_MED_DAYS, _W))),
        Program(
            "fibromyalgia",
            "Fibromyalgia",
            ((M.PAIN, _S), (M.SLEEP_INTERFERENCE, _S), (M.ACTIVITY_INTERFERENCE, _W), (M.PGIC, _D)),
        ),
        Program("post_operative", "Post-operative", ((M.PAIN, _S), (M.PSFS, _W))),
        Program("athlete", "Athlete", ((M.SANE, _S), (M.PAIN, _S))),
    )
}
# Today's default, for patients enrolled without a program.
_DEFAULT = ((M.PAIN, _S),)
_DEFAULT_HEADACHE = ((M.PAIN, _S), (M.HEADACHE_DAYS, _W))


def measures_of(program: str | None, tracks_headache: bool) -> list[Measure]:
    """The measures of `program`, else pain (and headache days for a headache patient)."""
    return [measure for measure, _ in cadences_of(program, tracks_headache)]


def cadences_of(program: str | None, tracks_headache: bool) -> tuple[tuple[Measure, Cadence], ...]:
    """Each measure the patient is asked, with its cadence."""
    if program is not None:
        return PROGRAMS[program].measures
    return _DEFAULT_HEADACHE if tracks_headache else _DEFAULT
