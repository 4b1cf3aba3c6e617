"""Collections built from one description: a list with the envelope and a detail, and, for staff,
create, update and delete.

Reference lists, sessions, questions, networks, organisations and local governments all read and
are edited the same way; describing each once here keeps their contract identical (envelope,
ordering, 404, If-Match, 201 with Location, problems, documentation).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import marshmallow as ma
from flask import Response, url_for
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import Select, select

from registry.api import writes
from registry.api.common import PageArgs, RevisionPageSchema, envelope, page_schema
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.models import Revision
from registry.services import editing
from registry.services.editing import Actor, Editable
from registry.services.listing import paginate
from registry.services.practice_queries import QueryError
from registry.services.validation import InputSchema, creation_variant, optional_variant


@dataclass(frozen=True)
class Writes:
    """How staff edit a collection: POST to the list, PATCH and DELETE on a record."""

    editable: Editable
    create_schema: type[ma.Schema]
    update_schema: type[ma.Schema]
    #: The role that creates and updates; deleting always needs an admin.
    role: str
    example: dict[str, Any]
    update_example: dict[str, Any]


def writes_for(
    editable: Editable, base: type[InputSchema], *, role: str, source: str,
    example: dict[str, Any], update_example: dict[str, Any], hidden: tuple[str, ...] = (),
) -> Writes:
    """Writes whose create and update schemas are the explicit variants of ``base`` (the schema the
    seeds and imports use): the slug optional on create, every field optional on update. ``hidden``
    names fields ``base`` excludes, which the update variant must exclude too."""
    name = base.__name__.removesuffix("Input").removesuffix("Record")
    return Writes(
        editable,
        creation_variant(base, f"{name}CreateInput", source),
        optional_variant(base, f"{name}UpdateInput", exclude=("slug", *hidden)),
        role, example, update_example,
    )


@dataclass(frozen=True)
class Collection:
    name: str  # URL segment, e.g. "target-groups"
    model: type
    item_schema: type[ma.Schema]
    noun: str  # e.g. "target group"
    plural: str
    about: str  # one sentence for the docs
    order_by: Callable[[], Sequence[Any]]
    detail_schema: type[ma.Schema] | None = None
    args_schema: type[ma.Schema] = PageArgs
    #: Narrows the list from the parsed arguments; raises QueryError for unusable values.
    narrow: Callable[[Select, dict[str, Any]], Select] | None = None
    list_options: Callable[[], list[Any]] = field(default=list)
    detail_options: Callable[[], list[Any]] = field(default=list)
    #: Wraps the record found for the detail view (to add computed values).
    detail: Callable[[Any], Any] | None = None
    #: A slug to show in the documentation.
    example: str = ""
    writes: Writes | None = None


def make_blueprint(c: Collection) -> Blueprint:
    blp = Blueprint(c.name, __name__, url_prefix=f"/api/v1/{c.name}", description=c.about)
    page = page_schema(c.item_schema, f"{c.item_schema.__name__.removesuffix('Schema')}Page")
    detail_schema = c.detail_schema or c.item_schema

    def load(slug: str) -> Any:
        return db.session.scalar(select(c.model).where(c.model.slug == slug).options(*c.detail_options()))

    def found(slug: str) -> Any:
        record = load(slug)
        if record is None:
            abort(404, message=f"No {c.noun} with slug {slug!r}.")
        return record

    def represent(record: Any) -> dict[str, Any]:
        """The record as its detail GET shows it."""
        return detail_schema().dump(c.detail(record) if c.detail else record)

    @blp.query(c.args_schema)
    @blp.read(page, headers=LIST_HEADERS, not_found=False)
    @blp.doc(summary=f"List {c.plural}", description=f"{c.about} Paginated, in a stable order.")
    def list_(self: MethodView, args: dict[str, Any]) -> dict[str, Any]:
        statement = select(c.model).order_by(*c.order_by())
        try:
            if c.narrow:
                statement = c.narrow(statement, args)
        except QueryError as error:
            abort(400, errors=error.errors, message="A query parameter names nothing the registry knows.")
        items, total = paginate(statement.options(*c.list_options()), args["page"], args["page_size"])
        return envelope(items, total, args["page"], args["page_size"])

    @blp.read(detail_schema)
    @blp.doc(summary=f"Get one {c.noun}", description=f"One {c.noun}, by its slug; 404 if there is none.")
    def detail(self: MethodView, slug: str) -> Any:
        record = found(slug)
        return c.detail(record) if c.detail else record

    list_methods: dict[str, Any] = {"get": list_}
    detail_methods: dict[str, Any] = {"get": detail}
    slug = slug_parameter(c.noun, c.example)
    if c.writes:
        list_methods["post"], detail_methods["patch"], detail_methods["delete"] = _write_views(
            blp, c, c.writes, found, represent
        )
        blp.route("/<slug>/revisions", parameters=[slug])(
            type("Revisions", (MethodView,), {"get": _revisions_view(blp, c, c.writes)})
        )
    blp.route("")(type("List", (MethodView,), list_methods))
    blp.route("/<slug>", parameters=[slug])(type("Detail", (MethodView,), detail_methods))
    return blp


def _revisions_view(blp: Blueprint, c: Collection, w: Writes) -> Callable[..., dict[str, Any]]:
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    @blp.doc(summary=f"List a {c.noun}'s revisions", description=(
        f"Every create, update and delete of the {c.noun} with this slug, newest first: who, when, and "
        "each changed field with its old and new value. Editors and admins. A slug whose record was "
        "deleted keeps its history, which answers here as long as some revision exists."
    ))
    def revisions(self: MethodView, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        # By slug, which a record keeps for life: the history outlives a delete, and a record made
        # again under the same slug continues it (ids, which SQLite may reuse, would mix lives).
        statement = (select(Revision).where(Revision.entity_type == w.editable.kind.name, Revision.entity_slug == slug)
                     .order_by(Revision.created_at.desc(), Revision.id.desc()))
        items, total = paginate(statement, args["page"], args["page_size"])
        if not total:
            abort(404, message=f"No {c.noun} with slug {slug!r} has any history.")
        return envelope(items, total, args["page"], args["page_size"])

    return revisions


def _write_views(
    blp: Blueprint, c: Collection, w: Writes, found: Callable[[str], Any], represent: Callable[[Any], Any]
) -> tuple[Callable[..., Response], ...]:
    detail_schema = c.detail_schema or c.item_schema
    who = "Editors and admins" if w.role == "editor" else "Admins only"

    @blp.staff(w.role)
    @blp.arguments(w.create_schema, example=w.example)
    @blp.response(201, detail_schema, headers={**writes.LOCATION_HEADER, **writes.ETAG_HEADER})
    @blp.alt_response(409, response="CONFLICT")
    @blp.doc(summary=f"Create a {c.noun}", parameters=[writes.IDEMPOTENCY_KEY], description=(
        f"A new {c.noun}; the slug is made when not given. {who}. Answers 201 with `Location` and the "
        "record; a taken slug (or another unique value) is a 409. With an `Idempotency-Key` header, "
        "the same key and body replay the first answer."
    ))
    def create(self: MethodView, data: dict[str, Any], actor: Actor) -> Response:
        return writes.create(
            actor, lambda: editing.create(db.session, w.editable, data, actor),
            lambda record: url_for(f"{blp.name}.Detail", slug=record.slug, _external=True),
            lambda record: represent(found(record.slug)),
        )

    @blp.staff(w.role)
    @blp.arguments(w.update_schema, example=w.update_example)
    @blp.response(200, detail_schema, headers=writes.ETAG_HEADER)
    @blp.if_match()
    @blp.alt_response(409, response="CONFLICT")
    @blp.doc(summary=f"Update a {c.noun}", description=(
        f"Changes the fields given and leaves the others. {who}. Needs `If-Match` with the ETag of the "
        "version edited: 428 without it, 412 when someone changed it in between."
    ))
    def update(self: MethodView, changes: dict[str, Any], slug: str, actor: Actor) -> Response:
        writes.require_body()
        writes.require_if_match()
        record = found(slug)
        writes.check_if_match(represent(record), c.noun)
        try:
            editing.update(db.session, w.editable, record, changes, actor)
        except editing.EditorialError as error:
            writes.refused(error)
        return writes.written(lambda: represent(found(slug)))

    @blp.staff("admin")
    @blp.response(204)
    @blp.if_match()
    @blp.alt_response(409, response="CONFLICT")
    @blp.doc(summary=f"Delete a {c.noun}", description=(
        f"Deletes a {c.noun} that no other record refers to; one still referred to is a 409 naming "
        "what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision history."
    ))
    def remove(self: MethodView, slug: str, actor: Actor) -> Response:
        writes.require_if_match()
        record = found(slug)
        writes.check_if_match(represent(record), c.noun)
        try:
            editing.remove(db.session, w.editable, record, actor)
        except editing.EditorialError as error:
            writes.refused(error)
        return writes.deleted()

    return create, update, remove
