"""What the patient forms offer and hold: choices from the catalogs, values typed or current."""

from flask import g, request

from server import clock
from server.api.schemas.patients import STAFF_CONSENT_SOURCES
from server.enums import ConsentAction, ConsentStatus, Language
from server.measures import CATALOG
from server.models import Patient
from server.sms.consent_wording import CONSENT_WORDINGS, CURRENT_WORDING
from server.web.wording import LANGUAGE_NAMES, clinic_zone, staff_names, zone_names


def form_choices(clinic_id: int) -> dict:
    """Choices the enrol and patient forms offer, read from the catalogs and the clinic's staff."""
    return {
        "zones": zone_names(),
        "languages": list(LANGUAGE_NAMES.items()),
        "measures": [(m.value, spec.label[Language.EN]) for m, spec in CATALOG.items()],
        "therapists": sorted(staff_names(clinic_id).items(), key=lambda s: s[1]),
        "sources": [(s.value, s.value.replace("_", " ")) for s in STAFF_CONSENT_SOURCES],
        "consent_actions": [(a.value, a.value) for a in ConsentAction],
        "wordings": CONSENT_WORDINGS,
        "wording_choices": [(version, version) for version in CONSENT_WORDINGS],
    }


def patient_form_state(patient: Patient, form: str | None, errors: dict, values: dict) -> dict:
    """Each form's values (as typed for the refused one, else current) and the refused errors."""
    current = _current_values(patient)
    if form:
        current[form] = values
    recorded = request.args.get("recorded", "")
    return {
        "typed": current,
        "errors": {form: errors} if form else {},
        "done": request.args.get("done"),
        "recorded": int(recorded) if recorded.isdigit() else None,
        **form_choices(g.staff.clinic_id),
    }


def _current_values(patient: Patient) -> dict[str, dict]:
    opted_in = patient.consent_status == ConsentStatus.OPTED_IN
    return {
        "session": {
            "occurred_at": clock.now().astimezone(clinic_zone()).strftime("%Y-%m-%dT%H:%M")
        },
        "score": {"measure": next(iter(CATALOG)).value},
        "consent": {
            "action": (ConsentAction.REVOKED if opted_in else ConsentAction.GRANTED).value,
            "source": "staff",
            "wording_version": CURRENT_WORDING,
        },
        "details": {
            "first_name": patient.first_name,
            "external_ref": patient.external_ref or "",
            "phone": patient.phone,
            "timezone": patient.timezone,
            "language": patient.language.value,
            "primary_therapist_id": patient.primary_therapist_id or "",
            "measures": [m.value for m in patient.measures],
        },
    }
