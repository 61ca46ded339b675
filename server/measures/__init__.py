"""The measure catalog: what every layer knows about each measure, written once.

A new measure is a `Measure` member, an entry here (label, range, direction, recall, anchors,
change thresholds and their source, FHIR coding, question in each language, reply words) and
its rules (outcomes/rules.py thresholds): the parser, the conversation, the scores API, the
app's questions, trends, exports, FHIR and the dashboard's charts read everything from here.
"""

from server.enums import Measure
from server.measures import function_and_change as _fc
from server.measures import pain_and_headache as _ph
from server.measures.spec import LOCAL, LOINC, SNOMED, Mcid, MeasureSpec

__all__ = ["CATALOG", "LOCAL", "LOINC", "SNOMED", "MeasureSpec", "Mcid", "spec"]

CATALOG: dict[Measure, MeasureSpec] = {
    entry.measure: entry
    for entry in (
        _ph.PAIN,
        _ph.HEADACHE_DAYS,
        _ph.HEADACHE_INTENSITY,
        _ph.ACUTE_MED_DAYS,
        _fc.PSFS,
        _fc.ACTIVITY_INTERFERENCE,
        _fc.SLEEP_INTERFERENCE,
        _fc.PGIC,
        _fc.SANE,
    )
}


def spec(measure: Measure | str) -> MeasureSpec:
    """The catalog entry of a measure (given as a Measure or its name)."""
    return CATALOG[Measure(measure)]
