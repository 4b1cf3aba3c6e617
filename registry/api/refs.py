"""How one record is embedded in another: its slug and label, plus what identifies it."""

from __future__ import annotations

from marshmallow import fields

from registry.api.common import RefSchema, Schema
from registry.services.validation import Multilingual


class LocalGovernmentRefSchema(Schema):
    slug = fields.String(metadata={"example": "madrid"})
    label = Multilingual(attribute="name", metadata={"example": {"es": "Madrid"}})
    country = fields.String(metadata={"example": "ES"})


class SessionRefSchema(Schema):
    slug = fields.String(metadata={"example": "droits-humains-des-migrants"})
    label = Multilingual(attribute="title", metadata={"example": {"fr": "Droits humains des migrants"}})


class QuestionRefSchema(Schema):
    slug = fields.String(metadata={"example": "droits-humains-des-migrants-q1"})
    number = fields.Integer(metadata={"example": 1})
    label = Multilingual(attribute="text")


class GcmObjectiveRefSchema(Schema):
    slug = fields.String(metadata={"example": "gcm-objective-15"})
    number = fields.Integer(metadata={"example": 15})
    label = Multilingual(attribute="short_title", metadata={"example": {"en": "Basic services"}})


class GcmPrincipleRefSchema(Schema):
    slug = fields.String(metadata={"example": "human-rights"})
    number = fields.Integer(metadata={"example": 6})
    label = Multilingual(attribute="title", metadata={"example": {"en": "Human rights"}})


class SdgTargetRefSchema(Schema):
    slug = fields.String(metadata={"example": "10-7"})
    code = fields.String(metadata={"example": "10.7"})
    label = Multilingual(attribute="title")


class NamedRefSchema(Schema):
    """Records whose label is their name (networks, organisations)."""

    slug = fields.String()
    label = Multilingual(attribute="name")


__all__ = [
    "GcmObjectiveRefSchema",
    "GcmPrincipleRefSchema",
    "LocalGovernmentRefSchema",
    "NamedRefSchema",
    "QuestionRefSchema",
    "RefSchema",
    "SdgTargetRefSchema",
    "SessionRefSchema",
]
