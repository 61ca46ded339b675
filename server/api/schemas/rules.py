"""The clinic's rule set: every threshold with its range, and the overrides an admin sets."""

from marshmallow import Schema, fields, validate

from server.api.schemas.common import StrictSchema
from server.api.schemas.examples.clinic import RULE_SET
from server.outcomes import DEFAULT_RULES


class ThresholdSchema(Schema):
    name = fields.String(metadata={"example": "post_needling_hours"})
    value = fields.Integer(metadata={"example": 72})
    default = fields.Integer(metadata={"example": 72})
    min = fields.Integer(metadata={"example": 0})
    max = fields.Integer(metadata={"example": 336})


class RuleSetSchema(Schema):
    OPENAPI = {"example": RULE_SET}

    version = fields.String(
        metadata={"description": "'v1', or 'v1+' and a hash of the overrides; stored on flags"}
    )
    overrides = fields.Dict(keys=fields.String(), values=fields.Integer())
    thresholds = fields.List(fields.Nested(ThresholdSchema))


def _override(threshold: dict) -> fields.Integer:
    low, high = threshold["min"], threshold["max"]
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=low, max=high),
        metadata={"description": f"{low}-{high}; default {threshold['default']}"},
    )


# One optional whole number per threshold, from the rule set itself; unknown names are a 422.
RuleOverridesSchema = StrictSchema.from_dict(
    {t["name"]: _override(t) for t in DEFAULT_RULES.thresholds()}, name="RuleOverrides"
)
