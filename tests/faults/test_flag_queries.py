"""Active-flag queries read the active flags only, even in PostgreSQL's generic (prepared) plans,
so the inbox and the overview stay flat as resolved flags pile up."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, insert, text

from server.extensions import db
from server.models import Flag
from server.services import overview


def flag_rows(patient, count: int, status: str, now) -> list[dict]:
    return [
        {"clinic_id": patient.clinic_id, "patient_id": patient.id, "rule": "pain_jump",
         "rule_version": "v1", "severity": "warning", "reason": "r", "evidence_score_ids": [],
         "status": status, "opened_at": now - timedelta(minutes=n), "updated_at": now}
        for n in range(count)
    ]  # fmt: skip


def generic_plan(statement: str, params: dict) -> str:
    """EXPLAIN of `statement` prepared and planned once for any parameters (a generic plan)."""
    names: list[str] = []

    def placeholder(match) -> str:
        names.append(match[1])
        return f"${len(names)}"

    prepared = re.sub(r"%\((\w+)\)s", placeholder, statement)
    connection = db.session.connection()
    connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
    connection.exec_driver_sql(f"PREPARE active_flags AS {prepared}")
    values = ", ".join(_literal(params[name]) for name in names)  # EXPLAIN takes no parameters
    plan = connection.exec_driver_sql(f"EXPLAIN EXECUTE active_flags({values})").all()
    connection.exec_driver_sql("DEALLOCATE active_flags")
    connection.exec_driver_sql("RESET plan_cache_mode")
    return "\n".join(row[0] for row in plan)


def _literal(value) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


@pytest.mark.postgres
def test_open_flag_counts_use_the_active_flag_index_in_a_generic_plan(make, clock):
    clinic = make.clinic()
    patient = make.patient(clinic)
    db.session.execute(insert(Flag), flag_rows(patient, 5000, "resolved", clock.now))
    db.session.execute(insert(Flag), flag_rows(patient, 1, "open", clock.now))
    db.session.commit()
    db.session.execute(text("ANALYZE flag"))
    sent = []

    def record(_conn, _cursor, statement, params, _context, _many):
        if "FROM flag" in statement and "GROUP BY flag.severity" in statement:
            sent.append((statement, params))  # the open flags by severity

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        overview.clinic_overview(clinic.id, clock.now)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    [(statement, params)] = sent
    assert "'resolved'" in statement  # the index predicate itself, not a parameter
    plan = generic_plan(statement, params)
    assert "uq_flag_patient_rule_active" in plan and "Seq Scan on flag" not in plan, plan
