"""Signing in and out of the dashboard in a real browser."""

import re

from playwright.sync_api import expect

from server.extensions import db
from server.models import AccessToken, AuditEvent, Flag
from server.services.staff_auth import LOGIN_FAILED


def _actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_wrong_password_is_refused_then_the_right_one_opens_the_inbox(page, demo, sign_in):
    sign_in(page, password="not-the-password")
    expect(page.get_by_role("alert")).to_have_text(LOGIN_FAILED)
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    sign_in(page)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Flag inbox")).to_be_visible()
    assert _actions().count("auth.login") == 1


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(page, demo, sign_in):
    sign_in(page, email="ghost@northside.example")
    expect(page.get_by_role("alert")).to_have_text(LOGIN_FAILED)


def test_sign_out_revokes_the_session(page, demo, sign_in):
    sign_in(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.goto("/patients")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    db.session.expire_all()
    assert db.session.scalars(db.select(AccessToken.revoked_at)).one() is not None
    assert "auth.logout" in _actions()


def test_idle_timeout_signs_the_therapist_out(page, demo, sign_in, clock):
    sign_in(page, email="maria@northside.example")
    clock.advance(minutes=29)
    page.goto("/patients")
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    clock.advance(minutes=31)
    page.goto("/patients")
    expect(page.get_by_role("status").first).to_contain_text("signed out after a period")
    db.session.expire_all()
    assert db.session.scalars(db.select(AccessToken.revoked_at)).one() is not None


def test_a_post_without_the_csrf_token_is_refused(page, demo, sign_in):
    sign_in(page)
    flag_id = db.session.scalars(db.select(Flag.id).order_by(Flag.id)).first()
    refused = page.request.post(f"/flags/{flag_id}/acknowledge", form={"note": "forged"})
    assert refused.status == 400
    assert "Form expired" in refused.text()
    db.session.expire_all()
    assert db.session.get(Flag, flag_id).status == "open"
