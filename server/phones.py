"""Phone numbers in E.164: one normalisation for the API edge and the use cases."""

import phonenumbers

DEFAULT_PHONE_REGION = "US"  # numbers written without a +country code

# phonenumbers loads each region's metadata lazily under a lock it does not release when the load
# raises (a RecursionError deep in a request, say): every later parse in that process would then
# hang. Loading it all once here (about 0.2 s, 1.5 MB) means no request ever takes that lock.
phonenumbers.PhoneMetadata.load_all()


def normalise_phone(value: str) -> str:
    """Return the number in E.164, or raise ValueError when it is not a valid phone number."""
    try:
        number = phonenumbers.parse(value, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
