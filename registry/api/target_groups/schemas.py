"""The representations of target groups and what staff send to write one."""

from __future__ import annotations

from marshmallow import fields

from registry.api.common import LabelledSchema, PageSchema
from registry.services.validation import TargetGroupInput, creation_variant, optional_variant


class TargetGroupSchema(LabelledSchema):
    pass


class TargetGroupPageSchema(PageSchema):
    items = fields.List(fields.Nested(TargetGroupSchema))


#: A new target group: without a slug, one is made from its label.
TargetGroupCreateInput = creation_variant(TargetGroupInput, "TargetGroupCreateInput", "label")
#: A partial update: the fields given change, the others stay.
TargetGroupUpdateInput = optional_variant(TargetGroupInput, "TargetGroupUpdateInput", exclude=("slug",))
