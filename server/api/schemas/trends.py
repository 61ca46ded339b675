"""Trend schemas: a patient's measures with series, baseline, change, MCID and best."""

from dataclasses import asdict

from marshmallow import fields, pre_dump

from server.api.schemas.common import MeasureField, ResponseSchema
from server.api.schemas.examples.clinic import PATIENT_TRENDS
from server.enums import ScoreSource
from server.measures import spec
from server.outcomes import McidCategory, TrendSummary

# A score is a whole number; a PSFS point is the mean of the activities (one decimal).
SCORE = {"type": "number", "description": "Whole number; the PSFS series is a mean (5.5)"}


class ReadingSchema(ResponseSchema):
    score_id = fields.Integer()
    value = fields.Raw(metadata=SCORE)
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
    points = fields.Raw(
        metadata={
            "type": "number",
            "description": "latest - baseline: negative is better where lower is (not PSFS, SANE)",
        }
    )
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
    better = fields.String(metadata={"description": "lower or higher: which end is better"})
    activities = fields.List(
        fields.Nested(lambda: ActivityTrendSchema()),
        metadata={"description": "PSFS: each activity's own readings (series holds their mean)"},
    )

    @pre_dump
    def _points(self, trend: TrendSummary, **_):
        # Each reading carries its own rolling mean, so clients need not zip two lists.
        points = [
            asdict(r) | {"rolling_mean": mean}
            for r, mean in zip(trend.series, trend.rolling_mean, strict=True)
        ]
        entry = spec(trend.measure)
        activities = [
            {"activity_id": activity, "series": [asdict(r) for r in rows]}
            for activity, rows in trend.activities
        ]
        return vars(trend) | {
            "scale_max": entry.high,
            "series": points,
            "better": "lower" if entry.lower_is_better else "higher",
            "activities": activities,
        }


class ActivityTrendSchema(ResponseSchema):
    activity_id = fields.Integer()
    series = fields.List(fields.Nested(ReadingSchema))


class SessionMarkerSchema(ResponseSchema):
    id = fields.Integer()
    occurred_at = fields.AwareDateTime()
    therapist_id = fields.Integer(allow_none=True)


class PatientTrendsSchema(ResponseSchema):
    OPENAPI = {"example": PATIENT_TRENDS}

    patient_id = fields.Integer()
    rule_version = fields.String()
    sessions = fields.List(fields.Nested(SessionMarkerSchema))
    measures = fields.List(fields.Nested(MeasureTrendSchema))
