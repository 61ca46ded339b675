"""The Twilio gateway, driven through the real twilio SDK against a fake Twilio on loopback."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server.enums import MessageStatus
from server.sms.gateway import GatewayError, OutgoingSms, build_gateway
from server.sms.twilio_gateway import TwilioGateway, message_status, rebase_url
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

PATIENT = "+15005550006"
CLINIC = "+15005550001"
SERVICE = "MG" + "a" * 32
CALLBACK = "https://painline.example/sms/status?message_id=123"


@pytest.fixture
def fake():
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def gateway(fake):
    return build_gateway("twilio", **fake.gateway_settings(), timeout=0.5)


def prompt(to=PATIENT, body="Pain today, 0-10?", sender=CLINIC, **options) -> OutgoingSms:
    return OutgoingSms(to=to, body=body, sender=sender, **options)


def refused(gateway, sms: OutgoingSms) -> GatewayError:
    with pytest.raises(GatewayError) as caught:
        gateway.send(sms)
    return caught.value


def test_send_posts_to_body_from_status_callback_and_validity_period(gateway, fake):
    gateway.send(prompt(status_callback=CALLBACK, validity_period=3600))

    [posted] = fake.messages
    assert posted["To"] == PATIENT
    assert posted["Body"] == "Pain today, 0-10?"
    assert posted["From"] == CLINIC
    assert posted["StatusCallback"] == CALLBACK
    assert posted["ValidityPeriod"] == "3600"
    assert "MessagingServiceSid" not in posted


def test_send_from_messaging_service_posts_its_sid_instead_of_from(gateway, fake):
    sent = gateway.send(prompt(sender=SERVICE))

    [posted] = fake.messages
    assert posted["MessagingServiceSid"] == SERVICE
    assert "From" not in posted
    assert sent.status is MessageStatus.ACCEPTED
    assert sent.segments == 1  # Twilio reports 0 until the service has picked a sender


def test_send_without_callback_or_validity_period_posts_neither(gateway, fake):
    gateway.send(prompt())

    [posted] = fake.messages
    assert "StatusCallback" not in posted
    assert "ValidityPeriod" not in posted


def test_send_returns_twilio_sid_status_and_segments(gateway):
    sent = gateway.send(prompt())

    assert sent.sid.startswith("SM") and len(sent.sid) == 34
    assert sent.status is MessageStatus.ACCEPTED  # Twilio "queued" is not our outbox "queued"
    assert sent.segments == 1


@pytest.mark.parametrize(("body", "expected"), [("x" * 161, 2), ("á" * 71, 2), ("x" * 307, 3)])
def test_long_bodies_report_twilio_segment_count(gateway, body, expected):
    assert gateway.send(prompt(body=body)).segments == expected


def test_requests_authenticate_with_account_sid_and_auth_token(fake):
    settings = fake.gateway_settings() | {"auth_token": "wrong-token"}
    impostor = build_gateway("twilio", **settings)

    error = refused(impostor, prompt())

    assert (error.http_status, error.code, error.retryable) == (401, 20003, False)
    assert fake.messages == []


def test_opted_out_recipient_is_a_non_retryable_21610(gateway, fake):
    fake.fail_for(PATIENT, status=400, code=21610)

    error = refused(gateway, prompt())

    assert (error.code, error.http_status, error.retryable) == (21610, 400, False)
    assert error.opted_out and not error.invalid_number


@pytest.mark.parametrize("code", [21211, 21614])
def test_invalid_or_landline_number_is_a_non_retryable_invalid_number(gateway, fake, code):
    fake.fail_for(PATIENT, status=400, code=code)

    error = refused(gateway, prompt())

    assert (error.code, error.retryable, error.invalid_number) == (code, False, True)


def test_malformed_number_is_refused_by_twilio_as_21211(gateway):
    error = refused(gateway, prompt(to="555-0100"))

    assert (error.code, error.retryable) == (21211, False)


@pytest.mark.parametrize(("status", "code"), [(429, 20429), (429, None), (500, 20500), (503, None)])
def test_rate_limits_and_server_errors_are_retryable(gateway, fake, status, code):
    fake.fail_next(1, status=status, code=code)

    error = refused(gateway, prompt())

    assert (error.http_status, error.code, error.retryable) == (status, code, True)
    assert gateway.send(prompt()).sid  # the gateway never retried on its own: one failure used


def test_response_slower_than_timeout_is_a_retryable_error(gateway, fake):
    fake.delay_next(3.0)
    started = time.monotonic()

    error = refused(gateway, prompt())

    assert error.retryable and error.http_status is None
    assert time.monotonic() - started < 2.0


def test_timed_out_send_that_reached_twilio_is_found_by_find_sent(gateway, fake):
    since = datetime.now(UTC)
    fake.delay_next(3.0)
    refused(gateway, prompt())

    found = gateway.find_sent(PATIENT, CLINIC, "Pain today, 0-10?", since)

    assert found is not None and found.sid.startswith("SM")


def test_unreachable_twilio_is_a_retryable_error(fake):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = fake.gateway_settings() | {"api_url": f"http://127.0.0.1:{closed_port}"}

    error = refused(build_gateway("twilio", **settings, timeout=0.5), prompt())

    assert error.retryable and error.code is None


def test_api_url_replaces_scheme_and_host_and_keeps_path_and_query():
    url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&Page=2"

    assert rebase_url(url, "http://127.0.0.1:8080") == (
        "http://127.0.0.1:8080/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&Page=2"
    )
    assert rebase_url(url, "http://fake.test/twilio/") == (
        "http://fake.test/twilio/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&Page=2"
    )
    assert rebase_url(url, None) == url


def test_sdk_paging_links_follow_the_api_url(gateway, fake):
    for n in range(5):
        gateway.send(prompt(body=f"Reminder {n}"))

    listed = gateway.client.messages.list(to=PATIENT, page_size=2)

    assert [m.body for m in listed] == [f"Reminder {n}" for n in reversed(range(5))]


def test_find_sent_returns_the_message_sent_with_that_body(gateway):
    since = datetime.now(UTC)
    gateway.send(prompt(body="Other text"))
    sent = gateway.send(prompt())

    found = gateway.find_sent(PATIENT, CLINIC, "Pain today, 0-10?", since)

    assert found is not None
    assert (found.sid, found.to, found.sender, found.status) == (
        sent.sid,
        PATIENT,
        CLINIC,
        MessageStatus.ACCEPTED,
    )
    assert found.date_created is not None and found.date_created.tzinfo is not None


def test_find_sent_returns_none_for_a_body_never_sent(gateway):
    gateway.send(prompt())

    assert gateway.find_sent(PATIENT, CLINIC, "Never sent", datetime.now(UTC)) is None


def test_find_sent_ignores_messages_created_well_before_since(gateway):
    gateway.send(prompt())
    later = datetime.now(UTC) + timedelta(hours=1)

    assert gateway.find_sent(PATIENT, CLINIC, "Pain today, 0-10?", later) is None


def test_find_sent_ignores_the_same_body_from_another_sender(gateway):
    since = datetime.now(UTC)
    gateway.send(prompt(sender="+15005550002"))

    assert gateway.find_sent(PATIENT, CLINIC, "Pain today, 0-10?", since) is None


def test_find_sent_for_messaging_service_matches_its_sid(gateway):
    since = datetime.now(UTC)
    sent = gateway.send(prompt(sender=SERVICE))

    found = gateway.find_sent(PATIENT, SERVICE, "Pain today, 0-10?", since)

    assert found is not None and (found.sid, found.sender) == (sent.sid, SERVICE)
    assert gateway.find_sent(PATIENT, "MG" + "b" * 32, "Pain today, 0-10?", since) is None


def test_find_sent_failure_is_a_gateway_error(gateway, fake):
    fake.fail_next(1, status=429, code=20429, kind="list")

    with pytest.raises(GatewayError) as caught:
        gateway.find_sent(PATIENT, CLINIC, "Pain today, 0-10?", datetime.now(UTC))

    assert (caught.value.http_status, caught.value.code, caught.value.retryable) == (
        429,
        20429,
        True,
    )


@pytest.mark.parametrize(
    ("twilio", "ours"),
    [
        ("queued", MessageStatus.ACCEPTED),
        ("sending", MessageStatus.ACCEPTED),
        ("sent", MessageStatus.SENT),
        ("delivered", MessageStatus.DELIVERED),
        ("undelivered", MessageStatus.UNDELIVERED),
        ("failed", MessageStatus.FAILED),
        ("canceled", MessageStatus.CANCELLED),
    ],
)
def test_twilio_statuses_map_to_ours_without_moving_back_into_the_outbox(twilio, ours):
    assert message_status(twilio) is ours
    assert message_status(twilio).rank > MessageStatus.SENDING.rank


def test_twilio_gateway_needs_credentials():
    with pytest.raises(ValueError, match="auth token"):
        build_gateway("twilio", account_sid="AC123", auth_token="")


def test_gateway_is_built_with_the_given_timeout(fake):
    gateway = build_gateway("twilio", **fake.gateway_settings(), timeout=2.5)

    assert isinstance(gateway, TwilioGateway)
    assert gateway.client.http_client.timeout == 2.5


def test_fake_keeps_every_message_from_concurrent_senders(gateway, fake):
    numbers = [f"+1500555{n:04d}" for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        sids = list(pool.map(lambda n: gateway.send(prompt(to=n)).sid, numbers * 25))

    assert len(set(sids)) == 200
    assert [fake.count_by(n) for n in numbers] == [25] * 8


def test_fake_runs_standalone_and_reports_what_it_received():
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "tests.fake_twilio", "--port", "0"]
    with subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, text=True) as process:
        try:
            url = process.stdout.readline().strip()
            credentials = {"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN}
            gateway = build_gateway("twilio", **credentials, api_url=url)
            gateway.send(prompt())
            with urllib.request.urlopen(f"{url}/_fake/messages", timeout=5) as response:
                received = json.load(response)
        finally:
            process.terminate()

    assert received["count"] == 1 and received["messages"][0]["To"] == PATIENT
