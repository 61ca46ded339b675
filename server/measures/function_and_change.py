"""Catalog entries: function (PSFS), interference with activity and sleep, PGIC and SANE."""

from server.enums import Language, Measure
from server.measures.spec import Mcid, MeasureSpec, local_coding

EN, ES = Language.EN, Language.ES
_ZERO_TEN = "Reply a number 0-10."
_ZERO_TEN_ES = "Responda un numero 0-10."
_NOT_AT_ALL = {"not at all": 0, "completely": 10, "para nada": 0, "por completo": 10}
_INTERFERENCE_ANCHORS = {EN: ("not at all", "completely"), ES: ("nada", "por completo")}

PSFS = MeasureSpec(
    measure=Measure.PSFS,
    label={EN: "Function (PSFS, 0-10)", ES: "Funcion (PSFS, 0-10)"},
    low=0,
    high=10,
    lower_is_better=False,
    recall="today",
    anchors={EN: ("unable", "as before your problem"), ES: ("no puede", "como antes")},
    mcid=Mcid(
        source="Abbott & Schmitt 2014: 1.3 small, 2.3 medium, 2.7 large; MDC 2 (mean), "
        "3 (one activity)",
        much_points="psfs_mid_points",
        minimal_points="psfs_minimal_points",
        worse_points="psfs_mid_points",
    ),
    fhir_coding=(local_coding(Measure.PSFS, "Patient-Specific Functional Scale item"),),
    fhir_text="Patient-Specific Functional Scale (Stratford 1995), 0-10",
    question={
        EN: "How well can you do this today: {activity}? 0=unable, 10=as before your problem. "
        "Reply 0-10.",
        ES: "¿Que tan bien puede hacer esto hoy: {activity}? 0=no puede, 10=como antes. "
        "Responda 0-10.",
    },
    reply_key="function",
    reply_labels=r"\b(?:function|funcion)\b",
    reply_words={"unable": 0, "no puedo": 0},
    per_activity=True,
)

ACTIVITY_INTERFERENCE = MeasureSpec(
    measure=Measure.ACTIVITY_INTERFERENCE,
    label={EN: "Pain interference, activity (0-10)", ES: "Interferencia, actividad (0-10)"},
    low=0,
    high=10,
    lower_is_better=True,
    recall="the past week",
    anchors=_INTERFERENCE_ANCHORS,
    mcid=Mcid(
        source="PEG item (Krebs 2009); 2 points, provisional",
        much_points="interference_mcid_points",
        minimal_points="interference_minimal_points",
        worse_points="interference_mcid_points",
    ),
    fhir_coding=(local_coding(Measure.ACTIVITY_INTERFERENCE, "Pain interference, activity"),),
    fhir_text="Pain interference with general activity, past week (PEG item), 0-10",
    question={
        EN: "In the past week, how much did pain interfere with your general activity "
        f"(0=not at all, 10=completely)? {_ZERO_TEN}",
        ES: "En la ultima semana, ¿cuanto interfirio el dolor con su actividad general "
        f"(0=nada, 10=por completo)? {_ZERO_TEN_ES}",
    },
    reply_key="activity",
    reply_labels=r"\b(?:activity|activities|actividad(?:es)?)\b",
    reply_words=_NOT_AT_ALL,
)

SLEEP_INTERFERENCE = MeasureSpec(
    measure=Measure.SLEEP_INTERFERENCE,
    label={EN: "Pain interference, sleep (0-10)", ES: "Interferencia, sueño (0-10)"},
    low=0,
    high=10,
    lower_is_better=True,
    recall="the last 24 hours",
    anchors=_INTERFERENCE_ANCHORS,
    mcid=Mcid(
        source="1 point, provisional (OMERACT 9 asks for sleep; no validated MCID)",
        much_points="sleep_mcid_points",
        worse_points="sleep_mcid_points",
    ),
    fhir_coding=(local_coding(Measure.SLEEP_INTERFERENCE, "Pain interference, sleep"),),
    fhir_text="Pain interference with sleep, last 24 hours, 0-10",
    question={
        EN: "In the last 24 hours, how much did pain interfere with your sleep (0=not at all, "
        f"10=completely)? {_ZERO_TEN}",
        ES: "En las ultimas 24 horas, ¿cuanto interfirio el dolor con su sueño (0=nada, "
        f"10=por completo)? {_ZERO_TEN_ES}",
    },
    reply_key="sleep",
    reply_labels=r"\b(?:sleep|sleeping|slept|sueno|dormir)\b",
    reply_words=_NOT_AT_ALL,
)

_PGIC_WORDS = {
    "very much improved": 1, "very much better": 1, "much improved": 2, "much better": 2,
    "minimally improved": 3, "a little better": 3, "no change": 4, "unchanged": 4,
    "the same": 4, "minimally worse": 5, "a little worse": 5, "much worse": 6,
    "very much worse": 7, "muchisimo mejor": 1, "mucho mejor": 2, "un poco mejor": 3,
    "sin cambios": 4, "sin cambio": 4, "igual": 4, "un poco peor": 5, "mucho peor": 6,
    "muchisimo peor": 7,
}  # fmt: skip

PGIC = MeasureSpec(
    measure=Measure.PGIC,
    label={EN: "Global change (PGIC, 1-7)", ES: "Cambio global (PGIC, 1-7)"},
    low=1,
    high=7,
    lower_is_better=True,
    recall="since the first visit",
    anchors={
        EN: ("very much improved", "very much worse"),
        ES: ("muchisimo mejor", "muchisimo peor"),
    },
    mcid=None,  # a secondary outcome: graded by its own words, never a regression trigger
    fhir_coding=(local_coding(Measure.PGIC, "Patient Global Impression of Change"),),
    fhir_text="Patient Global Impression of Change (NIMH wording), 1-7",
    question={
        EN: "Since your first visit, how has your condition changed? 1=very much improved, "
        "4=no change, 7=very much worse. Reply 1-7.",
        ES: "Desde su primera visita, ¿como ha cambiado su condicion? 1=muchisimo mejor, "
        "4=sin cambios, 7=muchisimo peor. Responda 1-7.",
    },
    reply_key="overall",
    reply_labels=r"\b(?:overall|global|en general)\b",
    reply_words=_PGIC_WORDS,
)

SANE = MeasureSpec(
    measure=Measure.SANE,
    label={EN: "Recovery (SANE, 0-100)", ES: "Recuperacion (SANE, 0-100)"},
    low=0,
    high=100,
    lower_is_better=False,
    recall="today",
    anchors={EN: ("not recovered", "fully normal"), ES: ("nada", "totalmente normal")},
    mcid=Mcid(
        source="15 points; below 92.5 before return to sport is a warning (Rhon)",
        much_points="sane_mcid_points",
        worse_points="sane_mcid_points",
    ),
    fhir_coding=(local_coding(Measure.SANE, "Single Assessment Numeric Evaluation"),),
    fhir_text="Single Assessment Numeric Evaluation, 0-100",
    question={
        EN: "How would you rate your recovery today, from 0 to 100 (100=fully normal)? "
        "Reply a number 0-100.",
        ES: "¿Como califica su recuperacion hoy, de 0 a 100 (100=totalmente normal)? "
        "Responda un numero 0-100.",
    },
    reply_key="recovery",
    reply_labels=r"\b(?:recovery|recuperacion)\b",
)
