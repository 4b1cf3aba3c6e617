"""Read-only collections built from one description: a list with the envelope, and a detail.

Reference lists, sessions, networks and organisations all read the same way; describing each
once here keeps their contract identical (envelope, ordering, 404, documentation).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import Select, select

from registry.api.common import PageArgs, envelope, page_schema
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.domain.listing import paginate
from registry.domain.practice_queries import QueryError
from registry.extensions import db


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


def make_blueprint(c: Collection) -> Blueprint:
    blp = Blueprint(c.name, __name__, url_prefix=f"/api/v1/{c.name}", description=c.about)
    page = page_schema(c.item_schema, f"{c.item_schema.__name__.removesuffix('Schema')}Page")

    @blp.route("")
    class List(MethodView):
        @blp.query(c.args_schema)
        @blp.read(page, headers=LIST_HEADERS, not_found=False)
        @blp.doc(summary=f"List {c.plural}", description=f"{c.about} Paginated, in a stable order.")
        def get(self, args: dict[str, Any]) -> dict[str, Any]:
            statement = select(c.model).order_by(*c.order_by())
            try:
                if c.narrow:
                    statement = c.narrow(statement, args)
            except QueryError as error:
                abort(400, errors=error.errors, message="A query parameter names nothing the registry knows.")
            items, total = paginate(statement.options(*c.list_options()), args["page"], args["page_size"])
            return envelope(items, total, args["page"], args["page_size"])

    @blp.route("/<slug>", parameters=[slug_parameter(c.noun, c.example)])
    class Detail(MethodView):
        @blp.read(c.detail_schema or c.item_schema)
        @blp.doc(summary=f"Get one {c.noun}", description=f"One {c.noun}, by its slug; 404 if there is none.")
        def get(self, slug: str) -> Any:
            record = db.session.scalar(select(c.model).where(c.model.slug == slug).options(*c.detail_options()))
            if record is None:
                abort(404, message=f"No {c.noun} with slug {slug!r}.")
            return c.detail(record) if c.detail else record

    return blp
