"""Logs without patient data: phone numbers masked in every record, the Twilio SDK kept quiet."""

import logging
import re

# E.164 as we store and send it, also URL-encoded (%2B) as in a form body.
PHONE = re.compile(r"(?:\+|%2B)\d{7,15}(?!\d)")
# PostgreSQL explains a failed statement with the row's values ("Key (phone)=(+1...)",
# "Failing row contains (...)"): hide_parameters cannot reach those lines, so we drop them.
DATABASE_DETAIL = re.compile(r"^\s*DETAIL:.*$", re.MULTILINE)


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
        if record.exc_info and not record.exc_text:
            trace = logging.Formatter().formatException(record.exc_info)
            record.exc_text = mask_phones(DATABASE_DETAIL.sub("DETAIL: [hidden]", trace))
        return record

    masked_record.masks_phones = True
    logging.setLogRecordFactory(masked_record)
    # At INFO the SDK logs each request's form (To, Body: a patient's number and our text).
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
