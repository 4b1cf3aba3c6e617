"""/changes: every event of every record, in the order it committed, for mirrors."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask.views import MethodView

from registry.api.auth import is_staff
from registry.api.changes.schemas import ChangesArgs, ChangesPageSchema
from registry.api.smorest import LIST_HEADERS, Blueprint
from registry.extensions import db
from registry.services import feed

blp = Blueprint("changes", __name__, url_prefix="/api/v1/changes", description="What changed, for mirrors.")


@blp.route("")
class Changes(MethodView):
    @blp.query(ChangesArgs)
    @blp.read(ChangesPageSchema, headers=LIST_HEADERS, not_found=False)
    @blp.optional_staff()
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List changes

        Every create, update, publication, archiving, unpublication, delete and restore of every kind
        of record, oldest first, each with its `cursor`. A mirror keeps the last cursor it applied and
        asks for what follows (`since`), following `links.next`: no event is ever skipped or repeated,
        even while writes commit concurrently (cursors follow the order in which writes committed;
        they may have gaps). Without a token, only what the public sees: a practice's events are those
        of its public view (`published` when it appears, `updated` while it stays published,
        `archived`, `unpublished` or `deleted` when it leaves), and nothing of drafts. A staff token
        sees every event. A `since` the feed never gave is a 400 naming it.
        """
        page = feed.read_feed(db.session, args["since"], args["limit"], staff=is_staff())
        links = {"self": _url(page.since, args["limit"]), "next": _url(page.last, args["limit"])}
        g.link_header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
        return {"items": page.items, "since": page.since, "next_since": page.last, "limit": args["limit"],
                "more": page.more, "links": links}


def _url(since: int, limit: int) -> str:
    return f"{request.base_url}?since={since}&limit={limit}"
