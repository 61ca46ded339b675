"""Condition programs: which measures a patient is asked, and how often (pure module).

Each program is a list of measures with a cadence and the local weekday its weekly check-in
is asked on. A clinic may change a default program (measures, cadences, weekday): the change
is stored as that program's mapping (`to_mapping`) and read back by `programs_with`. A patient
enrolled without a program is asked today's default: pain, plus headache days for a headache
patient.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from server.enums import Measure


class Cadence(StrEnum):
    AFTER_SESSION = "after_session"  # each session's first check-in (day3) and follow-ups
    WEEKLY = "weekly"  # every week on the program's local weekday, session or not; follow-ups
    DISCHARGE_AND_4_WEEKLY = "discharge_and_4_weekly"  # every 4th weekly check-in; follow-ups


class Weekday(StrEnum):
    """The local weekday of a program's weekly check-in (date.weekday(): Monday is 0)."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def number(self) -> int:
        return list(Weekday).index(self)


class ProgramError(ValueError):
    """An invalid program setting; `field` names it, e.g. "measures[1].cadence"."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True)
class Program:
    """A condition program: its id, its name, its measures with a cadence, its weekday."""

    id: str
    label: str
    measures: tuple[tuple[Measure, Cadence], ...]
    # Friday: the week's recall ("past week") covers the working week's activities.
    weekday: Weekday = Weekday.FRIDAY

    @property
    def measure_list(self) -> list[Measure]:
        """The program's measures in the order they are asked."""
        return [measure for measure, _ in self.measures]

    def to_mapping(self) -> dict[str, Any]:
        """The stored form (a clinic's change) that `with_mapping` reads back."""
        listed = [{"measure": m.value, "cadence": c.value} for m, c in self.measures]
        return {"measures": listed, "weekday": self.weekday.value}

    def with_mapping(self, data: Mapping[str, Any]) -> "Program":
        """This program with a clinic's measures and weekday; a bad setting is a ProgramError."""
        measures = tuple(
            _measure(item, f"measures[{i}]") for i, item in enumerate(data["measures"])
        )
        if not measures:
            raise ProgramError("measures", "must list at least one measure")
        if len({m for m, _ in measures}) != len(measures):
            raise ProgramError("measures", "lists a measure twice")
        return replace(self, measures=measures, weekday=_member(Weekday, data, "weekday", ""))


def _measure(item: Mapping[str, Any], where: str) -> tuple[Measure, Cadence]:
    return _member(Measure, item, "measure", where), _member(Cadence, item, "cadence", where)


def _member(enum, data: Mapping[str, Any], key: str, where: str):
    try:
        return enum(data[key])
    except (KeyError, ValueError):
        known = ", ".join(member.value for member in enum)
        field = f"{where}.{key}" if where else key
        raise ProgramError(field, f"must be one of {known}, got {data.get(key)!r}") from None


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


def programs_with(changes: Mapping[str, Any] | None) -> dict[str, Program]:
    """The default programs with a clinic's stored changes (by program id) applied."""
    changes = changes or {}
    return {
        key: p.with_mapping(changes[key]) if key in changes else p for key, p in PROGRAMS.items()
    }


def measures_of(
    program: str | None, tracks_headache: bool, changes: Mapping[str, Any] | None = None
) -> list[Measure]:
    """The measures of `program` (as the clinic has it), else pain (and headache days)."""
    return [measure for measure, _ in cadences_of(program, tracks_headache, changes)]


def cadences_of(
    program: str | None, tracks_headache: bool, changes: Mapping[str, Any] | None = None
) -> tuple[tuple[Measure, Cadence], ...]:
    """Each measure the patient is asked, with its cadence."""
    if program is not None:
        return programs_with(changes)[program].measures
    return _DEFAULT_HEADACHE if tracks_headache else _DEFAULT


def has_weekly(program: Program) -> bool:
    """True if the program asks anything on its weekly check-in (weekly or 4-weekly)."""
    return any(cadence is not Cadence.AFTER_SESSION for _, cadence in program.measures)
