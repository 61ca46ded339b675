"""Planning reads the clinic's RuleSet window: why a superseded check-in was cancelled."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.enums import CheckInStatus
from server.extensions import db
from server.models import CheckIn


@pytest.mark.parametrize(
    "overrides, why",
    [
        ({}, "it would measure fresh needling soreness"),
        ({"post_needling_hours": 24}, "that session's own check-ins replace it"),
    ],
)
def test_a_new_session_cancels_the_earlier_checkin_for_the_clinics_window(
    client, headers, clinic, patient, clock, overrides, why
):
    clinic.rule_overrides = overrides
    db.session.commit()
    url = f"/api/v1/patients/{patient.id}/sessions"
    first = (clock.now - timedelta(days=2)).isoformat()
    assert client.post(url, json={"occurred_at": first}, headers=headers).status_code == 201
    [day3] = db.session.scalars(select(CheckIn).where(CheckIn.kind == "day3")).all()
    second = clock.now - timedelta(hours=6)
    assert timedelta(hours=24) < day3.due_at - second < timedelta(hours=72)

    response = client.post(url, json={"occurred_at": second.isoformat()}, headers=headers)

    assert response.status_code == 201, response.get_json()
    db.session.refresh(day3)
    assert day3.status == CheckInStatus.CANCELLED
    assert day3.status_reason.endswith(why)
