"""The overview's charts: weekly response rate and the pain-change distribution."""

import random
from collections import Counter
from datetime import timedelta

from server.enums import CheckInStatus
from server.extensions import db
from server.services import overview_charts


def _checkin(make, patient, prompted, status):
    make.checkin(patient, prompted, prompted=True, status=status, created_at=prompted)


def test_weekly_response_rate_counts_each_week_closed_check_ins(make, patient, clock):
    now = clock.now
    _checkin(make, patient, now - timedelta(days=1), CheckInStatus.COMPLETED)
    _checkin(make, patient, now - timedelta(days=2), CheckInStatus.EXPIRED)
    _checkin(make, patient, now - timedelta(days=9), CheckInStatus.COMPLETED)
    _checkin(make, patient, now - timedelta(days=3), CheckInStatus.PROMPTED)  # not closed yet
    db.session.commit()
    weeks = overview_charts.weekly_response_rate(patient.clinic_id, now, weeks=3)
    assert [(w["closed"], w["rate"]) for w in weeks] == [(0, None), (1, 1.0), (2, 0.5)]
    assert weeks[-1]["week_ending"] == now.date().isoformat()


def test_each_week_holds_the_check_ins_prompted_whole_weeks_before_now(make, patient, clock):
    """The index-range counts equal floor((now - prompted) / 7 days), boundaries included."""
    now, week = clock.now, timedelta(weeks=1)
    rng = random.Random(7)
    prompted = [now, now - week, now - 2 * week, now - 12 * week, now - week + timedelta(seconds=1)]
    prompted += [now - timedelta(seconds=rng.randint(1, 13 * 7 * 86400)) for _ in range(60)]
    expected = Counter()
    for n, at in enumerate(prompted):
        status = (CheckInStatus.COMPLETED, CheckInStatus.EXPIRED, CheckInStatus.PROMPTED)[n % 3]
        _checkin(make, patient, at, status)
        if timedelta(0) <= now - at < 12 * week:
            expected[(now - at) // week, status] += 1
    db.session.commit()
    weeks = overview_charts.weekly_response_rate(patient.clinic_id, now)
    for ago, shown in zip(range(11, -1, -1), weeks, strict=True):
        completed = expected[ago, CheckInStatus.COMPLETED]
        closed = completed + expected[ago, CheckInStatus.EXPIRED]
        rate = round(completed / closed, 3) if closed else None
        assert (shown["closed"], shown["rate"]) == (closed, rate)
    assert sum(w["closed"] for w in weeks) >= 30  # the random times filled the weeks


def test_pain_change_distribution_counts_active_patients_by_points(make, clinic):
    for change in (-3, -3, 1, None):
        make.patient(clinic, pain_change=change)
    assert overview_charts.pain_change_distribution(clinic.id) == {-3: 2, 1: 1}


def test_figures_by_therapist_add_up_to_the_clinics(make, clinic, clock):
    from server.services.overview import clinic_overview, overview_by_therapist

    maria, james = make.staff(clinic), make.staff(clinic)
    for therapist, mcid in ((maria, "much_better"), (maria, "unchanged"), (james, "much_better")):
        patient = make.patient(clinic, primary_therapist_id=therapist.id, pain_mcid=mcid)
        _checkin(make, patient, clock.now - timedelta(days=1), CheckInStatus.COMPLETED)
    db.session.commit()
    summed, theirs = overview_by_therapist(clinic.id, clock.now)
    assert theirs[maria.id]["active_patients"] == 2
    assert theirs[maria.id]["pain_much_better"].improved == 1
    assert theirs[james.id]["checkins"]["last_7_days"]["completed"] == 1
    whole = clinic_overview(clinic.id, clock.now)
    assert whole["active_patients"] == sum(t["active_patients"] for t in theirs.values()) == 3
    assert summed == whole  # the page's clinic figures are the API's
