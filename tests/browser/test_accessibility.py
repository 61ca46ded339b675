"""axe-core on every dashboard page, at a desktop and a tablet width: no serious or critical
WCAG 2.1 A/AA violation. Each page is also screenshot at 768 px."""

import pytest

from server.extensions import db
from server.models import Patient
from tests.browser.conftest import SCREENSHOTS

PAGES = (
    "/",
    "/patients",
    "/patients/{patient}",
    "/patients/99999",
    "/patients/new",
    "/patients/{patient}/simulator",
    "/overview",
    "/settings",
)


@pytest.mark.parametrize("width", [1280, 768])
def test_no_serious_axe_violation_on_any_page(page, demo, sign_in, axe_violations, width):
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto("/sign-in")
    found = {"/sign-in": axe_violations(page)}
    sign_in(page)
    patient = db.session.scalars(db.select(Patient.id).where(Patient.first_name == "Chloe")).one()
    for path in PAGES:
        url = path.format(patient=patient)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found[url] = axe_violations(page)
        name = url.strip("/").replace("/", "-") or "inbox"
        page.screenshot(path=str(SCREENSHOTS / f"page-{name}-{width}.png"), full_page=True)
    assert {url: problems for url, problems in found.items() if problems} == {}
