"""SMS keywords: opting out and back in by text (consent events), and HELP."""

from datetime import datetime

from server.enums import ActorType, ConsentAction, ConsentSource, ConsentStatus, MessagePurpose
from server.models import Clinic, Message, Patient
from server.services import consent
from server.services.conversation.replies import Reply, reply
from server.sms.parser import Keyword, ParsedReply, ReplyKind
from server.sms.templates import Template
from server.sms.vocabulary import TWILIO_KEYWORDS


def applies(parsed: ParsedReply, patient: Patient) -> bool:
    """True when the reply is a keyword to act on; YES only re-opts-in an opted-out patient."""
    if parsed.kind is not ReplyKind.KEYWORD:
        return False
    return parsed.keyword is not Keyword.YES or patient.consent_status == ConsentStatus.OPTED_OUT


def act(
    keyword: Keyword, inbound: Message, patient: Patient, clinic: Clinic, now: datetime
) -> Reply | None:
    """Record the consent change a keyword asks for (caller commits) and say what to answer."""
    if keyword is Keyword.HELP:
        return reply(Template.HELP, patient, clinic, MessagePurpose.KEYWORD)
    opting_out = keyword is Keyword.OPT_OUT
    consent.change(
        patient,
        ConsentAction.REVOKED if opting_out else ConsentAction.GRANTED,
        ConsentSource.KEYWORD,
        now,
        actor=(ActorType.PATIENT, patient.id),
        evidence_message_id=inbound.id,
    )
    if clinic.twilio_opt_out_handling and twilio_answers(inbound.body):
        return None  # Twilio has confirmed already: no second confirmation
    confirmation = Template.OPT_OUT_CONFIRM if opting_out else Template.OPT_IN_CONFIRM
    return reply(confirmation, patient, clinic, MessagePurpose.KEYWORD)


def twilio_answers(text: str) -> bool:
    """True when Twilio's own opt-out handling recognises the text and has replied to it."""
    return text.strip().casefold() in TWILIO_KEYWORDS
