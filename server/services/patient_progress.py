"""A patient's own progress for the app: each measure's series and change, in plain words.

The figures come from server.outcomes with the clinic's own rule set, so the patient sees the
same baseline, change and MCID category as their therapist; the words are written for the
patient, in their language.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from server.enums import Language, Measure
from server.measures import spec
from server.models import Patient
from server.outcomes import McidCategory, TrendSummary, summarize
from server.services import clinic_settings, trends

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    """One measure's trend and what it means, for the patient."""

    summary: TrendSummary
    message: str


def progress_of(patient: Patient, now: datetime) -> list[Progress]:
    """The patient's measures (and any others they have scores for), each with plain words."""
    rules = clinic_settings.clinic_rules(patient.clinic_id)
    readings = trends.readings_of(patient.id, rules)
    answered = {reading.measure for reading in readings}
    measures = [m for m in Measure if m in patient.measures or m in answered]
    summaries = [summarize(readings, measure, now, rules) for measure in measures]
    days = round(rules.post_needling_hours / 24)
    return [Progress(s, describe(s, patient.language, days)) for s in summaries]


_WORDS = {
    Language.EN: {
        "none": "No {name} scores yet.",
        "start:pain_nprs": "Your first pain score is {b} out of 10.",
        "start:headache_days_7d": "When you started, you had headaches on {b} of 7 days.",
        "keep": "Keep answering to see how it changes.",
        "now:pain_nprs": "Your pain was {b} out of 10 when you started and is {c} now{delta}.",
        "now:headache_days_7d": "You had headaches on {b} of 7 days when you started and on "
        "{c} of 7 days in your latest answer.",
        "delta": ": {points} {unit} {direction}",
        "percent": " ({percent}% {direction})",
        "lower": "lower",
        "higher": "higher",
        "point": "point",
        "points": "points",
        McidCategory.MUCH_BETTER: "That is a clear improvement.",
        McidCategory.MINIMALLY_BETTER: "That is a small improvement.",
        McidCategory.UNCHANGED: "That is about the same as when you started.",
        McidCategory.WORSE: "That is worse than when you started. Your clinic sees your "
        "scores; call them if you are worried.",
        "sore": "Soreness in the first {days} days after dry needling is common, so scores "
        "from those days are not used for this comparison.",
        "pain_nprs": "pain",
        "headache_days_7d": "headache",
        # Any other measure of the catalog, by its label and range.
        "start": "Your first {name} score is {b} ({low}-{high}).",
        "now": "Your {name} score was {b} when you started and is {c} now{delta}.",
    },
    Language.ES: {
        "none": "Todavía no hay puntajes de {name}.",
        "start:pain_nprs": "Su primer puntaje de dolor es {b} de 10.",
        "start:headache_days_7d": "Al empezar tuvo dolor de cabeza {b} de 7 días.",
        "keep": "Siga respondiendo para ver cómo cambia.",
        "now:pain_nprs": "Su dolor era {b} de 10 al empezar y ahora es {c}{delta}.",
        "now:headache_days_7d": "Al empezar tuvo dolor de cabeza {b} de 7 días y {c} de 7 días "
        "en su última respuesta.",
        "delta": ": {points} {unit} {direction}",
        "percent": " ({percent}% {direction})",
        "lower": "menos",
        "higher": "más",
        "point": "punto",
        "points": "puntos",
        McidCategory.MUCH_BETTER: "Es una mejoría clara.",
        McidCategory.MINIMALLY_BETTER: "Es una mejoría pequeña.",
        McidCategory.UNCHANGED: "Está más o menos igual que al empezar.",
        McidCategory.WORSE: "Está peor que al empezar. Su clínica ve sus puntajes; llámela si "
        "le preocupa.",
        "sore": "Es común tener dolor los primeros {days} días después de la punción seca, por "
        "eso esos puntajes no se usan en esta comparación.",
        "pain_nprs": "dolor",
        "headache_days_7d": "dolor de cabeza",
        "start": "Su primer puntaje de {name} es {b} ({low}-{high}).",
        "now": "Su puntaje de {name} era {b} al empezar y ahora es {c}{delta}.",
    },
}


def describe(trend: TrendSummary, language: str, soreness_days: int = 3) -> str:
    """Where the patient started, where they are now, and what that means, in a few sentences."""
    lang = Language(language) if language in _WORDS else Language.EN
    words = _WORDS[lang]
    measure, start = trend.measure, trend.baseline
    entry = spec(measure)
    name = words.get(measure) or entry.label[lang].split(" (")[0].lower()
    if start is None:
        return words["none"].format(name=name)
    figures = {"name": name, "low": entry.low, "high": entry.high, "b": _number(start.value)}
    if trend.compared is None or trend.mcid is None:
        sentences = [words.get(f"start:{measure}", words["start"]).format(**figures)]
        sentences.append(words["keep"])
    else:
        now = words.get(f"now:{measure}", words["now"]).format(
            **figures, c=_number(trend.compared.value), delta=_delta(trend, words)
        )
        sentences = [now, words[trend.mcid]]
    latest = trend.latest
    if latest is not None and latest.in_post_needling_window and latest != start:
        sentences.append(words["sore"].format(days=soreness_days))
    return " ".join(sentences)


def _number(value: float) -> str:
    """4 as "4", a PSFS mean of 5.5 as "5.5"."""
    return f"{value:g}"


def _delta(trend: TrendSummary, words: dict) -> str:
    change = trend.change
    if change is None or change.points == 0:
        return ""
    direction = words["lower"] if change.points < 0 else words["higher"]
    unit = words["point"] if abs(change.points) == 1 else words["points"]
    points = _number(abs(change.points))
    text = words["delta"].format(points=points, unit=unit, direction=direction)
    if change.percent is not None:
        text += words["percent"].format(percent=round(abs(change.percent)), direction=direction)
    return text
