"""/proposals: editors' changes to published practices, waiting for an admin to approve or reject them."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import envelope
from registry.api.proposals.schemas import (
    ApprovalInput,
    ProposalPageSchema,
    ProposalQueryArgs,
    ProposalSchema,
    RejectionInput,
)
from registry.api.smorest import LIST_HEADERS, Blueprint
from registry.extensions import db
from registry.services import proposals
from registry.services.tokens import Actor

blp = Blueprint("proposals", __name__, url_prefix="/api/v1/proposals",
                description="Changes to published practices waiting for review")

#: Ids are 32-bit on every engine: a larger one names no proposal (404 from routing, not an engine's overflow).
MAX_ID = 2_147_483_647
PROPOSAL_ID = {"in": "path", "name": "proposal_id", "required": True, "description": "Id of the proposal",
               "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "example": 7}
ID_RULE = f"<int(max={MAX_ID}):proposal_id>"


@blp.route("")
class Proposals(MethodView):
    @blp.staff("editor")
    @blp.query(ProposalQueryArgs)
    @blp.read(ProposalPageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any], actor: Actor) -> dict[str, Any]:
        """List proposals

        Editors' changes to published practices, of every practice, newest first; `status=pending`
        lists those waiting for an admin. Editors and admins.
        """
        return envelope(proposals.find_proposals(db.session, args["page"], args["page_size"],
                                                 statuses=args.get("status")))


@blp.route(f"/{ID_RULE}", parameters=[PROPOSAL_ID])
class ProposalById(MethodView):
    @blp.staff("editor")
    @blp.read(ProposalSchema)
    def get(self, proposal_id: int, actor: Actor) -> Any:
        """Get one proposal

        The change as proposed (a JSON Merge Patch of the practice), who proposed it, and its
        decision once made. Editors and admins.
        """
        return proposals.get_proposal(db.session, proposal_id)


@blp.route(f"/{ID_RULE}/approve", parameters=[PROPOSAL_ID])
class ProposalApproval(MethodView):
    @blp.staff("admin")
    @blp.arguments(ApprovalInput, required=False, example={"note": "Checked against the city's report."})
    @blp.acted(ProposalSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.too_large()
    def post(self, data: dict[str, Any], proposal_id: int, actor: Actor) -> Any:
        """Approve a proposal

        Applies the change to the practice as an update by the admin; its revision's note names the
        proposal. A proposal made on an older version still applies when nobody changed what it
        changes since (each language of a text counts apart); otherwise a 409 names those fields and
        the proposal stays pending. A 422 names what no longer validates; a decided proposal is a 409.
        Admins only.
        """
        proposal = proposals.get_proposal(db.session, proposal_id)
        return proposals.approve(db.session, proposal, actor, data.get("note"))


@blp.route(f"/{ID_RULE}/reject", parameters=[PROPOSAL_ID])
class ProposalRejection(MethodView):
    @blp.staff("admin")
    @blp.arguments(RejectionInput, example={"note": "The city's report does not support this figure."})
    @blp.acted(ProposalSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.too_large()
    def post(self, data: dict[str, Any], proposal_id: int, actor: Actor) -> Any:
        """Reject a proposal

        Closes the proposal without changing the practice; the note (required) says why. A decided
        proposal is a 409. Admins only.
        """
        proposal = proposals.get_proposal(db.session, proposal_id)
        return proposals.reject(db.session, proposal, actor, data["note"])
