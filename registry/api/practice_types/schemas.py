"""The representations of practice types and what staff send to write one."""

from __future__ import annotations

from marshmallow import fields

from registry.api.common import LabelledSchema, PageSchema
from registry.services.validation import PracticeTypeInput, creation_variant, optional_variant


class PracticeTypeSchema(LabelledSchema):
    pass


class PracticeTypePageSchema(PageSchema):
    items = fields.List(fields.Nested(PracticeTypeSchema))


#: A new practice type: without a slug, one is made from its label.
PracticeTypeCreateInput = creation_variant(PracticeTypeInput, "PracticeTypeCreateInput", "label")
#: A partial update: the fields given change, the others stay.
PracticeTypeUpdateInput = optional_variant(PracticeTypeInput, "PracticeTypeUpdateInput", exclude=("slug",))
