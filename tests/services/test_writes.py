"""``services.writes``: create, update, remove and the practices' workflow, called directly (no HTTP).

Every refusal is checked to have written nothing: no row, no revision, no version bump.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from registry.models import GcmObjective, LocalGovernment, Network, Practice, Revision, Right, TargetGroup
from registry.models.practices import practice_rights
from registry.services import writes
from registry.services.errors import Conflict, EditorialError, Forbidden, NotFound, Stale
from registry.services.gcm_objectives import GCM_OBJECTIVE
from registry.services.local_governments import LOCAL_GOVERNMENT
from registry.services.networks import NETWORK
from registry.services.practices import PRACTICE, PRACTICE_WITH_STATUS, practice_to_edit
from registry.services.questions import QUESTION
from registry.services.records import Kind
from registry.services.rights import RIGHT
from registry.services.sdg_targets import SDG_TARGET
from registry.services.target_groups import TARGET_GROUP
from tests.factories import SYNTHETIC
from tests.services.helpers import (
    ADMIN,
    EDITOR,
    MISSING,
    SESSION_SLUG,
    T1,
    T2,
    as_utc,
    clock,
    count,
    local_government,
    practice,
    revisions_of,
    write,
)


def valid(kind: Kind, data: dict[str, Any], slug: str | None = None) -> dict[str, Any]:
    """``data`` as the kind's schema loads it; without ``slug`` the slug is left for the service to make."""
    loaded = kind.schema().load({**data, "slug": slug or "synthetic-placeholder"})
    return loaded if slug else {**loaded, "slug": None}


def right_data(label: str = "Synthetic right (test data)", **fields: Any) -> dict[str, Any]:
    return {"label": {"en": label}, "original_language": "en", **fields}


def new_right(db: DbSession, slug: str, **fields: Any) -> Right:
    return writes.create(db, RIGHT, valid(RIGHT, right_data(**fields), slug), ADMIN)


def fresh(db: DbSession, record: Any) -> Any:
    """The record as stored (what the session holds is flushed first, then read back)."""
    db.flush()
    db.expire(record)
    return record


def totals(db: DbSession, *models: type) -> tuple[int, ...]:
    return tuple(count(db, model) for model in (*models, Revision))


# --- create ---------------------------------------------------------------------------------------------------


def test_create_with_a_free_slug_writes_the_record_and_its_create_revision(db):
    before = count(db, Right)
    right = new_right(db, "synthetic-right-free", instruments=["Synthetic instrument"])
    assert (right.slug, right.version, right.instruments) == ("synthetic-right-free", 1, ["Synthetic instrument"])
    assert count(db, Right) == before + 1
    [revision] = revisions_of(db, "right", "synthetic-right-free")
    assert (revision.action, revision.actor, revision.entity_id) == ("create", "synthetic-admin", right.id)
    assert revision.changes["label"] == {"old": None, "new": {"en": "Synthetic right (test data)"}}


def test_create_with_a_taken_slug_is_a_conflict_naming_the_slug(db):
    before = totals(db, Right)
    with pytest.raises(Conflict) as refused:
        new_right(db, "housing")
    assert refused.value.status == 409
    assert refused.value.errors == {"slug": ["A rights category with slug 'housing' exists."]}
    assert totals(db, Right) == before
    assert db.scalar(select(Right.version).where(Right.slug == "housing")) == 1


def test_create_without_a_slug_makes_one_from_the_label_and_numbers_the_next(db):
    made = [writes.create(db, RIGHT, valid(RIGHT, right_data("Synthetic Right: Café")), ADMIN).slug for _ in "abc"]
    assert made == ["synthetic-right-cafe", "synthetic-right-cafe-2", "synthetic-right-cafe-3"]
    # A seeded slug counts as taken too.
    assert writes.create(db, RIGHT, valid(RIGHT, right_data("Housing")), ADMIN).slug == "housing-2"


@pytest.mark.parametrize(
    ("kind", "data", "made"),
    [
        (RIGHT, {"label": {"en": "Synthetic English", "fr": "Libellé synthétique"}, "original_language": "fr"},
         ["libelle-synthetique", "libelle-synthetique-2"]),  # from the text in the original language
        (TARGET_GROUP, {"label": {"en": "?!"}, "original_language": "en"}, ["target-group", "target-group-2"]),
        (SDG_TARGET, {"code": "10.2", "goal": 10, "title": {"en": "Synthetic"}, "original_language": "en"},
         ["10-2"]),  # the kind's own slug source (the second one would clash on its code)
    ],
    ids=["original-language", "kind-name-when-the-text-gives-none", "kind-slug-source"],
)
def test_create_without_a_slug_makes_it_from_the_kinds_slug_source(db, kind, data, made):
    assert [writes.create(db, kind, valid(kind, data), ADMIN).slug for _ in made] == made


UNIQUE_CLASHES = [
    pytest.param(GCM_OBJECTIVE, {"number": 5, "short_title": {"en": "Synthetic"}, "title": {"en": "Synthetic"}},
                 "number", id="gcm-number"),
    pytest.param(SDG_TARGET, {"code": "10.7", "goal": 10, "title": {"en": "Synthetic"}}, "code", id="sdg-code"),
    pytest.param(QUESTION, {"session": SESSION_SLUG, "number": 1, "text": {"en": "Synthetic question?"}}, "number",
                 id="question-session-number"),
]


@pytest.mark.parametrize(("kind", "data", "field"), UNIQUE_CLASHES)
def test_create_refuses_a_unique_value_another_record_holds_naming_the_field(db, kind, data, field):
    model = kind.model
    before = totals(db, model)
    with pytest.raises(Conflict) as refused:
        writes.create(db, kind, valid(kind, {**data, "original_language": "en"}, "synthetic-clash"), ADMIN)
    assert list(refused.value.errors) == [field]
    assert totals(db, model) == before
    assert db.scalar(select(model).where(model.slug == "synthetic-clash")) is None


UNKNOWN_REFERENCES = [
    pytest.param(RIGHT, right_data(parent=MISSING), "parent", id="right-parent"),
    pytest.param(PRACTICE, {"title": {"en": "Synthetic practice"}, "lead_local_government": MISSING,
                            "provenance": SYNTHETIC}, "lead_local_government", id="practice-lead"),
    pytest.param(PRACTICE, {"title": {"en": "Synthetic practice"}, "lead_local_government": "madrid",
                            "rights": ["housing", MISSING], "provenance": SYNTHETIC}, "rights", id="practice-rights"),
]


@pytest.mark.parametrize("slug", ["synthetic-refused", None], ids=["given-slug", "made-slug"])
@pytest.mark.parametrize(("kind", "data", "field"), UNKNOWN_REFERENCES)
def test_create_naming_an_unknown_record_is_refused_naming_the_field(db, kind, data, field, slug):
    model, data = kind.model, {**data, "original_language": "en"}
    before = (*totals(db, model), count(db, practice_rights))
    with pytest.raises(EditorialError) as refused:
        writes.create(db, kind, valid(kind, data, slug), ADMIN)
    assert refused.value.status == 422
    assert refused.value.errors == {field: [f"Unknown slug: {MISSING!r}."]}
    assert (*totals(db, model), count(db, practice_rights)) == before


def test_a_refused_create_undoes_only_itself_not_the_callers_earlier_writes(db):
    kept = write(db, TARGET_GROUP, {"slug": "synthetic-kept", "label": {"en": "Synthetic"}, "original_language": "en"})
    with pytest.raises(EditorialError):
        new_right(db, "synthetic-refused", parent=MISSING)
    db.commit()  # the caller's commit keeps what it wrote before
    assert db.scalar(select(TargetGroup).where(TargetGroup.slug == "synthetic-kept")) is kept
    assert db.scalar(select(Right).where(Right.slug == "synthetic-refused")) is None
    assert revisions_of(db, "right", "synthetic-refused") == []


# --- update ---------------------------------------------------------------------------------------------------


def test_update_changes_only_the_fields_given_bumps_the_version_and_records_them(db):
    right = new_right(db, "synthetic-right", instruments=["Synthetic A"])
    writes.update(db, RIGHT, right, {"instruments": ["Synthetic B"]}, EDITOR)
    right = fresh(db, right)
    assert (right.version, right.instruments) == (2, ["Synthetic B"])
    assert right.label == {"en": "Synthetic right (test data)"}
    create, change = revisions_of(db, "right", "synthetic-right")
    assert (change.action, change.actor) == ("update", "synthetic-editor")
    assert change.changes == {"instruments": {"old": ["Synthetic A"], "new": ["Synthetic B"]}}


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"original_language": "fr"}, "label"), ({"label": {"en": None}}, "label.en")],
    ids=["language-without-text", "original-text-removed"],
)
def test_update_is_validated_as_the_whole_record_it_makes(db, changes, field):
    right = new_right(db, "synthetic-right")
    with pytest.raises(EditorialError) as refused:
        writes.update(db, RIGHT, right, changes, EDITOR)
    assert list(refused.value.errors) == [field]
    right = fresh(db, right)
    assert (right.version, right.original_language, right.label) == (1, "en", {"en": "Synthetic right (test data)"})
    assert len(revisions_of(db, "right", "synthetic-right")) == 1


def test_update_of_one_coordinate_is_checked_with_the_other_once_merged(db):
    town = local_government(db, slug="synthetic-town")
    with pytest.raises(EditorialError) as refused:
        writes.update(db, LOCAL_GOVERNMENT, town, {"latitude": 10.0}, EDITOR)
    assert list(refused.value.errors) == ["latitude"]
    assert (fresh(db, town).version, town.latitude) == (1, None)


def test_an_update_that_changes_nothing_writes_no_revision(db):
    right = new_right(db, "synthetic-right", instruments=["Synthetic A"])
    changes = {"label": {"en": "Synthetic right (test data)"}, "instruments": ["Synthetic A"]}
    same = writes.update(db, RIGHT, right, changes, EDITOR)
    assert same is right
    assert fresh(db, right).version == 1
    assert [r.action for r in revisions_of(db, "right", "synthetic-right")] == ["create"]


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        (RIGHT, lambda db, slug, parent: new_right(db, slug, parent=parent)),
        (NETWORK, lambda db, slug, parent: write(db, NETWORK, {"slug": slug, "name": {"en": "Synthetic network"},
                                                              "original_language": "en", "parent": parent})),
        (LOCAL_GOVERNMENT, lambda db, slug, parent: local_government(db, slug=slug, parent=parent)),
    ],
    ids=["right", "network", "local-government"],
)
def test_a_record_cannot_be_its_own_parent_nor_sit_below_its_descendant(db, kind, make):
    top = make(db, "synthetic-top", None)
    make(db, "synthetic-middle", "synthetic-top")
    make(db, "synthetic-bottom", "synthetic-middle")
    db.flush()
    revisions = count(db, Revision)
    with pytest.raises(EditorialError) as itself:
        writes.update(db, kind, top, {"parent": "synthetic-top"}, ADMIN)
    assert itself.value.errors == {"parent": ["'synthetic-top' cannot have itself as its parent."]}
    with pytest.raises(EditorialError) as below:
        writes.update(db, kind, top, {"parent": "synthetic-bottom"}, ADMIN)
    assert below.value.errors == {"parent": ["'synthetic-top' cannot have 'synthetic-bottom', which lies below it "
                                             "as its parent."]}
    assert (fresh(db, top).version, top.parent, count(db, Revision)) == (1, None, revisions)


def test_update_refuses_a_unique_value_another_record_holds_but_not_its_own(db):
    first = db.scalar(select(GcmObjective).where(GcmObjective.number == 1))
    with pytest.raises(Conflict) as refused:
        writes.update(db, GCM_OBJECTIVE, first, {"number": 2}, ADMIN)
    assert list(refused.value.errors) == ["number"] and "'gcm-objective-2'" in refused.value.errors["number"][0]
    assert (fresh(db, first).number, first.version) == (1, 1)
    writes.update(db, GCM_OBJECTIVE, first, {"number": 1, "short_title": {"en": "Synthetic short title"}}, ADMIN)
    assert (fresh(db, first).version, first.short_title["en"]) == (2, "Synthetic short title")


# --- remove ---------------------------------------------------------------------------------------------------


def test_remove_refuses_a_record_still_referred_to_and_lists_the_referrers(db):
    right = new_right(db, "synthetic-right")
    new_right(db, "synthetic-child", parent="synthetic-right")
    practice(db, slug="synthetic-practice", rights=["synthetic-right"])
    before = totals(db, Right)
    with pytest.raises(Conflict) as refused:
        writes.remove(db, RIGHT, right, ADMIN)
    [listed] = refused.value.errors["slug"]
    assert sorted(listed.removeprefix("Referred to by: ").removesuffix(".").split(", ")) == [
        "practice rights (1)", "rights (1)"]
    assert totals(db, Right) == before
    assert fresh(db, right).version == 1
    assert [r.action for r in revisions_of(db, "right", "synthetic-right")] == ["create"]


def test_remove_deletes_the_row_and_keeps_its_last_state_in_a_delete_revision(db):
    group = write(db, TARGET_GROUP, {"slug": "synthetic-group", "label": {"en": "Synthetic"},
                                     "description": {"en": "Synthetic description"}, "original_language": "en"})
    db.flush()
    writes.remove(db, TARGET_GROUP, group, ADMIN)
    assert db.scalar(select(TargetGroup).where(TargetGroup.slug == "synthetic-group")) is None
    assert group not in db
    create, delete = revisions_of(db, "target_group", "synthetic-group")
    assert (delete.action, delete.actor) == ("delete", "synthetic-admin")
    assert delete.changes == {
        "original_language": {"old": "en", "new": None}, "slug": {"old": "synthetic-group", "new": None},
        "label": {"old": {"en": "Synthetic"}, "new": None},
        "description": {"old": {"en": "Synthetic description"}, "new": None},
    }


def test_remove_counts_links_that_would_refuse_and_not_those_that_go_with_the_record(db):
    network = write(db, NETWORK, {"slug": "synthetic-network", "name": {"en": "Synthetic"}, "original_language": "en"})
    town = local_government(db, slug="synthetic-town", networks=["synthetic-network"])
    db.flush()
    with pytest.raises(Conflict) as refused:
        writes.remove(db, NETWORK, network, ADMIN)
    assert refused.value.errors == {"slug": ["Referred to by: local government networks (1)."]}
    writes.remove(db, LOCAL_GOVERNMENT, town, ADMIN)  # its membership goes with it
    writes.remove(db, NETWORK, network, ADMIN)
    assert count(db, Network, Network.slug == "synthetic-network") == 0
    assert count(db, LocalGovernment, LocalGovernment.slug == "synthetic-town") == 0


def test_remove_of_a_record_changed_meanwhile_is_stale_and_deletes_nothing(db):
    right = new_right(db, "synthetic-right")
    db.flush()
    db.execute(update(Right).where(Right.id == right.id).values(version=5)
               .execution_options(synchronize_session=False))
    with pytest.raises(Stale) as refused:
        writes.remove(db, RIGHT, right, ADMIN)
    assert refused.value.status == 412
    assert count(db, Right, Right.slug == "synthetic-right") == 1


# --- the practices' workflow ----------------------------------------------------------------------------------


def draft(db: DbSession, slug: str = "synthetic-practice", status: str = "draft") -> Practice:
    record = practice(db, slug=slug, status=status)
    db.flush()
    return record


def test_transition_moves_the_practice_and_records_the_status_change_with_its_note(db):
    record = draft(db)
    writes.transition(db, record, "in_review", "Synthetic note", EDITOR)
    assert (fresh(db, record).status, record.version, record.published_at) == ("in_review", 2, None)
    change = revisions_of(db, "practice", "synthetic-practice")[-1]
    assert (change.action, change.actor, change.note) == ("status_change", "synthetic-editor", "Synthetic note")
    assert change.changes == {"status": {"old": "draft", "new": "in_review"}}
    writes.transition(db, record, "draft", None, EDITOR)
    assert (fresh(db, record).status, record.version) == ("draft", 3)


@pytest.mark.parametrize(
    ("status", "to", "allowed"),
    [("draft", "published", "in_review"), ("published", "draft", "archived"), ("archived", "published", "draft"),
     ("in_review", "archived", "draft, published")],
)
def test_transition_refuses_a_move_the_workflow_does_not_have(db, status, to, allowed):
    record = draft(db, status=status)
    revisions = count(db, Revision)
    with pytest.raises(EditorialError) as refused:
        writes.transition(db, record, to, None, ADMIN)
    assert type(refused.value) is EditorialError
    assert refused.value.errors == {"to": [f"From {status!r} the allowed transitions are: {allowed}."]}
    assert (fresh(db, record).status, record.version, count(db, Revision)) == (status, 1, revisions)


@pytest.mark.parametrize(("status", "to"),
                         [("in_review", "published"), ("published", "archived"), ("archived", "draft")])
def test_publishing_archiving_and_restoring_to_draft_need_an_admin(db, status, to):
    record = draft(db, status=status)
    revisions = count(db, Revision)
    with pytest.raises(Forbidden) as refused:
        writes.transition(db, record, to, None, EDITOR)
    assert refused.value.status == 403
    assert (fresh(db, record).status, record.version, count(db, Revision)) == (status, 1, revisions)
    writes.transition(db, record, to, None, ADMIN)
    assert (fresh(db, record).status, record.version) == (to, 2)


def test_published_at_is_set_on_the_first_publication_only(db):
    record = draft(db, status="in_review")
    with clock(T1):
        writes.transition(db, record, "published", None, ADMIN)
    assert as_utc(fresh(db, record).published_at) == T1
    # Sent back to review by a seed or an import, then published again: the first date stays.
    write(db, PRACTICE_WITH_STATUS, {**valid_practice(record), "status": "in_review"})
    with clock(T2):
        writes.transition(db, record, "published", None, ADMIN)
    assert (fresh(db, record).status, as_utc(record.published_at)) == ("published", T1)


def valid_practice(record: Practice) -> dict[str, Any]:
    return {"slug": record.slug, "title": record.title, "original_language": record.original_language,
            "lead_local_government": record.lead_local_government.slug, "provenance": record.provenance}


def test_delete_hides_the_practice_and_restore_brings_it_back_in_its_status(db):
    record = draft(db, status="in_review")
    with clock(T1):
        writes.delete_practice(db, record, ADMIN)
    assert (fresh(db, record).version, as_utc(record.deleted_at)) == (2, T1)
    with pytest.raises(NotFound):
        practice_to_edit(db, "synthetic-practice")
    assert practice_to_edit(db, "synthetic-practice", deleted=True) is record
    writes.restore_practice(db, record, ADMIN)
    assert (fresh(db, record).deleted_at, record.status, record.version) == (None, "in_review", 3)
    _, deleted, restored = revisions_of(db, "practice", "synthetic-practice")
    assert (deleted.action, restored.action) == ("delete", "restore")
    assert deleted.changes == {"deleted_at": {"old": None, "new": T1.isoformat()}}
    assert list(restored.changes) == ["deleted_at"] and restored.changes["deleted_at"]["new"] is None
    assert as_utc(datetime.fromisoformat(restored.changes["deleted_at"]["old"])) == T1


def test_restore_of_a_practice_that_is_not_deleted_is_a_conflict(db):
    record = draft(db)
    revisions = count(db, Revision)
    with pytest.raises(Conflict) as refused:
        writes.restore_practice(db, record, ADMIN)
    assert refused.value.errors == {"slug": ["'synthetic-practice' is not deleted."]}
    assert (fresh(db, record).version, count(db, Revision)) == (1, revisions)

