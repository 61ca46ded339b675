"""Minimum necessary: no body region, diagnosis or treatment in anything PainLine texts.

One check, used for every SMS template (tests/sms/test_templates.py) and for the words staff
type that are texted to a patient (PSFS activity labels). Folded text, English and Spanish.
"""

import re
import unicodedata

_BODY_REGIONS = (
    r"neck|back(?!\s+to\b)|spine|spinal|lumbar|cervical|thoracic|sacr\w*|coccyx|shoulders?"
    r"|arms?|elbows?|wrists?|hands?|fingers?|thumbs?|hips?|pelvi\w*|groin|knees?|ankles?"
    r"|feet|foot|toes?|legs?|thighs?|calf|calves|shins?|hamstrings?|glutes?|buttocks?|heels?"
    r"|jaw|tmj|head|chest|ribs?|abdomen|torso"
    r"|cuello|espalda|columna|hombros?|brazos?|codos?|munecas?|manos?|dedos?|caderas?"
    r"|rodillas?|tobillos?|pies?|piernas?|muslos?|pantorrillas?|talon(?:es)?|mandibula"
    r"|pecho|costillas?"
)
_DIAGNOSES_AND_TREATMENT = (
    r"migraines?|migranas?|fibromyalgia|fibromialgia|tension[- ]type|tensional|sciatica"
    r"|ciatica|arthritis|artritis|osteoarthritis|artrosis|tendinitis|tendinopathy|tendinosis"
    r"|bursitis|hernia\w*|herniated|disc|disco|sprain|esguince|fracture|fractura|whiplash"
    r"|concussion|surgery|surgical|cirugia|operation|operacion|post[- ]?op\w*|postoperatori\w*"
    r"|needl\w*|agujas?|puncion|acupunct\w*|injur\w*|lesion(?:es)?|diagnos\w*|syndrome"
    r"|sindrome|plantar|fasciitis|fascitis|carpal|rotator|acl|mcl|meniscus|menisco"
)
_FORBIDDEN = re.compile(rf"\b(?:{_BODY_REGIONS}|{_DIAGNOSES_AND_TREATMENT})\b")


def privacy_problem(text: str) -> str | None:
    """The first body region, diagnosis or treatment word in `text`, or None when clean."""
    folded = "".join(
        char
        for char in unicodedata.normalize("NFKD", text.casefold())
        if unicodedata.category(char) != "Mn"
    )
    found = _FORBIDDEN.search(folded)
    return found[0] if found else None
