"""Per measure, how many active patients were compared with baseline and how many are much
better: read from each patient's stored `mcid_by_measure` (refreshed with every score)."""

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select

from server.enums import CareStatus
from server.extensions import db
from server.models import Patient
from server.outcomes import McidCategory


def much_better_counts(clinic_id: int, by=None) -> dict[Any, dict[str, tuple[int, int]]]:
    """{group: {measure: (compared, much better)}}; `by` a Patient column, None: one group."""
    group = by if by is not None else Patient.clinic_id
    query = select(group, Patient.mcid_by_measure).where(
        Patient.clinic_id == clinic_id,
        Patient.care_status == CareStatus.ACTIVE,
        Patient.mcid_by_measure.is_not(None),
    )
    compared: dict[Any, Counter] = defaultdict(Counter, {None: Counter()} if by is None else {})
    improved: dict[Any, Counter] = defaultdict(Counter)
    for key, categories in db.session.execute(query):
        key = key if by is not None else None
        for measure, category in categories.items():
            compared[key][measure] += 1
            improved[key][measure] += category == McidCategory.MUCH_BETTER
    return {
        key: {m: (compared[key][m], improved[key][m]) for m in sorted(compared[key])}
        for key in compared
    }


def summed(groups) -> dict[str, tuple[int, int]]:
    """The counts of several groups added up, per measure."""
    compared, improved = Counter(), Counter()
    for counts in groups:
        for measure, (n, better) in counts.items():
            compared[measure] += n
            improved[measure] += better
    return {m: (compared[m], improved[m]) for m in sorted(compared)}


def as_figures(counts: dict[str, tuple[int, int]]) -> dict[str, dict[str, dict]]:
    """The overview's "much_better_by_measure": compared, improved and share, per measure."""
    return {
        "much_better_by_measure": {
            m: {"patients_compared": n, "improved": k, "share": round(k / n, 3) if n else None}
            for m, (n, k) in counts.items()
        }
    }
