"""Idempotency keys: a retried request gets back what the first one stored, nothing twice.

The caller's use case remembers the key in the same transaction as the scores it stores, and
looks the key up after taking its locks, so a retry running in parallel finds the first result.
The same key with a different request is refused (as the IETF Idempotency-Key draft advises).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from server.extensions import db
from server.models import IdempotencyRecord


class KeyReused(Exception):
    """The key was already used for a different request."""


@dataclass(frozen=True)
class IdempotencyKey:
    """A client's idempotency key and a fingerprint of the request it came with."""

    key: str
    fingerprint: str

    @classmethod
    def of(cls, key: str | None, request: dict) -> "IdempotencyKey | None":
        """None without a key; `request` is what was asked, parsed, so spacing does not matter."""
        if key is None:
            return None
        canonical = json.dumps(request, sort_keys=True, default=str)
        return cls(key, hashlib.sha256(canonical.encode()).hexdigest())


def stored_for(patient_id: int, key: IdempotencyKey | None) -> IdempotencyRecord | None:
    """What the first request with this key stored, or None; KeyReused for another request."""
    if key is None:
        return None
    record = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.patient_id == patient_id, IdempotencyRecord.key == key.key
        )
    )
    if record is not None and record.request_fingerprint != key.fingerprint:
        raise KeyReused(key.key)
    return record


def remember(
    patient_id: int, key: IdempotencyKey | None, check_in_id: int | None, score_ids: list[int],
    now: datetime,
) -> None:  # fmt: skip
    """Keep what this request stored under its key (caller commits, with what it stored)."""
    if key is None:
        return
    db.session.add(
        IdempotencyRecord(
            patient_id=patient_id,
            key=key.key,
            request_fingerprint=key.fingerprint,
            check_in_id=check_in_id,
            score_ids=score_ids,
            created_at=now,
        )
    )
