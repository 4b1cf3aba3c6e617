"""Export of the practices as a spreadsheet: one row each, in the conventions of ``cells``; streamed, a batch
of practices at a time (``stream_csv``)."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func as sql
from sqlalchemy import select, true, union
from sqlalchemy.orm import Session as DbSession

from registry.services.exchange.cells import (
    BASE_LANGUAGES,
    CSV_FIELDS,
    LICENCE_COLUMN,
    MULTILINGUAL,
    neutralise,
    to_cell,
)
from registry.services.exchange.formats import KIND_BY_KEY, LICENCE, PRACTICES
from registry.services.exchange.json_export import BATCH, record_batches


def languages(db: DbSession) -> list[str]:
    """Every language any practice (deleted ones included) has text in, in any multilingual field, and the
    ``BASE_LANGUAGES``, sorted: one query, before any practice is read.

    PostgreSQL merges a practice's multilingual objects (``||``) and takes their keys in one pass; SQLite has no
    such merge (``json_patch`` drops keys whose value is null) and takes each field's keys, which it does
    faster than it would take the keys of their array."""
    table = KIND_BY_KEY[PRACTICES].model.__table__
    columns = [table.c[name] for name in sorted(MULTILINGUAL)]
    if db.connection().dialect.name == "postgresql":
        objects = [sql.coalesce(c, sql.jsonb_build_object()) for c in columns]
        merged = functools.reduce(lambda left, right: left.op("||")(right), objects)
        keys = sql.jsonb_object_keys(merged).table_valued("key").render_derived()
        query: Any = select(keys.c.key).select_from(table).join(keys, true()).distinct()
    else:
        each = [sql.json_each(c).table_valued("key") for c in columns]
        query = union(*(select(keys.c.key).select_from(table).join(keys, true()) for keys in each))
    return sorted(set(db.scalars(query)).union(BASE_LANGUAGES))


def stream_csv(db: DbSession, *, batch: int = BATCH) -> Iterator[str]:
    """The practices, deleted ones included, one row each (``CSV_FIELDS``: their fields, then their stamps;
    reference data is in the JSON export only), in chunks: the header, then one chunk per batch of practices.

    Lists are joined with ``|``, sources are JSON text, an empty cell is no value; every cell is
    ``neutralise``-d against formula injection. The importer reads exactly this back. The header has a column
    per language of each multilingual field (``languages``).
    """
    langs = languages(db)
    known = frozenset(langs)
    header: list[str] = []
    for name in CSV_FIELDS:
        if name in MULTILINGUAL:
            header.extend(f"{name}.{lang}" for lang in langs)
        else:
            header.append(name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*header, LICENCE_COLUMN])
    for practices in record_batches(db, PRACTICES, batch=batch):
        for practice in practices:
            cells: list[str] = []
            for name in CSV_FIELDS:
                if name in MULTILINGUAL:
                    text = practice.get(name) or {}
                    if not text.keys() <= known:  # only if the database changed between the two reads
                        raise RuntimeError(f"Practice {practice['slug']!r} has text in a language the header lacks.")
                    cells.extend(text.get(lang, "") for lang in langs)
                else:
                    cells.append(to_cell(name, practice.get(name)))
            writer.writerow([neutralise(cell) for cell in (*cells, LICENCE)])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    if out.tell():  # no practices: the header alone
        yield out.getvalue()


def export_csv(db: DbSession) -> str:
    """The whole sheet of ``stream_csv`` as one string: for small registries (and tests)."""
    return "".join(stream_csv(db))
