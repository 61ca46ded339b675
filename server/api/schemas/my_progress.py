"""The patient's own scores and progress, as the app shows them. Every field has an example."""

from marshmallow import Schema, fields

from server.api.schemas.common import MeasureField, ResponseSchema, example
from server.api.schemas.examples.patient_app import MY_PAIN, MY_TRENDS, SCORES_RESULT
from server.enums import ScoreSource
from server.outcomes import McidCategory

WHEN = "2026-11-24T15:00:00+00:00"


class MyScoreSchema(ResponseSchema):
    OPENAPI = {"example": MY_PAIN}

    id = fields.Integer(metadata=example(31))
    measure = MeasureField(metadata=example("pain_nprs"))
    value = fields.Integer(metadata=example(4))
    reported_at = fields.AwareDateTime(metadata=example(WHEN))
    source = fields.Enum(ScoreSource, by_value=True, metadata=example("app", "sms, app or clinic"))
    check_in_id = fields.Integer(allow_none=True, metadata=example(7))
    late = fields.Boolean(metadata=example(False, "Answered after its check-in closed"))
    in_post_needling_window = fields.Boolean(
        metadata=example(False, "Within 72 h of a session, when soreness is expected")
    )


class ScoresResultSchema(ResponseSchema):
    OPENAPI = {"example": SCORES_RESULT}

    scores = fields.List(fields.Nested(MyScoreSchema))


class MyScoreFilterSchema(Schema):
    measure = MeasureField(metadata=example("pain_nprs"))


class MyReadingSchema(ResponseSchema):
    value = fields.Raw(metadata={"type": "number", **example(4, "PSFS: mean of the activities")})
    reported_at = fields.AwareDateTime(metadata=example(WHEN))
    source = fields.Enum(ScoreSource, by_value=True, metadata=example("app"))
    late = fields.Boolean(metadata=example(False))
    in_post_needling_window = fields.Boolean(metadata=example(False))


class MyMeasureProgressSchema(ResponseSchema):
    measure = MeasureField(attribute="summary.measure", metadata=example("pain_nprs"))
    series = fields.List(fields.Nested(MyReadingSchema), attribute="summary.series")
    baseline = fields.Nested(MyReadingSchema, attribute="summary.baseline", allow_none=True)
    latest = fields.Nested(MyReadingSchema, attribute="summary.latest", allow_none=True)
    change_points = fields.Raw(
        attribute="summary.change.points",
        allow_none=True,
        dump_default=None,
        metadata={"type": "number", **example(-3, "Latest minus baseline (PSFS: of the mean)")},
    )
    change_percent = fields.Float(
        attribute="summary.change.percent",
        allow_none=True,
        dump_default=None,
        metadata=example(-42.9),
    )
    category = fields.Enum(
        McidCategory, by_value=True, attribute="summary.mcid", allow_none=True,
        metadata=example("much_better"),
    )  # fmt: skip
    message = fields.String(
        metadata=example(
            "Your pain was 7 out of 10 when you started and is 4 now: 3 points lower "
            "(43% lower). That is a clear improvement."
        )
    )


class MyTrendsSchema(ResponseSchema):
    OPENAPI = {"example": MY_TRENDS}

    measures = fields.List(fields.Nested(MyMeasureProgressSchema))
