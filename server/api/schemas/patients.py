"""Patient, consent and discharge schemas."""


from marshmallow import (
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
    validates_schema,
)

from server.api.schemas.common import (
    NOTE,
    EnumSubset,
    MeasureField,
    ResponseSchema,
    StrictSchema,
    only_if,
    row_id,
    when,
)
from server.api.schemas.examples.records import CONSENT_EVENT, ROSA, ROSA_LISTED
from server.api.schemas.fields import E164, Phone, TimeZone
from server.enums import CareStatus, ConsentAction, ConsentSource, ConsentStatus, Language, Measure
from server.outcomes import McidCategory
from server.programs import PROGRAMS, measures_of
from server.services.patient_list import SORT_CHOICES

NAME = validate.Length(min=1, max=20)
# "measures lists pain_nprs": not every item is something else (OpenAPI 3.0 has no `contains`).
ASKS_PAIN = only_if(
    {"required": ["measures"]},
    {"properties": {"measures": {"not": {"items": {"not": {"enum": [Measure.PAIN.value]}}}}}},
)
NEW_PATIENT = {"first_name": "Rosa", "phone": "+16175550123", "timezone": "America/New_York",
               "external_ref": "EMR-20931", "language": "en",
               "measures": ["pain_nprs", "headache_days_7d"]}


def _default_measure() -> EnumSubset:
    """What a patient without a program may be asked (pain, headache days): a named enum."""
    return EnumSubset(Measure, measures_of(None, tracks_headache=True), "DefaultMeasure")


class PatientCreateSchema(StrictSchema):
    OPENAPI = {"allOf": [ASKS_PAIN], "example": NEW_PATIENT}

    first_name = fields.String(required=True, validate=NAME)
    phone = Phone(required=True)
    timezone = TimeZone(required=True)
    external_ref = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    language = fields.Enum(Language, by_value=True, load_default=Language.EN)
    measures = fields.List(
        _default_measure(),
        load_default=lambda: [Measure.PAIN],
        metadata={
            "description": "pain_nprs always; add headache_days_7d for headache patients; "
            "every other measure comes with a condition program (program)"
        },
    )
    program = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(list(PROGRAMS)),
        metadata={"description": "A condition program; none: pain (+ headache days) as above"},
    )
    returning_to_sport = fields.Boolean(load_default=False)
    primary_therapist_id = row_id(load_default=None)

    @validates("measures")
    def _pain_always(self, value, **_):
        if Measure.PAIN not in value:
            raise ValidationError("pain_nprs is always asked.")


class PatientUpdateSchema(PatientCreateSchema):
    OPENAPI = {"allOf": [ASKS_PAIN], "minProperties": 1,
               "example": {"phone": "+16175550124", "care_status": "paused"}}

    first_name = fields.String(validate=NAME)
    phone = Phone()
    timezone = TimeZone()
    external_ref = fields.String(validate=validate.Length(min=1, max=64), allow_none=True)
    language = fields.Enum(Language, by_value=True)
    measures = fields.List(_default_measure())
    program = fields.String(allow_none=True, validate=validate.OneOf(list(PROGRAMS)))
    returning_to_sport = fields.Boolean()
    primary_therapist_id = row_id(allow_none=True)
    # Discharge has its own endpoint (it plans the follow-ups).
    care_status = EnumSubset(CareStatus, [CareStatus.ACTIVE, CareStatus.PAUSED], "CareStatusChange")

    @validates_schema
    def _something_to_change(self, data, **_):
        if not data:
            raise ValidationError("Give at least one field to change.")


class PatientSchema(ResponseSchema):
    OPENAPI = {"example": ROSA}

    id = fields.Integer()
    external_ref = fields.String(allow_none=True)
    first_name = fields.String()
    phone = fields.String(metadata=E164)
    phone_valid = fields.Boolean()
    timezone = fields.String()
    language = fields.Enum(Language, by_value=True)
    measures = fields.List(MeasureField())
    program = fields.String(allow_none=True)
    returning_to_sport = fields.Boolean()
    primary_therapist_id = fields.Integer(allow_none=True)
    care_status = fields.Enum(CareStatus, by_value=True)
    consent_status = fields.Enum(ConsentStatus, by_value=True)
    created_at = fields.AwareDateTime()
    discharged_at = fields.AwareDateTime(allow_none=True)
    latest_pain = fields.Integer(allow_none=True, metadata={"description": "Newest pain score"})
    latest_pain_at = fields.AwareDateTime(allow_none=True)
    pain_change = fields.Integer(
        allow_none=True, metadata={"description": "Points from baseline: negative is better"}
    )
    pain_change_percent = fields.Float(allow_none=True)
    pain_mcid = fields.Enum(McidCategory, by_value=True, allow_none=True)
    headache_responder = fields.Boolean(allow_none=True)


class PatientListItemSchema(PatientSchema):
    OPENAPI = {"example": ROSA_LISTED}

    open_flags = fields.Integer(metadata={"description": "Open or acknowledged flags"})


class PatientQuerySchema(Schema):
    care_status = fields.Enum(CareStatus, by_value=True)
    consent_status = fields.Enum(ConsentStatus, by_value=True)
    therapist_id = row_id(strict=False)
    flagged = fields.Boolean(metadata={"description": "true: with open or acknowledged flags"})
    mcid = fields.Enum(McidCategory, by_value=True, metadata={"description": "Pain MCID category"})
    sort = fields.String(
        load_default="-created",
        validate=validate.OneOf(SORT_CHOICES),
        metadata={"description": "created, change, latest_pain or open_flags; '-' descending"},
    )


STAFF_CONSENT_SOURCES = [ConsentSource.INTAKE_FORM, ConsentSource.STAFF, ConsentSource.APP]


WORDING_GIVEN = {
    "required": ["wording_version"],
    "properties": {"wording_version": {"type": "string"}},
}


class ConsentCreateSchema(StrictSchema):
    OPENAPI = {
        "allOf": [only_if(when("action", ConsentAction.GRANTED.value), WORDING_GIVEN)],
        "example": {"action": "granted", "source": "intake_form", "wording_version": "2026-01",
                    "note": "Signed at the front desk"},
    }

    action = fields.Enum(ConsentAction, by_value=True, required=True)
    # The sources staff may record, as their own enum so the spec offers exactly these.
    source = EnumSubset(ConsentSource, STAFF_CONSENT_SOURCES, "StaffConsentSource", required=True)
    wording_version = fields.String(
        validate=validate.Length(min=1, max=32),
        load_default=None,
        metadata={"description": "Required when consent is granted"},
    )
    note = NOTE

    @validates_schema
    def _wording_for_grants(self, data, **_):
        if data.get("action") == ConsentAction.GRANTED and not data.get("wording_version"):
            raise ValidationError("Required when consent is granted.", "wording_version")


class ConsentEventSchema(ResponseSchema):
    OPENAPI = {"example": CONSENT_EVENT}

    id = fields.Integer()
    action = fields.Enum(ConsentAction, by_value=True)
    source = fields.Enum(ConsentSource, by_value=True)
    wording_version = fields.String(allow_none=True)
    occurred_at = fields.AwareDateTime()
    actor_type = fields.String()
    actor_id = fields.Integer(allow_none=True)
    evidence_message_id = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)
