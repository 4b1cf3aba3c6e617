"""``services.proposals``: an editor's change to a published practice waits for an admin (no HTTP)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session as DbSession

from registry.models import Practice, PracticeProposal, Revision
from registry.services import proposals
from registry.services.errors import Conflict, EditorialError, Forbidden
from registry.services.tokens import Actor
from tests.services.helpers import ADMIN, EDITOR, count, practice, revisions_of

SLUG = "synthetic-practice-proposed"
TITLE = {"en": "Synthetic practice (test data)", "fr": "Pratique synthétique (données de test)"}
OTHER_EDITOR = Actor("synthetic-editor-2", "editor")


def published(db: DbSession, status: str = "published") -> Practice:
    record = practice(db, slug=SLUG, status=status, title=TITLE, start_year=2010, rights=["housing"])
    db.flush()
    return record


def fresh(db: DbSession, record: Practice) -> Practice:
    db.flush()
    db.expire(record)
    return record


def test_an_editors_change_to_a_published_practice_waits_and_changes_nothing(db):
    record = published(db)
    revisions = count(db, Revision)
    proposal = proposals.edit_practice(db, record, {"title": {"es": "Práctica sintética"}}, EDITOR)
    assert isinstance(proposal, PracticeProposal)
    assert (proposal.status, proposal.base_version, proposal.proposed_by) == ("pending", 1, "synthetic-editor")
    assert proposal.changes == {"title": {"es": "Práctica sintética"}}
    assert proposal.base == {"title": TITLE}
    record = fresh(db, record)
    assert (record.title, record.version, count(db, Revision)) == (TITLE, 1, revisions)


@pytest.mark.parametrize(("status", "actor"), [("draft", EDITOR), ("in_review", EDITOR), ("archived", EDITOR),
                                               ("published", ADMIN)])
def test_other_changes_apply_at_once(db, status, actor):
    record = published(db, status)
    result = proposals.edit_practice(db, record, {"start_year": 2011}, actor)
    assert result is record and fresh(db, record).start_year == 2011
    assert count(db, PracticeProposal, PracticeProposal.practice_id == record.id) == 0


def test_a_proposal_is_checked_as_an_update_would_be(db):
    record = published(db)
    with pytest.raises(EditorialError) as refused:
        proposals.edit_practice(db, record, {"rights": ["synthetic-missing"]}, EDITOR)
    assert list(refused.value.errors) == ["rights"]
    with pytest.raises(EditorialError) as refused:
        proposals.edit_practice(db, record, {"title": {"en": None}}, EDITOR)
    assert list(refused.value.errors) == ["title.en"]
    assert count(db, PracticeProposal) == 0


def test_a_change_that_changes_nothing_is_no_proposal(db):
    record = published(db)
    assert proposals.edit_practice(db, record, {"start_year": 2010, "title": {"en": TITLE["en"]}}, EDITOR) is record
    assert count(db, PracticeProposal) == 0 and fresh(db, record).version == 1


def test_approval_applies_the_change_as_an_update_whose_note_names_the_proposal(db):
    record = published(db)
    proposal = proposals.edit_practice(db, record, {"title": {"es": "Práctica sintética", "fr": None}}, EDITOR)
    decided = proposals.approve(db, proposal, ADMIN, "Synthetic check")
    assert (decided.status, decided.decided_by, decided.decision_note) == ("approved", "synthetic-admin",
                                                                           "Synthetic check")
    assert decided.decided_at is not None
    record = fresh(db, record)
    assert record.title == {"en": TITLE["en"], "es": "Práctica sintética"} and record.version == 2
    change = revisions_of(db, "practice", SLUG)[-1]
    assert (change.action, change.actor) == ("update", "synthetic-admin")
    assert change.note == f"Approved proposal {proposal.id} by synthetic-editor: Synthetic check"
    assert change.changes == {"title": {"old": TITLE, "new": record.title}}


def test_a_stale_proposal_applies_when_nobody_changed_what_it_changes(db):
    record = published(db)
    first = proposals.edit_practice(db, record, {"title": {"es": "Práctica sintética"}}, EDITOR)
    second = proposals.edit_practice(db, record, {"title": {"pt": "Prática sintética"}, "start_year": 2012},
                                     OTHER_EDITOR)
    proposals.edit_practice(db, record, {"end_year": 2020}, ADMIN)  # applied at once: version 2
    proposals.approve(db, first, ADMIN)
    proposals.approve(db, second, ADMIN)
    record = fresh(db, record)
    assert record.title == {**TITLE, "es": "Práctica sintética", "pt": "Prática sintética"}
    assert (record.start_year, record.end_year, record.version) == (2012, 2020, 4)
    assert revisions_of(db, "practice", SLUG)[-1].note == f"Approved proposal {second.id} by synthetic-editor-2."


def test_a_proposal_whose_fields_changed_since_is_a_conflict_and_stays_pending(db):
    record = published(db)
    proposal = proposals.edit_practice(db, record, {"title": {"es": "Práctica sintética"}, "start_year": 2011},
                                       EDITOR)
    proposals.edit_practice(db, record, {"title": {"es": "Otra práctica"}, "start_year": 2013}, ADMIN)
    revisions = count(db, Revision)
    with pytest.raises(Conflict) as refused:
        proposals.approve(db, proposal, ADMIN)
    assert sorted(refused.value.errors) == ["start_year", "title.es"]
    record = fresh(db, record)
    assert (record.title["es"], record.start_year, record.version) == ("Otra práctica", 2013, 2)
    assert (proposal.status, count(db, Revision)) == ("pending", revisions)


def test_rejection_needs_a_note_and_changes_nothing(db):
    record = published(db)
    proposal = proposals.edit_practice(db, record, {"start_year": 2011}, EDITOR)
    with pytest.raises(EditorialError) as refused:
        proposals.reject(db, proposal, ADMIN, "  ")
    assert list(refused.value.errors) == ["note"]
    decided = proposals.reject(db, proposal, ADMIN, "Synthetic reason")
    assert (decided.status, decided.decision_note, fresh(db, record).start_year) == ("rejected", "Synthetic reason",
                                                                                     2010)


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_a_decided_proposal_cannot_be_decided_again(db, decide):
    proposal = proposals.edit_practice(db, published(db), {"start_year": 2011}, EDITOR)
    proposals.reject(db, proposal, ADMIN, "Synthetic reason")
    with pytest.raises(Conflict) as refused:
        getattr(proposals, decide)(db, proposal, ADMIN, "Synthetic again")
    assert list(refused.value.errors) == ["status"]


def test_only_an_admin_decides(db):
    record = published(db)
    proposal = proposals.edit_practice(db, record, {"start_year": 2011}, EDITOR)
    with pytest.raises(Forbidden):
        proposals.approve(db, proposal, EDITOR)
    with pytest.raises(Forbidden):
        proposals.reject(db, proposal, EDITOR, "Synthetic reason")
    assert (proposal.status, fresh(db, record).start_year) == ("pending", 2010)


def test_lists_filter_by_status_and_practice_newest_first(db):
    record = published(db)
    other = practice(db, slug="synthetic-practice-other", title={"en": "Synthetic other"})
    first = proposals.edit_practice(db, record, {"start_year": 2011}, EDITOR)
    second = proposals.edit_practice(db, record, {"start_year": 2012}, EDITOR)
    third = proposals.edit_practice(db, other, {"start_year": 2013}, EDITOR)
    proposals.reject(db, first, ADMIN, "Synthetic reason")
    pending = proposals.find_proposals(db, 1, 20, statuses=["pending"])
    assert [p.id for p in pending.items] == [third.id, second.id] and pending.total == 2
    mine = proposals.find_proposals(db, 1, 20, practice=record)
    assert [p.id for p in mine.items] == [second.id, first.id]
    assert proposals.get_proposal(db, third.id) is third
