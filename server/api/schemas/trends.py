"""Trend schemas: a patient's measures with series, baseline, change, MCID and best."""

from dataclasses import asdict

from marshmallow import fields, pre_dump

from server.api.schemas.common import MeasureField, ResponseSchema
from server.enums import Measure, ScoreSource
from server.outcomes import McidCategory, TrendSummary


class ReadingSchema(ResponseSchema):
    score_id = fields.Integer()
    value = fields.Integer()
    reported_at = fields.AwareDateTime()
    source = fields.Enum(ScoreSource, by_value=True)
    hours_since_session = fields.Float(allow_none=True)
    in_post_needling_window = fields.Boolean(
        metadata={"description": "Possibly needling soreness: left out of change and rules"}
    )
    late = fields.Boolean(metadata={"description": "Replied after its check-in closed"})


class SeriesPointSchema(ReadingSchema):
    rolling_mean = fields.Float(
        allow_none=True, metadata={"description": "Mean of the last 3 readings outside soreness"}
    )


class ChangeSchema(ResponseSchema):
    points = fields.Integer(metadata={"description": "latest - baseline: negative is better"})
    percent = fields.Float(allow_none=True)


class MeasureTrendSchema(ResponseSchema):
    measure = MeasureField()
    scale_max = fields.Integer()
    series = fields.List(fields.Nested(SeriesPointSchema))
    baseline = fields.Nested(ReadingSchema, allow_none=True)
    latest = fields.Nested(ReadingSchema, allow_none=True)
    compared = fields.Nested(
        ReadingSchema,
        allow_none=True,
        metadata={"description": "Newest reading outside soreness: what change and MCID use"},
    )
    change = fields.Nested(ChangeSchema, allow_none=True)
    mcid = fields.Enum(McidCategory, by_value=True, allow_none=True)
    best = fields.Nested(ReadingSchema, allow_none=True)
    responder = fields.Boolean(
        allow_none=True, metadata={"description": "Headache days: >= 50% fewer than baseline"}
    )

    @pre_dump
    def _points(self, trend: TrendSummary, **_):
        # Each reading carries its own rolling mean, so clients need not zip two lists.
        points = [
            asdict(r) | {"rolling_mean": mean}
            for r, mean in zip(trend.series, trend.rolling_mean, strict=True)
        ]
        return vars(trend) | {"scale_max": Measure(trend.measure).max_value, "series": points}


class SessionMarkerSchema(ResponseSchema):
    id = fields.Integer()
    occurred_at = fields.AwareDateTime()
    therapist_id = fields.Integer(allow_none=True)


class PatientTrendsSchema(ResponseSchema):
    patient_id = fields.Integer()
    rule_version = fields.String()
    sessions = fields.List(fields.Nested(SessionMarkerSchema))
    measures = fields.List(fields.Nested(MeasureTrendSchema))
