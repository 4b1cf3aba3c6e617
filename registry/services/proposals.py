"""Proposed revisions: an editor's change to a published practice waits for an admin.

The public keeps seeing the published version until an admin approves the proposal, which applies
it through the one write engine (``writes.update``), leaving an ordinary update revision whose
note names the proposal. An admin may instead reject it, saying why. No HTTP here; nothing commits.

A proposal is a JSON Merge Patch checked, when it is made, as an update would be (so it applies
as it stands), and kept with what each field it touches held then (``base``). It may be approved
after others changed the practice, as long as none of them changed what it touches (each language
of a multilingual field counts apart): the patch is then merged into the practice as it is now.
A proposal whose fields were changed since is a conflict (409) naming them, and is left pending:
the admin may reject it and the editor propose again from the current version.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from registry.models import Practice, PracticeProposal
from registry.models.base import utcnow
from registry.models.editorial import PROPOSAL_STATUSES
from registry.services import writes
from registry.services.errors import Conflict, EditorialError, Forbidden, NotFound
from registry.services.listing import Page, paginate
from registry.services.merge_patch import touched, value_at
from registry.services.practices import PRACTICE
from registry.services.records import snapshot, to_json
from registry.services.tokens import ROLE_RANK, Actor


def waits_for_review(practice: Practice, actor: Actor) -> bool:
    """An editor's change to a published practice waits; an admin's, or one to any other status, does not."""
    return practice.status == "published" and ROLE_RANK[actor.role] < ROLE_RANK["admin"]


def edit_practice(db: DbSession, practice: Practice, changes: dict[str, Any], actor: Actor) -> Any:
    """A PATCH of a practice: applied at once (the practice), or kept as a proposal (the proposal).

    A change that would change nothing leaves the practice as it is: there is nothing to review.
    """
    if not waits_for_review(practice, actor):
        return writes.update(db, PRACTICE, practice, changes, actor)
    if not writes.check_update(db, PRACTICE, practice, changes):
        return practice
    return _keep(db, practice, changes, actor)


def propose(db: DbSession, practice: Practice, changes: dict[str, Any], actor: Actor) -> PracticeProposal:
    """Keep ``changes`` (a validated merge patch) as a pending proposal, after checking it as an update
    (``writes.check_update``: what it refuses, this refuses)."""
    writes.check_update(db, PRACTICE, practice, changes)
    return _keep(db, practice, changes, actor)


def _keep(db: DbSession, practice: Practice, changes: dict[str, Any], actor: Actor) -> PracticeProposal:
    stored = snapshot(PRACTICE, practice)
    proposal = PracticeProposal(
        practice=practice, base_version=practice.version, changes=to_json(changes),
        base={name: stored.get(name) for name in changes}, status="pending",
        proposed_by=actor.name, proposed_token_id=actor.token_id, created_at=utcnow(),
    )
    db.add(proposal)
    db.flush()
    return proposal


def approve(db: DbSession, proposal: PracticeProposal, actor: Actor, note: str | None = None) -> PracticeProposal:
    """Apply a pending proposal to its practice as an update by ``actor`` (an admin)."""
    practice = _decidable(proposal, actor)
    conflicts = _changed_since(proposal, snapshot(PRACTICE, practice))
    if conflicts:
        raise Conflict(
            f"The practice changed since proposal {proposal.id} was made (version {proposal.base_version}, now"
            f" {practice.version}), in what it changes: reject it, and propose again from the current version.",
            conflicts,
        )
    revision_note = f"Approved proposal {proposal.id} by {proposal.proposed_by}" + (f": {note}" if note else ".")
    writes.update(db, PRACTICE, practice, proposal.changes, actor, note=revision_note)
    return _decide(db, proposal, "approved", actor, note)


def reject(db: DbSession, proposal: PracticeProposal, actor: Actor, note: str) -> PracticeProposal:
    """Close a pending proposal without applying it; ``note`` says why."""
    _decidable(proposal, actor)
    if not note or not note.strip():
        raise EditorialError("Say why the proposal is rejected.", {"note": ["A rejection needs a note."]})
    return _decide(db, proposal, "rejected", actor, note)


def _decidable(proposal: PracticeProposal, actor: Actor) -> Practice:
    if ROLE_RANK[actor.role] < ROLE_RANK["admin"]:
        raise Forbidden("Deciding on a proposal needs an admin token.")
    if proposal.status != "pending":
        raise Conflict(f"Proposal {proposal.id} is already {proposal.status}.",
                       {"status": [f"Already {proposal.status} by {proposal.decided_by}."]})
    practice = proposal.practice
    if practice.deleted_at is not None:
        raise Conflict(f"The practice {practice.slug!r} is deleted: restore it first.",
                       {"practice": [f"{practice.slug!r} is deleted."]})
    return practice


def _changed_since(proposal: PracticeProposal, current: dict[str, Any]) -> dict[str, list[str]]:
    """Each field (``title.es`` for a language) the proposal changes that someone changed since it was made."""
    conflicts: dict[str, list[str]] = {}
    for name, language in touched(PRACTICE.schema, proposal.changes):
        if value_at(proposal.base, name, language) != value_at(current, name, language):
            where = name if language is None else f"{name}.{language}"
            conflicts[where] = [f"Changed since version {proposal.base_version}, when the proposal was made."]
    return conflicts


def _decide(db: DbSession, proposal: PracticeProposal, status: str, actor: Actor, note: str | None) -> PracticeProposal:
    proposal.status = status
    proposal.decided_by = actor.name
    proposal.decided_token_id = actor.token_id
    proposal.decided_at = utcnow()
    proposal.decision_note = note
    db.flush()
    return proposal


# --- Reads --------------------------------------------------------------------------------------------------


def get_proposal(db: DbSession, proposal_id: int) -> PracticeProposal:
    proposal = db.scalar(select(PracticeProposal).where(PracticeProposal.id == proposal_id)
                         .options(selectinload(PracticeProposal.practice)))
    if proposal is None:
        raise NotFound(f"No proposal with id {proposal_id}.")
    return proposal


def find_proposals(
    db: DbSession, page: int, page_size: int, *, statuses: list[str] | None = None, practice: Practice | None = None
) -> Page:
    """Proposals, newest first: in ``statuses`` (all by default), of one practice or of all."""
    statement = select(PracticeProposal).options(selectinload(PracticeProposal.practice))
    if statuses:
        statement = statement.where(PracticeProposal.status.in_([s for s in statuses if s in PROPOSAL_STATUSES]))
    if practice is not None:
        statement = statement.where(PracticeProposal.practice_id == practice.id)
    statement = statement.order_by(PracticeProposal.created_at.desc(), PracticeProposal.id.desc())
    return paginate(db, statement, page, page_size)
