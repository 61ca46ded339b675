"""GET /api/v1/exports/scores.csv: every score of the clinic, streamed, admins only."""

import csv
import io

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from server.services import exports
from tests.assertions import assert_problem
from tests.services.flags.conftest import day

URL = "/api/v1/exports/scores.csv"


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_export_has_a_header_and_every_score_of_the_clinic_oldest_first(
    client, admin_headers, make, clinic, patient, treated, reply
):
    treated(patient, day(0), pain=6)
    sore = reply(patient, 7, day(1))
    late = reply(patient, 3, day(9), late=True)
    reply(make.patient(make.clinic()), 5, day(2))  # another clinic's: not exported
    response = client.get(URL, headers=admin_headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = rows_of(response)
    assert header == [name for name, _ in exports.COLUMNS]
    assert [row[0] for row in rows][1:] == [str(sore.id), str(late.id)]
    assert rows[1][1:] == [
        str(patient.id), "EMR-1", "pain_nprs", "7", "2026-10-06T15:00:00+00:00", "sms",
        "24.0", "true", "false", "", "",
    ]  # fmt: skip
    assert rows[2][-4:] == ["false", "true", "", ""]  # ... late, check-in, PSFS activity


def test_an_empty_clinic_exports_only_the_header(client, admin_headers):
    assert rows_of(client.get(URL, headers=admin_headers)) == [[n for n, _ in exports.COLUMNS]]


def test_the_export_is_streamed_in_batches(client, admin_headers, patient, reply, monkeypatch):
    for n in range(5):
        reply(patient, n, day(n * 7))
    monkeypatch.setattr(exports, "BATCH", 2)
    response = client.get(URL, headers=admin_headers)
    assert response.is_streamed
    chunks = [c.decode() if isinstance(c, bytes) else c for c in response.response]
    assert [len(c.splitlines()) for c in chunks] == [1, 2, 2, 1]  # the header, then batches
    assert len(list(csv.reader(io.StringIO("".join(chunks))))) == 6


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused(
    client, admin_headers, make, clinic, reply
):
    reply(make.patient(clinic, external_ref='=HYPERLINK("http://x")'), 4, day(1))
    (row,) = rows_of(client.get(URL, headers=admin_headers))[1:]
    assert row[2] == '\'=HYPERLINK("http://x")'


def test_the_export_is_audited(client, admin_headers, admin):
    client.get(URL, headers=admin_headers).get_data()
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.actor_id) == ("export.scores_csv", admin.id)


def test_therapists_cannot_export_the_whole_clinic(client, headers):
    assert_problem(client.get(URL, headers=headers), 403)


def test_the_export_needs_a_live_staff_token(client, make, patient, admin_headers, clock):
    assert_problem(client.get(URL), 401)
    assert_problem(client.get(URL, headers=make.patient_token(patient)), 403)
    clock.advance(hours=13)
    assert_problem(client.get(URL, headers=admin_headers), 401)


def test_psfs_scores_export_one_row_per_activity_with_its_id(
    client, admin_headers, make, patient, reply
):
    walking = make.psfs_activity(patient, "Walking")
    stairs = make.psfs_activity(patient, "Climbing stairs")
    for activity, value in ((walking, 4), (stairs, 6)):
        make.score(
            patient, measure="psfs", value=value, reported_at=day(3), activity_id=activity.id
        )
    header, *rows = rows_of(client.get(URL, headers=admin_headers))
    measure, value, activity = (header.index(n) for n in ("measure", "value", "activity_id"))
    assert [(r[measure], r[value], r[activity]) for r in rows] == [
        ("psfs", "4", str(walking.id)),
        ("psfs", "6", str(stairs.id)),
    ]
