"""Regression flags raised as scores arrive: worked clinical examples through add_score."""

import threading

import pytest
from sqlalchemy import func, select

from server.enums import FlagRule, FlagStatus, Measure, Resolution, Severity
from server.extensions import db
from server.models import Flag, Patient, Score
from server.outcomes import RuleSet
from server.services import scores
from server.services.flags import store as flags
from tests.services.flags.conftest import day

HEADACHE = Measure.HEADACHE_DAYS


def flags_of(patient) -> list[Flag]:
    db.session.expire_all()
    return db.session.scalars(select(Flag).where(Flag.patient_id == patient.id)).all()


def test_soreness_at_48_hours_does_not_flag(patient, treated, reply):
    treated(patient, day(0), pain=5)
    reply(patient, 7, day(2))  # 48 h after needling: soreness, not regression
    assert flags_of(patient) == []
    assert (patient.latest_pain, patient.pain_change) == (7, None)


def test_two_post_window_readings_two_points_above_best_flag_a_warning(patient, treated, reply):
    treated(patient, day(0), pain=6)
    reply(patient, 4, day(7))
    best = reply(patient, 3, day(14))
    first, second = reply(patient, 5, day(21)), reply(patient, 5, day(28))
    (flag,) = flags_of(patient)
    assert (flag.rule, flag.severity, flag.status) == (
        FlagRule.PAIN_RISE,
        Severity.WARNING,
        FlagStatus.OPEN,
    )
    assert flag.reason == (
        "Pain 5/10 on Oct 26 and 5/10 on Nov 2, "
        "at least 2 points above the best reading of 3 on Oct 19."
    )
    assert flag.evidence_score_ids == [best.id, first.id, second.id]
    assert (flag.rule_version, flag.measure, flag.opened_at) == ("v1", Measure.PAIN, day(28))


def test_one_reading_above_the_best_does_not_flag(patient, treated, reply):
    treated(patient, day(0), pain=6)
    reply(patient, 3, day(7))
    reply(patient, 5, day(14))
    assert flags_of(patient) == []


def test_a_single_three_point_jump_flags_a_warning(patient, treated, reply):
    treated(patient, day(0), pain=5)
    before = reply(patient, 3, day(7))
    jump = reply(patient, 6, day(14))
    (flag,) = flags_of(patient)
    assert (flag.rule, flag.severity) == (FlagRule.PAIN_JUMP, Severity.WARNING)
    assert flag.reason == "Pain 6/10 on Oct 19, up 3 points from 3/10 on Oct 12."
    assert flag.evidence_score_ids == [before.id, jump.id]


def test_pain_8_flags_urgent_even_inside_the_post_needling_window(patient, treated, reply):
    treated(patient, day(0), pain=5)
    severe = reply(patient, 8, day(1))
    assert severe.in_post_needling_window
    (flag,) = flags_of(patient)
    assert (flag.rule, flag.severity) == (FlagRule.PAIN_SEVERE, Severity.URGENT)
    assert flag.reason == "Pain 8/10 on Oct 6 (severe)."
    assert flag.evidence_score_ids == [severe.id]


def test_headache_days_back_at_baseline_two_weeks_running_flag(patient, treated, reply):
    treated(patient, day(0))
    start = reply(patient, 4, day(7), HEADACHE)  # first reading past soreness: the baseline
    reply(patient, 2, day(14), HEADACHE)
    first = reply(patient, 4, day(21), HEADACHE)
    assert flags_of(patient) == []  # one week back at baseline is not yet a pattern
    second = reply(patient, 5, day(28), HEADACHE)
    (flag,) = flags_of(patient)
    assert (flag.rule, flag.severity, flag.measure) == (
        FlagRule.HEADACHE_RISE,
        Severity.WARNING,
        HEADACHE,
    )
    assert flag.reason == (
        "Headache days 4/7 on Oct 26 and 5/7 on Nov 2, at or above the baseline of 4."
    )
    assert flag.evidence_score_ids == [start.id, first.id, second.id]


def test_re_evaluation_updates_the_open_flag_instead_of_duplicating_it(patient, treated, reply):
    treated(patient, day(0), pain=6)
    reply(patient, 3, day(7))
    reply(patient, 5, day(14))
    reply(patient, 5, day(21))
    (flag,) = flags_of(patient)
    third = reply(patient, 6, day(28))
    reply(patient, 1, day(28.1), HEADACHE)  # another measure re-runs every rule
    (same,) = flags_of(patient)
    assert same.id == flag.id
    assert third.id in same.evidence_score_ids
    assert same.reason.startswith("Pain 5/10 on Oct 26 and 6/10 on Nov 2")
    assert (same.opened_at, same.updated_at) == (day(21), day(28.1))


def test_a_resolved_flag_stays_resolved_when_another_measure_is_answered(
    patient, treated, reply, therapist
):
    treated(patient, day(0), pain=7)
    reply(patient, 9, day(7))
    (flag,) = flags_of(patient)
    assert flag.rule == FlagRule.PAIN_SEVERE
    flags.resolve(therapist, flag, Resolution.CONTACTED_PATIENT, "called", day(7.1), None)
    reply(patient, 2, day(7.2), HEADACHE)
    assert [f.status for f in flags_of(patient)] == [FlagStatus.RESOLVED]
    reply(patient, 9, day(14))  # a new severe reading is news: a new flag
    severe = [f for f in flags_of(patient) if f.rule == FlagRule.PAIN_SEVERE]
    assert sorted(f.status for f in severe) == [FlagStatus.OPEN, FlagStatus.RESOLVED]


def test_a_worse_finding_raises_the_severity_of_the_open_flag(patient, treated, reply):
    treated(patient, day(0), pain=4)
    reply(patient, 2, day(7))
    reply(patient, 4, day(14))
    reply(patient, 4, day(21))  # 2 above the best, not above baseline: warning
    assert flags_of(patient)[0].severity == Severity.WARNING
    reply(patient, 5, day(28))  # 4 and 5: the 4 is not above the baseline, still a warning
    assert flags_of(patient)[0].severity == Severity.WARNING
    reply(patient, 6, day(35))  # 5 and 6, both above the baseline: urgent
    (flag,) = [f for f in flags_of(patient) if f.rule == FlagRule.PAIN_RISE]
    assert flag.severity == Severity.URGENT
    assert flag.reason.endswith("and above the baseline of 4.")


def test_the_clinics_thresholds_apply_and_their_version_is_stored(clinic, patient, reply):
    clinic.rule_overrides = {"severe_at": 7}
    db.session.commit()
    reply(patient, 7, day(3))
    (flag,) = flags_of(patient)
    assert flag.rule == FlagRule.PAIN_SEVERE
    assert flag.rule_version == RuleSet(severe_at=7).version != "v1"


def test_the_clinics_soreness_window_applies_to_the_rules(clinic, patient, treated, reply):
    clinic.rule_overrides = {"post_needling_hours": 24}
    db.session.commit()
    treated(patient, day(0), pain=3)
    reply(patient, 6, day(2))  # 48 h: sore by the v1 window, not by this clinic's 24 h
    assert [f.rule for f in flags_of(patient)] == [FlagRule.PAIN_JUMP]


def test_invalid_overrides_fall_back_to_v1_and_the_reply_is_kept(clinic, patient, reply):
    clinic.rule_overrides = {"severe_at": "eight"}
    db.session.commit()
    reply(patient, 8, day(3))
    (flag,) = flags_of(patient)
    assert (flag.rule, flag.rule_version) == (FlagRule.PAIN_SEVERE, "v1")


def test_the_flag_is_written_in_the_transaction_of_its_score(patient, clock):
    scores.add_score(patient, Measure.PAIN, 9, day(3), "sms", day(3))
    assert db.session.scalar(select(func.count(Flag.id))) == 1  # flushed, not yet committed
    db.session.rollback()
    assert db.session.scalar(select(func.count(Score.id))) == 0
    assert db.session.scalar(select(func.count(Flag.id))) == 0


def test_the_patient_list_figures_follow_each_score(patient, treated, reply):
    treated(patient, day(0), pain=8)
    reply(patient, 4, day(7))
    reply(patient, 1, day(7), HEADACHE)
    reply(patient, 0, day(14), HEADACHE)
    db.session.expire_all()
    stored = db.session.get(Patient, patient.id)
    assert (stored.latest_pain, stored.latest_pain_at) == (4, day(7))
    assert (stored.pain_change, stored.pain_change_percent, stored.pain_mcid) == (
        -4,
        -50.0,
        "much_better",
    )
    assert stored.headache_responder is True


def test_an_in_clinic_score_through_the_api_raises_a_flag(client, headers, patient):
    response = client.post(
        f"/api/v1/patients/{patient.id}/scores",
        json={"measure": "pain_nprs", "value": 9},
        headers=headers,
    )
    assert response.status_code == 201
    listed = client.get("/api/v1/flags", headers=headers).get_json()
    assert [(f["rule"], f["severity"], f["evidence_score_ids"]) for f in listed] == [
        ("pain_severe", "urgent", [response.get_json()["id"]])
    ]


def test_a_delayed_older_reading_is_flagged_on_its_own_merits(patient, treated, reply):
    treated(patient, day(0), pain=5)
    newer = reply(patient, 9, day(8))
    delayed = reply(patient, 9, day(7))  # sent first, stored second (carrier delay, app retry)
    (severe,) = [f for f in flags_of(patient) if f.rule == FlagRule.PAIN_SEVERE]
    assert severe.evidence_score_ids == sorted([newer.id, delayed.id])


@pytest.mark.postgres
def test_concurrent_replies_of_one_patient_share_one_flag(app, patient, treated):
    treated(patient, day(0), pain=5)
    # Threads use their own sessions: nothing of the test's session may be touched in them.
    patient_id, start, failures = patient.id, threading.Barrier(2, timeout=30), []

    def severe_reply(at):
        with app.app_context():
            try:
                mine = db.session.get(Patient, patient_id)
                start.wait()
                scores.add_score(mine, Measure.PAIN, 9, at, "sms", at)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=severe_reply, args=(day(7 + n / 24),)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    severe = [f for f in flags_of(patient) if f.rule == FlagRule.PAIN_SEVERE]
    assert len(severe) == 1 and len(severe[0].evidence_score_ids) == 2
