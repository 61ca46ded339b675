"""Logs without patient data: phone numbers masked in every record, the Twilio SDK kept quiet."""

import logging
import re

# E.164 as we store and send it, also URL-encoded (%2B) as in a form body.
PHONE = re.compile(r"(?:\+|%2B)\d{7,15}(?!\d)")


def mask_phone(number: str) -> str:
    """+16175551234 -> +1*******34: enough to tell two numbers apart in an incident, no more."""
    digits = number.lstrip("+")
    return "+" + digits[:1] + "*" * max(len(digits) - 3, 0) + digits[-2:]


def mask_phones(text: str) -> str:
    """Every E.164 number in the text, masked."""
    return PHONE.sub(lambda match: mask_phone(match.group().replace("%2B", "+")), text)


def install_phone_masking() -> None:
    """Mask phone numbers in every log record the process makes (ours, libraries', errors')."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_phones", False):
        return

    def masked_record(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: keep the record as it was
            return record
        record.msg, record.args = mask_phones(message), None
        return record

    masked_record.masks_phones = True
    logging.setLogRecordFactory(masked_record)
    # At INFO the SDK logs each request's form (To, Body: a patient's number and our text).
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
