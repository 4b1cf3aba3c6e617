"""The bulk load path's first half: each input validated and made into rows, with no database (no HTTP here).

``services.bulk.load_practices`` writes what this module prepares. Preparing an input is the part of a bulk
load that needs no database: the kind's schema ``load`` (the same validation as the write path), every slug
resolved against maps of the reference records read once, and the JSON the database will hold (the record's
JSON columns, the revision's changes from ``records.creation_changes``) as text. It is most of a load's Python work
(marshmallow alone is ~0.2 ms of CPU per practice), so once a load is larger than one chunk it runs in
worker processes, ahead of the chunk being written, while the loading process writes (``prepared_chunks``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from marshmallow import ValidationError

from registry.services.records import Kind, RecordError, Rows, creation_changes

Batch = list[tuple[int, dict[str, Any]]]
Inputs = Iterable[dict[str, Any]]
#: A chunk to prepare: its inputs with their positions, or the positions of a sequence of inputs.
Job = Batch | range
Serializer = Callable[[Any], str]


@dataclass(frozen=True)
class Lookups:
    """Slug -> id of the records the kind's relations name, read once (``bulk._plan``)."""

    #: Ref field -> (foreign key column, slug -> id of the target records).
    refs: dict[str, tuple[str, dict[str, int]]]
    #: RefList field -> slug -> id of the target records.
    links: dict[str, dict[str, int]]
    #: Rows field -> per ref of a child row: (its column, slug -> id).
    rows: dict[str, dict[str, tuple[str, dict[str, int]]]]


@dataclass
class Prepared:
    """One input, made ready for writing without the database; or what is wrong with it."""

    position: int
    slug: str | None = None
    #: The schema refused it: its messages, named ``[position].field``.
    invalid: dict[str, list[str]] | None = None
    #: It validated but names a record that does not exist (an error only if it is not skipped).
    unknown: dict[str, list[str]] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    #: The record's columns with its references as ids (no stamps: the writer gives them).
    row: dict[str, Any] = field(default_factory=dict)
    #: RefList field -> the ids of its targets, each once, in input order.
    links: dict[str, list[int]] = field(default_factory=dict)
    #: Rows field -> its child rows, without the record's id.
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: The record's JSON columns as the text the database will hold (None: NULL).
    json: dict[str, str | None] = field(default_factory=dict)
    #: The revision's changes (``records.creation_changes``) as the JSON text the database will hold.
    changes: str = ""


def resolve(ids: dict[str, int], slug: str, where: str) -> int:
    try:
        return ids[slug]
    except KeyError:
        raise RecordError({where: [f"Unknown slug: {slug!r}."]}) from None


@dataclass(frozen=True)
class Preparing:
    """What preparing an input needs besides the input: the same here and in a worker."""

    kind: Kind
    lookups: Lookups
    #: The JSON columns of the record's table, and whether each stores None as NULL (else as JSON null).
    json_columns: dict[str, bool]
    #: What the JSON column type turns a value into on the loading engine (``bulk._json_serializer``).
    to_json: Serializer

    def batch(self, batch: Batch) -> list[Prepared]:
        """Validate each input of ``batch`` with the kind's schema and make its rows, in input order."""
        schema = self.kind.schema()
        prepared = []
        for position, raw in batch:
            try:
                data = schema.load(raw)
            except ValidationError as error:
                messages = error.normalized_messages()
                prepared.append(Prepared(position, invalid={f"[{position}].{name}": [str(problems)]
                                                            for name, problems in messages.items()}))
                continue
            try:
                prepared.append(self._rows_of(position, data))
            except RecordError as error:
                prepared.append(Prepared(position, data["slug"], unknown=error.errors))
        return prepared

    def _rows_of(self, position: int, data: dict[str, Any]) -> Prepared:
        kind, lookups = self.kind, self.lookups
        row = {name: data[name] for name in kind.columns if name in data}
        for name, (column, ids) in lookups.refs.items():
            if data.get(name) is not None:
                row[column] = resolve(ids, data[name], f"[{position}].{name}")
        links = {name: [resolve(ids, slug, f"[{position}].{name}") for slug in dict.fromkeys(data.get(name) or [])]
                 for name, ids in lookups.links.items()}
        children: dict[str, list[dict[str, Any]]] = {}
        for name, refs in lookups.rows.items():
            relation = kind.relations[name]
            assert isinstance(relation, Rows)
            children[name] = []
            for index, item in enumerate(data.get(name) or []):
                child = {"position": index, **{c: item.get(c) for c in relation.columns if c not in relation.refs}}
                for ref_name, (column, ids) in refs.items():
                    child[column] = resolve(ids, item[ref_name], f"[{position}].{name}[{index}].{ref_name}")
                children[name].append(child)
        return Prepared(position, data["slug"], data=data, row=row, links=links, children=children,
                        json={name: self.json_text(row.get(name), null) for name, null in self.json_columns.items()},
                        changes=self.to_json(creation_changes(kind, data)))

    def json_text(self, value: Any, none_as_null: bool) -> str | None:
        """A JSON column's value as the column type would write it."""
        return None if value is None and none_as_null else self.to_json(value)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _batch(inputs: Inputs, job: Job) -> Batch:
    if isinstance(job, range):
        assert isinstance(inputs, Sequence)
        return [(position, inputs[position]) for position in job]
    return job


#: In a worker process: how to prepare, and the inputs when they are a sequence; given once, when it starts.
_worker: list[tuple[Preparing, Inputs]] = []


def _start_worker(preparing: Preparing, inputs: Inputs) -> None:
    _worker.append((preparing, inputs))


def _prepare_in_worker(job: Job) -> list[Prepared]:
    preparing, inputs = _worker[0]
    return preparing.batch(_batch(inputs, job))


def default_workers() -> int:
    """Worker processes for preparing: one CPU is the writer's, whose pace the load goes at (a worker taking
    its CPU would only prepare further ahead); one worker per other CPU, up to two (preparing costs about as
    much CPU per practice as writing, so beyond two they would only wait). None on one CPU, or where processes
    cannot be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cpus - 1, 2)


def prepared_chunks(preparing: Preparing, inputs: Inputs, chunk: int, workers: int) -> Iterator[list[Prepared]]:
    """Each chunk of ``inputs`` prepared, in order.

    With ``workers`` and more than one chunk, worker processes prepare the next chunks while the caller writes
    this one. Inputs that are a ``Sequence`` (a list, or ``demo.DemoPractices``) are read by position in the
    workers, which hold them already (forked), so this process neither makes nor sends them; any other
    iterable is read here, a chunk at a time, and sent. A single chunk is prepared here: starting processes
    would cost more than they save. Close the iterator when done with it early (``contextlib.closing``): that
    cancels the chunks not started and waits for the workers to stop.
    """
    jobs: Iterator[Job]
    if isinstance(inputs, Sequence):
        jobs = (range(start, min(start + chunk, len(inputs))) for start in range(0, len(inputs), chunk))
    else:
        jobs = _chunks(enumerate(inputs), chunk)
    ahead = list(islice(jobs, 2))
    jobs = chain(ahead, jobs)
    if workers < 1 or len(ahead) < 2:
        for job in jobs:
            yield preparing.batch(_batch(inputs, job))
        return
    # Forked: a worker starts in milliseconds with the modules (and a sequence of inputs) it needs already there,
    # and re-runs no main module. It never touches the database connections it inherits, and leaves by
    # os._exit, which closes nothing on them.
    context = multiprocessing.get_context("fork")
    shared = inputs if isinstance(inputs, Sequence) else ()
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(preparing, shared)) as pool:
        pending: deque[Future[list[Prepared]]] = deque()
        try:
            for job in jobs:
                pending.append(pool.submit(_prepare_in_worker, job))
                # Two chunks per worker in flight: each has the next one queued while the writer writes.
                if len(pending) > 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
