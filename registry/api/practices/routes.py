"""/practices: the registry's records of what local governments do."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import abort

from registry.api.common import envelope
from registry.api.practices.schemas import PracticePageSchema, PracticeQueryArgsSchema, PracticeSchema
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.domain.practice_queries import FILTERS, PracticeQuery, QueryError, find_practices, get_practice
from registry.domain.search import SearchQueryError

blp = Blueprint("practices", __name__, url_prefix="/api/v1/practices", description="Practices of local governments")


@blp.route("")
class Practices(MethodView):
    @blp.query(PracticeQueryArgsSchema)
    @blp.read(PracticePageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List practices

        Published practices, filtered, searched, sorted and paginated. A parameter repeated means
        any-of; different parameters combine with all-of. An unknown parameter, or a value naming
        no known record, is a 400 problem naming it.
        """
        query = PracticeQuery(
            filters={name: args[name] for name in FILTERS if name in args},
            q=args.get("q"),
            updated_since=args.get("updated_since"),
            sort=args.get("sort"),
        )
        try:
            found = find_practices(query, args["page"], args["page_size"], args.get("facets"))
        except QueryError as error:
            abort(400, errors=error.errors, message="A query parameter names nothing the registry knows.")
        except SearchQueryError as error:
            abort(400, errors={"q": [str(error)]}, message="The search cannot be run.")
        extra = {"facets": found.facets} if found.facets is not None else {}
        return envelope(found.items, found.total, args["page"], args["page_size"], **extra)


@blp.route("/<slug>", parameters=[slug_parameter("practice", "madrid-droits-humains-des-migrants")])
class PracticeBySlug(MethodView):
    @blp.read(PracticeSchema)
    def get(self, slug: str) -> Any:
        """Get one practice

        A published practice with its local governments, classifications, partners, sources and
        session embedded, each with its slug and label.
        """
        practice = get_practice(slug)
        if practice is None:
            abort(404, message=f"No published practice with slug {slug!r}.")
        return practice
