"""Loading many demo rows at once: COPY on PostgreSQL, multi-row INSERT elsewhere.

COPY loads 20,000 patients' histories (a million scores) in seconds, where psycopg spends
most of a multi-row INSERT's time parsing the huge statement.
"""

import json
from enum import Enum

from sqlalchemy import Table, func, insert, select

from server.extensions import db


def insert_rows(table: Table, rows: list[dict], *, with_ids: bool = False) -> list[int]:
    """Insert rows (all with the same keys); with_ids, return their new ids in row order."""
    if not rows:
        return []
    if db.session.get_bind().dialect.name != "postgresql":
        if not with_ids:
            db.session.execute(insert(table), rows)
            return []
        query = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return db.session.execute(query, rows).scalars().all()
    ids = _reserve_ids(table, len(rows)) if with_ids else []
    if ids:
        rows = [row | {"id": new_id} for row, new_id in zip(rows, ids, strict=True)]
    _copy(table, rows)
    return ids


def _reserve_ids(table: Table, count: int) -> list[int]:
    sequence = func.pg_get_serial_sequence(table.name, "id")
    query = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
    return db.session.scalars(query).all()


def _copy(table: Table, rows: list[dict]) -> None:
    defaults = _python_defaults(table, rows[0])
    rows = [defaults | row for row in rows] if defaults else rows
    columns = list(rows[0])
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    cursor = db.session.connection().connection.driver_connection.cursor()
    with cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([_plain(row[name]) for name in columns])


def _python_defaults(table: Table, given: dict) -> dict:
    # INSERT fills Python-side column defaults (phone_valid=True, ...); COPY must do it here.
    found = {}
    for column in table.columns:
        default = column.default
        if (
            column.name in given
            or default is None
            or not (default.is_scalar or default.is_callable)
        ):
            continue
        found[column.name] = default.arg(None) if default.is_callable else default.arg
    return found


def _plain(value):
    # COPY bypasses SQLAlchemy's types: write enums by value and JSON as text ourselves.
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value
