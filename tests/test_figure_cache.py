"""server/figure_cache.py: overview figures reused for OVERVIEW_MAX_AGE_SECONDS, per clinic."""

from datetime import timedelta

import pytest

from server.enums import Role

URL = "/api/v1/clinic/overview"


@pytest.fixture
def minute(app):
    """The production setting (the suites run with 0: their clock stands still between tests)."""
    app.config["OVERVIEW_MAX_AGE_SECONDS"] = 60
    app.extensions.pop("figure_cache", None)
    yield
    app.config["OVERVIEW_MAX_AGE_SECONDS"] = 0
    app.extensions.pop("figure_cache", None)


def active(client, headers) -> int:
    response = client.get(URL, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["active_patients"]


def test_figures_are_reused_for_a_minute_then_recomputed(
    minute, client, headers, make, clinic, clock
):
    make.patient(clinic)
    assert active(client, headers) == 1
    make.patient(clinic)
    clock.advance(seconds=59)
    assert active(client, headers) == 1  # computed 59 s ago: served as they were
    assert (
        client.get(URL, headers=headers).get_json()["as_of"]
        == (clock.now - timedelta(seconds=59)).isoformat()
    )
    clock.advance(seconds=1)
    assert active(client, headers) == 2


def test_without_reuse_every_request_recomputes(client, headers, make, clinic):
    make.patient(clinic)
    assert active(client, headers) == 1
    make.patient(clinic)
    assert active(client, headers) == 2


def test_another_clinic_never_gets_this_clinics_figures(minute, client, headers, make, clinic):
    make.patient(clinic)
    make.patient(clinic)
    assert active(client, headers) == 2
    elsewhere = make.clinic(name="Eastside PT")
    assert active(client, make.staff_token(make.staff(elsewhere))) == 0


def test_a_rules_change_is_on_the_overview_at_once(minute, client, make, clinic):
    admin_headers = make.staff_token(make.staff(clinic, role=Role.ADMIN))
    before = client.get(URL, headers=admin_headers).get_json()["rule_version"]
    response = client.put("/api/v1/clinic/rules", json={"severe_at": 7}, headers=admin_headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    after = client.get(URL, headers=admin_headers).get_json()["rule_version"]
    assert before == "v1" and after == response.get_json()["version"] != before
