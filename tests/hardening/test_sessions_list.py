"""The sessions list shows each session as its create response did (item 12)."""


def test_sessions_list_carries_in_clinic_score_and_planned_checkins(client, staff_headers, patient):
    path = f"/api/v1/patients/{patient.id}/sessions"
    session = {"occurred_at": "2026-12-01T14:00:00Z", "in_clinic_pain": 6}
    created = client.post(path, json=session, headers=staff_headers).get_json()
    listed = client.get(path, headers=staff_headers).get_json()
    assert len(listed) == 1
    assert listed[0]["in_clinic_score"]["value"] == 6
    assert listed[0]["in_clinic_score"]["id"] == created["in_clinic_score"]["id"]
    assert [c["id"] for c in listed[0]["checkins"]] == [c["id"] for c in created["checkins"]]
    assert listed[0]["checkins"], "the session planned check-ins"


def test_a_session_without_a_score_lists_it_as_null(client, staff_headers, patient):
    path = f"/api/v1/patients/{patient.id}/sessions"
    client.post(path, json={"occurred_at": "2026-12-01T14:00:00Z"}, headers=staff_headers)
    assert client.get(path, headers=staff_headers).get_json()[0]["in_clinic_score"] is None
