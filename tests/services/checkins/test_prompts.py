"""The scheduler turns due check-ins into prompts: one question, at an allowed local time."""

from datetime import timedelta

import pytest

from server.enums import CareStatus, CheckInStatus, ConsentStatus, MessagePurpose, MessageStatus
from tests.services.conftest import at, checkins_of, outbox_of

PAIN_QUESTION = (
    "Northside PT: On a scale of 0-10 (0=no pain, 10=worst imaginable), what was your AVERAGE "
    "pain over the last 24 hours? Reply a number 0-10."
)
TEN_AM = "2026-12-01T15:00:00+00:00"  # 10:00 in New York


def prompts_of(patient):
    return outbox_of(patient, MessagePurpose.PROMPT)


def test_due_check_in_is_prompted_with_its_first_question_and_sent(
    run_jobs, patient, scheduled, clock
):
    checkin = scheduled(patient, at(TEN_AM), measures=("pain_nprs", "headache_days_7d"))

    run_jobs()

    [prompt] = prompts_of(patient)
    assert prompt.body == PAIN_QUESTION  # one question per SMS: the first unanswered one
    assert (prompt.check_in_id, prompt.to_number, prompt.status) == (
        checkin.id,
        patient.phone,
        MessageStatus.SENT,  # the console gateway in development and tests
    )
    [stored] = checkins_of(patient)
    assert (stored.status, stored.prompted_at) == (CheckInStatus.PROMPTED, clock.now)
    assert stored.window_end == clock.now + timedelta(hours=48)


def test_prompt_asks_headache_days_when_that_is_the_first_unanswered_measure(
    run_jobs, patient, scheduled
):
    scheduled(patient, measures=("headache_days_7d",))

    run_jobs()

    [prompt] = prompts_of(patient)
    assert prompt.body == (
        "Northside PT: In the last 7 days, on how many days did you have a headache? "
        "Reply a number 0-7."
    )


def test_prompt_carries_no_body_region_or_treatment(run_jobs, patient, scheduled, make):
    scheduled(patient, session_id=make.session(patient, regions=["lumbar multifidus"]).id)

    run_jobs()

    [prompt] = prompts_of(patient)
    assert "lumbar" not in prompt.body.lower() and "needl" not in prompt.body.lower()
    assert prompt.body.startswith("Northside PT: ") and len(prompt.body) <= 160


def test_check_in_not_yet_due_waits(run_jobs, patient, scheduled, clock):
    scheduled(patient, clock.now + timedelta(minutes=1))

    run_jobs()

    assert prompts_of(patient) == []
    assert checkins_of(patient)[0].status == CheckInStatus.SCHEDULED


def test_check_in_found_due_at_night_is_deferred_to_the_morning_not_dropped(
    run_jobs, patient, scheduled, clock
):
    scheduled(patient, at(TEN_AM))
    clock.set("2026-12-02T07:00:00Z")  # 02:00 in New York: the scheduler was down all day

    run_jobs()

    [checkin] = checkins_of(patient)
    assert prompts_of(patient) == []
    assert checkin.status == CheckInStatus.SCHEDULED
    assert checkin.due_at == at("2026-12-02T14:00:00+00:00")  # 09:00, the clinic's first hour
    run_jobs("2026-12-02T14:00:00Z")
    assert len(prompts_of(patient)) == 1


def test_check_in_whose_window_passed_while_the_scheduler_was_down_expires_unsent(
    run_jobs, patient, scheduled, clock
):
    scheduled(patient, at(TEN_AM))
    clock.set("2026-12-03T15:00:00Z")  # exactly 48 h later

    run_jobs()

    [checkin] = checkins_of(patient)
    assert (checkin.status, checkin.status_reason) == (CheckInStatus.EXPIRED, "window_passed")
    assert checkin.prompted_at is None
    assert prompts_of(patient) == []


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"care_status": CareStatus.PAUSED}, "paused"),
        ({"consent_status": ConsentStatus.OPTED_OUT}, "opted_out"),
        ({"consent_status": ConsentStatus.PENDING}, "no_consent"),
        ({"phone_valid": False}, "phone_invalid"),
        ({"care_status": CareStatus.DISCHARGED}, "discharged"),
    ],
)
def test_patient_who_cannot_be_texted_is_skipped_with_the_reason(
    run_jobs, make, clinic, scheduled, fields, reason
):
    patient = make.patient(clinic, **fields)
    scheduled(patient)

    run_jobs()

    [checkin] = checkins_of(patient)
    assert (checkin.status, checkin.status_reason) == (CheckInStatus.SKIPPED, reason)
    assert outbox_of(patient) == []


def test_discharged_patient_still_gets_follow_ups(run_jobs, make, clinic, scheduled):
    patient = make.patient(clinic, care_status=CareStatus.DISCHARGED)
    scheduled(patient, session_id=None, kind="followup_2w")

    run_jobs()

    assert checkins_of(patient)[0].status == CheckInStatus.PROMPTED
    assert len(prompts_of(patient)) == 1


def test_never_two_prompts_on_one_local_day(run_jobs, patient, scheduled, clock):
    first = scheduled(patient, at(TEN_AM))
    second = scheduled(patient, at(TEN_AM) + timedelta(hours=2), kind="followup_2w")
    clock.set("2026-12-01T18:00:00Z")

    run_jobs()

    stored = {c.id: c for c in checkins_of(patient)}
    assert stored[first.id].status == CheckInStatus.PROMPTED
    assert stored[second.id].status == CheckInStatus.SCHEDULED
    assert stored[second.id].due_at == at("2026-12-02T15:00:00+00:00")  # tomorrow, 10:00
    assert len(prompts_of(patient)) == 1


def test_a_newer_prompt_replaces_an_unanswered_open_check_in(run_jobs, patient, scheduled, clock):
    older = scheduled(patient, at(TEN_AM))
    run_jobs()
    newer = scheduled(patient, at(TEN_AM) + timedelta(days=1), kind="day7")

    run_jobs("2026-12-02T15:00:00Z")

    stored = {c.id: c for c in checkins_of(patient)}
    assert stored[newer.id].status == CheckInStatus.PROMPTED
    assert stored[older.id].status == CheckInStatus.CANCELLED
    assert stored[older.id].status_reason == "replaced by a newer check-in before it was answered"


def test_check_in_due_minutes_before_quiet_hours_waits_for_the_morning(
    run_jobs, patient, scheduled, clock
):
    clock.set("2026-12-02T00:58:00Z")  # 19:58 in New York: the text could land after 20:00
    scheduled(patient)

    run_jobs()

    assert prompts_of(patient) == []
    assert checkins_of(patient)[0].due_at == at("2026-12-02T14:00:00+00:00")
