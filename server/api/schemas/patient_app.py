"""Patient app schemas. Every field carries an example so the app team can generate a client."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.api.schemas.common import MeasureField, ResponseSchema, StrictSchema
from server.api.schemas.fields import Phone
from server.enums import CheckInStatus, ConsentStatus, Language, Measure, ScoreSource
from server.outcomes import McidCategory


def _example(value, description: str = "") -> dict:
    return {"example": value, "description": description} if description else {"example": value}


WHEN = "2026-12-01T15:00:00+00:00"


class SignInStartSchema(StrictSchema):
    phone = Phone(required=True)


class SignInVerifySchema(StrictSchema):
    phone = Phone(required=True)
    code = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9]{6}$", error="Must be the 6 digits from the text."),
        metadata=_example("042917", "The 6-digit code texted to the phone"),
    )


class CodeSentSchema(ResponseSchema):
    detail = fields.String(
        metadata=_example("If this number belongs to a patient, a code is on its way by text.")
    )
    expires_in = fields.Integer(metadata=_example(600, "Seconds the code stays valid"))
    code_length = fields.Integer(metadata=_example(6))


class PatientTokenSchema(ResponseSchema):
    token = fields.String(
        metadata=_example("k9dF2-example-token", "Send as Authorization: Bearer <token>")
    )
    expires_at = fields.AwareDateTime(metadata=_example("2026-12-31T15:00:00+00:00"))


class ClinicContactSchema(ResponseSchema):
    name = fields.String(metadata=_example("Northside PT"))
    help_phone = fields.String(metadata=_example("+16175550100", "The clinic's phone"))


class PatientProfileSchema(ResponseSchema):
    role = fields.String(
        dump_default="patient",
        validate=validate.OneOf(["patient"]),
        metadata=_example("patient", "Always 'patient' (staff have admin or therapist)"),
    )
    id = fields.Integer(metadata=_example(42))
    first_name = fields.String(metadata=_example("Ana"))
    language = fields.Enum(Language, by_value=True, metadata=_example("en"))
    measures = fields.List(MeasureField(), metadata=_example(["pain_nprs", "headache_days_7d"]))
    consent_status = fields.Enum(
        ConsentStatus, by_value=True, metadata=_example("opted_in", "Consent to check-in texts")
    )
    clinic = fields.Nested(ClinicContactSchema)


class MyCheckInQuerySchema(Schema):
    status = fields.String(
        load_default="open",
        validate=validate.OneOf(["open", "completed", "expired", "all"]),
        metadata=_example("open", "open: can be answered now"),
    )


class CheckInQuestionSchema(ResponseSchema):
    measure = MeasureField(metadata=_example("pain_nprs"))
    min = fields.Integer(metadata=_example(0))
    max = fields.Integer(metadata=_example(10))
    answered = fields.Boolean(metadata=_example(False))


MEASURES = (
    "pain_nprs: average pain over the last 24 hours, 0 = no pain, 10 = worst imaginable; "
    "headache_days_7d: days with a headache in the last 7 days, 0-7"
)


class QuestionsField(fields.List):
    """The check-in's questions, in the order asked, each with its range and whether answered."""

    def __init__(self, **kwargs):
        super().__init__(fields.Nested(CheckInQuestionSchema), **kwargs)

    def get_value(self, obj, attr, accessor=None, default=None):
        return [
            {
                "measure": Measure(m),
                "min": 0,
                "max": Measure(m).max_value,
                "answered": m in obj.answered,
            }
            for m in obj.measures
        ]


class MyCheckInSchema(ResponseSchema):
    id = fields.Integer(metadata=_example(7))
    kind = fields.String(metadata=_example("day7"))
    status = fields.Enum(CheckInStatus, by_value=True, metadata=_example("prompted"))
    due_at = fields.AwareDateTime(metadata=_example(WHEN))
    answer_by = fields.AwareDateTime(attribute="window_end", metadata=_example(WHEN))
    completed_at = fields.AwareDateTime(allow_none=True, metadata=_example(None))
    questions = QuestionsField(metadata={"description": MEASURES})


class AnswersSchema(StrictSchema):
    pain_nprs = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=10), metadata=_example(4, MEASURES)
    )
    headache_days_7d = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=7), metadata=_example(2)
    )

    @validates_schema
    def _at_least_one(self, data, **_):
        if not data:
            raise ValidationError("Give at least one answer.", "pain_nprs")


class IdempotencyKeySchema(Schema):
    key = fields.String(
        data_key="Idempotency-Key",
        load_default=None,
        validate=validate.Length(min=1, max=100),
        metadata=_example(
            "6f1c2a9e-4b7d-4e8a-9c1f-2d3e4f5a6b7c",
            "A retry with the same key gets the first result back (with the header "
            "Idempotent-Replayed: true) and stores nothing twice; the same key with a "
            "different body is a 422",
        ),
    )


class MyScoreSchema(ResponseSchema):
    id = fields.Integer(metadata=_example(31))
    measure = MeasureField(metadata=_example("pain_nprs"))
    value = fields.Integer(metadata=_example(4))
    reported_at = fields.AwareDateTime(metadata=_example(WHEN))
    source = fields.Enum(ScoreSource, by_value=True, metadata=_example("app", "sms, app or clinic"))
    check_in_id = fields.Integer(allow_none=True, metadata=_example(7))
    late = fields.Boolean(metadata=_example(False, "Answered after its check-in closed"))
    in_post_needling_window = fields.Boolean(
        metadata=_example(False, "Within 72 h of a session, when soreness is expected")
    )


class AnswerResultSchema(ResponseSchema):
    check_in = fields.Nested(MyCheckInSchema)
    scores = fields.List(fields.Nested(MyScoreSchema))


class ScoresResultSchema(ResponseSchema):
    scores = fields.List(fields.Nested(MyScoreSchema))


class MyScoreFilterSchema(Schema):
    measure = MeasureField(metadata=_example("pain_nprs"))


class MyReadingSchema(ResponseSchema):
    value = fields.Integer(metadata=_example(4))
    reported_at = fields.AwareDateTime(metadata=_example(WHEN))
    source = fields.Enum(ScoreSource, by_value=True, metadata=_example("app"))
    late = fields.Boolean(metadata=_example(False))
    in_post_needling_window = fields.Boolean(metadata=_example(False))


class MyMeasureProgressSchema(ResponseSchema):
    measure = MeasureField(attribute="summary.measure", metadata=_example("pain_nprs"))
    series = fields.List(fields.Nested(MyReadingSchema), attribute="summary.series")
    baseline = fields.Nested(MyReadingSchema, attribute="summary.baseline", allow_none=True)
    latest = fields.Nested(MyReadingSchema, attribute="summary.latest", allow_none=True)
    change_points = fields.Integer(
        attribute="summary.change.points",
        allow_none=True,
        dump_default=None,
        metadata=_example(-3, "Latest minus baseline: negative is better"),
    )
    change_percent = fields.Float(
        attribute="summary.change.percent",
        allow_none=True,
        dump_default=None,
        metadata=_example(-42.9),
    )
    category = fields.Enum(
        McidCategory, by_value=True, attribute="summary.mcid", allow_none=True,
        metadata=_example("much_better"),
    )  # fmt: skip
    message = fields.String(
        metadata=_example(
            "Your pain was 7 out of 10 when you started and is 4 now: 3 points lower "
            "(43% lower). That is a clear improvement."
        )
    )


class MyTrendsSchema(ResponseSchema):
    measures = fields.List(fields.Nested(MyMeasureProgressSchema))
