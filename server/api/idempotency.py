"""Idempotency-Key on the POSTs that store scores: a retry gets the first answer back, marked.

The header is read here and handed to the use case as a domain IdempotencyKey (the key and a
fingerprint of the path and parsed body); the use case says whether it replayed, and a replay
is answered like the first request, with `Idempotent-Replayed: true`.
"""

from collections.abc import Callable
from functools import wraps

from flask import request
from flask_smorest import Blueprint

from server.api.schemas.patient_app import IdempotencyKeySchema
from server.errors import InvalidField
from server.services.idempotency import IdempotencyKey, KeyReused

HEADER = "Idempotency-Key"
MARK_REPLAYED = {"Idempotent-Replayed": "true"}


def idempotent(blp: Blueprint) -> Callable:
    """Give the view `key` (an IdempotencyKey or None) after its body; put it below @response."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def keyed(fields, headers, **path):
            key = IdempotencyKey.of(headers["key"], {"path": request.path, "body": fields})
            try:
                recorded = view(fields, key, **path)
            except KeyReused:
                raise InvalidField(HEADER, "already used for a different request") from None
            return (recorded, MARK_REPLAYED) if recorded.replayed else recorded

        return blp.arguments(IdempotencyKeySchema, location="headers")(keyed)

    return decorator
