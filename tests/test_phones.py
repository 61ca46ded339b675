"""Phone normalisation (server/phones.py): E.164 out, and never stuck behind the library's lock."""

import threading

import phonenumbers
import pytest

from server.phones import normalise_phone


@pytest.mark.parametrize(
    ("written", "e164"),
    [("(617) 555-0100", "+16175550100"), ("+44 20 7946 0958", "+442079460958")],
)
def test_common_formats_become_e164(written, e164):
    assert normalise_phone(written) == e164


@pytest.mark.parametrize("written", ["", "hello", "+1 555", "+999 1234567"])
def test_what_is_not_a_valid_phone_number_is_a_value_error(written):
    with pytest.raises(ValueError):
        normalise_phone(written)


def test_a_parse_never_waits_on_the_metadata_lock():
    """phonenumbers keeps its lazy-load lock when a load raises; we load everything up front.

    Holding the lock here stands in for a load that died holding it: a Japanese number (a
    region no other test parses first) must still be normalised.
    """
    result = []
    lock = phonenumbers.PhoneMetadata._metadata_lock
    lock.acquire()
    try:
        worker = threading.Thread(target=lambda: result.append(normalise_phone("+81 3-1234-5678")))
        worker.start()
        worker.join(timeout=5)
        assert not worker.is_alive(), "the parse waited on phonenumbers' metadata lock"
    finally:
        lock.release()
        worker.join()
    assert result == ["+81312345678"]
