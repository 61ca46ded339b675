"""Per measure, how many active patients were compared with baseline and how many are much
better: read from each patient's stored `mcid_by_measure` (refreshed with every score)."""

import json
from collections import Counter
from typing import Any

from sqlalchemy import Text, cast, func, null, select

from server.enums import CareStatus
from server.extensions import db
from server.models import Patient
from server.outcomes import McidCategory


def much_better_counts(clinic_id: int, by=None) -> dict[Any, dict[str, tuple[int, int]]]:
    """{group: {measure: (compared, much better)}}; `by` a Patient column, None: one group."""
    found: dict[Any, dict[str, Counter]] = {None: {}} if by is None else {}
    for group, categories, patients in db.session.execute(_alike_patients(clinic_id, by)):
        counts = found.setdefault(group, {})
        for measure, category in json.loads(categories).items():
            tally = counts.setdefault(measure, Counter())
            tally["compared"] += patients
            tally["improved"] += patients if category == McidCategory.MUCH_BETTER else 0
    return {
        group: {m: (counts[m]["compared"], counts[m]["improved"]) for m in sorted(counts)}
        for group, counts in found.items()
    }


def _alike_patients(clinic_id: int, by):
    """Active patients counted by group and stored categories (as text: few distinct values).

    Grouped in SQL: reading each of 20k patients' JSON into Python took ~200 ms."""
    group = (by if by is not None else null()).label("grp")
    categories = cast(Patient.mcid_by_measure, Text)
    return (
        select(group, categories, func.count())
        .where(
            Patient.clinic_id == clinic_id,
            Patient.care_status == CareStatus.ACTIVE,
            Patient.mcid_by_measure.is_not(None),
        )
        .group_by(*([by] if by is not None else []), categories)
    )


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
