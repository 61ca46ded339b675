"""Dashboard forms read through the API's own schemas and services, so errors are the API's.

A bad submit is answered with every error next to its field and the typed values kept; the
service either commits the whole change or raises before writing anything.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import request
from marshmallow import Schema, ValidationError

from server.errors import DomainError
from server.extensions import db


class FormRefused(Exception):
    """A form that failed validation: messages by field name (`_form` for the whole form)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def form_fields(names: Iterable[str], lists: Iterable[str] = ()) -> dict[str, Any]:
    """The posted fields of `names` that are not blank; `lists` are multi-valued (checkboxes)."""
    form = request.form
    values: dict[str, Any] = {n: form.get(n, "").strip() for n in names if form.get(n, "").strip()}
    for name in lists:
        values[name] = [v for v in form.getlist(name) if v]
    return values


def load(schema: Schema, values: dict[str, Any]) -> dict[str, Any]:
    """Load form values with an API schema; a refusal names each bad field."""
    try:
        return schema.load(values)
    except ValidationError as error:
        raise FormRefused(field_messages(error.messages)) from None


def attempt(change: Callable[[], Any]) -> Any:
    """Run a service call; a domain error rolls back and becomes a FormRefused."""
    try:
        return change()
    except DomainError as error:
        db.session.rollback()
        errors = {k: " ".join(v) for k, v in (error.errors or {}).items()}
        raise FormRefused(errors or {"_form": error.detail}) from None


def field_messages(messages: Any, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested messages flattened to one sentence per field ("kinds.1.offset_days")."""
    if isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            return {prefix or "_form": " ".join(messages)}
        messages = dict(enumerate(messages))
    found: dict[str, str] = {}
    for key, value in messages.items():
        name = "_form" if key == "_schema" else f"{prefix}.{key}" if prefix else str(key)
        found.update(field_messages(value, name))
    return found


def whole_numbers(values: dict[str, Any], *names: str) -> dict[str, Any]:
    """Digit strings of `names` as ints (the API's strict integers); anything else left for the
    schema to refuse in its own words."""
    return values | {n: int(values[n]) for n in names if str(values.get(n, "")).isdigit()}


def instant(text: str, zone: ZoneInfo) -> str:
    """A datetime-local value, read in `zone`, as ISO 8601 with its offset (else unchanged)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).isoformat()
