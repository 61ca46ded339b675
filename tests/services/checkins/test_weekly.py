"""A program's weekly check-in: on its local weekday at the send hour, session or not.

The jobs tick plans each patient's next one (services/checkins/weekly.py); PGIC is asked every
4 weeks from the first session and at discharge; paused and opted-out patients get none.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.enums import (
    ActorType,
    CareStatus,
    CheckInStatus,
    ConsentAction,
    ConsentSource,
    ConsentStatus,
    Measure,
    MessagePurpose,
)
from server.planning.local_time import QuietHours
from server.planning.plan import PatientContext
from server.planning.policy import DEFAULT_POLICY
from server.planning.weekly import next_weekly_date, plan_week, weekly_context
from server.programs import PROGRAMS
from server.services import consent
from server.services.checkins import weekly
from tests.services.conftest import checkins_of, outbox_of

NEW_YORK = ZoneInfo("America/New_York")
FRIDAY = 4


def days_from(start: str, days: int):
    """`start` (ISO-8601, with its zone) and the same instant on each of the next days."""
    first = datetime.fromisoformat(start)
    return [(first + timedelta(days=n)).isoformat() for n in range(days)]


def weeklies(patient) -> list:
    return [c for c in checkins_of(patient) if c.week_of is not None]


@pytest.mark.parametrize(
    ("mornings", "fridays_utc"),
    [
        # Fall back on Sunday 2026-11-01: 10:00 is 14:00 UTC before it, 15:00 after.
        (("2026-10-26", "2026-11-02"), ("2026-10-30T14:00", "2026-11-06T15:00")),
        # Spring forward on Sunday 2026-03-08: 15:00 UTC before it, 14:00 after.
        (("2026-03-02", "2026-03-09"), ("2026-03-06T15:00", "2026-03-13T14:00")),
    ],
)
def test_the_weekday_and_send_hour_are_local_across_a_dst_change(mornings, fridays_utc):
    who = PatientContext(NEW_YORK, (), True, None, PROGRAMS["migraine"].measures)
    due = []
    for morning in mornings:
        now = datetime.fromisoformat(f"{morning}T08:00").replace(tzinfo=NEW_YORK)
        context = weekly_context(who, DEFAULT_POLICY, time(10), QuietHours(), now)
        day = next_weekly_date(FRIDAY, context)
        [planned] = plan_week(day, (Measure.HEADACHE_DAYS,), context, ()).new
        due.append((day.weekday(), planned.due_at, planned.week_of))
    assert due == [
        (FRIDAY, datetime.fromisoformat(f"{utc}+00:00"), datetime.fromisoformat(utc).date())
        for utc in fridays_utc
    ]


def test_the_weekday_is_the_patients_local_one(make, clinic, clock):
    # 23:00 UTC on Thursday 2026-12-03 is 10:00 on Friday in Sydney.
    patient = make.patient(clinic, program="migraine", timezone="Australia/Sydney")
    weekly.plan_weekly_checkins(clock())
    [checkin] = weeklies(patient)
    assert checkin.week_of == date(2026, 12, 4)
    assert checkin.due_at == datetime(2026, 12, 3, 23, tzinfo=UTC)


def test_a_week_without_sessions_still_asks_the_weekly_measures(run_jobs, make, clinic):
    patient = make.patient(clinic, program="migraine")
    for instant in days_from("2026-12-01T16:00:00+00:00", 14):  # 11:00 in New York, daily
        run_jobs(instant)
    checkins = weeklies(patient)
    assert [(c.kind, c.week_of, c.session_id, c.prompted_at) for c in checkins] == [
        ("weekly", date(2026, 12, 4), None, datetime(2026, 12, 4, 16, tzinfo=UTC)),
        ("weekly", date(2026, 12, 11), None, datetime(2026, 12, 11, 16, tzinfo=UTC)),
        ("weekly", date(2026, 12, 18), None, None),  # planned a week ahead
    ]
    assert [c.measures for c in checkins] == [[Measure.HEADACHE_DAYS, Measure.ACUTE_MED_DAYS]] * 3
    prompts = outbox_of(patient, MessagePurpose.PROMPT)
    assert [p.check_in_id for p in prompts] == [c.id for c in checkins[:2]]  # one a week


def test_re_planning_never_adds_a_second_weekly_check_in(make, clinic, clock):
    patient = make.patient(clinic, program="fibromyalgia")
    for _ in range(3):
        assert weekly.plan_weekly_checkins(clock()) in ({"weekly planned": 1}, {})
        assert weekly.plan_next_week(patient, clinic, clock()) is None
    assert [c.week_of for c in weeklies(patient)] == [date(2026, 12, 4)]


def test_pgic_comes_four_weeks_after_the_first_session_and_at_discharge(
    run_jobs, make, clinic, client, headers, clock
):
    patient = make.patient(clinic, program="fibromyalgia")
    make.session(patient, occurred_at=datetime(2026, 12, 1, 14, tzinfo=UTC))  # Tuesday
    for instant in days_from("2026-12-01T16:00:00+00:00", 34):
        run_jobs(instant)
    asked = {c.week_of: c.measures for c in weeklies(patient)}
    assert list(asked) == [date(2026, 12, 4) + timedelta(weeks=n) for n in range(6)]
    with_pgic = [day for day, measures in asked.items() if Measure.PGIC in measures]
    assert with_pgic == [date(2027, 1, 1)]  # the first weekly check-in 4 weeks on
    clock.set("2027-01-04T16:00:00Z")
    response = client.post(f"/api/v1/patients/{patient.id}/discharge", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert weeklies(patient)[-1].status == CheckInStatus.CANCELLED  # 2027-01-08: no more
    [first_followup] = [c for c in checkins_of(patient) if c.kind.startswith("followup_2w")]
    assert Measure.PGIC in first_followup.measures


@pytest.mark.parametrize(
    "change",
    [
        {"care_status": CareStatus.PAUSED},
        {"consent_status": ConsentStatus.OPTED_OUT},
        {"consent_status": ConsentStatus.PENDING},
        {"care_status": CareStatus.DISCHARGED},
    ],
)
def test_a_patient_who_cannot_be_texted_gets_no_weekly_check_in(run_jobs, make, clinic, change):
    patient = make.patient(clinic, program="migraine", **change)
    for instant in days_from("2026-12-01T16:00:00+00:00", 10):
        run_jobs(instant)
    assert checkins_of(patient) == []
    assert outbox_of(patient) == []


def test_a_weekly_check_in_planned_before_a_pause_is_skipped_and_none_follow(
    run_jobs, make, clinic, db
):
    patient = make.patient(clinic, program="migraine")
    run_jobs("2026-12-01T16:00:00+00:00")
    patient.care_status = CareStatus.PAUSED
    db.session.commit()
    for instant in days_from("2026-12-02T16:00:00+00:00", 14):
        run_jobs(instant)
    [checkin] = weeklies(patient)
    assert (checkin.status, checkin.status_reason) == (CheckInStatus.SKIPPED, "paused")
    assert outbox_of(patient, MessagePurpose.PROMPT) == []


def test_opting_out_cancels_the_planned_weekly_check_in(run_jobs, make, clinic, clock, db):
    patient = make.patient(clinic, program="migraine")
    run_jobs("2026-12-01T16:00:00+00:00")
    actor = (ActorType.PATIENT, patient.id)
    consent.change(patient, ConsentAction.REVOKED, ConsentSource.KEYWORD, clock(), actor=actor)
    db.session.commit()
    for instant in days_from("2026-12-02T16:00:00+00:00", 14):
        run_jobs(instant)
    assert [c.status for c in weeklies(patient)] == [CheckInStatus.CANCELLED]
    assert outbox_of(patient, MessagePurpose.PROMPT) == []


def test_a_weekly_check_in_still_due_at_discharge_is_not_sent(run_jobs, make, clinic, db):
    patient = make.patient(clinic, program="migraine")
    run_jobs("2026-12-01T16:00:00+00:00")
    patient.care_status = CareStatus.DISCHARGED  # as if its cancellation had been missed
    db.session.commit()
    run_jobs("2026-12-04T16:00:00+00:00")
    [checkin] = weeklies(patient)
    assert (checkin.status, checkin.status_reason) == (CheckInStatus.SKIPPED, "discharged")
