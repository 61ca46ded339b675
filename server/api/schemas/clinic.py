"""Clinic overview schema."""

from marshmallow import fields

from server.api.schemas.common import ResponseSchema
from server.api.schemas.examples.clinic import CLINIC_OVERVIEW


class CheckInCountsSchema(ResponseSchema):
    sent = fields.Integer(metadata={"description": "Check-ins prompted in the period"})
    completed = fields.Integer()
    expired = fields.Integer()
    awaiting_reply = fields.Integer()
    response_rate = fields.Float(
        allow_none=True, metadata={"description": "completed / (completed + expired)"}
    )


class CheckInPeriodsSchema(ResponseSchema):
    last_7_days = fields.Nested(CheckInCountsSchema)
    last_30_days = fields.Nested(CheckInCountsSchema)


class ImprovementSchema(ResponseSchema):
    patients_compared = fields.Integer(
        metadata={"description": "Active patients with a baseline and a later reading"}
    )
    improved = fields.Integer()
    share = fields.Float(allow_none=True)


class OpenFlagsSchema(ResponseSchema):
    urgent = fields.Integer()
    warning = fields.Integer()
    info = fields.Integer()


class ClinicOverviewSchema(ResponseSchema):
    OPENAPI = {"example": CLINIC_OVERVIEW}

    as_of = fields.AwareDateTime()
    rule_version = fields.String()
    active_patients = fields.Integer()
    checkins = fields.Nested(CheckInPeriodsSchema)
    median_hours_to_reply = fields.Float(
        allow_none=True, metadata={"description": "Prompt to completed, last 30 days"}
    )
    pain_much_better = fields.Nested(
        ImprovementSchema,
        metadata={"description": "Pain down >= 2 points and >= 30% from baseline (MCID)"},
    )
    headache_responders = fields.Nested(
        ImprovementSchema, metadata={"description": ">= 50% fewer headache days than baseline"}
    )
    much_better_by_measure = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ImprovementSchema),
        metadata={"description": "By measure: patients compared, and much better (its MCID)"},
    )
    open_flags = fields.Nested(OpenFlagsSchema, metadata={"description": "Open or acknowledged"})
    median_hours_to_acknowledge_urgent = fields.Float(
        allow_none=True,
        metadata={"description": "Urgent flags opened in the last 30 days: opened to first seen"},
    )
    urgent_open_over_48h = fields.Integer(
        metadata={"description": "Urgent flags opened over 48 hours ago and not resolved"}
    )
