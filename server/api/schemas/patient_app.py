"""Patient app schemas. Every field carries an example so the app team can generate a client."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.api.schemas.common import MeasureField, StrictSchema
from server.api.schemas.fields import Phone
from server.enums import CheckInStatus, ConsentStatus, Language, Measure, ScoreSource
from server.measures import CATALOG, spec
from server.models.psfs_activity import MAX_ACTIVITIES
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


class CodeSentSchema(Schema):
    detail = fields.String(
        metadata=_example("If this number belongs to a patient, a code is on its way by text.")
    )
    expires_in = fields.Integer(metadata=_example(600, "Seconds the code stays valid"))
    code_length = fields.Integer(metadata=_example(6))


class PatientTokenSchema(Schema):
    token = fields.String(
        metadata=_example("k9dF2-example-token", "Send as Authorization: Bearer <token>")
    )
    expires_at = fields.AwareDateTime(metadata=_example("2026-12-31T15:00:00+00:00"))


class ClinicContactSchema(Schema):
    name = fields.String(metadata=_example("Northside PT"))
    help_phone = fields.String(metadata=_example("+16175550100", "The clinic's phone"))


class PatientProfileSchema(Schema):
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


class CheckInQuestionSchema(Schema):
    measure = MeasureField(metadata=_example("pain_nprs"))
    label = fields.String(metadata=_example("Pain (0-10)", "In the patient's language"))
    min = fields.Integer(metadata=_example(0))
    max = fields.Integer(metadata=_example(10))
    better = fields.String(
        validate=validate.OneOf(["lower", "higher"]),
        metadata=_example("lower", "Which end of the range is better"),
    )
    min_means = fields.String(metadata=_example("no pain", "What the lowest answer means"))
    max_means = fields.String(metadata=_example("worst imaginable"))
    answered = fields.Boolean(metadata=_example(False))


# Every measure, its range and recall, from the measure catalog.
MEASURES = "; ".join(
    f"{m}: {s.label[Language.EN]}, {s.recall}, {s.low} = {s.anchors[Language.EN][0]}, "
    f"{s.high} = {s.anchors[Language.EN][1]}"
    for m, s in CATALOG.items()
)


class QuestionsField(fields.List):
    """The check-in's questions, in the order asked, each with its range and whether answered."""

    def __init__(self, **kwargs):
        super().__init__(fields.Nested(CheckInQuestionSchema), **kwargs)

    def get_value(self, obj, attr, accessor=None, default=None):
        language = Language(self.context_language(obj))
        left = obj.unanswered()
        questions = []
        for m in obj.measures:
            entry = spec(m)
            low_means, high_means = entry.anchors[language]
            questions.append(
                {
                    "measure": Measure(m),
                    "label": entry.label[language],
                    "min": entry.low,
                    "max": entry.high,
                    "better": "lower" if entry.lower_is_better else "higher",
                    "min_means": low_means,
                    "max_means": high_means,
                    "answered": not _take(left, m),
                }
            )
        return questions

    @staticmethod
    def context_language(obj) -> str:
        patient = getattr(obj, "patient", None)
        return patient.language if patient is not None else Language.EN


class MyCheckInSchema(Schema):
    id = fields.Integer(metadata=_example(7))
    kind = fields.String(metadata=_example("day7"))
    status = fields.Enum(CheckInStatus, by_value=True, metadata=_example("prompted"))
    due_at = fields.AwareDateTime(metadata=_example(WHEN))
    answer_by = fields.AwareDateTime(attribute="window_end", metadata=_example(WHEN))
    completed_at = fields.AwareDateTime(allow_none=True, metadata=_example(None))
    questions = QuestionsField(metadata={"description": MEASURES})


def _take(left: list, measure) -> bool:
    """Remove one `measure` from the open questions `left`; True when it was open."""
    if measure in left:
        left.remove(measure)
        return True
    return False


def _answer_field(entry) -> fields.Integer:
    """An answer in the measure's own range (from the catalog)."""
    example = {Measure.PAIN: 4, Measure.HEADACHE_DAYS: 2}.get(entry.measure, entry.low)
    description = f"{entry.label[Language.EN]}, {entry.low}-{entry.high}"
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=entry.low, max=entry.high),
        metadata=_example(example, description),
    )


class _Answers(StrictSchema):
    @validates_schema
    def _at_least_one(self, data, **_):
        if not data:
            raise ValidationError("Give at least one answer.", "pain_nprs")


def _per_activity_field(entry) -> fields.List:
    """PSFS: one answer per activity the check-in asks, in the order asked."""
    return fields.List(
        _answer_field(entry),
        validate=validate.Length(min=1, max=MAX_ACTIVITIES),
        metadata=_example([4, 6], "One answer per activity, in the order the check-in asks"),
    )


# One field per measure of the catalog: a new measure needs no change here.
AnswersSchema = _Answers.from_dict(
    {
        str(m): _per_activity_field(s) if s.per_activity else _answer_field(s)
        for m, s in CATALOG.items()
    },
    name="AnswersSchema",
)


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


class MyScoreSchema(Schema):
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


class AnswerResultSchema(Schema):
    check_in = fields.Nested(MyCheckInSchema)
    scores = fields.List(fields.Nested(MyScoreSchema))


class ScoresResultSchema(Schema):
    scores = fields.List(fields.Nested(MyScoreSchema))


class MyScoreFilterSchema(Schema):
    measure = MeasureField(metadata=_example("pain_nprs"))


class MyReadingSchema(Schema):
    value = fields.Raw(metadata={"type": "number", **_example(4, "PSFS: mean of the activities")})
    reported_at = fields.AwareDateTime(metadata=_example(WHEN))
    source = fields.Enum(ScoreSource, by_value=True, metadata=_example("app"))
    late = fields.Boolean(metadata=_example(False))
    in_post_needling_window = fields.Boolean(metadata=_example(False))


class MyMeasureProgressSchema(Schema):
    measure = MeasureField(attribute="summary.measure", metadata=_example("pain_nprs"))
    series = fields.List(fields.Nested(MyReadingSchema), attribute="summary.series")
    baseline = fields.Nested(MyReadingSchema, attribute="summary.baseline", allow_none=True)
    latest = fields.Nested(MyReadingSchema, attribute="summary.latest", allow_none=True)
    change_points = fields.Raw(
        attribute="summary.change.points",
        allow_none=True,
        dump_default=None,
        metadata={"type": "number", **_example(-3, "Latest minus baseline (PSFS: of the mean)")},
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


class MyTrendsSchema(Schema):
    measures = fields.List(fields.Nested(MyMeasureProgressSchema))
