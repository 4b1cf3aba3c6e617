"""Bulk import and lossless export of the registry: JSON for every record, CSV for the practices.

Export writes what the write path reads back: each record is its ``records.snapshot``, which is the
input its kind's schema accepts, so exporting, importing into an empty database and exporting again
gives the same bytes. Import reads a file, validates every row with the kinds' own schemas, checks
every slug the rows name, and only then writes through ``records.upsert`` and ``write_session``
(design.md §1, one write path), all or nothing, inside a SAVEPOINT of the caller's transaction.

Nothing here commits, prints or knows of click or HTTP: the CLI and the API call these functions and
own the transaction.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from marshmallow import ValidationError, fields
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from registry.models import Practice, Question
from registry.services import validation as v
from registry.services.practices import PRACTICE
from registry.services.questions import question_slug
from registry.services.records import Kind, RecordError, Ref, RefList, Rows, WriteResult, savepoint, snapshot, upsert
from registry.services.seeding import SEED_FILES, flatten_messages
from registry.services.sessions import SESSION, write_session

Format = Literal["json", "csv"]
FORMATS: tuple[Format, ...] = ("json", "csv")
FORMAT_NAME = "practice-registry"
FORMAT_VERSION = 1
LICENCE = (
    "CC BY 4.0 (content): https://creativecommons.org/licenses/by/4.0/ - "
    "credit the Practice Registry and the sources each record cites."
)

#: Record kinds in the order they are written, keyed as in the JSON export (``networks`` ... ``practices``).
#: It is the seeds' order: a record names only records of the kinds before it, or a parent of its own kind.
KINDS: tuple[tuple[str, Kind], ...] = tuple((Path(name).stem, kind) for name, kind, _ in SEED_FILES)
_KIND_BY_KEY = dict(KINDS)
PRACTICES = "practices"


# --- the report ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportProblem:
    """One reason to reject an import. ``row`` is the CSV line where the row starts, or ``practices[3]``
    (the JSON path, counted from 0) for JSON; ``-`` for the file as a whole."""

    row: str
    field: str
    message: str
    slug: str | None = None

    def __str__(self) -> str:
        where = f"row {self.row}" + (f" (slug {self.slug!r})" if self.slug else "")
        return f"{where}: {self.field}: {self.message}"


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do): counts per table and action, or the problems."""

    format: Format
    dry_run: bool
    rows: int = 0
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.problems

    def total(self, action: str) -> int:
        return sum(n for (_, a), n in self.counts.items() if a == action)

    def by_kind(self) -> dict[str, dict[str, int]]:
        """``{"practices": {"created": 2, "updated": 0, "unchanged": 5}, ...}`` in write order."""
        tables = dict.fromkeys(table for table, _ in self.counts)
        return {t: {a: self.counts[(t, a)] for a in ("created", "updated", "unchanged")} for t in tables}

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (for the HTTP answer)."""
        return {
            "format": self.format, "dry_run": self.dry_run, "written": self.written, "rows": self.rows,
            "counts": self.by_kind(),
            "problems": [{"row": p.row, "field": p.field, "message": p.message, "slug": p.slug} for p in self.problems],
        }


class ImportRejected(Exception):
    """The import found problems and wrote nothing; ``report.problems`` lists every one found."""

    def __init__(self, report: ImportReport):
        super().__init__(f"Import rejected, nothing written ({len(report.problems)} problem(s))")
        self.report = report

    @property
    def problems(self) -> list[ImportProblem]:
        return self.report.problems


# --- export ---------------------------------------------------------------------------------------------------------

def _eager(kind: Kind) -> list[Any]:
    """Load every relation ``snapshot`` reads in one query per relation, not one per record."""
    options = []
    for relation in kind.relations.values():
        loader = selectinload(getattr(kind.model, relation.attr))
        if isinstance(relation, Rows) and relation.refs:
            loader = loader.options(*(selectinload(getattr(relation.model, r.attr)) for r in relation.refs.values()))
        options.append(loader)
    if kind is SESSION:
        options.append(selectinload(kind.model.questions))
    return options


def _sorted_keys(value: Any) -> Any:
    """Object keys sorted at every level: PostgreSQL's JSONB and SQLite's JSON keep keys in different orders."""
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def _exported(kind: Kind, record: Any) -> dict[str, Any]:
    data = snapshot(kind, record)
    if kind is SESSION:  # a session carries its questions, as ``SessionInput`` takes them
        data["questions"] = [
            {"number": q.number, "original_language": q.original_language, "text": q.text}
            for q in sorted(record.questions, key=lambda q: q.number)
        ]
    return _sorted_keys(data)


def export_records(db: DbSession) -> dict[str, list[dict[str, Any]]]:
    """Every record, by kind in write order, then by slug, each exactly as its kind's schema takes it.

    Left out, because the server owns them and an import could not set them: ids, ``version``,
    ``created_at``/``updated_at``/``published_at``, ``search_name``, revisions and API tokens. Practices
    carry their ``status``. Soft-deleted practices are not part of the registry's content and are left out.
    Questions travel inside their session: a question's slug is always ``<session-slug>-q<number>``.
    """
    exported = {}
    for key, kind in KINDS:
        query = select(kind.model).options(*_eager(kind))
        if kind.model is Practice:
            query = query.where(Practice.deleted_at.is_(None))
        records = sorted(db.scalars(query), key=lambda record: record.slug)  # byte order on both engines
        exported[key] = [_exported(kind, record) for record in records]
    return exported


def export_json(db: DbSession) -> str:
    """The whole registry as one JSON document (see ``export_records``), with its licence."""
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "licence": LICENCE, "records": export_records(db)}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- CSV cells ------------------------------------------------------------------------------------------------------

#: The practice columns of the CSV, in order. Multilingual fields spread over one column per language
#: (``title.en``, ``title.fr``, ...); a last ``licence`` column states the licence on every row.
CSV_FIELDS = (
    "slug", "status", "original_language", "title", "summary", "description", "lead_local_government",
    "partner_local_governments", "session", "practice_types", "rights", "questions", "target_groups",
    "gcm_objectives", "gcm_principles", "sdg_targets", "partner_organisations", "start_year", "end_year",
    "funding_kinds", "funding_independent_of_state", "outcomes", "evidence", "sources", "provenance",
    "documentation_status",
)
LICENCE_COLUMN = "licence"
#: Always given a column, so that the header stays the same while no practice uses another language.
BASE_LANGUAGES = ("en", "es", "fr", "pt")

# How each column is written, read off the practice schema so that the CSV follows it.
_PRACTICE_FIELDS = v.PracticeSeedInput().fields
MULTILINGUAL = frozenset(n for n in CSV_FIELDS if isinstance(_PRACTICE_FIELDS[n], fields.Dict))
JSON_CELLS = frozenset(  # lists of objects (sources): JSON text in the cell
    n for n in CSV_FIELDS
    if isinstance(_PRACTICE_FIELDS[n], fields.List) and isinstance(_PRACTICE_FIELDS[n].inner, fields.Nested)
)
LIST_CELLS = frozenset(n for n in CSV_FIELDS if isinstance(_PRACTICE_FIELDS[n], fields.List)) - JSON_CELLS
INTEGER_CELLS = frozenset(n for n in CSV_FIELDS if isinstance(_PRACTICE_FIELDS[n], fields.Integer))
BOOLEAN_CELLS = frozenset(n for n in CSV_FIELDS if isinstance(_PRACTICE_FIELDS[n], fields.Boolean))
_ML_COLUMN = re.compile(rf"^({'|'.join(sorted(MULTILINGUAL))})\.([a-z]{{2,3}})$")

#: What makes a spreadsheet read a cell as a formula (OWASP's list, tab and carriage return included).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RESTORED = frozenset((*FORMULA_STARTS, "'"))


def restore(cell: str) -> str:
    """Undo ``neutralise``: drop the ``'`` that guards a formula-looking cell (or a cell that starts with ``'``)."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in _RESTORED else cell


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text: a formula-looking one gets a leading ``'``.

    A cell that ``restore`` would shorten gets one too, so that ``restore(neutralise(x)) == x`` always.
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) or restore(cell) != cell else cell


def join_list(items: list[str]) -> str:
    """List items joined with ``|``; a ``|`` or ``\\`` inside an item is escaped with ``\\``."""
    return "|".join(item.replace("\\", "\\\\").replace("|", "\\|") for item in items)


def split_list(cell: str) -> list[str]:
    """The inverse of ``join_list``."""
    items: list[str] = []
    current: list[str] = []
    chars = iter(cell)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == "|":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def _cell(name: str, value: Any) -> str:
    if name in LIST_CELLS:
        return join_list(value or [])
    if name in JSON_CELLS:
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_csv(db: DbSession) -> str:
    """The practices, one row each (``CSV_FIELDS``; reference data is in the JSON export only).

    Lists are joined with ``|``, sources are JSON text, an empty cell is no value; every cell is
    ``neutralise``-d against formula injection. The importer reads exactly this back.
    """
    practices = export_records(db)[PRACTICES]
    present = {lang for p in practices for name in MULTILINGUAL for lang in (p.get(name) or {})}
    languages = sorted(present.union(BASE_LANGUAGES))
    header: list[str] = []
    for name in CSV_FIELDS:
        if name in MULTILINGUAL:
            header.extend(f"{name}.{lang}" for lang in languages)
        else:
            header.append(name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*header, LICENCE_COLUMN])
    for practice in practices:
        cells: list[str] = []
        for name in CSV_FIELDS:
            if name in MULTILINGUAL:
                cells.extend((practice.get(name) or {}).get(lang, "") for lang in languages)
            else:
                cells.append(_cell(name, practice.get(name)))
        writer.writerow([neutralise(cell) for cell in (*cells, LICENCE)])
    return out.getvalue()


# --- reading an import ----------------------------------------------------------------------------------------------

@dataclass
class _Row:
    label: str
    key: str  # the export's name of its kind: "networks", ..., "practices"
    raw: dict[str, Any]
    kind: Kind | None = None
    data: dict[str, Any] | None = None  # the validated input, once valid

    @property
    def slug(self) -> str | None:
        slug = self.raw.get("slug")
        return slug if isinstance(slug, str) and slug else None


@dataclass
class ImportBatch:
    """A parsed and validated file, ready for ``write_import``. ``problems`` are those found without a database."""

    format: Format
    rows: list[_Row]
    problems: list[ImportProblem]

    def __len__(self) -> int:
        return len(self.rows)


def _decode(content: str | bytes) -> tuple[str, list[ImportProblem]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return "", [ImportProblem("-", "(file)", f"Not UTF-8 text: {error}.")]
    return content.removeprefix("\ufeff"), []


def _json_rows(text: str) -> tuple[list[_Row], list[ImportProblem]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [ImportProblem("-", "(file)", f"Not valid JSON: {error}.")]
    if not isinstance(document, dict) or not isinstance(document.get("records"), dict):
        return [], [ImportProblem("-", "(file)", 'Must be an object with "records", as the export writes it.')]
    problems = [ImportProblem("-", key, "Unknown field.") for key in document
                if key not in ("format", "version", "licence", "records")]
    if document.get("format", FORMAT_NAME) != FORMAT_NAME:
        problems.append(ImportProblem("-", "format", f"Must be {FORMAT_NAME!r}."))
    if document.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        problems.append(ImportProblem("-", "version", f"This registry reads version {FORMAT_VERSION}."))
    rows = []
    for key, items in document["records"].items():
        if key not in _KIND_BY_KEY:
            expected = ", ".join(_KIND_BY_KEY)
            problems.append(ImportProblem("-", f"records.{key}", f"Unknown kind; expected one of {expected}."))
        elif not isinstance(items, list):
            problems.append(ImportProblem("-", f"records.{key}", "Must be a list of records."))
        else:
            for index, raw in enumerate(items):
                if isinstance(raw, dict):
                    rows.append(_Row(f"{key}[{index}]", key, raw))
                else:
                    problems.append(ImportProblem(f"{key}[{index}]", "(record)", "Must be an object of fields."))
    return rows, problems


def _csv_value(name: str, cell: str) -> Any:
    if name in LIST_CELLS:
        return split_list(cell)
    if name in JSON_CELLS:
        return json.loads(cell)
    if name in INTEGER_CELLS and re.fullmatch(r"-?[0-9]+", cell):
        return int(cell)
    if name in BOOLEAN_CELLS and cell in {"true", "false"}:
        return cell == "true"  # as _cell writes them; anything else goes to the schema, which refuses it
    return cell  # anything else, as text: the schema checks and converts it


def _csv_header(header: list[str], line: str) -> tuple[dict[int, tuple[str, str | None]], list[ImportProblem]]:
    """Which field (and language) each column holds; unknown and repeated columns are problems."""
    columns: dict[int, tuple[str, str | None]] = {}
    seen: set[str] = set()
    problems = []
    for index, name in enumerate(header):
        ml = _ML_COLUMN.match(name)
        if name in seen:
            problems.append(ImportProblem(line, name, "Column appears twice."))
        elif ml:
            columns[index] = (ml.group(1), ml.group(2))
        elif name in CSV_FIELDS and name not in MULTILINGUAL:
            columns[index] = (name, None)
        elif name in MULTILINGUAL:
            problems.append(ImportProblem(line, name, f"One column per language, such as '{name}.fr'."))
        elif name != LICENCE_COLUMN:
            problems.append(ImportProblem(line, name, "Unknown column."))
        seen.add(name)
    return columns, problems


def _csv_record(
    columns: dict[int, tuple[str, str | None]], cells: list[str]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A practice from one row's cells, and the ``(field, message)`` of cells that cannot be read.

    An empty cell is no value: ``None`` where the schema allows it, else the field is left out (its
    default, or "missing" when required).
    """
    record: dict[str, Any] = {}
    texts: dict[str, dict[str, str]] = {}
    unreadable = []
    for index, (name, language) in columns.items():
        cell = restore(cells[index])
        if language is not None:
            texts.setdefault(name, {})
            if cell:
                texts[name][language] = cell
        elif cell:
            try:
                record[name] = _csv_value(name, cell)
            except json.JSONDecodeError as error:
                unreadable.append((name, f"Not valid JSON: {error}."))
        elif _PRACTICE_FIELDS[name].allow_none:
            record[name] = None
    for name, text in texts.items():
        if text:
            record[name] = text
        elif _PRACTICE_FIELDS[name].allow_none:
            record[name] = None
    return record, unreadable


def _csv_rows(text: str) -> tuple[list[_Row], list[ImportProblem]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[_Row] = []
    problems: list[ImportProblem] = []
    columns: dict[int, tuple[str, str | None]] | None = None
    width = 0
    start = 1
    try:
        for cells in reader:
            line, start = str(start), reader.line_num + 1  # the line this row starts on; the next one's
            if not any(cells):
                continue
            if columns is None:
                columns, header_problems = _csv_header(cells, line)
                problems.extend(header_problems)
                width = len(cells)
                continue
            if len(cells) != width:
                problems.append(ImportProblem(line, "(row)", f"Has {len(cells)} cells where the header has {width}."))
                continue
            record, unreadable = _csv_record(columns, cells)
            row = _Row(line, PRACTICES, record)
            problems.extend(ImportProblem(line, name, message, row.slug) for name, message in unreadable)
            rows.append(row)  # validated all the same, so that one report names all its problems
    except csv.Error as error:
        problems.append(ImportProblem(str(reader.line_num), "(file)", f"Not valid CSV: {error}."))
    if columns is None and not problems:
        problems.append(ImportProblem("-", "(file)", "Empty: the first row must name the columns."))
    return rows, problems


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


def _validate(row: _Row) -> list[ImportProblem]:
    kind = _KIND_BY_KEY[row.key]
    if row.key == PRACTICES and "status" not in row.raw:
        kind = PRACTICE  # no status: a new practice is a draft, an existing one keeps its status
    nul = list(dict.fromkeys(_nul_paths(row.raw)))
    if nul:
        return [ImportProblem(row.label, path, "Cannot hold a NUL character.", row.slug) for path in nul]
    try:
        row.data = kind.schema().load(row.raw)
    except ValidationError as error:
        return [ImportProblem(row.label, name, message, row.slug) for name, message in flatten_messages(error.messages)]
    row.kind = kind
    return []


def _parents_first(kind: Kind, rows: list[_Row]) -> tuple[list[_Row], list[ImportProblem]]:
    """``rows`` (valid, of one kind) with every parent named in the batch before its children."""
    names = [name for name, rel in kind.relations.items() if isinstance(rel, Ref) and rel.model is kind.model]
    if not names:
        return rows, []
    in_batch = {row.data["slug"] for row in rows if row.data}
    ordered: list[_Row] = []
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


def _write_order(rows: list[_Row]) -> tuple[list[_Row], list[ImportProblem]]:
    """Valid rows by kind in write order, parents first within a kind, otherwise as in the file."""
    ordered: list[_Row] = []
    problems: list[ImportProblem] = []
    for key, kind in KINDS:
        placed, cycles = _parents_first(kind, [row for row in rows if row.key == key and row.data is not None])
        ordered.extend(placed)
        problems.extend(cycles)
    return ordered, problems


def _duplicates(rows: list[_Row]) -> list[ImportProblem]:
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
    rows, problems = _json_rows(text) if fmt == "json" else _csv_rows(text)
    for row in rows:
        problems.extend(_validate(row))
    problems.extend(_duplicates(rows))
    ordered, cycles = _write_order(rows)
    problems.extend(cycles)
    return ImportBatch(fmt, ordered if not problems else rows, problems)


# --- writing an import ----------------------------------------------------------------------------------------------

def _references(row: _Row) -> Iterator[tuple[str, type, list[str]]]:
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


def _check_references(db: DbSession, rows: list[_Row]) -> list[ImportProblem]:
    """Every slug a row names must be in the database or in this import: all of them checked, up front."""
    known: dict[type, set[str]] = {}
    for row in rows:
        if row.kind is not None and row.data is not None:
            known.setdefault(row.kind.model, set()).add(row.data["slug"])
            if row.kind is SESSION:
                known.setdefault(Question, set()).update(
                    question_slug(row.data["slug"], q["number"]) for q in row.data["questions"]
                )
    stored: dict[type, set[str]] = {}
    problems = []
    for row in rows:
        if row.data is None:
            continue
        for name, model, slugs in _references(row):
            if model not in stored:
                stored[model] = set(db.scalars(select(model.slug)))
            missing = [s for s in slugs if s not in stored[model] and s not in known.get(model, ())]
            if missing:
                problems.append(ImportProblem(row.label, name, f"Unknown slug: {', '.join(map(repr, missing))}.",
                                              row.slug))
    practices = {row.data["slug"]: row for row in rows if row.key == PRACTICES and row.data}
    if practices:
        deleted = db.scalars(select(Practice.slug).where(Practice.deleted_at.is_not(None),
                                                         Practice.slug.in_(list(practices))))
        problems.extend(
            ImportProblem(practices[s].label, "slug", "A deleted practice has this slug; restore it first.", s)
            for s in deleted
        )
    return problems


def _write(db: DbSession, row: _Row, actor: str, token_id: int | None) -> list[WriteResult]:
    assert row.kind is not None and row.data is not None
    if row.kind is SESSION:
        return write_session(db, row.data, actor=actor, token_id=token_id)
    return [upsert(db, row.kind, row.data, actor=actor, token_id=token_id)]


def write_import(
    db: DbSession, batch: ImportBatch, *, actor: str, dry_run: bool, token_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check ``batch`` against the database, then write it through the write path, all or nothing.

    The writes happen in a SAVEPOINT of the caller's transaction. On any problem the SAVEPOINT is
    rolled back and ``ImportRejected`` lists the problems; in a dry run it is rolled back too, after
    the database has had its say (references, unique numbers ...). Otherwise it is released and the
    caller commits. ``progress(1)`` is called after each record is written.
    """
    report = ImportReport(batch.format, dry_run, rows=len(batch), problems=list(batch.problems))
    report.problems.extend(_check_references(db, batch.rows))
    if report.problems:
        raise ImportRejected(report)

    transaction = savepoint(db)
    # Every record written stays referenced until the SAVEPOINT is settled: the session tracks new and
    # changed objects only weakly, and one collected then loaded again would survive a rollback as a
    # ghost of a row that never was (or with values that were rolled back).
    written: list[WriteResult] = []
    try:
        for row in batch.rows:
            try:
                results = _write(db, row, actor, token_id)
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
    (a field left out takes its default). Nothing is ever deleted.
    """
    return write_import(db, read_import(content, fmt=fmt), actor=actor, dry_run=dry_run, token_id=token_id,
                        progress=progress)
