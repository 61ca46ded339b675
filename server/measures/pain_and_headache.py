"""Catalog entries: pain, headache days, headache intensity, acute-medication days."""

from server.enums import Language, Measure
from server.measures.spec import LOINC, SNOMED, Mcid, MeasureSpec, local_coding

EN, ES = Language.EN, Language.ES
_ZERO_TEN = "Reply a number 0-10."
_ZERO_TEN_ES = "Responda un numero 0-10."
_NPRS = "Farrar 2001; Salaffi 2004; Childs 2005"

PAIN = MeasureSpec(
    measure=Measure.PAIN,
    label={EN: "Pain (0-10)", ES: "Dolor (0-10)"},
    low=0,
    high=10,
    lower_is_better=True,
    recall="average over the last 24 hours",
    anchors={EN: ("no pain", "worst imaginable"), ES: ("sin dolor", "el peor imaginable")},
    mcid=Mcid(
        source=_NPRS,
        much_points="mcid_much_points",
        much_percent="mcid_much_percent",
        minimal_points="mcid_minimal_points",
        minimal_percent="mcid_minimal_percent",
        worse_points="mcid_worse_points",
    ),
    fhir_coding=(
        {
            "system": LOINC,
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        },
    ),
    fhir_text=None,
    question={
        EN: "On a scale of 0-10 (0=no pain, 10=worst imaginable), what was your AVERAGE pain "
        f"over the last 24 hours? {_ZERO_TEN}",
        ES: "De 0 a 10 (0=sin dolor, 10=el peor imaginable), ¿cual fue su dolor PROMEDIO en "
        f"las ultimas 24 horas? {_ZERO_TEN_ES}",
    },
    reply_key="pain",
    # "dolor de cabeza" is a headache, not pain.
    reply_labels=r"\b(?:dolor(?:es)?|pains?)\b(?!\s+de\s+(?:la\s+)?cabeza)",
    absent_is_zero=True,
)

HEADACHE_DAYS = MeasureSpec(
    measure=Measure.HEADACHE_DAYS,
    label={EN: "Headache days (last 7)", ES: "Dias con dolor de cabeza (7)"},
    low=0,
    high=7,
    lower_is_better=True,
    recall="the last 7 days",
    anchors={EN: ("no headache days", "every day"), ES: ("ningun dia", "todos los dias")},
    mcid=Mcid(
        source="IHS trial guidelines (TTH 2010, migraine 2018/2020): responder = 50% fewer days",
        much_percent="headache_responder_percent",
        minimal_points="headache_minimal_days",
        worse_points="headache_worse_days",
    ),
    # No verified LOINC code: PainLine's own code plus SNOMED CT "Headache (finding)".
    fhir_coding=(
        local_coding(Measure.HEADACHE_DAYS, "Headache days in the last 7 days"),
        {"system": SNOMED, "code": "25064002", "display": "Headache (finding)"},
    ),
    fhir_text="Headache days in the last 7 days (0-7)",
    question={
        EN: "In the last 7 days, on how many days did you have a headache? Reply a number 0-7.",
        ES: "En los ultimos 7 dias, ¿cuantos dias tuvo dolor de cabeza? Responda un numero 0-7.",
    },
    reply_key="headache",
    reply_labels=(
        r"\b(?:dolor(?:es)?\s+de\s+(?:la\s+)?cabeza|head\s?aches?|h/a|migraines?|migranas?"
        r"|jaquecas?|cefaleas?|cabeza)\b"
    ),
    absent_is_zero=True,
)

HEADACHE_INTENSITY = MeasureSpec(
    measure=Measure.HEADACHE_INTENSITY,
    label={EN: "Headache intensity (0-10)", ES: "Intensidad del dolor de cabeza (0-10)"},
    low=0,
    high=10,
    lower_is_better=True,
    recall="average on headache days, last 7 days",
    anchors={EN: ("none", "worst imaginable"), ES: ("nada", "el peor imaginable")},
    mcid=Mcid(
        source="borrowed from the NPRS (Farrar 2001): 2 points and 30%",
        much_points="mcid_much_points",
        much_percent="mcid_much_percent",
        minimal_points="mcid_minimal_points",
        minimal_percent="mcid_minimal_percent",
        worse_points="mcid_worse_points",
    ),
    fhir_coding=(local_coding(Measure.HEADACHE_INTENSITY, "Headache intensity, last 7 days"),),
    fhir_text="Average headache intensity on headache days, last 7 days (0-10)",
    question={
        EN: "On headache days in the last 7 days, how strong was it on average (0=none, "
        f"10=worst imaginable)? {_ZERO_TEN}",
        ES: "Los dias con dolor de cabeza (ultimos 7 dias), ¿que tan fuerte fue en promedio "
        f"(0=nada, 10=el peor)? {_ZERO_TEN_ES}",
    },
    reply_key="intensity",
    reply_labels=r"\b(?:intensity|intensidad)\b",
    note="Change threshold borrowed from the pain scale (NPRS), not validated for headache.",
)

ACUTE_MED_DAYS = MeasureSpec(
    measure=Measure.ACUTE_MED_DAYS,
    label={EN: "Headache medicine days (last 7)", ES: "Dias con medicina (7)"},
    low=0,
    high=7,
    lower_is_better=True,
    recall="the last 7 days",
    anchors={EN: ("no days", "every day"), ES: ("ningun dia", "todos los dias")},
    mcid=None,  # drives medication_overuse_risk (ICHD-3: 10 or 15 days a month), not a change
    fhir_coding=(local_coding(Measure.ACUTE_MED_DAYS, "Days with acute headache medicine, 7 d"),),
    fhir_text="Days with medicine taken for a headache in the last 7 days (0-7)",
    question={
        EN: "In the last 7 days, on how many days did you take medicine for a headache? "
        "Reply a number 0-7.",
        ES: "En los ultimos 7 dias, ¿cuantos dias tomo medicina para el dolor de cabeza? "
        "Responda un numero 0-7.",
    },
    reply_key="meds",
    reply_labels=(
        r"\b(?:meds?|medicines?|medications?|pills?|medicinas?|medicamentos?|pastillas?)\b"
    ),
)
