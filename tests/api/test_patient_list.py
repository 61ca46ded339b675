"""GET /api/v1/patients with outcomes: latest pain, change, MCID, open flags; sort and filter."""

import pytest

from server.enums import FlagRule, Severity
from server.extensions import db
from server.services.flags import store as flags
from tests.assertions import assert_problem
from tests.services.flags.conftest import day


@pytest.fixture
def caseload(make, clinic, treated, reply, clock):
    """Four patients: much better, worse (flagged), unchanged, and one with no scores yet."""
    better, worse, same, new = (make.patient(clinic, first_name=n) for n in "BWSN")
    for patient, later in ((better, 3), (worse, 8), (same, 6)):
        treated(patient, day(0), pain=6)
        reply(patient, later, day(7))
    flags.raise_flag(new, FlagRule.NON_RESPONSE, Severity.INFO, "2 expired", clock())
    db.session.commit()
    return better, worse, same, new


def listed(client, headers, query="") -> list[dict]:
    response = client.get(f"/api/v1/patients?{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_each_row_has_latest_pain_change_mcid_and_open_flags(client, headers, caseload):
    rows = {row["first_name"]: row for row in listed(client, headers)}
    assert rows["B"]["latest_pain"] == 3
    assert (rows["B"]["pain_change"], rows["B"]["pain_change_percent"]) == (-3, -50.0)
    assert rows["B"]["pain_mcid"] == "much_better"
    assert (rows["W"]["pain_mcid"], rows["W"]["open_flags"]) == ("worse", 1)  # severe 8/10
    assert (rows["S"]["pain_mcid"], rows["S"]["open_flags"]) == ("unchanged", 0)
    assert (rows["N"]["latest_pain"], rows["N"]["pain_change"], rows["N"]["open_flags"]) == (
        None,
        None,
        1,
    )


@pytest.mark.parametrize(
    ("sort", "names"),
    [
        ("-change", ["W", "S", "B", "N"]),
        ("change", ["B", "S", "W", "N"]),
        ("-latest_pain", ["W", "S", "B", "N"]),
        ("-open_flags", ["N", "W", "S", "B"]),
        ("created", ["B", "W", "S", "N"]),
        ("-created", ["N", "S", "W", "B"]),
    ],
)
def test_the_list_sorts_with_patients_without_figures_last(client, headers, caseload, sort, names):
    assert [r["first_name"] for r in listed(client, headers, f"sort={sort}")] == names


def test_the_list_filters_flagged_patients_and_mcid_category(
    client, headers, caseload, therapist, clock
):
    names = lambda query: sorted(r["first_name"] for r in listed(client, headers, query))  # noqa: E731
    assert names("flagged=true") == ["N", "W"]
    assert names("flagged=false") == ["B", "S"]
    assert names("mcid=much_better") == ["B"]
    *_, new = caseload
    (flag,) = db.session.scalars(db.select(flags.Flag).where(flags.Flag.patient_id == new.id))
    flags.resolve(therapist, flag, "contacted_patient", None, clock(), None)
    assert names("flagged=true") == ["W"]


@pytest.mark.parametrize("query", ["sort=name", "sort=-", "flagged=maybe", "mcid=better"])
def test_a_bad_sort_or_filter_is_422_naming_it(client, headers, query):
    field = query.split("=")[0]
    assert_problem(client.get(f"/api/v1/patients?{query}", headers=headers), 422, field)


def test_the_list_takes_the_same_queries_whatever_the_page_size(
    client, headers, make, clinic, treated, reply, clock, query_counter
):
    for n in range(12):
        patient = make.patient(clinic)
        treated(patient, day(0), pain=5)
        reply(patient, n % 11, day(7))
        flags.raise_flag(patient, FlagRule.REPLY_REVIEW, Severity.INFO, "check", clock())
    db.session.commit()
    listed(client, headers)  # the test's session has stale staff rows: warm it up first
    counts = {}
    for size in (1, 5, 12):
        with query_counter() as queries:
            rows = listed(client, headers, f"sort=-change&page_size={size}")
        assert len(rows) == size and all(r["open_flags"] >= 1 for r in rows)
        counts[size] = queries.value
    assert counts[1] == counts[5] == counts[12], counts
    assert counts[12] <= 5  # token, staff, audit, count, page
