"""The console gateway (development default) and the gateway factory and value rules."""

import logging
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server.enums import MessageStatus
from server.logs import mask_phone
from server.sms.console_gateway import ConsoleGateway
from server.sms.gateway import OutgoingSms, build_gateway, count_segments

PATIENT = "+15005550006"
CLINIC = "+15005550001"
T0 = datetime(2025, 3, 3, 14, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(T0)


@pytest.fixture
def console(clock):
    return ConsoleGateway(now=clock)


def prompt(body="Pain today, 0-10?", to=PATIENT) -> OutgoingSms:
    return OutgoingSms(to=to, body=body, sender=CLINIC, status_callback=None, validity_period=None)


def test_console_send_assigns_unique_fake_sms_sids_and_marks_sent(console):
    results = [console.send(prompt()) for _ in range(100)]

    assert all(re.fullmatch(r"SM[0-9a-f]{32}", sent.sid) for sent in results)
    assert len({sent.sid for sent in results}) == 100
    assert {sent.status for sent in results} == {MessageStatus.SENT}


def test_console_logs_each_message_on_one_line(console, caplog):
    caplog.set_level(logging.INFO, logger="server.sms.console_gateway")

    sent = console.send(prompt(body="Pain today?\nReply 0-10"))

    [record] = caplog.records
    line = record.getMessage()
    assert "\n" not in line
    assert sent.sid in line and mask_phone(PATIENT) in line and "Reply 0-10" in line
    assert PATIENT not in line, "the patient's number is masked, as in every log line"


def test_console_prints_to_stdout_when_logging_is_not_configured():
    script = (
        "from server.sms.console_gateway import ConsoleGateway\n"
        "from server.sms.gateway import OutgoingSms\n"
        "ConsoleGateway().send(OutgoingSms('+15005550006', 'Hi\\nthere', '+15005550001'))\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    )

    assert len(result.stdout.splitlines()) == 1
    assert mask_phone("+15005550006") in result.stdout and "Hi\\nthere" in result.stdout
    assert "+15005550006" not in result.stdout


def test_console_reports_segments_of_long_bodies(console):
    assert console.send(prompt(body="x" * 161)).segments == 2


def test_console_find_sent_finds_a_message_sent_in_this_process(console, clock):
    sent = console.send(prompt())

    found = console.find_sent(PATIENT, CLINIC, "Pain today, 0-10?", since=T0)

    assert found is not None
    assert (found.sid, found.to, found.sender, found.date_created) == (
        sent.sid,
        PATIENT,
        CLINIC,
        T0,
    )


def test_console_find_sent_returns_the_latest_match(console, clock):
    console.send(prompt())
    clock.now = T0 + timedelta(minutes=5)
    latest = console.send(prompt())

    assert console.find_sent(PATIENT, CLINIC, "Pain today, 0-10?", since=T0).sid == latest.sid


@pytest.mark.parametrize(
    ("to", "body", "since"),
    [
        ("+15005550009", "Pain today, 0-10?", T0),
        (PATIENT, "Never sent", T0),
        (PATIENT, "Pain today, 0-10?", T0 + timedelta(seconds=1)),
    ],
)
def test_console_find_sent_misses_other_recipient_body_or_earlier_message(console, to, body, since):
    console.send(prompt())

    assert console.find_sent(to, CLINIC, body, since) is None


def test_build_gateway_console_backend_is_the_console_gateway():
    assert isinstance(build_gateway("console"), ConsoleGateway)


def test_build_gateway_rejects_an_unknown_backend():
    with pytest.raises(ValueError, match="unknown SMS backend"):
        build_gateway("carrier-pigeon")


@pytest.mark.parametrize("period", [0, 36_001])
def test_validity_period_outside_twilio_range_is_rejected(period):
    with pytest.raises(ValueError, match="validity_period"):
        OutgoingSms(PATIENT, "Hi", CLINIC, validity_period=period)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("x" * 160, 1),
        ("x" * 161, 2),
        ("x" * 306, 2),
        ("x" * 307, 3),
        ("€" * 80, 1),  # GSM-7 extension characters cost two septets
        ("€" * 81, 2),
        ("¿Dolor hoy? ñ" + "x" * 147, 1),  # ¿ and ñ are GSM-7
        ("á" * 70, 1),  # á is not: the whole text goes UCS-2
        ("á" * 71, 2),
        ("😀" * 35, 1),  # an emoji is two UCS-2 units
        ("😀" * 36, 2),
    ],
)
def test_segments_count_like_twilio_bills_them(body, expected):
    assert count_segments(body) == expected
