"""Logs without patient data (phone numbers masked in every record, the Twilio SDK kept quiet),
each record carrying its request id, written as text or as one JSON object a line."""

import json
import logging
import re
import sys
from datetime import UTC, datetime

from server.request_ids import current as current_request_id

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
    """Mask phone numbers in every log record the process makes (ours, libraries', errors'),
    and stamp each with the id of the request that made it (None outside a request)."""
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
        record.request_id = current_request_id()
        if record.exc_info and not record.exc_text:
            trace = logging.Formatter().formatException(record.exc_info)
            record.exc_text = mask_phones(DATABASE_DETAIL.sub("DETAIL: [hidden]", trace))
        return record

    masked_record.masks_phones = True
    logging.setLogRecordFactory(masked_record)
    # At INFO the SDK logs each request's form (To, Body: a patient's number and our text).
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)


TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC ISO 8601), level, logger, message, request_id;
    a traceback stays inside its record (`exception`) instead of spilling over many lines."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_phones(self.formatException(record.exc_info))
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:  # a copy: other handlers see None
            record = logging.makeLogRecord(record.__dict__ | {"request_id": "-"})
        return super().format(record)


def formatter(log_format: str) -> logging.Formatter:
    """The formatter of LOG_FORMAT: "json" or "text"."""
    return JsonFormatter() if log_format == "json" else _TextFormatter(TEXT)


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (as logging's own last resort does)."""

    def __init__(self) -> None:
        super().__init__()
        self.painline = True

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(log_format: str) -> None:
    """One stderr handler on the root logger, in `log_format` (text or json).

    Replaces the handler an earlier app of this process installed (tests build many apps)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "painline", False)]:
        root.removeHandler(handler)
    handler = _Stderr()
    handler.setFormatter(formatter(log_format))
    root.addHandler(handler)
    ours = logging.getLogger("server")
    if ours.level == logging.NOTSET:  # ours at INFO (what happened); libraries stay at WARNING
        ours.setLevel(logging.INFO)
