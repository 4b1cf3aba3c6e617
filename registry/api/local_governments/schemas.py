"""Local government representations and list parameters."""

from __future__ import annotations

from marshmallow import fields, validate

from registry.api.common import ListArgs, PageSchema, Schema, record_fields
from registry.api.refs import NamedRefSchema
from registry.services.validation import LocalGovernmentInput, Multilingual, creation_variant, optional_variant


class LocalGovernmentSchema(Schema):
    slug = fields.String(metadata={"example": "sao-paulo"})
    name = Multilingual(metadata={"example": {"pt": "São Paulo"}})
    original_language = fields.String(metadata={"example": "pt"})
    kind = fields.String(metadata={"example": "municipality"})
    country = fields.String(metadata={"description": "ISO 3166-1 alpha-2", "example": "BR"})
    m49_region = fields.String(metadata={"description": "UN M49 region code", "example": "019"})
    m49_sub_region = fields.String(metadata={"example": "419"})
    m49_intermediate_region = fields.String(allow_none=True, metadata={"example": "005"})
    latitude = fields.Float(allow_none=True, metadata={"example": -23.55})
    longitude = fields.Float(allow_none=True, metadata={"example": -46.63})
    website = fields.String(allow_none=True)
    parent = fields.Nested(NamedRefSchema, allow_none=True)
    networks = fields.List(fields.Nested(NamedRefSchema))
    provenance = fields.String(allow_none=True)
    version, created_at, updated_at = record_fields()


class CountSchema(Schema):
    right = fields.String(metadata={"example": "housing"})
    count = fields.Integer(metadata={"example": 2})


class LocalGovernmentDetailSchema(LocalGovernmentSchema):
    practice_count = fields.Integer(metadata={"description": "Published practices it leads or partners in"})
    practice_counts_by_right = fields.List(
        fields.Nested(CountSchema), metadata={"description": "Of those practices, how many touch each right"}
    )


def _list(description: str, example: str) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(1, 120)),
        metadata={"description": f"{description}; repeat for any-of", "example": [example]},
    )


class LocalGovernmentArgsSchema(ListArgs):
    country = _list("ISO 3166-1 alpha-2 country code", "ES")
    region = _list("UN M49 code of a region, sub-region or intermediate region", "419")
    network = _list("Slug of a network the local government belongs to", "uclg")
    q = fields.String(
        validate=validate.Length(1, 200),
        metadata={"description": "Part of the name or slug, case- and accent-insensitive", "example": "sao paulo"},
    )


class LocalGovernmentPageSchema(PageSchema):
    items = fields.List(fields.Nested(LocalGovernmentSchema))


#: A new local government: without a slug, one is made from its name.
LocalGovernmentCreateInput = creation_variant(LocalGovernmentInput, "LocalGovernmentCreateInput", "name")
#: A partial update: the fields given change, the others stay.
LocalGovernmentUpdateInput = optional_variant(LocalGovernmentInput, "LocalGovernmentUpdateInput", exclude=("slug",))
