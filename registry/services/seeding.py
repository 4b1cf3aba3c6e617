"""Load the YAML seeds through the write services, all or nothing.

Pass one reads and validates every file, collecting every problem; pass two writes through
``records.upsert`` (the same path as API writes) inside the caller's transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import Revision
from registry.services.gcm_objectives import GCM_OBJECTIVE
from registry.services.gcm_principles import GCM_PRINCIPLE
from registry.services.local_governments import LOCAL_GOVERNMENT
from registry.services.networks import NETWORK
from registry.services.organisations import ORGANISATION
from registry.services.practice_types import PRACTICE_TYPE
from registry.services.practices import PRACTICE_WITH_STATUS
from registry.services.records import Kind, RecordError, WriteResult, upsert
from registry.services.rights import RIGHT
from registry.services.sdg_targets import SDG_TARGET
from registry.services.sessions import PERSON, SESSION, write_session
from registry.services.target_groups import TARGET_GROUP

ACTOR = "seed"

Writer = Callable[..., list[WriteResult]]
#: Whether the seed must leave the record of this kind and slug as it is.
Keep = Callable[[Kind, str], bool]


def _single(kind: Kind) -> Writer:
    def write(db: DbSession, data: dict[str, Any], *, actor: str, keep: Keep) -> list[WriteResult]:
        return [] if keep(kind, data["slug"]) else [upsert(db, kind, data, actor=actor)]

    return write


#: Seed files in the order they load: a record can only name records loaded before it.
SEED_FILES: tuple[tuple[str, Kind, Writer], ...] = (
    ("networks.yaml", NETWORK, _single(NETWORK)),
    ("rights.yaml", RIGHT, _single(RIGHT)),
    ("target_groups.yaml", TARGET_GROUP, _single(TARGET_GROUP)),
    ("practice_types.yaml", PRACTICE_TYPE, _single(PRACTICE_TYPE)),
    ("gcm_objectives.yaml", GCM_OBJECTIVE, _single(GCM_OBJECTIVE)),
    ("gcm_principles.yaml", GCM_PRINCIPLE, _single(GCM_PRINCIPLE)),
    ("sdg_targets.yaml", SDG_TARGET, _single(SDG_TARGET)),
    ("local_governments.yaml", LOCAL_GOVERNMENT, _single(LOCAL_GOVERNMENT)),
    ("organisations.yaml", ORGANISATION, _single(ORGANISATION)),
    ("people.yaml", PERSON, _single(PERSON)),
    ("sessions.yaml", SESSION, write_session),
    ("practices.yaml", PRACTICE_WITH_STATUS, _single(PRACTICE_WITH_STATUS)),
)


@dataclass(frozen=True)
class SeedProblem:
    file: str
    record: str  # "#3 (slug 'madrid')" or "-" for the file as a whole
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: record {self.record}: {self.field}: {self.message}"


class SeedError(Exception):
    def __init__(self, problems: list[SeedProblem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class SeedRecord:
    file: str
    index: int
    data: dict[str, Any]
    kind: Kind
    write: Writer

    @property
    def label(self) -> str:
        slug = self.data.get("slug")
        return f"#{self.index}" + (f" (slug {slug!r})" if slug else "")


@dataclass
class SeedReport:
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Records left alone because someone other than the seed changed them since: (kind, slug).
    kept: list[tuple[str, str]] = field(default_factory=list)

    def add(self, result: WriteResult, kind_name: str) -> None:
        self.counts[(kind_name, result.action)] += 1

    def total(self, action: str) -> int:
        return sum(n for (_, a), n in self.counts.items() if a == action)

    @property
    def changed(self) -> bool:
        return bool(self.total("created") or self.total("updated"))


class _SeedLoader(yaml.SafeLoader):
    """YAML as people write it, but dates and times stay text for the schemas to check."""


_SeedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def flatten_messages(messages: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """marshmallow's nested error dicts as ``(field.path[0].sub, message)`` pairs."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):
                path = f"{prefix}[{key}]"
            elif key == "_schema":
                path = prefix or "(record)"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            yield from flatten_messages(value, path)
    elif isinstance(messages, list):
        for message in messages:
            yield from flatten_messages(message, prefix)
    else:
        yield prefix or "(record)", str(messages)


def read_seeds(directory: Path) -> list[SeedRecord]:
    """Parse and validate every seed file; raise ``SeedError`` listing every problem found."""
    records: list[SeedRecord] = []
    problems: list[SeedProblem] = []
    for filename, kind, write in SEED_FILES:
        path = directory / filename
        if not path.exists():
            problems.append(SeedProblem(filename, "-", "(file)", f"missing from {directory}"))
            continue
        try:
            content = yaml.load(path.read_text(encoding="utf-8"), Loader=_SeedLoader)  # noqa: S506
        except yaml.YAMLError as error:
            problems.append(SeedProblem(filename, "-", "(file)", f"not valid YAML: {error}"))
            continue
        if content is None:
            content = []
        if not isinstance(content, list):
            problems.append(SeedProblem(filename, "-", "(file)", "must be a list of records"))
            continue
        seen: set[str] = set()
        for index, raw in enumerate(content, start=1):
            record = SeedRecord(filename, index, raw if isinstance(raw, dict) else {}, kind, write)
            if not isinstance(raw, dict):
                problems.append(SeedProblem(filename, record.label, "(record)", "must be a mapping of fields"))
                continue
            try:
                record.data = kind.schema().load(raw)
            except ValidationError as error:
                problems.extend(
                    SeedProblem(filename, record.label, name, message)
                    for name, message in flatten_messages(error.messages)
                )
                continue
            slug = record.data["slug"]
            if slug in seen:
                problems.append(SeedProblem(filename, record.label, "slug", "appears twice in this file"))
            seen.add(slug)
            records.append(record)
    if problems:
        raise SeedError(problems)
    return records


def changed_by_others(db: DbSession, kind: Kind, slug: str) -> bool:
    """Whether the newest revision of this record is someone else's than the seed's: a person (or an
    import) edited, archived or deleted it since the seed wrote it, and the seed must leave it alone."""
    actor = db.scalar(
        select(Revision.actor).where(Revision.entity_type == kind.name, Revision.entity_slug == slug)
        .order_by(Revision.id.desc()).limit(1)
    )
    return actor is not None and actor != ACTOR


def load_seeds(
    db: DbSession, records: list[SeedRecord], *, progress: Callable[[int], None] | None = None
) -> SeedReport:
    """Write the records ``read_seeds`` gave; the caller commits or rolls back. Raises ``SeedError``.

    Safe at any time: a record is created when missing and brought to its seed only while it is still as
    the seed left it. One that someone else has changed (or archived, or deleted) since is kept as it is
    and listed in ``report.kept``.
    """
    report = SeedReport()

    def keep(kind: Kind, slug: str) -> bool:
        if changed_by_others(db, kind, slug):
            report.kept.append((kind.name, slug))
            return True
        return False

    for record in records:
        try:
            results = record.write(db, record.data, actor=ACTOR, keep=keep)
        except RecordError as error:
            raise SeedError(
                [SeedProblem(record.file, record.label, name, " ".join(messages))
                 for name, messages in error.errors.items()]
            ) from error
        for result in results:
            report.add(result, type(result.record).__tablename__)
        if progress:
            progress(1)
    return report

