"""Dashboard tests through Flask's test client: a signed-in staff member over HTTPS."""

import re

import pytest
from flask import g

from tests.factories import PASSWORD

HTTPS = "https://localhost"


class Dashboard:
    """A test client that signs in through the form and posts with the CSRF token."""

    def __init__(self, client):
        self.client = client
        # Behind HTTPS, as the test app's PUBLIC_BASE_URL says: the session cookie is Secure.
        client.environ_base["HTTP_REFERER"] = HTTPS + "/"

    def token(self, path: str = "/sign-in") -> str:
        page = self.get(path).get_data(as_text=True)
        return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

    def sign_in(self, staff, password: str = PASSWORD):
        form = {"email": staff.email, "password": password}
        return self.post("/sign-in", form)

    def get(self, path: str, **kwargs):
        _fresh_g()
        return self.client.get(path, base_url=HTTPS, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs):
        form = {"csrf_token": self.token(), **(data or {})}
        _fresh_g()
        return self.client.post(path, data=form, base_url=HTTPS, **kwargs)


def _fresh_g() -> None:
    # A served request starts with an empty `g`; here the test's app context (held open by the
    # `db` fixture) is shared by every request, so forget what the previous one cached.
    for name in list(g):
        g.pop(name)


@pytest.fixture
def dashboard(client):
    return Dashboard(client)
