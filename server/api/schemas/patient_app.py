"""Patient app schemas. Every field carries an example so the app team can generate a client."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.api.schemas.common import MeasureField, ResponseSchema, StrictSchema, example
from server.api.schemas.examples.patient_app import (
    ANSWER_RESULT,
    MY_CHECK_IN,
    PATIENT_TOKEN,
    PROFILE,
)
from server.api.schemas.fields import Phone
from server.api.schemas.my_progress import MyScoreSchema
from server.enums import CheckInStatus, ConsentStatus, Language, Measure
from server.measures import CATALOG, spec
from server.models.psfs_activity import MAX_ACTIVITIES

WHEN = "2026-11-24T15:00:00+00:00"


class SignInStartSchema(StrictSchema):
    phone = Phone(required=True)


class SignInVerifySchema(StrictSchema):
    phone = Phone(required=True)
    code = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9]{6}$", error="Must be the 6 digits from the text."),
        metadata=example("042917", "The 6-digit code texted to the phone"),
    )


class CodeSentSchema(ResponseSchema):
    detail = fields.String(
        metadata=example("If this number belongs to a patient, a code is on its way by text.")
    )
    expires_in = fields.Integer(metadata=example(600, "Seconds the code stays valid"))
    code_length = fields.Integer(metadata=example(6))


class PatientTokenSchema(ResponseSchema):
    OPENAPI = {"example": PATIENT_TOKEN}

    token = fields.String(
        metadata=example("k9dF2-example-token", "Send as Authorization: Bearer <token>")
    )
    expires_at = fields.AwareDateTime(metadata=example("2026-12-31T15:00:00+00:00"))


class ClinicContactSchema(ResponseSchema):
    name = fields.String(metadata=example("Northside PT"))
    help_phone = fields.String(metadata=example("+16175550100", "The clinic's phone"))


class PatientProfileSchema(ResponseSchema):
    OPENAPI = {"example": PROFILE}

    role = fields.String(
        dump_default="patient",
        validate=validate.OneOf(["patient"]),
        metadata=example("patient", "Always 'patient' (staff have admin or therapist)"),
    )
    id = fields.Integer(metadata=example(42))
    first_name = fields.String(metadata=example("Ana"))
    language = fields.Enum(Language, by_value=True, metadata=example("en"))
    measures = fields.List(MeasureField(), metadata=example(["pain_nprs", "headache_days_7d"]))
    consent_status = fields.Enum(
        ConsentStatus, by_value=True, metadata=example("opted_in", "Consent to check-in texts")
    )
    clinic = fields.Nested(ClinicContactSchema)


class MyCheckInQuerySchema(Schema):
    status = fields.String(
        load_default="open",
        validate=validate.OneOf(["open", "completed", "expired", "all"]),
        metadata=example("open", "open: can be answered now"),
    )


class CheckInQuestionSchema(ResponseSchema):
    measure = MeasureField(metadata=example("pain_nprs"))
    label = fields.String(metadata=example("Pain (0-10)", "In the patient's language (en, es)"))
    min = fields.Integer(metadata=example(0))
    max = fields.Integer(metadata=example(10))
    better = fields.String(
        validate=validate.OneOf(["lower", "higher"]),
        metadata=example("lower", "Which end of the range is better"),
    )
    min_means = fields.String(metadata=example("no pain", "What the lowest answer means"))
    max_means = fields.String(metadata=example("worst imaginable"))
    answered = fields.Boolean(metadata=example(False))


# Every measure, its range and recall, from the measure catalog.
MEASURES = "; ".join(
    f"{m}: {s.label[Language.EN]}, {s.recall}, {s.low} = {s.anchors[Language.EN][0]}, "
    f"{s.high} = {s.anchors[Language.EN][1]}"
    for m, s in CATALOG.items()
)


class QuestionsField(fields.List):
    """The check-in's questions, in the order asked, each with its range and whether answered.

    PSFS is one question per activity; each is answered in the order asked.
    """

    def __init__(self, **kwargs):
        super().__init__(fields.Nested(CheckInQuestionSchema), **kwargs)

    def get_value(self, obj, attr, accessor=None, default=None):
        left, language = obj.unanswered(), obj.patient.language
        return [_question(m, language, answered=not _take(left, m)) for m in obj.measures]


def _question(measure: Measure, language: Language, answered: bool) -> dict:
    """A question as the app shows it, in the patient's language (labels from the catalog)."""
    entry = spec(measure)
    low_means, high_means = entry.anchors[language]
    return {
        "measure": Measure(measure),
        "label": entry.label[language],
        "min": entry.low,
        "max": entry.high,
        "better": "lower" if entry.lower_is_better else "higher",
        "min_means": low_means,
        "max_means": high_means,
        "answered": answered,
    }


def _take(left: list, measure) -> bool:
    """Remove one `measure` from the open questions `left`; True when it was open."""
    if measure in left:
        left.remove(measure)
        return True
    return False


class MyCheckInSchema(ResponseSchema):
    OPENAPI = {"example": MY_CHECK_IN}

    id = fields.Integer(metadata=example(7))
    kind = fields.String(metadata=example("day7"))
    status = fields.Enum(CheckInStatus, by_value=True, metadata=example("prompted"))
    due_at = fields.AwareDateTime(metadata=example(WHEN))
    answer_by = fields.AwareDateTime(attribute="window_end", metadata=example(WHEN))
    completed_at = fields.AwareDateTime(allow_none=True, metadata=example(None))
    questions = QuestionsField(metadata={"description": MEASURES})


class _AtLeastOneAnswer(StrictSchema):
    OPENAPI = {"minProperties": 1, "example": {"pain_nprs": 4, "headache_days_7d": 2}}

    @validates_schema
    def _at_least_one(self, data, **_):
        if not data:
            raise ValidationError("Give at least one answer.", "pain_nprs")


def _answer(entry) -> fields.Integer:
    """An answer in the measure's own range (from the catalog)."""
    typical = {Measure.PAIN: 4}.get(entry.measure, min(2, entry.high) if entry.low == 0 else 2)
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=entry.low, max=entry.high),
        metadata=example(typical, f"{entry.low}-{entry.high}"),
    )


def _per_activity(entry) -> fields.List:
    """PSFS: one answer per activity the check-in asks, in the order asked."""
    return fields.List(
        _answer(entry),
        validate=validate.Length(min=1, max=MAX_ACTIVITIES),
        metadata=example([4, 6], "One answer per activity, in the order the check-in asks"),
    )


# One optional answer per measure of the catalog: a new measure needs no change here.
AnswersSchema = _AtLeastOneAnswer.from_dict(
    {str(m): _per_activity(s) if s.per_activity else _answer(s) for m, s in CATALOG.items()},
    name="AnswersSchema",
)
AnswersSchema.__doc__ = MEASURES


class IdempotencyKeySchema(Schema):
    key = fields.String(
        data_key="Idempotency-Key",
        load_default=None,
        validate=validate.Length(min=1, max=100),
        metadata=example(
            "6f1c2a9e-4b7d-4e8a-9c1f-2d3e4f5a6b7c",
            "A retry with the same key gets the first result back (with the header "
            "Idempotent-Replayed: true) and stores nothing twice; the same key with a "
            "different body is a 422",
        ),
    )


class AnswerResultSchema(ResponseSchema):
    OPENAPI = {"example": ANSWER_RESULT}

    check_in = fields.Nested(MyCheckInSchema)
    scores = fields.List(fields.Nested(MyScoreSchema))
