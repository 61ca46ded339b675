"""A clinic with an admin and one headache patient, as the attacker found it."""

import pytest

from server.enums import Role


@pytest.fixture
def clinic(make):
    return make.clinic()


@pytest.fixture
def staff_headers(make, clinic):
    return make.staff_token(make.staff(clinic, role=Role.ADMIN))


@pytest.fixture
def patient(make, clinic):
    return make.patient(clinic, tracks_headache=True)
