"""Importing rows: validation by each kind's schema, slug checks against the database, the all-or-nothing write.

``read_import`` needs no database: it parses a file (``json_import``, ``csv_import``) and validates every
row. ``write_import`` checks every slug the rows name, then writes them through ``records.upsert`` and
``write_session`` (design.md §1, one write path) inside a SAVEPOINT of the caller's transaction,
which the caller commits or rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session as DbSession

from registry.models import Practice, Question
from registry.services.exchange.csv_import import parse_csv
from registry.services.exchange.formats import CHUNK, FORMATS, KIND_BY_KEY, KINDS, PRACTICES, Format, ImportRow
from registry.services.exchange.history import RevisionInput, has_history, restore_revisions
from registry.services.exchange.json_import import parse_json
from registry.services.exchange.report import ImportProblem, ImportRejected, ImportReport
from registry.services.exchange.stamps import split_stamp, stamp_schema
from registry.services.practices import PRACTICE
from registry.services.questions import question_slug
from registry.services.records import Kind, RecordError, Ref, RefList, Rows, WriteResult, savepoint, upsert
from registry.services.seeding import flatten_messages
from registry.services.sessions import SESSION, write_session


@dataclass
class ImportBatch:
    """A parsed and validated file, ready for ``write_import``. ``problems`` are those found without a database."""

    format: Format
    rows: list[ImportRow]
    problems: list[ImportProblem]
    #: The file's revision history (``history``), validated; None when the file carries none.
    revisions: list[dict[str, Any]] | None = None

    def __len__(self) -> int:
        return len(self.rows)


def _decode(content: str | bytes) -> tuple[str, list[ImportProblem]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return "", [ImportProblem("-", "(file)", f"Not UTF-8 text: {error}.")]
    return content.removeprefix("\ufeff"), []


# --- validating rows ------------------------------------------------------------------------------------------------

def _nul_paths(value: Any, path: str = "") -> Iterator[str]:
    """Where a NUL character hides (PostgreSQL text cannot hold one, so no engine should see one)."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "(record)"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nul_paths(str(key), path or "(record)")
            yield from _nul_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{path}[{index}]")


def _load(schema: type[Schema], raw: dict[str, Any], prefix: str = "") -> tuple[dict[str, Any], list[tuple[str, str]]]:
    try:
        return schema().load(raw), []
    except ValidationError as error:
        return {}, list(flatten_messages(error.messages, prefix))


def _validate(row: ImportRow) -> list[ImportProblem]:
    """Check a row's content with its kind's schema and its stamps (a session's questions' too) with theirs."""
    kind = KIND_BY_KEY[row.key]
    if row.key == PRACTICES and "status" not in row.raw:
        kind = PRACTICE  # no status: a new practice is a draft, an existing one keeps its status
    nul = list(dict.fromkeys(_nul_paths(row.raw)))
    if nul:
        return [ImportProblem(row.label, path, "Cannot hold a NUL character.", row.slug) for path in nul]
    content, stamp = split_stamp(kind.model, row.raw)
    stamps = [("", kind.model, stamp)]
    if kind is SESSION and isinstance(content.get("questions"), list):
        questions = []
        for index, item in enumerate(content["questions"]):
            if isinstance(item, dict):
                item, item_stamp = split_stamp(Question, item)
                stamps.append((f"questions[{index}]", Question, item_stamp))
            questions.append(item)
        content = {**content, "questions": questions}
    data, errors = _load(kind.schema, content)
    loaded = []
    for prefix, model, raw_stamp in stamps:
        values, stamp_errors = _load(stamp_schema(model), raw_stamp, prefix)
        loaded.append(values)
        errors.extend(stamp_errors)
    if errors:
        return [ImportProblem(row.label, name, message, row.slug) for name, message in errors]
    row.data, row.kind, row.stamp = data, kind, loaded[0]
    if kind is SESSION:
        row.question_stamps = {q["number"]: s for q, s in zip(data["questions"], loaded[1:], strict=True)}
    return []


def _validate_revision(row: ImportRow, problems: list[ImportProblem]) -> dict[str, Any]:
    """A revision of the file, checked by ``RevisionInput``; its problems go to ``problems``."""
    nul = list(dict.fromkeys(_nul_paths(row.raw)))
    if nul:
        problems.extend(ImportProblem(row.label, path, "Cannot hold a NUL character.") for path in nul)
        return {}
    data, errors = _load(RevisionInput, row.raw)
    problems.extend(ImportProblem(row.label, name, message) for name, message in errors)
    return data


def _parents_first(kind: Kind, rows: list[ImportRow]) -> tuple[list[ImportRow], list[ImportProblem]]:
    """``rows`` (valid, of one kind) with every parent named in the batch before its children."""
    names = [name for name, rel in kind.relations.items() if isinstance(rel, Ref) and rel.model is kind.model]
    if not names:
        return rows, []
    in_batch = {row.data["slug"] for row in rows if row.data}
    ordered: list[ImportRow] = []
    placed: set[str] = set()
    pending = rows
    while pending:
        ready = [row for row in pending if row.data and {row.data.get(n) for n in names} & in_batch <= placed]
        if not ready:
            return ordered, [ImportProblem(r.label, names[0], "Its parents form a cycle.", r.slug) for r in pending]
        ordered.extend(ready)
        placed.update(row.data["slug"] for row in ready if row.data)
        done = {id(row) for row in ready}
        pending = [row for row in pending if id(row) not in done]
    return ordered, []


def _write_order(rows: list[ImportRow]) -> tuple[list[ImportRow], list[ImportProblem]]:
    """Valid rows by kind in write order, parents first within a kind, otherwise as in the file."""
    ordered: list[ImportRow] = []
    problems: list[ImportProblem] = []
    for key, kind in KINDS:
        placed, cycles = _parents_first(kind, [row for row in rows if row.key == key and row.data is not None])
        ordered.extend(placed)
        problems.extend(cycles)
    return ordered, problems


def _duplicates(rows: list[ImportRow]) -> list[ImportProblem]:
    first: dict[tuple[str, str], str] = {}
    problems = []
    for row in rows:
        if row.data is None:
            continue
        key = (row.key, row.data["slug"])
        if key in first:
            problems.append(ImportProblem(row.label, "slug", f"Appears twice in this import (also row {first[key]}).",
                                          row.slug))
        first.setdefault(key, row.label)
    return problems


def read_import(content: str | bytes, *, fmt: Format) -> ImportBatch:
    """Parse ``content`` and validate every row with its kind's schema; no database needed.

    JSON is the export's document (``{"records": {"networks": [...], ..., "practices": [...]}}``); CSV is
    the practices' CSV export. Problems are collected, not raised: ``write_import`` raises them together
    with the ones only the database can tell.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown import format {fmt!r}; expected one of {', '.join(FORMATS)}.")
    text, problems = _decode(content)
    if problems:
        return ImportBatch(fmt, [], problems)
    if fmt == "json":
        rows, revision_rows, problems = parse_json(text)
    else:
        (rows, problems), revision_rows = parse_csv(text), None
    for row in rows:
        problems.extend(_validate(row))
    problems.extend(_duplicates(rows))
    ordered, cycles = _write_order(rows)
    problems.extend(cycles)
    revisions = None if revision_rows is None else [_validate_revision(row, problems) for row in revision_rows]
    return ImportBatch(fmt, ordered if not problems else rows, problems, revisions)


# --- writing an import ----------------------------------------------------------------------------------------------

def _references(row: ImportRow) -> Iterator[tuple[str, type, list[str]]]:
    """Every ``(field, model, slugs)`` a valid row names."""
    assert row.kind is not None and row.data is not None
    for name, relation in row.kind.relations.items():
        value = row.data.get(name)
        if isinstance(relation, Ref) and value is not None:
            yield name, relation.model, [value]
        elif isinstance(relation, RefList) and value:
            yield name, relation.model, list(dict.fromkeys(value))
        elif isinstance(relation, Rows):
            for position, item in enumerate(value or []):
                for ref_name, ref in relation.refs.items():
                    yield f"{name}[{position}].{ref_name}", ref.model, [item[ref_name]]


def _stored_slugs(db: DbSession, model: type, slugs: set[str]) -> set[str]:
    """Which of ``slugs`` the database holds: only those asked for are read, not the whole table."""
    ordered = sorted(slugs)
    found: set[str] = set()
    for start in range(0, len(ordered), CHUNK):
        found.update(db.scalars(select(model.slug).where(model.slug.in_(ordered[start:start + CHUNK]))))
    return found


def _check_references(db: DbSession, rows: list[ImportRow]) -> list[ImportProblem]:
    """Every slug a row names must be in the database or in this import: all of them checked, up front."""
    known: dict[type, set[str]] = {}
    named: dict[type, set[str]] = {}
    for row in rows:
        if row.kind is not None and row.data is not None:
            known.setdefault(row.kind.model, set()).add(row.data["slug"])
            if row.kind is SESSION:
                known.setdefault(Question, set()).update(
                    question_slug(row.data["slug"], q["number"]) for q in row.data["questions"]
                )
            for _, model, slugs in _references(row):
                named.setdefault(model, set()).update(slugs)
    stored = {model: _stored_slugs(db, model, slugs - known.get(model, set())) for model, slugs in named.items()}
    problems = []
    for row in rows:
        if row.data is None:
            continue
        for name, model, slugs in _references(row):
            missing = [s for s in slugs if s not in stored[model] and s not in known.get(model, ())]
            if missing:
                problems.append(ImportProblem(row.label, name, f"Unknown slug: {', '.join(map(repr, missing))}.",
                                              row.slug))
    return problems + _check_deletions(db, rows)


def _check_deletions(db: DbSession, rows: list[ImportRow]) -> list[ImportProblem]:
    """An import neither deletes nor restores a practice: a row for a stored one agrees on whether it is deleted."""
    practices = {row.data["slug"]: row for row in rows if row.key == PRACTICES and row.data}
    ordered = sorted(practices)
    problems = []
    for start in range(0, len(ordered), CHUNK):
        stored = db.execute(select(Practice.slug, Practice.deleted_at.is_not(None))
                            .where(Practice.slug.in_(ordered[start:start + CHUNK])))
        for slug, deleted in stored:
            row = practices[slug]
            if deleted and row.stamp.get("deleted_at") is None:
                problems.append(ImportProblem(row.label, "slug", "A deleted practice has this slug; restore it first.",
                                              slug))
            elif not deleted and row.stamp.get("deleted_at") is not None:
                problems.append(ImportProblem(row.label, "deleted_at", "The practice is not deleted here, and an "
                                              "import deletes nothing: delete it through the API.", slug))
    position = {slug: index for index, slug in enumerate(practices)}  # as the rows come
    return sorted(problems, key=lambda problem: position[problem.slug or ""])


def _write(db: DbSession, row: ImportRow, actor: str, token_id: int | None, *, restoring: bool) -> list[WriteResult]:
    assert row.kind is not None and row.data is not None
    how: dict[str, Any] = {"actor": actor, "token_id": token_id, "revise_creation": not restoring}
    if row.kind is SESSION:
        return write_session(db, row.data, stamp=row.stamp, question_stamps=row.question_stamps, **how)
    return [upsert(db, row.kind, row.data, stamp=row.stamp, **how)]


def write_import(
    db: DbSession, batch: ImportBatch, *, actor: str, dry_run: bool, token_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check ``batch`` against the database, then write it through the write path, all or nothing.

    The writes happen in a SAVEPOINT of the caller's transaction. On any problem the SAVEPOINT is
    rolled back and ``ImportRejected`` lists the problems; in a dry run it is rolled back too, after
    the database has had its say (references, unique numbers ...). Otherwise it is released and the
    caller commits. ``progress(1)`` is called after each record is written.

    The file's revisions are restored when the registry has no history yet, and then the import records
    no revisions of its own (see ``history``); otherwise they are left out and the import records its own.
    """
    report = ImportReport(batch.format, dry_run, rows=len(batch), problems=list(batch.problems))
    report.problems.extend(_check_references(db, batch.rows))
    if report.problems:
        raise ImportRejected(report)
    restoring = batch.revisions is not None and not has_history(db)

    transaction = savepoint(db)
    # Every record written stays referenced until the SAVEPOINT is settled: the session tracks new and
    # changed objects only weakly, and one collected then loaded again would survive a rollback as a
    # ghost of a row that never was (or with values that were rolled back).
    written: list[WriteResult] = []
    try:
        for row in batch.rows:
            try:
                results = _write(db, row, actor, token_id, restoring=restoring)
            except RecordError as error:
                report.problems.extend(ImportProblem(row.label, name, " ".join(messages), row.slug)
                                       for name, messages in error.errors.items())
                break
            except (IntegrityError, DataError) as error:
                reason = (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0]
                report.problems.append(ImportProblem(row.label, "(record)", f"Refused by the database: {reason}",
                                                     row.slug))
                break
            written.extend(results)
            for result in results:
                report.counts[(type(result.record).__tablename__, result.action)] += 1
            if progress:
                progress(1)
        if batch.revisions and not report.problems:
            if restoring:
                restore_revisions(db, batch.revisions)
                report.revisions["restored"] = len(batch.revisions)
            else:
                report.revisions["left_out"] = len(batch.revisions)
    except BaseException:
        transaction.rollback()
        raise
    if report.problems or dry_run:
        transaction.rollback()
    else:
        transaction.commit()
    if report.problems:
        raise ImportRejected(report)
    return report


def import_data(
    db: DbSession, content: str | bytes, *, fmt: Format, actor: str, dry_run: bool, token_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a JSON or CSV file all or nothing: ``read_import`` then ``write_import``. The caller commits.

    Raises ``ImportRejected`` (nothing written) with every problem found. Practices without a ``status``
    are created as drafts and, when they exist, keep theirs; a row otherwise replaces the whole record
    (a field left out takes its default). A record created takes the row's stamps (else now, version 1); an
    existing one keeps its own and, when the row differs, becomes a new version stamped now. Nothing is
    ever deleted or restored.
    """
    return write_import(db, read_import(content, fmt=fmt), actor=actor, dry_run=dry_run, token_id=token_id,
                        progress=progress)
