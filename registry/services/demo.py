"""Synthetic demo practices: content to try search, filters and facets on, never mistaken for real records.

The seeds hold what the session's concept note says and nothing more, so a new registry has no public
practice. ``load_demo`` writes N practices made up from the registry's own reference data (its local
governments, rights, target groups, practice types, GCM objectives, SDG targets and session questions):
every one says it is synthetic in its title (in each of its languages) and in its provenance, and its
slug starts with ``synthetic-demo-``. The same N always gives the same practices, so running it again
changes nothing. It refuses a registry that holds practices people or imports wrote: demo data belongs
in a registry being tried out, not next to real content.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from registry.models import (
    GcmObjective,
    LocalGovernment,
    Practice,
    PracticeType,
    Question,
    Revision,
    Right,
    SdgTarget,
    TargetGroup,
)
from registry.services.bulk import load_practices
from registry.services.errors import EditorialError
from registry.services.practices import PRACTICE_WITH_STATUS
from registry.services.records import upsert
from registry.services.seeding import ACTOR as SEED_ACTOR

ACTOR = "demo"
SLUG_PREFIX = "synthetic-demo-"
PROVENANCE = (
    "Synthetic demo record made by 'flask --app registry demo' from the registry's reference data: not a real"
    " practice. Every field is generated."
)
LANGUAGES = ("fr", "en", "es", "pt")
#: "Synthetic practice no. 12" in each language: the title says what the record is.
TITLE_PREFIX = {
    "fr": "Pratique synthétique n° {n}", "en": "Synthetic practice no. {n}",
    "es": "Práctica sintética n.º {n}", "pt": "Prática sintética n.º {n}",
}
SUMMARY = {
    "fr": "Exemple synthétique de démonstration, sans réalité. Droits : {rights}. Publics : {groups}.",
    "en": "Synthetic demonstration example, not a real practice. Rights: {rights}. Groups: {groups}.",
    "es": "Ejemplo sintético de demostración, no es una práctica real. Derechos: {rights}. Grupos: {groups}.",
    "pt": "Exemplo sintético de demonstração, não é uma prática real. Direitos: {rights}. Grupos: {groups}.",
}


class DemoRefused(EditorialError):
    """The registry holds practices that are not demo records (or lacks the reference data demo needs)."""


@dataclass
class DemoReport:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def created(self) -> int:
        return self.counts["created"]

    @property
    def updated(self) -> int:
        return self.counts["updated"]

    @property
    def unchanged(self) -> int:
        return self.counts["unchanged"]


@dataclass(frozen=True)
class _Pools:
    """The reference records the synthetic practices draw from, by slug, with their labels."""

    local_governments: list[tuple[str, dict[str, str]]]
    practice_types: list[tuple[str, dict[str, str]]]
    rights: list[tuple[str, dict[str, str]]]
    target_groups: list[tuple[str, dict[str, str]]]
    gcm_objectives: list[str]
    sdg_targets: list[str]
    questions: list[tuple[str, str]]  # (question slug, its session's slug)


def _labelled(db: DbSession, column: Any, label: Any) -> list[tuple[str, dict[str, str]]]:
    return [(slug, text) for slug, text in db.execute(select(column, label).order_by(column))]


def reference_pools(db: DbSession) -> _Pools:
    """The reference records synthetic practices draw from; ``DemoRefused`` when a pool is empty."""
    pools = _Pools(
        local_governments=_labelled(db, LocalGovernment.slug, LocalGovernment.name),
        practice_types=_labelled(db, PracticeType.slug, PracticeType.label),
        rights=_labelled(db, Right.slug, Right.label),
        target_groups=_labelled(db, TargetGroup.slug, TargetGroup.label),
        gcm_objectives=list(db.scalars(select(GcmObjective.slug).order_by(GcmObjective.number))),
        sdg_targets=list(db.scalars(select(SdgTarget.slug).order_by(SdgTarget.slug))),
        questions=[(q.slug, q.session.slug) for q in db.scalars(select(Question).order_by(Question.slug))],
    )
    empty = [name for name in ("local_governments", "practice_types", "rights", "target_groups", "gcm_objectives")
             if not getattr(pools, name)]
    if empty:
        raise DemoRefused(
            "The registry has no reference data to make demo practices from: run 'flask --app registry seed' first.",
            {"count": [f"No {', '.join(name.replace('_', ' ') for name in empty)} in the registry."]},
        )
    return pools


def synthetic_practice(pools: _Pools, number: int) -> dict[str, Any]:
    """Demo practice ``number``: the same input for the same number and reference data, every time."""
    rng = random.Random(f"registry-demo-{number}")
    lead_slug, lead_name = rng.choice(pools.local_governments)
    type_slug, type_label = rng.choice(pools.practice_types)
    rights = rng.sample(pools.rights, k=min(len(pools.rights), rng.randint(1, 3)))
    groups = rng.sample(pools.target_groups, k=min(len(pools.target_groups), rng.randint(1, 2)))
    others = [slug for slug, _ in pools.local_governments if slug != lead_slug]
    questions = rng.sample(pools.questions, k=min(len(pools.questions), rng.randint(0, 2)))
    start = rng.randint(2005, 2024)
    original = rng.choice(LANGUAGES)

    def named(label: dict[str, str], language: str) -> str:
        return label.get(language) or label.get(original) or next(iter(label.values()))

    title, summary = {}, {}
    for language in LANGUAGES:
        colon = " :" if language == "fr" else ":"
        title[language] = (f"{TITLE_PREFIX[language].format(n=number)}{colon} {named(type_label, language)}"
                           f" ({named(lead_name, language)})")
        summary[language] = SUMMARY[language].format(
            rights=", ".join(named(label, language) for _, label in rights),
            groups=", ".join(named(label, language) for _, label in groups),
        )
    return {
        "slug": f"{SLUG_PREFIX}{number:05d}",
        "original_language": original,
        "title": title,
        "summary": summary,
        "lead_local_government": lead_slug,
        "partner_local_governments": rng.sample(others, k=min(len(others), rng.choice((0, 0, 1, 2)))),
        "practice_types": [type_slug],
        "rights": sorted(slug for slug, _ in rights),
        "target_groups": sorted(slug for slug, _ in groups),
        "gcm_objectives": sorted(rng.sample(pools.gcm_objectives, k=rng.randint(1, 2))),
        "sdg_targets": sorted(rng.sample(pools.sdg_targets, k=min(len(pools.sdg_targets), rng.randint(0, 1)))),
        "questions": sorted(slug for slug, _ in questions),
        "session": questions[0][1] if questions else None,
        "start_year": start,
        "end_year": rng.choice((None, min(start + rng.randint(0, 6), 2026))),
        "provenance": PROVENANCE,
        "documentation": rng.choice(("partial", "complete")),
        "status": "published",
    }


class DemoPractices(Sequence[dict[str, Any]]):
    """Demo practices 1 to ``count`` as raw input, each made when it is read: a sequence, so that the bulk
    loader's workers, which hold it, make their own instead of being sent them."""

    def __init__(self, pools: _Pools, count: int) -> None:
        self.pools, self.count = pools, count

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if not -self.count <= index < self.count:
            raise IndexError(index)
        return synthetic_practice(self.pools, index % self.count + 1)


def real_practices(db: DbSession, limit: int = 5) -> tuple[int, list[str]]:
    """How many practices are neither demo records nor seed records no one has touched, and a few of their slugs.

    A seed record counts as untouched while its newest revision is the seed's (``seeding.changed_by_others``).
    """
    newest = (select(Revision.entity_id, func.max(Revision.id).label("id"))
              .where(Revision.entity_type == "practice").group_by(Revision.entity_id).subquery())
    last_actor = (select(Revision.actor).join(newest, newest.c.id == Revision.id)
                  .where(newest.c.entity_id == Practice.id).scalar_subquery())
    real = select(Practice.slug).where(Practice.provenance != PROVENANCE,
                                       func.coalesce(last_actor, "") != SEED_ACTOR)
    count = db.scalar(select(func.count()).select_from(real.subquery())) or 0
    return count, list(db.scalars(real.order_by(Practice.slug).limit(limit)))


def load_demo(db: DbSession, count: int, *, force: bool = False, bulk: bool = False) -> DemoReport:
    """Make demo practices 1 to ``count`` exist as generated (the caller commits). ``DemoRefused`` when the
    registry holds real practices (unless ``force``) or lacks reference data.

    With ``bulk``, the missing ones are written by the bulk load path (``services.bulk``: the same rows, much
    faster); demo practices already there are left as they are (counted unchanged), never updated."""
    if count < 1:
        raise DemoRefused("Ask for at least one demo practice.", {"count": ["Must be at least 1."]})
    if not force:
        found, some = real_practices(db)
        if found:
            listed = ", ".join(repr(slug) for slug in some) + (", ..." if found > len(some) else "")
            raise DemoRefused(
                f"The registry holds {found} practice(s) that are not synthetic demo records ({listed}): demo"
                " data goes only into a registry being tried out. Use --force to add it anyway.",
                {"force": [f"{found} real practice(s) in the registry."]},
            )
    pools = reference_pools(db)
    report = DemoReport()
    if bulk:
        loaded = load_practices(db, PRACTICE_WITH_STATUS, DemoPractices(pools, count), actor=ACTOR)
        report.counts.update(created=loaded.created, unchanged=loaded.skipped)
        return report
    schema = PRACTICE_WITH_STATUS.schema()
    for number in range(1, count + 1):
        data = schema.load(synthetic_practice(pools, number))
        report.counts[upsert(db, PRACTICE_WITH_STATUS, data, actor=ACTOR).action] += 1
    return report
