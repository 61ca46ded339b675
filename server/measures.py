"""The measure catalog: what every layer knows about each measure, written once.

A later measure (say a 0-10 function score, higher is better) is a `Measure` member, an entry
here and its rules (outcomes/rules.py thresholds, outcomes/regression.py): the parser, its
callers, the scores API, the exports and FHIR read its range, labels and codes from here.
"""

from dataclasses import dataclass

from server.enums import Language, Measure

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
LOCAL = "{base}/fhir/CodeSystem/measures"  # PainLine's own code system, under PUBLIC_BASE_URL


@dataclass(frozen=True)
class MeasureSpec:
    """One measure: labels, range, direction, MCID thresholds, FHIR coding, question, words."""

    measure: Measure
    label: dict[Language, str]
    low: int
    high: int
    lower_is_better: bool
    mcid_thresholds: tuple[str, ...]  # the RuleSet settings that grade its change
    fhir_coding: tuple[dict[str, str], ...]  # a "{base}" system is filled in by the exporter
    fhir_text: str | None
    question: str  # the sms.templates.Template that asks it, one per SMS
    reply_labels: tuple[str, ...]  # words that name it in a reply ("pain 6", "headache 2")


CATALOG: dict[Measure, MeasureSpec] = {
    Measure.PAIN: MeasureSpec(
        measure=Measure.PAIN,
        label={Language.EN: "Pain (0-10)", Language.ES: "Dolor (0-10)"},
        low=0,
        high=10,
        lower_is_better=True,
        mcid_thresholds=(
            "mcid_much_points",
            "mcid_much_percent",
            "mcid_minimal_points",
            "mcid_minimal_percent",
            "mcid_worse_points",
        ),
        fhir_coding=(
            {
                "system": LOINC,
                "code": "72514-3",
                "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            },
        ),
        fhir_text=None,
        question="pain_question",
        reply_labels=("pain",),
    ),
    Measure.HEADACHE_DAYS: MeasureSpec(
        measure=Measure.HEADACHE_DAYS,
        label={Language.EN: "Headache days (last 7)", Language.ES: "Dias con dolor de cabeza (7)"},
        low=0,
        high=7,
        lower_is_better=True,
        mcid_thresholds=(
            "headache_responder_percent",
            "headache_minimal_days",
            "headache_worse_days",
        ),
        # No verified LOINC code: PainLine's own code plus SNOMED CT "Headache (finding)".
        fhir_coding=(
            {
                "system": LOCAL,
                "code": str(Measure.HEADACHE_DAYS),
                "display": "Headache days in the last 7 days",
            },
            {"system": SNOMED, "code": "25064002", "display": "Headache (finding)"},
        ),
        fhir_text="Headache days in the last 7 days (0-7)",
        question="headache_question",
        reply_labels=("headache",),
    ),
}


def spec(measure: Measure | str) -> MeasureSpec:
    """The catalog entry of a measure (given as a Measure or its name)."""
    return CATALOG[Measure(measure)]
