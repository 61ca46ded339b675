"""One reminder 4 h after an unanswered prompt; expiry at 48 h; non-response after two."""

from datetime import timedelta

from sqlalchemy import select

from server.enums import CheckInStatus, FlagRule, Measure, MessagePurpose, MessageStatus, Severity
from server.extensions import db
from server.models import CheckIn, Flag
from server.services.checkins import state as checkin_state
from tests.services.conftest import at, checkins_of, outbox_of

REMINDER = MessagePurpose.REMINDER
TEN_AM = "2026-12-01T15:00:00+00:00"  # 10:00 in New York


def after(clock, **delta) -> str:
    return (clock.now + timedelta(**delta)).isoformat()


def flags_of(patient) -> list[Flag]:
    return db.session.scalars(select(Flag).where(Flag.patient_id == patient.id)).all()


def test_unanswered_prompt_gets_one_reminder_four_hours_later(run_jobs, patient, scheduled, clock):
    scheduled(patient, at(TEN_AM))
    run_jobs()
    run_jobs(after(clock, hours=3, minutes=59))
    assert outbox_of(patient, REMINDER)[0].status == MessageStatus.QUEUED

    run_jobs(after(clock, hours=4))
    run_jobs(after(clock, hours=8))

    [reminder] = outbox_of(patient, REMINDER)
    assert reminder.status == MessageStatus.SENT
    assert reminder.body == (
        "Northside PT: Hi Ana, a reminder to answer our last question with a number. "
        "Reply STOP to opt out."
    )
    assert checkins_of(patient)[0].reminder_count == 1


def test_answered_check_in_gets_no_reminder(run_jobs, patient, scheduled, clock):
    scheduled(patient, at(TEN_AM))
    run_jobs()
    checkin_state.record_answer(
        db.session.get(CheckIn, checkins_of(patient)[0].id), Measure.PAIN, clock.now
    )
    db.session.commit()

    run_jobs(after(clock, hours=4))

    [reminder] = outbox_of(patient, REMINDER)
    assert reminder.status == MessageStatus.CANCELLED
    assert checkins_of(patient)[0].reminder_count == 0


def test_reminder_that_would_fall_in_quiet_hours_waits_for_the_morning(
    run_jobs, patient, scheduled, clock
):
    clock.set("2026-12-02T00:00:00Z")  # 19:00 in New York: 23:00 would be quiet hours
    scheduled(patient)

    run_jobs()

    [reminder] = outbox_of(patient, REMINDER)
    assert reminder.next_attempt_at == at("2026-12-02T14:00:00+00:00")  # 09:00 next morning


def test_check_in_expires_48_hours_after_its_first_prompt(run_jobs, patient, scheduled, clock):
    scheduled(patient, at(TEN_AM))
    run_jobs()

    run_jobs(after(clock, hours=47, minutes=59))
    assert checkins_of(patient)[0].status == CheckInStatus.PROMPTED
    run_jobs(after(clock, hours=48))

    [checkin] = checkins_of(patient)
    assert (checkin.status, checkin.status_reason) == (
        CheckInStatus.EXPIRED,
        "no reply within the window",
    )


def test_two_expired_check_ins_in_a_row_open_a_non_response_flag(
    run_jobs, patient, scheduled, clock
):
    scheduled(patient, at(TEN_AM))
    scheduled(patient, at(TEN_AM) + timedelta(days=4), kind="day7")
    run_jobs()
    run_jobs(after(clock, days=2))
    assert flags_of(patient) == []

    run_jobs(after(clock, days=4))
    run_jobs(after(clock, days=6))

    [flag] = flags_of(patient)
    assert (flag.rule, flag.severity, flag.rule_version) == (
        FlagRule.NON_RESPONSE,
        Severity.INFO,
        "v1",
    )
    assert flag.reason == "2 check-ins in a row expired without a reply."


def test_check_ins_that_expired_unsent_are_not_missed_replies(run_jobs, patient, scheduled, clock):
    scheduled(patient, at(TEN_AM))
    scheduled(patient, at(TEN_AM) + timedelta(days=4), kind="day7")
    clock.set("2026-12-04T15:00:00Z")  # the scheduler was down for the first one's window
    run_jobs()

    run_jobs(after(clock, days=3))

    assert [c.status for c in checkins_of(patient)] == [CheckInStatus.EXPIRED] * 2
    assert flags_of(patient) == []
