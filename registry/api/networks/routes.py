"""/networks: city networks and their committees. Read by all, edited by admins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import ListArgs, PageArgs, RevisionPageSchema, envelope
from registry.api.networks.schemas import (
    NetworkCreateInput,
    NetworkPageSchema,
    NetworkSchema,
    NetworkUpdateInput,
)
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.services import networks, revisions, writes
from registry.services.networks import NETWORK
from registry.services.tokens import Actor

blp = Blueprint("networks", __name__, url_prefix="/api/v1/networks", description="City networks and their committees.")

SLUG = slug_parameter("network", "uclg-cisdp")
EXAMPLE = {"name": {"en": "Example network (synthetic)"}, "acronym": "EXN", "parent": "uclg", "original_language": "en"}
UPDATE_EXAMPLE = {"website": "https://example.org/"}


@blp.route("")
class Networks(MethodView):
    @blp.query(ListArgs)
    @blp.read(NetworkPageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List networks

        City networks and their committees. Paginated, in a stable order.
        """
        return envelope(networks.list_networks(db.session, args["page"], args["page_size"], args.get("updated_since")))

    @blp.staff("admin")
    @blp.arguments(NetworkCreateInput, example=EXAMPLE)
    @blp.created(NetworkSchema, "networks.NetworkBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a network

        A new network; the slug is made when not given. Admins only. Answers 201 with `Location` and the
        record; a taken slug (or another unique value) is a 409. With an `Idempotency-Key` header,
        the same key and body replay the first answer.
        """
        return writes.create(db.session, NETWORK, data, actor)


@blp.route("/<slug>", parameters=[SLUG])
class NetworkBySlug(MethodView):
    @blp.read(NetworkSchema)
    def get(self, slug: str) -> Any:
        """Get one network

        One network, by its slug; 404 if there is none.
        """
        return networks.get_network(db.session, slug)

    @blp.staff("admin")
    @blp.arguments(NetworkUpdateInput, example=UPDATE_EXAMPLE)
    @blp.updated(NetworkSchema)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a network

        Changes the fields given and leaves the others. Admins only. Needs `If-Match` with the ETag of
        the version edited: 428 without it, 412 when someone changed it in between.
        """
        record = networks.get_network(db.session, slug)
        blp.check_if_match(record, NetworkSchema, NETWORK.noun)
        return writes.update(db.session, NETWORK, record, changes, actor)

    @blp.staff("admin")
    @blp.deleted()
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a network

        Deletes a network that no other record refers to; one still referred to is a 409 naming
        what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision history.
        """
        record = networks.get_network(db.session, slug)
        blp.check_if_match(record, NetworkSchema, NETWORK.noun)
        writes.remove(db.session, NETWORK, record, actor)


@blp.route("/<slug>/revisions", parameters=[SLUG])
class NetworkRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a network's revisions

        Every create, update and delete of the network with this slug, newest first: who, when,
        and each changed field with its old and new value. Editors and admins. A slug whose record
        was deleted keeps its history, which answers here as long as some revision exists.
        """
        return envelope(revisions.of_slug(db.session, NETWORK, slug, args["page"], args["page_size"]))
