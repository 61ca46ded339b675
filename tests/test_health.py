"""Liveness and readiness probes."""


def test_healthz_answers_without_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_readyz_reports_rate_limits_counted_in_process_with_memory_storage(client):
    assert client.get("/readyz").get_json()["rate_limits"] == "in-process"


def test_an_id_too_large_for_the_database_is_404_not_500(client, make):
    headers = make.staff_token(make.staff(make.clinic()))
    response = client.get("/api/v1/patients/9223372036854775808", headers=headers)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
