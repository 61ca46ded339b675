"""Per measure, how many active patients were compared with baseline and how many are much
better: read from each patient's stored `mcid_by_measure` (refreshed with every score)."""

from collections import Counter
from typing import Any

from sqlalchemy import func, null, select, true

from server.enums import CareStatus
from server.extensions import db
from server.models import Patient
from server.outcomes import McidCategory


def much_better_counts(clinic_id: int, by=None) -> dict[Any, dict[str, tuple[int, int]]]:
    """{group: {measure: (compared, much better)}}; `by` a Patient column, None: one group."""
    # Counted in SQL, one row per group and measure: reading every active patient's JSON
    # into Python took ~200 ms at 20k patients.
    categories = _categories()
    query = (
        select(
            (by if by is not None else null()).label("grp"),
            categories.c.key,
            func.count(),
            func.count().filter(categories.c.value == str(McidCategory.MUCH_BETTER)),
        )
        .select_from(Patient)
        .join(categories, true())
        .where(
            Patient.clinic_id == clinic_id,
            Patient.care_status == CareStatus.ACTIVE,
            Patient.mcid_by_measure.is_not(None),
        )
        .group_by(*([by] if by is not None else []), categories.c.key)
    )
    found: dict[Any, dict[str, tuple[int, int]]] = {None: {}} if by is None else {}
    for group, measure, compared, improved in db.session.execute(query):
        found.setdefault(group, {})[measure] = (compared, improved)
    return {group: dict(sorted(counts.items())) for group, counts in found.items()}


def _categories():
    """Each (measure, category) pair of the patient's `mcid_by_measure`, as a joinable table."""
    if db.engine.dialect.name == "postgresql":
        each = func.json_each_text(Patient.mcid_by_measure)
        return each.table_valued("key", "value").lateral("category")
    return func.json_each(Patient.mcid_by_measure).table_valued("key", "value", name="category")


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
