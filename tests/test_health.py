"""Liveness and readiness probes."""


def test_healthz_answers_without_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"
