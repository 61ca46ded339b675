"""What PainLine knows about one measure: the shape of an entry of the measure catalog."""

from dataclasses import dataclass, field

from server.enums import Language, Measure

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
# PainLine's own code system: one canonical URL whatever host a clinic deploys on.
LOCAL = "https://painline.org/fhir/CodeSystem/measures"


@dataclass(frozen=True)
class Mcid:
    """The RuleSet settings that grade a change from baseline, and where the figures come from.

    Points are counted in the better direction; a percent is of the baseline. A measure with a
    responder percent (headache days) is "much better" at that share of its baseline.
    """

    source: str
    much_points: str | None = None
    much_percent: str | None = None
    minimal_points: str | None = None
    minimal_percent: str | None = None
    worse_points: str | None = None

    @property
    def settings(self) -> tuple[str, ...]:
        """Every RuleSet setting this grading reads."""
        names = (
            self.much_points,
            self.much_percent,
            self.minimal_points,
            self.minimal_percent,
            self.worse_points,
        )
        return tuple(name for name in names if name)


@dataclass(frozen=True)
class MeasureSpec:
    """One measure: labels, range, direction, change thresholds, FHIR coding, wording."""

    measure: Measure
    label: dict[Language, str]
    low: int
    high: int
    lower_is_better: bool
    recall: str  # the period the question asks about, as a clinician would say it
    anchors: dict[Language, tuple[str, str]]  # what `low` and `high` mean, for the app
    mcid: Mcid | None  # None: no change that matters (PGIC is graded by itself; med days flag)
    fhir_coding: tuple[dict[str, str], ...]
    fhir_text: str | None
    question: dict[Language, str]  # one SMS, after "<clinic>: "; "{activity}" for PSFS
    reply_key: str  # the one word a reply's label for this measure becomes ("pain", "sleep")
    reply_labels: str  # regex (folded text) of the words that name it in a reply, en and es
    # Whole phrases that answer this measure when it is the open question ("not at all" = 0),
    # in both languages; the longest phrase found wins ("very much improved" over "much ...").
    reply_words: dict[str, int] = field(default_factory=dict)
    absent_is_zero: bool = False  # "no pain", "headache free" read as 0
    per_activity: bool = False  # PSFS: asked once per activity the patient named
    note: str = ""  # a caution shown with the figures ("threshold borrowed from the NPRS")

    @property
    def higher_is_better(self) -> bool:
        """True for function and recovery scores (PSFS, SANE)."""
        return not self.lower_is_better

    @property
    def mcid_thresholds(self) -> tuple[str, ...]:
        """The RuleSet settings that grade this measure's change ((), when none)."""
        return self.mcid.settings if self.mcid else ()

    def improvement(self, baseline: int, latest: int) -> int:
        """Points from baseline to latest in the better direction (positive = better)."""
        return baseline - latest if self.lower_is_better else latest - baseline


def local_coding(measure: Measure, display: str) -> dict[str, str]:
    """A coding in PainLine's own code system."""
    return {"system": LOCAL, "code": str(measure), "display": display}
