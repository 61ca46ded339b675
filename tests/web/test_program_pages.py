"""The dashboard shows the program patients' new measures with no template of their own."""

import json
import re

from sqlalchemy import select

from server.demo.programs import seed_program_patients
from server.enums import Role
from server.extensions import db
from server.models import Patient
from server.services.flags import evaluation


def test_every_program_patients_page_charts_its_measures_from_the_catalog(
    dashboard, make, clinic, clock
):
    staff = make.staff(clinic, role=Role.ADMIN)
    patients = seed_program_patients(clinic, staff, clock.now)
    evaluation.evaluate_patients(patients, clock.now)
    db.session.commit()
    dashboard.sign_in(staff)
    for patient in db.session.scalars(select(Patient).where(Patient.clinic_id == clinic.id)):
        page = dashboard.get(f"/patients/{patient.id}")
        assert page.status_code == 200, patient.first_name
        charts = _chart_data(page.get_data(as_text=True))
        assert {c["measure"] for c in charts} == {str(m) for m in patient.measures}
        for chart in charts:
            higher_is_better = chart["measure"] in ("psfs", "sane")
            assert chart["worse"] == ("down" if higher_is_better else "up")


def _chart_data(html: str) -> list[dict]:
    found = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert found, "the page carries its chart data"
    data = json.loads(found[1])
    return data if isinstance(data, list) else data["charts"]
