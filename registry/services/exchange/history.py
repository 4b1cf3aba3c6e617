"""The revision history in an exchange file: every revision the registry keeps, and how an import restores it.

The JSON export carries a ``revisions`` list after its records, oldest first, each revision as
``RevisionInput`` declares it: which record (``entity_type`` and ``entity_slug``: ids are this database's
own), what happened, who did it, when, what changed and the note. The token that acted is left out (API
tokens are never exported); its name stays in ``actor``.

An import restores the history only into a registry that has none yet (a backup restored, a registry moved
to another engine): then the file's revisions are the records' history, and the import writes none of its
own. A registry with a history of its own keeps it; the file's revisions are left out (and counted so).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import insert, select
from sqlalchemy.orm import Session as DbSession

from registry.models import Revision
from registry.models.editorial import REVISION_ACTIONS
from registry.services.exchange.formats import CHUNK, KINDS
from registry.services.exchange.stamps import Moment, utc_text
from registry.services.feed import record_history
from registry.services.questions import QUESTION
from registry.services.validation import Slug

#: Every kind of record a revision may be of, by the name revisions give it.
MODELS: dict[str, type] = {kind.name: kind.model for _, kind in KINDS} | {QUESTION.name: QUESTION.model}


class RevisionInput(Schema):
    """One revision as an export writes it and an import restores it."""

    entity_type = fields.String(required=True, validate=validate.OneOf(sorted(MODELS)))
    entity_slug = Slug(required=True)
    action = fields.String(required=True, validate=validate.OneOf(REVISION_ACTIONS))
    actor = fields.String(required=True, validate=validate.Length(1, 120))
    created_at = Moment(required=True)
    changes = fields.Dict(keys=fields.String(), required=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


#: The fields of an exported revision, declared once (by ``RevisionInput``).
REVISION_FIELDS: tuple[str, ...] = tuple(RevisionInput().fields)


def _exported(revision: Revision) -> dict[str, Any]:
    data = {name: getattr(revision, name) for name in REVISION_FIELDS}
    data["created_at"] = utc_text(revision.created_at)
    return data


def revision_batches(db: DbSession, *, batch: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    """Every revision, in the order they were written (their ids), as lists of at most ``batch``: what
    ``restore_revisions`` writes back. Each batch is read after the one before (by id, from the primary key)."""
    last: int | None = None
    while True:
        query = select(Revision).order_by(Revision.id).limit(batch)
        if last is not None:
            query = query.where(Revision.id > last)
        revisions = db.scalars(query).all()
        if not revisions:
            return
        yield [_exported(revision) for revision in revisions]
        last = revisions[-1].id


def has_history(db: DbSession) -> bool:
    return db.scalar(select(Revision.id).limit(1)) is not None


def _ids(db: DbSession, revisions: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """The id of every record the revisions name that the database holds now, by ``(entity_type, slug)``."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for revision in revisions:
        wanted[revision["entity_type"]].add(revision["entity_slug"])
    ids = {}
    for entity_type, slugs in wanted.items():
        model, ordered = MODELS[entity_type], sorted(slugs)
        for start in range(0, len(ordered), CHUNK):
            found = db.execute(select(model.slug, model.id).where(model.slug.in_(ordered[start:start + CHUNK])))
            ids.update(((entity_type, slug), id_) for slug, id_ in found)
    return ids


def restore_revisions(db: DbSession, revisions: list[dict[str, Any]]) -> None:
    """Write ``revisions`` (validated by ``RevisionInput``), in their order, each pointing at its record.

    A revision of a record that is no longer there (one deleted, whose history outlives it) points at id 0:
    no record has it, and histories are read by slug.
    """
    ids = _ids(db, revisions)
    rows = [{**revision, "entity_id": ids.get((revision["entity_type"], revision["entity_slug"]), 0),
             "token_id": None} for revision in revisions]
    for start in range(0, len(rows), CHUNK):
        db.execute(insert(Revision), rows[start:start + CHUNK])
    record_history(db, revisions)  # and the changes feed those writes made there
