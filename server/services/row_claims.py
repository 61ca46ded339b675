"""Winning rows among concurrent schedulers: conditional UPDATEs that tell which rows were won.

PostgreSQL: the caller has locked the rows it read (SELECT ... FOR UPDATE SKIP LOCKED), so one
UPDATE, still conditional on the status, claims them all and RETURNING names them. SQLite has
no row locks: each row gets its own UPDATE, conditional on the status and the `guard` column
as they were read, and its row count says whether this process won it.
"""

from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import update

from server.extensions import db


def win_rows(model, rows: Sequence, expected: StrEnum, guard: str, /, **values) -> set[int]:
    """Set `values` on those `rows` still in status `expected` (and `guard` as read): their ids."""
    if not rows:
        return set()
    if db.session.get_bind().dialect.name == "postgresql":
        statement = (
            update(model)
            .where(model.id.in_([row.id for row in rows]), model.status == expected)
            .values(**values)
            .returning(model.id)
            .execution_options(synchronize_session=False)
        )
        return set(db.session.scalars(statement))
    return {row.id for row in rows if _win_row(model, row, expected, guard, values)}


def _win_row(model, row, expected: StrEnum, guard: str, values: dict) -> bool:
    column = getattr(model, guard)
    statement = (
        update(model)
        .where(model.id == row.id, model.status == expected, column == getattr(row, guard))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(statement).rowcount == 1
