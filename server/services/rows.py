"""Rows loaded by id in one query, for batches that need many patients, clinics or check-ins."""

from collections.abc import Iterable

from sqlalchemy import select

from server.extensions import db


def by_id(model, ids: Iterable[int | None]) -> dict:
    """The rows of `model` with these ids (None skipped), keyed by id."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(wanted)))}
