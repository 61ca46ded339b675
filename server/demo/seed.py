"""The demo clinic: therapists, patients and a few weeks of sessions, check-ins and scores."""

import dataclasses
import random
from collections.abc import Callable
from datetime import datetime, timedelta

import click
from sqlalchemy import select

from server.demo import bulk_insert as demo_copy
from server.demo import history as demo_history
from server.demo import programs as demo_programs
from server.demo import rows as demo_rows
from server.demo.waiting_prompts import leave_prompts_waiting
from server.enums import (
    ActorType,
    CareStatus,
    ConsentAction,
    ConsentSource,
    ConsentStatus,
    Language,
    Role,
)
from server.extensions import db
from server.models import Clinic, ConsentEvent, Patient, Staff
from server.services.flags import evaluation as flag_evaluation
from server.services.staff_auth import hash_password

DEMO_PASSWORD = "northside-demo"
DEMO_ADMIN = "admin@northside.example"
FIRST_NAMES = (
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farah",
    "Gus",
    "Hana",
    "Ivan",
    "Jada",
    "Kofi",
    "Lucia",
    "Mateo",
    "Nora",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
)
AREA_CODES = ("617", "508", "781", "857", "978", "339", "413", "774", "351", "401")
CHUNK = 500


def seed(
    patient_count: int,
    now: datetime,
    *,
    if_empty: bool = False,
    echo: Callable[[str], None] = print,
    weeks: int | None = None,
    programs: bool = False,
) -> None:
    """Create the demo clinic (weeks: weekly sessions for that long); if_empty: only if none;
    programs: five more patients in condition programs (server/demo/programs.py)."""
    if if_empty and db.session.scalar(select(Clinic.id).limit(1)) is not None:
        echo("Demo data already present; not seeding.")
        return
    clinic, therapists = _clinic_and_staff(now)
    _seed_patients(clinic, therapists, patient_count, now, weeks)
    waiting_ids = leave_prompts_waiting(clinic, now)
    waiting = db.session.scalars(select(Patient).where(Patient.id.in_(waiting_ids))).all()
    if programs:
        patient_count += _seed_programs(clinic, therapists[0], now)
    echo(f"Demo clinic {clinic.name!r} (id {clinic.id}) with {patient_count} patients.")
    for patient in waiting:  # demo phones: reply as the patient, e.g. 9 for an urgent flag
        echo(f"Check-in awaiting a reply: from {patient.phone} to {clinic.sms_sender}")
    echo("Answer them in the dashboard's SMS simulator (a patient's page) or by curl (README).")
    echo(
        f"Sign in: {DEMO_ADMIN} / {DEMO_PASSWORD}  (therapists: "
        f"{', '.join(t.email for t in therapists)}, same password)"
    )


def _seed_patients(clinic, therapists, patient_count: int, now: datetime, weeks) -> None:
    """Add the patients in chunks, one commit each, with a progress bar for large clinics."""
    rng = random.Random(20261124)
    with click.progressbar(
        range(0, patient_count, CHUNK),
        label="Seeding patients",
        file=None if patient_count > CHUNK else _Quiet(),
    ) as chunks:
        for start in chunks:
            _seed_chunk(
                clinic, therapists, rng, range(start, min(start + CHUNK, patient_count)), now, weeks
            )
            db.session.commit()


def _seed_programs(clinic: Clinic, therapist: Staff, now: datetime) -> int:
    """The patients in condition programs, with their flags; how many."""
    showcase = demo_programs.seed_program_patients(clinic, therapist, now)
    flag_evaluation.evaluate_patients(showcase, now)
    db.session.commit()
    return len(showcase)


class _Quiet:
    def write(self, _text):
        return 0

    def flush(self):
        return None


def _clinic_and_staff(now: datetime) -> tuple[Clinic, list[Staff]]:
    clinic = Clinic(
        name="Northside PT",
        help_phone="+16175550100",
        timezone="America/New_York",
        sms_sender="+16175550199",
        created_at=now,
    )
    db.session.add(clinic)
    db.session.flush()
    password_hash = hash_password(DEMO_PASSWORD)
    people = [
        (DEMO_ADMIN, "Alex Admin", Role.ADMIN),
        ("maria@northside.example", "Maria Lopez", Role.THERAPIST),
        ("james@northside.example", "James Chen", Role.THERAPIST),
    ]
    staff = [
        Staff(
            clinic_id=clinic.id,
            email=email,
            name=name,
            role=role,
            password_hash=password_hash,
            created_at=now,
        )
        for email, name, role in people
    ]
    db.session.add_all(staff)
    db.session.commit()
    return clinic, staff[1:]


def _seed_chunk(clinic, therapists, rng, indexes, now, weeks=None) -> None:
    plans = {i: _stretch(demo_history.plan_patient(rng, i, now), weeks, now) for i in indexes}
    rows = [_patient_row(clinic, therapists, i, plans[i], now) for i in indexes]
    ids = demo_copy.insert_rows(Patient.__table__, rows, with_ids=True)
    consent = [_consent_row(clinic.id, pid, row, now) for pid, row in zip(ids, rows, strict=True)]
    demo_copy.insert_rows(ConsentEvent.__table__, [c for c in consent if c])
    histories = [
        (pid, row["primary_therapist_id"], demo_history.history(plans[i], rng, now))
        for pid, i, row in zip(ids, indexes, rows, strict=True)
    ]
    demo_rows.insert_histories(clinic.id, histories)
    # Flags and list figures as if each reply had just arrived, so the dashboard shows some.
    patients = db.session.scalars(select(Patient).where(Patient.id.in_(ids))).all()
    flag_evaluation.evaluate_patients(patients, now)


def _stretch(plan, weeks: int | None, now: datetime):
    """With `weeks`, weekly sessions for that many weeks up to now (about 3 scores a week)."""
    if weeks is None:
        return plan
    first = (now - timedelta(weeks=weeks)).replace(
        hour=plan.first_session.hour, minute=0, second=0, microsecond=0
    )
    return dataclasses.replace(plan, first_session=first, session_count=weeks)


def _patient_row(clinic, therapists, index, plan, now) -> dict:
    consent = (
        ConsentStatus.OPTED_OUT
        if index % 11 == 7
        else ConsentStatus.PENDING
        if index % 13 == 5
        else ConsentStatus.OPTED_IN
    )
    return {
        "clinic_id": clinic.id,
        "external_ref": f"EMR-{10000 + index}",
        "first_name": FIRST_NAMES[index % len(FIRST_NAMES)],
        "phone": f"+1{AREA_CODES[index // 10000 % 10]}555{index % 10000:04d}",
        "timezone": "America/Chicago" if index % 9 == 3 else clinic.timezone,
        "language": Language.ES if index % 6 == 2 else Language.EN,
        "tracks_headache": plan.tracks_headache,
        "primary_therapist_id": therapists[index % len(therapists)].id,
        "care_status": CareStatus.ACTIVE,
        "consent_status": consent,
        "created_at": plan.first_session - timedelta(hours=1),
    }


def _consent_row(clinic_id, patient_id, row, now) -> dict | None:
    if row["consent_status"] == ConsentStatus.PENDING:
        return None
    granted = row["consent_status"] == ConsentStatus.OPTED_IN
    return {
        "clinic_id": clinic_id,
        "patient_id": patient_id,
        "action": ConsentAction.GRANTED if granted else ConsentAction.REVOKED,
        "source": ConsentSource.INTAKE_FORM if granted else ConsentSource.STAFF,
        "wording_version": "intake-2026-01",
        "occurred_at": row["created_at"],
        "actor_type": ActorType.SYSTEM,
        "actor_id": None,
    }
