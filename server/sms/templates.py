"""Every SMS body PainLine sends, in English and Spanish, in one place.

Each body is one GSM-7 segment (at most 160 characters with the longest clinic and first names
allowed), starts with the clinic's name and carries no patient data beyond a first name: never a
diagnosis, body region or treatment (HIPAA minimum necessary). Spanish is written without the
accents GSM-7 lacks (a, i, o, u with acute).
"""

import unicodedata
from enum import StrEnum

from server.enums import Language, Measure
from server.measures import CATALOG

MAX_CLINIC_NAME = 30
MAX_FIRST_NAME = 20
MAX_HELP_PHONE = 16  # E.164: "+" and up to 15 digits
MAX_CODE = 8
MAX_SMS_LENGTH = 160  # one GSM-7 segment

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = "\f^{}\\[~]|€"  # each costs two septets
_GSM7 = frozenset(GSM7_BASIC + _GSM7_EXTENSION)
_PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


class Template(StrEnum):
    QUESTION = "question"  # the measure's own wording, from the measure catalog
    REMINDER = "reminder"
    CLARIFY = "clarify"
    THANKS = "thanks"
    HELP = "help"
    OPT_OUT_CONFIRM = "opt_out_confirm"
    OPT_IN_CONFIRM = "opt_in_confirm"
    NO_OPEN_CHECKIN = "no_open_checkin"
    LATE_THANKS = "late_thanks"
    OTP_CODE = "otp_code"


MAX_ACTIVITY_LABEL = 35  # a PSFS activity, texted inside its question

_BODIES = {
    Language.EN: {
        Template.REMINDER: "{hello}, a reminder to answer our last question with a number. "
        "Reply STOP to opt out.",
        Template.CLARIFY: "Please reply with one whole number from {low} to {top}.",
        Template.THANKS: "Thank you, we have your answers.",
        Template.HELP: "Questions? {call} Reply STOP to opt out. Msg&data rates may apply.",
        Template.OPT_OUT_CONFIRM: "You will get no more messages from us. Reply START to "
        "get them again.",
        Template.OPT_IN_CONFIRM: "You will get our check-in questions again, up to 3 msgs/week. "
        "Msg&data rates may apply. Reply HELP for help, STOP to opt out.",
        Template.NO_OPEN_CHECKIN: "There is no open question for you right now. To send a score "
        "anyway, reply for example: PAIN 4. Reply HELP for help.",
        Template.LATE_THANKS: "Thank you. That question had closed, but we kept your answer.",
        Template.OTP_CODE: "Your sign-in code is {code}. It expires in {minutes} minutes. "
        "Do not share it.",
    },
    Language.ES: {
        Template.REMINDER: "{hello}, por favor responda nuestra ultima pregunta con un numero. "
        "Responda STOP para darse de baja.",
        Template.CLARIFY: "Por favor responda con un solo numero entero del {low} al {top}.",
        Template.THANKS: "Gracias, recibimos sus respuestas.",
        Template.HELP: "¿Preguntas? {call} Responda STOP para darse de baja. Pueden aplicar "
        "tarifas.",
        Template.OPT_OUT_CONFIRM: "Ya no recibira mas mensajes nuestros. Responda START para "
        "volver a recibirlos.",
        Template.OPT_IN_CONFIRM: "Volvera a recibir nuestras preguntas, hasta 3 por semana. "
        "Pueden aplicar tarifas. Responda AYUDA para ayuda, STOP para salir.",
        Template.NO_OPEN_CHECKIN: "No tiene ninguna pregunta abierta ahora. Para enviar un "
        "puntaje, responda por ejemplo: DOLOR 4. Responda AYUDA para ayuda.",
        Template.LATE_THANKS: "Gracias. Esa pregunta ya estaba cerrada, pero guardamos su "
        "respuesta.",
        Template.OTP_CODE: "Su codigo de acceso es {code}. Vence en {minutes} minutos. "
        "No lo comparta.",
    },
}
_HELLO = {Language.EN: "Hi", Language.ES: "Hola"}
_CALL = {
    Language.EN: ("Call {phone}.", "Call your clinic."),
    Language.ES: ("Llame al {phone}.", "Llame a su clinica."),
}


def render(
    template: Template,
    language: str,
    *,
    clinic_name: str,
    first_name: str = "",
    help_phone: str = "",
    code: str = "",
    minutes: int = 10,
    measure: Measure = Measure.PAIN,
    activity: str = "",
) -> str:
    """The body of `template` in `language`, else English; `measure` sets CLARIFY's range and
    QUESTION's wording (from the catalog), `activity` names a PSFS activity."""
    # Over 30 lines only by its keyword-only signature: one field per placeholder.
    lang = Language(language) if language in _BODIES else Language.EN
    clinic = _field(clinic_name, MAX_CLINIC_NAME, "clinic_name")
    if not clinic:
        raise ValueError("every SMS starts with the clinic name")
    name = _gsm7_safe(first_name)[:MAX_FIRST_NAME].strip()
    phone = _field(help_phone, MAX_HELP_PHONE, "help_phone")
    with_phone, without_phone = _CALL[lang]
    if template == Template.QUESTION:
        wording = CATALOG[Measure(measure)].question[lang]
    else:
        wording = _BODIES[lang][Template(template)]
    body = wording.format(
        hello=f"{_HELLO[lang]} {name}" if name else _HELLO[lang],
        call=with_phone.format(phone=phone) if phone else without_phone,
        code=_field(code, MAX_CODE, "code"),
        minutes=int(minutes),
        low=Measure(measure).min_value,
        top=Measure(measure).max_value,
        activity=_field(activity, MAX_ACTIVITY_LABEL, "activity"),
    )
    return _checked(f"{clinic}: {body}")


def question(measure: Measure, language: str, clinic_name: str, activity: str = "") -> str:
    """The SMS that asks `measure` (catalog wording; PSFS names `activity`), prompt or reply."""
    return render(
        Template.QUESTION, language, clinic_name=clinic_name, measure=measure, activity=activity
    )


def is_gsm7(text: str) -> bool:
    """True when every character of `text` is in the GSM-7 basic set or its extension table."""
    return all(char in _GSM7 for char in text)


def _septets(text: str) -> int:
    return len(text) + sum(char in _GSM7_EXTENSION for char in text)


def _field(value: str, limit: int, name: str) -> str:
    safe = _gsm7_safe(value)
    if len(safe) > limit:
        raise ValueError(f"{name} is longer than {limit} characters: {safe!r}")
    return safe


def _gsm7_safe(value: str) -> str:
    """`value` on one line in GSM-7 basic characters: "Ángela" -> "Angela", emoji dropped."""
    chars = []
    for char in " ".join(value.translate(_PLAIN_QUOTES).split()):
        if char in GSM7_BASIC:
            chars.append(char)
        else:
            chars.extend(
                part for part in unicodedata.normalize("NFKD", char) if part in GSM7_BASIC
            )
    return " ".join("".join(chars).split())


def _checked(body: str) -> str:
    if not is_gsm7(body) or _septets(body) > MAX_SMS_LENGTH:
        raise ValueError(f"SMS body is not one GSM-7 segment: {body!r}")
    return body
