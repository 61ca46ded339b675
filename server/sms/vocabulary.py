"""The keyword vocabulary, in one place: opt-out, opt-in, YES and HELP words, and the
plain-language opt-outs ("please stop texting me") honoured as revocations."""

import re
from enum import StrEnum

from server.sms.numbers import Token


class Keyword(StrEnum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    YES = "yes"
    HELP = "help"


# Twilio's default opt-out handling answers these single words itself (any case) and blocks
# further texts after an opt-out; plain-language opt-outs and Spanish words it leaves to us.
OPT_OUT_WORDS = ("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout")
OPT_IN_WORDS = ("start", "unstop")
TWILIO_KEYWORDS = frozenset({*OPT_OUT_WORDS, *OPT_IN_WORDS, "yes"})
_KEYWORDS = {
    **dict.fromkeys((*OPT_OUT_WORDS, "parar", "baja", "cancelar"), Keyword.OPT_OUT),
    **dict.fromkeys(OPT_IN_WORDS, Keyword.OPT_IN),
    **dict.fromkeys(("yes", "si"), Keyword.YES),  # the caller decides whether YES opts in
    **dict.fromkeys(("help", "info", "ayuda"), Keyword.HELP),
}
_COURTESY = frozenset({"please", "pls", "plz", "now", "me", "it", "all", "just", "ok", "thanks"})
_COURTESY |= {"thank", "you", "por", "favor", "ya", "gracias"}
_MESSAGES = r"(?:texts?|texting|txts?|messages?|messaging|msgs?|sms)"
_OPT_OUT_PHRASE = re.compile(
    rf"\b(?:unsubscribe|unsub|stopall|optout|opt out|revoke|remove me|take me off|leave me alone"
    rf"|(?:stop|quit|cease|cancel)(?: (?:the|these|those|your|all|any|me|with|them))* "
    rf"(?:{_MESSAGES}|sending|contacting)"
    rf"|no more {_MESSAGES}"
    r"|(?:dont|do not|never) (?:ever )?(?:text|txt|message|contact|send|sms)\w*"
    r" (?:me|us|anymore|again)"
    r"|no (?:me )?(?:envien|manden|mande|envie|escriban|contacten)|no mas (?:mensajes|textos|sms)"
    r"|no quiero (?:recibir )?(?:mas )?(?:mensajes|textos|sms)|(?:dejen|deja|deje|dejar) de "
    r"(?:enviar|mandar|escribir)\w*|de baja)\b"
)

def keyword_of(canon: str, tokens: list[Token]) -> Keyword | None:
    """The keyword a reply sends; an opt-out counts even next to scores ("4 STOP")."""
    if _OPT_OUT_PHRASE.search(" ".join(re.findall(r"[a-z0-9]+", canon))):
        return Keyword.OPT_OUT
    words = [token for token in tokens if isinstance(token, str) and token not in _COURTESY]
    kinds = {_KEYWORDS.get(word) for word in words}
    if not words or None in kinds:
        return None
    if Keyword.OPT_OUT in kinds:
        return Keyword.OPT_OUT
    has_scores = any(not isinstance(token, str) for token in tokens)
    return kinds.pop() if len(kinds) == 1 and not has_scores else None
