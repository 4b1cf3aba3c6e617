"""A partial update is a JSON Merge Patch (``services.merge_patch``, through ``writes.update``): multilingual
fields merge per language, every other value replaces. Called directly, no HTTP."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError
from sqlalchemy.orm import Session as DbSession

from registry.models import Revision, Right
from registry.services import writes
from registry.services.errors import EditorialError
from registry.services.local_governments import LOCAL_GOVERNMENT
from registry.services.rights import RIGHT
from registry.services.validation import RightInput, optional_variant
from tests.services.helpers import ADMIN, EDITOR, count, local_government, revisions_of

LABEL = {"en": "Synthetic right (test data)", "fr": "Droit synthétique (données de test)"}
DESCRIPTION = {"en": "Synthetic description", "es": "Descripción sintética"}
RightPatch = optional_variant(RightInput, "SyntheticRightPatch", exclude=("slug",))


def new_right(db: DbSession, **fields) -> Right:  # noqa: ANN003
    data = RightInput().load({"slug": "synthetic-right", "label": LABEL, "description": DESCRIPTION,
                              "original_language": "en", "instruments": ["Synthetic A", "Synthetic B"], **fields})
    return writes.create(db, RIGHT, data, ADMIN)


def patched(db: DbSession, right: Right, body: dict) -> Right:
    """``body`` validated as a PATCH is, then applied; the record read back as stored."""
    writes.update(db, RIGHT, right, RightPatch().load(body), EDITOR)
    db.flush()
    db.expire(right)
    return right


def test_a_language_given_changes_alone_and_the_revision_shows_the_whole_text(db):
    right = new_right(db)
    right = patched(db, right, {"label": {"es": "Derecho sintético", "fr": "Droit synthétique modifié"}})
    assert right.label == {"en": LABEL["en"], "fr": "Droit synthétique modifié", "es": "Derecho sintético"}
    assert right.description == DESCRIPTION and right.version == 2
    change = revisions_of(db, "right", "synthetic-right")[-1]
    assert change.changes == {"label": {"old": LABEL, "new": right.label}}


def test_null_removes_a_language_and_removing_an_absent_one_changes_nothing(db):
    right = new_right(db)
    right = patched(db, right, {"description": {"es": None}, "label": {"de": None}})
    assert right.description == {"en": "Synthetic description"}
    assert right.label == LABEL
    assert [r.changes for r in revisions_of(db, "right", "synthetic-right")][-1] == {
        "description": {"old": DESCRIPTION, "new": {"en": "Synthetic description"}}}


@pytest.mark.parametrize("body", [{"label": {"en": None}}, {"description": {"en": None}, "label": {"fr": "Oui"}}])
def test_the_text_in_the_original_language_cannot_be_removed(db, body):
    right = new_right(db)
    before = count(db, Revision)
    field = next(iter(body))
    with pytest.raises(EditorialError) as refused:
        writes.update(db, RIGHT, right, RightPatch().load(body), EDITOR)
    assert list(refused.value.errors) == [f"{field}.en"]
    assert "original language 'en'" in refused.value.errors[f"{field}.en"][0]
    db.expire(right)
    assert (right.version, right.label, right.description, count(db, Revision)) == (1, LABEL, DESCRIPTION, before)


def test_the_old_original_language_may_go_when_the_patch_names_another(db):
    right = patched(db, new_right(db), {"original_language": "fr", "label": {"en": None},
                                        "description": {"fr": "Description synthétique"}})
    assert (right.original_language, right.label) == ("fr", {"fr": LABEL["fr"]})
    assert right.description == {**DESCRIPTION, "fr": "Description synthétique"}


def test_null_for_a_whole_field_clears_an_optional_one_and_is_refused_for_a_required_one(db):
    right = patched(db, new_right(db), {"description": None})
    assert right.description is None
    with pytest.raises(EditorialError) as refused:
        writes.update(db, RIGHT, right, {"label": None}, EDITOR)
    assert list(refused.value.errors) == ["label"]
    with pytest.raises(ValidationError):  # and a PATCH body says so before the service sees it
        RightPatch().load({"label": None})


def test_lists_and_other_values_are_replaced_whole(db):
    right = patched(db, new_right(db), {"instruments": ["Synthetic C"], "named_in_session": True})
    assert (right.instruments, right.named_in_session) == (["Synthetic C"], True)


def test_a_patch_body_may_hold_null_languages_and_text_without_the_original_language():
    assert RightPatch().load({"original_language": "fr", "description": {"es": None, "pt": "Sintético"}}) == {
        "original_language": "fr", "description": {"es": None, "pt": "Sintético"}}
    with pytest.raises(ValidationError) as refused:  # a whole record keeps both rules
        RightInput().load({"slug": "synthetic-x", "original_language": "en", "label": {"en": None}})
    assert "label" in refused.value.messages
    with pytest.raises(ValidationError) as refused:
        RightPatch().load({"label": {"es": ""}})
    assert "label" in refused.value.messages


def test_every_kind_merges_the_same_way(db):
    town = local_government(db, slug="synthetic-town-merge", name={"en": "Synthetic town", "fr": "Ville synthétique"})
    writes.update(db, LOCAL_GOVERNMENT, town, {"name": {"es": "Ciudad sintética", "fr": None}}, ADMIN)
    db.flush()
    db.expire(town)
    assert town.name == {"en": "Synthetic town", "es": "Ciudad sintética"}
    with pytest.raises(EditorialError) as refused:
        writes.update(db, LOCAL_GOVERNMENT, town, {"name": {"en": None}}, ADMIN)
    assert list(refused.value.errors) == ["name.en"]
