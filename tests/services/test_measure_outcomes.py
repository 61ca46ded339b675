"""Each measure's much-better counts, grouped in SQL by stored categories, equal a count of each
patient's categories in Python (the way they were counted before), clinic-wide and per therapist."""

import random
from collections import Counter

from sqlalchemy import select, text

from server.enums import CareStatus, Measure, ScoreSource
from server.extensions import db
from server.models import Patient
from server.outcomes import McidCategory
from server.services import measure_outcomes, overview, scores
from tests.services.flags.conftest import day

STATUSES = (CareStatus.ACTIVE, CareStatus.ACTIVE, CareStatus.PAUSED, CareStatus.DISCHARGED)


def _stored_categories(rng: random.Random) -> dict[str, str] | None:
    measures = rng.sample([str(m) for m in Measure], rng.randint(0, 4))
    return {m: str(rng.choice(list(McidCategory))) for m in sorted(measures)} or None


def _counted_in_python(clinic_id: int, by) -> dict:
    """{group: {measure: (compared, much better)}} from every patient's categories."""
    compared, improved = {}, {}
    for group, categories in db.session.execute(
        select(by, Patient.mcid_by_measure).where(
            Patient.clinic_id == clinic_id, Patient.care_status == CareStatus.ACTIVE
        )
    ):
        for measure, category in (categories or {}).items():
            compared.setdefault(group, Counter())[measure] += 1
            improved.setdefault(group, Counter())[measure] += category == McidCategory.MUCH_BETTER
    return {
        group: {m: (n, improved[group][m]) for m, n in sorted(counts.items())}
        for group, counts in compared.items()
    }


def test_sql_counts_equal_a_python_count_of_each_patients_categories(make, clinic):
    rng = random.Random(12)
    therapists = [make.staff(clinic).id for _ in range(3)] + [None]
    elsewhere = make.clinic()
    for n in range(120):
        make.patient(
            clinic if n % 10 else elsewhere,
            primary_therapist_id=rng.choice(therapists) if n % 10 else None,
            care_status=rng.choice(STATUSES),
            mcid_by_measure=_stored_categories(rng),
        )
    by_therapist = measure_outcomes.much_better_counts(clinic.id, Patient.primary_therapist_id)
    assert by_therapist == _counted_in_python(clinic.id, Patient.primary_therapist_id)
    whole = _counted_in_python(clinic.id, Patient.clinic_id)[clinic.id]
    assert measure_outcomes.much_better_counts(clinic.id) == {None: whole}
    assert measure_outcomes.summed(by_therapist.values()) == whole
    # varied enough to tell the counts apart: many measures, some much better, some not
    assert len(whole) >= 5 and 0 < sum(k for _, k in whole.values()) < sum(
        n for n, _ in whole.values()
    )


def test_a_clinic_without_categories_has_no_measures(make, clinic):
    make.patient(clinic)
    assert measure_outcomes.much_better_counts(clinic.id) == {None: {}}
    assert measure_outcomes.much_better_counts(clinic.id, Patient.primary_therapist_id) == {}


def test_a_patient_with_only_a_baseline_stores_no_categories_and_the_overview_reads(
    make, clinic, clock
):
    patient = make.patient(clinic)
    scored = make.patient(clinic)
    for who, values in ((patient, (6,)), (scored, (8, 2))):
        for n, value in enumerate(values):
            scores.add_score(who, Measure.PAIN, value, day(n), ScoreSource.CLINIC, day(n))
    db.session.commit()
    stored = db.session.execute(
        text("SELECT mcid_by_measure IS NULL FROM patient WHERE id = :id"), {"id": patient.id}
    ).scalar_one()
    assert stored  # SQL NULL, not JSON null (which passed IS NOT NULL and failed the overview)
    figures = overview.clinic_overview(clinic.id, clock.now)["much_better_by_measure"]
    assert figures == {"pain_nprs": {"patients_compared": 1, "improved": 1, "share": 1.0}}
