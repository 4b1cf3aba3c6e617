"""Input schemas: the one validation every write goes through (API, seeds, imports).

Each schema checks shape and values; references to other records are given by slug and are
checked to exist by the write service, which has the database at hand.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pycountry
from marshmallow import Schema, ValidationError, fields, missing, validate, validates_schema

from registry.models.places import LOCAL_GOVERNMENT_KINDS, ORGANISATION_KINDS
from registry.models.practices import DOCUMENTATION_LEVELS, SOURCE_KINDS, STATUSES
from registry.models.sessions import PARTICIPANT_ROLES
from registry.services import m49

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
M49_PATTERN = re.compile(r"^[0-9]{3}$")

slug_validator = validate.Regexp(
    SLUG_PATTERN, error="Must be lowercase ASCII letters and digits joined by single hyphens."
)
language_validator = validate.Regexp(LANGUAGE_PATTERN, error="Must be a 2- or 3-letter language code.")


def Slug(**kwargs: Any) -> fields.String:  # noqa: N802 - reads as a field type
    return fields.String(validate=[validate.Length(max=120), slug_validator], **kwargs)


def SlugList(**kwargs: Any) -> fields.List:  # noqa: N802
    return fields.List(Slug(), load_default=list, **kwargs)


ML_EXAMPLE = {"fr": "Logement", "en": "Housing"}


class MultilingualText(fields.Dict):
    """Text keyed by language code; its own class so that the write engine knows which fields to merge
    per language (``services.merge_patch``)."""


def Multilingual(**kwargs: Any) -> MultilingualText:  # noqa: N802
    """Text keyed by language code: ``{"fr": "...", "en": "..."}``; inputs and representations alike."""
    metadata = {"description": "Text keyed by language code", "example": ML_EXAMPLE, **kwargs.pop("metadata", {})}
    return MultilingualText(
        keys=fields.String(validate=language_validator),
        values=fields.String(validate=validate.Length(min=1, max=20000)),
        metadata=metadata,
        **kwargs,
    )


def Url(**kwargs: Any) -> fields.Url:  # noqa: N802
    return fields.Url(schemes={"http", "https"}, validate=validate.Length(max=500), **kwargs)


def _validate_country(value: str) -> None:
    if not re.fullmatch(r"[A-Z]{2}", value) or pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError("Must be an ISO 3166-1 alpha-2 country code, such as 'ES'.")


def Country(**kwargs: Any) -> fields.String:  # noqa: N802
    return fields.String(validate=_validate_country, **kwargs)


def M49(level: dict[str, str], name: str, **kwargs: Any) -> fields.String:  # noqa: N802
    """A UN M49 code of one level (region, sub-region, intermediate region)."""
    def known(value: str) -> None:
        if value not in level:
            raise ValidationError(f"Must be the UN M49 code of a {name}, one of: {', '.join(sorted(level))}.")

    return fields.String(
        validate=[validate.Regexp(M49_PATTERN, error="Must be a 3-digit UN M49 code."), known], **kwargs
    )


class StrictBoolean(fields.Boolean):
    """JSON true or false only: no 0, "yes" or "on" guessed into a boolean (0 == False in Python sets)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def multilingual_fields(schema: type[Schema]) -> frozenset[str]:
    """The names of a schema's multilingual fields."""
    return frozenset(name for name, field in schema._declared_fields.items() if isinstance(field, MultilingualText))


class InputSchema(Schema):
    """Base of every write schema: unknown fields are rejected (marshmallow's RAISE default),
    and every multilingual field must hold text in the record's ``original_language``."""

    original_language = fields.String(required=True, validate=language_validator)
    #: A partial update is a JSON Merge Patch: its multilingual values hold only the languages that
    #: change, so the original language is checked on the record it makes, not on the patch.
    merge_patch = False

    @validates_schema(skip_on_field_errors=False)  # named alongside any other field's error
    def _original_language_present(self, data: dict[str, Any], **kwargs: Any) -> None:
        language = data.get("original_language")
        if not language or self.merge_patch:
            return
        errors = {
            name: [f"Must include text in the original language '{language}'."]
            for name, field in self.fields.items()
            if isinstance(field, MultilingualText) and isinstance(data.get(name), dict) and language not in data[name]
        }
        if errors:
            raise ValidationError(errors)


class RightInput(InputSchema):
    slug = Slug(required=True)
    label = Multilingual(required=True)
    description = Multilingual(load_default=None, allow_none=True)
    parent = Slug(load_default=None, allow_none=True)
    instruments = fields.List(fields.String(validate=validate.Length(min=1, max=200)), load_default=list)
    named_in_session = StrictBoolean(load_default=False)


class TargetGroupInput(InputSchema):
    slug = Slug(required=True)
    label = Multilingual(required=True)
    description = Multilingual(load_default=None, allow_none=True)


class PracticeTypeInput(TargetGroupInput):
    pass


class GcmObjectiveInput(InputSchema):
    number = fields.Integer(required=True, strict=True, validate=validate.Range(1, 23))
    slug = Slug(required=True)
    short_title = Multilingual(required=True)
    title = Multilingual(required=True)


class GcmPrincipleInput(InputSchema):
    number = fields.Integer(required=True, strict=True, validate=validate.Range(1, 10))
    slug = Slug(required=True)
    title = Multilingual(required=True)
    description = Multilingual(load_default=None, allow_none=True)


class SdgTargetInput(InputSchema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{1,2}\.[0-9a-z]{1,2}$"))
    slug = Slug(required=True)
    goal = fields.Integer(required=True, strict=True, validate=validate.Range(1, 17))
    title = Multilingual(required=True)

    @validates_schema
    def _code_in_goal(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "code" in data and "goal" in data and data["code"].split(".")[0] != str(data["goal"]):
            raise ValidationError(f"Target {data['code']} is not a target of goal {data['goal']}.", "code")


class NetworkInput(InputSchema):
    slug = Slug(required=True)
    name = Multilingual(required=True)
    acronym = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 40))
    website = Url(load_default=None, allow_none=True)
    parent = Slug(load_default=None, allow_none=True)


class LocalGovernmentInput(InputSchema):
    slug = Slug(required=True)
    name = Multilingual(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(LOCAL_GOVERNMENT_KINDS))
    country = Country(required=True)
    m49_region = M49(m49.REGIONS, "region", required=True)
    m49_sub_region = M49(m49.SUB_REGIONS, "sub-region", required=True)
    m49_intermediate_region = M49(m49.INTERMEDIATE_REGIONS, "intermediate region", load_default=None, allow_none=True)
    latitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180))
    website = Url(load_default=None, allow_none=True)
    parent = Slug(load_default=None, allow_none=True)
    networks = SlugList()
    provenance = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def _coordinates_paired(self, data: dict[str, Any], **kwargs: Any) -> None:
        # Both keys are there on a whole record; a partial update giving one is checked once merged.
        if "latitude" in data and "longitude" in data and (data["latitude"] is None) != (data["longitude"] is None):
            raise ValidationError("Latitude and longitude go together: give both or neither.", "latitude")


class OrganisationInput(InputSchema):
    slug = Slug(required=True)
    name = Multilingual(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ORGANISATION_KINDS))
    country = Country(load_default=None, allow_none=True)
    website = Url(load_default=None, allow_none=True)


class PersonInput(InputSchema):
    slug = Slug(required=True)
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 200))
    role = Multilingual(required=True)
    local_government = Slug(load_default=None, allow_none=True)
    organisation = Slug(load_default=None, allow_none=True)
    network = Slug(load_default=None, allow_none=True)


class ParticipantInput(Schema):
    person = Slug(required=True)
    role = fields.String(required=True, validate=validate.OneOf(PARTICIPANT_ROLES))


class QuestionInput(InputSchema):
    number = fields.Integer(required=True, strict=True, validate=validate.Range(1, 999))
    text = Multilingual(required=True)


class SessionInput(InputSchema):
    slug = Slug(required=True)
    title = Multilingual(required=True)
    description = Multilingual(load_default=None, allow_none=True)
    date = fields.Date(load_default=None, allow_none=True)
    start_time = fields.Time(load_default=None, allow_none=True)
    end_time = fields.Time(load_default=None, allow_none=True)
    provenance = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    participants = fields.List(fields.Nested(ParticipantInput), load_default=list)
    questions = fields.List(fields.Nested(QuestionInput), load_default=list)

    @validates_schema
    def _times_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            raise ValidationError("The session must end after it starts.", "end_time")

    @validates_schema
    def _participants_listed_once(self, data: dict[str, Any], **kwargs: Any) -> None:
        pairs = [(p["person"], p["role"]) for p in data.get("participants", [])]
        if len(pairs) != len(set(pairs)):
            raise ValidationError("Each person may appear only once in each role.", "participants")

    @validates_schema
    def _questions_numbered_once(self, data: dict[str, Any], **kwargs: Any) -> None:
        numbers = [q["number"] for q in data.get("questions", [])]
        if len(numbers) != len(set(numbers)):
            raise ValidationError("Each question number may appear only once.", "questions")


class SourceInput(Schema):
    title = fields.String(required=True, validate=validate.Length(1, 500))
    url = Url(load_default=None, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(SOURCE_KINDS))
    date = fields.Date(load_default=None, allow_none=True)


class PracticeInput(InputSchema):
    slug = Slug(required=True)
    title = Multilingual(required=True)
    summary = Multilingual(load_default=None, allow_none=True)
    description = Multilingual(load_default=None, allow_none=True)
    lead_local_government = Slug(required=True)
    partner_local_governments = SlugList()
    session = Slug(load_default=None, allow_none=True)
    practice_types = SlugList()
    rights = SlugList()
    questions = SlugList()
    target_groups = SlugList()
    gcm_objectives = SlugList()
    gcm_principles = SlugList()
    sdg_targets = SlugList()
    partner_organisations = SlugList()
    start_year = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(1900, 2100))
    end_year = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(1900, 2100))
    funding_kinds = fields.List(fields.String(validate=validate.Length(1, 100)), load_default=list)
    funding_independent_of_state = StrictBoolean(load_default=None, allow_none=True)
    outcomes = Multilingual(load_default=None, allow_none=True)
    evidence = Multilingual(load_default=None, allow_none=True)
    sources = fields.List(fields.Nested(SourceInput), load_default=list)
    provenance = fields.String(required=True, validate=validate.Length(1, 2000))
    documentation = fields.String(
        load_default="partial", validate=validate.OneOf(DOCUMENTATION_LEVELS),
        metadata={"description": "How far the practice is documented: 'stub' (only announced: never published),"
                  " 'partial' (the default) or 'complete'", "example": "partial"},
    )

    @validates_schema
    def _years_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("start_year"), data.get("end_year")
        if start is not None and end is not None and start > end:
            raise ValidationError("The end year cannot come before the start year.", "end_year")


class PracticeSeedInput(PracticeInput):
    """Seeds record a practice in its editorial state; API clients cannot set ``status``."""

    status = fields.String(required=True, validate=validate.OneOf(STATUSES))

    @validates_schema
    def _stub_not_published(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("status") == "published" and data.get("documentation") == "stub":
            raise ValidationError("A stub (only announced, not yet documented) cannot be published.", "documentation")


class QuestionRecordInput(QuestionInput):
    """A question written on its own: it names its session, and its slug derives from both."""

    slug = Slug(required=True)
    session = Slug(required=True)


MERGE_DESCRIPTION = ("Only the languages given change (JSON Merge Patch, RFC 7396): a language set to null"
                     " is removed, except the record's original language")


def optional_variant(base: type[InputSchema], name: str, *, exclude: tuple[str, ...] = ()) -> type[InputSchema]:
    """The schema of a partial update, a JSON Merge Patch (RFC 7396): the same fields and rules, none
    required, no defaults filled in; a multilingual field names only the languages that change, ``null``
    for one to remove (``services.merge_patch`` merges them into the record).

    An explicit class (rather than ``partial=True`` at load time) so that the OpenAPI document shows
    what a PATCH really takes, and so that a missing field is left alone instead of reset to its default.
    """
    fields_: dict[str, Any] = {}
    for field_name, field in base._declared_fields.items():
        if field_name in exclude:
            continue
        clone = copy.copy(field)
        clone.required = False
        clone.load_default = missing
        if isinstance(field, MultilingualText):
            clone.value_field = copy.copy(field.value_field)
            clone.value_field.allow_none = True
            clone.metadata = {**field.metadata, "description": MERGE_DESCRIPTION,
                              "example": {"es": "Vivienda", "en": None}}
        fields_[field_name] = clone
    meta = type("Meta", (), {"exclude": exclude})
    return type(name, (base,), {**fields_, "Meta": meta, "merge_patch": True,
                                "__doc__": f"A partial update: {base.__doc__ or ''}"})


def creation_variant(base: type[InputSchema], name: str, source: str) -> type[InputSchema]:
    """The schema of a new record from the API: the slug may be left out (the server makes one)."""
    return type(name, (base,), {
        "slug": Slug(load_default=None, metadata={"description": f"Made from the {source} when left out"}),
        "__doc__": f"A new record; without a slug, one is made from its {source}.",
    })


class SessionRecordInput(SessionInput):
    """A session written through the API: its questions are records of their own (``/questions``)."""

    class Meta:
        exclude = ("questions",)

