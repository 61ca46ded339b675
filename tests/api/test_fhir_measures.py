"""FHIR for every measure of the catalog: codings, the PSFS panel, a host-independent system."""

from fhir.resources.R4B.bundle import Bundle

from server.enums import Measure
from server.measures import CATALOG, LOCAL
from server.models import Score
from server.services.fhir import patient_bundle
from tests.services.flags.conftest import day

VALUES = {
    Measure.PAIN: 5,
    Measure.HEADACHE_DAYS: 2,
    Measure.HEADACHE_INTENSITY: 6,
    Measure.ACUTE_MED_DAYS: 3,
    Measure.ACTIVITY_INTERFERENCE: 4,
    Measure.SLEEP_INTERFERENCE: 7,
    Measure.PGIC: 2,
    Measure.SANE: 85,
}


def every_measure(patient, make):
    """One stored score of each measure, PSFS for two activities, four days after a session."""
    make.session(patient, occurred_at=day(0))
    for measure, value in VALUES.items():
        make.score(patient, measure=measure, value=value, reported_at=day(4))
    walking = make.psfs_activity(patient, "Walking to the shops")
    stairs = make.psfs_activity(patient, "Climbing stairs")
    for activity, value in ((walking, 4), (stairs, 7)):
        make.score(
            patient, measure=Measure.PSFS, value=value, reported_at=day(4), activity_id=activity.id
        )


def bundle_of(db, patient, base_url, now):
    scores = db.session.scalars(
        db.select(Score).where(Score.patient_id == patient.id).order_by(Score.id)
    ).all()
    return patient_bundle(patient, scores, base_url, now)


def test_a_bundle_with_every_measure_validates_with_fhir_resources(db, patient, make):
    every_measure(patient, make)
    body = bundle_of(db, patient, "https://a.example", day(5))
    bundle = Bundle.model_validate(body)
    observations = [
        e.resource for e in bundle.entry if e.resource.get_resource_type() == "Observation"
    ]
    coded = {c.code for o in observations for c in o.code.coding if c.system == LOCAL}
    assert coded >= {str(m) for m in CATALOG if m != Measure.PAIN} | {"psfs_mean"}
    assert len(observations) == len(VALUES) + 2 + 1  # two PSFS activities and their panel


def test_psfs_is_one_observation_per_activity_and_a_panel_with_has_member(db, patient, make):
    every_measure(patient, make)
    entries = bundle_of(db, patient, "https://a.example", day(5))["entry"]
    items = [
        e
        for e in entries
        if e["resource"].get("code", {}).get("coding", [{}])[0].get("code") == "psfs"
    ]
    assert [e["resource"]["valueInteger"] for e in items] == [4, 7]
    assert items[0]["resource"]["code"]["text"].endswith(": Walking to the shops")
    panel = next(e["resource"] for e in entries if e["resource"]["id"].startswith("psfs-"))
    assert panel["valueQuantity"]["value"] == 5.5
    assert [m["reference"] for m in panel["hasMember"]] == [e["fullUrl"] for e in items]


def test_the_local_code_system_is_the_same_on_two_deployments(db, patient, make):
    every_measure(patient, make)

    def systems(base_url):
        body = bundle_of(db, patient, base_url, day(5))
        return sorted(
            {
                c["system"]
                for e in body["entry"]
                for c in e["resource"].get("code", {}).get("coding", [])
            }
        )

    first, second = systems("https://clinic-a.example"), systems("http://127.0.0.1:5000")
    assert first == second and LOCAL in first
    assert LOCAL == "https://painline.org/fhir/CodeSystem/measures"
