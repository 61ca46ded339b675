"""The Patient-Specific Functional Scale: one series per activity and the mean that is graded.

The answers to one check-in (one per activity, minutes apart) make one PSFS measurement:
their mean is what baseline, change, MCID and function_drop read (Stratford 1995).
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from server.enums import Measure
from server.outcomes.readings import Reading, chronological

# Answers to one check-in's PSFS questions arrive within its window; a day keeps them together.
ONE_MEASUREMENT = timedelta(hours=24)


def per_activity(readings: Iterable[Reading]) -> dict[int, list[Reading]]:
    """Each activity's PSFS readings, oldest first, by activity id."""
    series: dict[int, list[Reading]] = {}
    for reading in chronological(r for r in readings if r.measure == Measure.PSFS):
        series.setdefault(reading.activity_id, []).append(reading)
    return series


def psfs_means(readings: Iterable[Reading]) -> list[Reading]:
    """One reading per PSFS measurement: the mean of its activities, one decimal, oldest first.

    It carries the id and time of the measurement's last answer (the one that completed it).
    """
    groups: list[list[Reading]] = []
    for reading in chronological(r for r in readings if r.measure == Measure.PSFS):
        if groups and reading.reported_at - groups[-1][0].reported_at < ONE_MEASUREMENT:
            groups[-1].append(reading)
        else:
            groups.append([reading])
    return [_mean(group) for group in groups]


def _mean(group: list[Reading]) -> Reading:
    last = group[-1]
    if len(group) == 1:
        return replace(last, activity_id=None, value=float(last.value))
    value = round(sum(r.value for r in group) / len(group), 1)
    return replace(last, activity_id=None, value=value)
