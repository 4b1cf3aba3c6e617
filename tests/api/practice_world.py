"""The practices world: the seeds (six practices, one per speaking local government, no classification; seeded
as draft stubs, here partly documented and published, as staff would, so that the lists hold practices from
every region the note names) plus synthetic practices added through the write path, each chosen so that every assertion
of the practice read tests tells a right answer from a plausible wrong one, plus practices that must stay
invisible (draft, in review, archived, soft-deleted). ``tests/api/conftest.py`` builds it once per module.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import yaml
from flask.testing import FlaskClient
from sqlalchemy import update

from registry.extensions import db
from registry.models import Practice
from tests.conftest import SEEDS_DIR
from tests.factories import SESSION, create_local_government, create_organisation, create_practice, question, utc

SPEAKERS = ("upala", "pikine", "gaborone", "madrid", "pichincha", "quetzaltenango")
SEEDED = {lg: f"{lg}-droits-humains-des-migrants" for lg in SPEAKERS}

# The synthetic published practices (see ``world``).
A = "synthetic-madrid-logement"
B = "synthetic-sao-paulo-migracao"
C = "synthetic-upala-seguridad"
D = "synthetic-town-a-food"
E = "synthetic-town-b-work"
F = "synthetic-pikine-bolsa"
SYNTHETIC = (A, B, C, D, E, F)
PUBLISHED = (*SEEDED.values(), *SYNTHETIC)

# Practices nobody may see without a token.
DRAFT = "synthetic-draft-brouillon"
IN_REVIEW = "synthetic-in-review-brouillon"
ARCHIVED = "synthetic-archived-brouillon"
DELETED = "synthetic-deleted-brouillon"
INVISIBLE = (DRAFT, IN_REVIEW, ARCHIVED, DELETED)

def _seed_file(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((SEEDS_DIR / name).read_text(encoding="utf-8")) or []


SEED_LABELS: dict[str, dict[str, Any]] = {
    "local_governments": {r["slug"]: r["name"] for r in _seed_file("local_governments.yaml")},
    "rights": {r["slug"]: r["label"] for r in _seed_file("rights.yaml")},
    "target_groups": {r["slug"]: r["label"] for r in _seed_file("target_groups.yaml")},
    "practice_types": {r["slug"]: r["label"] for r in _seed_file("practice_types.yaml")},
    "gcm_objectives": {r["slug"]: r["short_title"] for r in _seed_file("gcm_objectives.yaml")},
    "gcm_principles": {r["slug"]: r["title"] for r in _seed_file("gcm_principles.yaml")},
    "sdg_targets": {r["slug"]: r["title"] for r in _seed_file("sdg_targets.yaml")},
}
SESSION_SEED = _seed_file("sessions.yaml")[0]


TOWN_A = "synthetic-town-a"
TOWN_B = "synthetic-town-b"
ORGANISATION = "synthetic-partner-organisation"

A_TIME = utc(2024, 3, 1, 12, 0)  # A and B share it: ties are broken by slug
C_TIME = utc(2024, 6, 1, 8, 0)
D_TIME = utc(2022, 1, 10, 0, 0)
E_TIME = utc(2021, 5, 5, 0, 0)  # E and F share it


def publish_seeded_stubs() -> None:
    """The six seeded stubs, marked partly documented and published in place (their times and versions kept,
    which the order tests rely on)."""
    db.session.execute(
        update(Practice).where(Practice.slug.in_(SEEDED.values()))
        .values(documentation="partial", status="published", published_at=Practice.updated_at)
    )


def build_world() -> None:
    """The seeded stubs published; two synthetic towns, a synthetic organisation, the synthetic practices; committed."""
    publish_seeded_stubs()
    create_local_government(
        slug=TOWN_A, name={"fr": "Commune synthétique A (données de test)"}, original_language="fr",
        country="FR", m49_region="150", m49_sub_region="155", networks=["uclg", "uclg-cisdp"],
    )
    create_local_government(
        slug=TOWN_B, name={"es": "Municipio sintético B (datos de prueba)"}, original_language="es",
        country="MX", m49_region="019", m49_sub_region="419", m49_intermediate_region="013", networks=["uclg"],
    )
    create_organisation(slug=ORGANISATION, name={"en": "Synthetic partner organisation (test data)"})
    create_practice(
        at=A_TIME, slug=A, original_language="fr", lead_local_government="madrid",
        partner_local_governments=["pikine"],
        title={"fr": "Logement d'abord pour les familles migrantes", "en": "Housing first for migrant families"},
        summary={"fr": "Des familles arrivées récemment reçoivent un toit sans condition (données synthétiques)."},
        description={"fr": "Description synthétique d'un accueil en appartements.", "en": "Synthetic description."},
        rights=["housing", "food"], target_groups=["women", "children"], practice_types=["humanitarian-reception"],
        gcm_objectives=["gcm-objective-15"], gcm_principles=["human-rights", "child-sensitive"],
        sdg_targets=["11-1"], questions=[question(5)], session=SESSION, partner_organisations=[ORGANISATION],
        start_year=2016, end_year=2020, funding_kinds=["municipal budget"], funding_independent_of_state=True,
        outcomes={"fr": "Résultats synthétiques."}, evidence={"fr": "Preuves synthétiques."},
        documentation="complete",
        sources=[{"title": "Synthetic report (test data)", "url": "https://example.org/synthetic-report",
                  "kind": "report", "date": "2020-05-17"}],
    )
    create_practice(
        at=A_TIME, slug=B, original_language="pt", lead_local_government="sao-paulo",
        title={"pt": "Centro de acolhida: migração e cidadania", "fr": "Logement et citoyenneté des migrants"},
        rights=["housing", "non-discrimination"], target_groups=["refugees"],
        practice_types=["participation-and-inclusion"], gcm_objectives=["gcm-objective-16"], sdg_targets=["10-7"],
        start_year=2019,
    )
    create_practice(
        at=C_TIME, slug=C, original_language="es", lead_local_government="upala", partner_local_governments=[TOWN_A],
        title={"es": "Seguridad comunitaria sin discriminación"},
        description={"es": "Patrullas vecinales (datos sintéticos).",
                     "fr": "Un volet logement temporaire complète les patrouilles de voisinage."},
        rights=["security", "non-discrimination"], target_groups=["unaccompanied-minors"],
        practice_types=["protection-of-the-most-vulnerable"], gcm_objectives=["gcm-objective-7", "gcm-objective-15"],
        sdg_targets=["16-2"], questions=[question(2), question(5)], session=SESSION, start_year=2010,
    )
    create_practice(
        at=D_TIME, slug=D, original_language="en", lead_local_government=TOWN_A,
        title={"en": "Community kitchens open to everyone"},
        rights=["food"], target_groups=["most-vulnerable", "women"], practice_types=["civil-society-cooperation"],
        gcm_objectives=["gcm-objective-15", "gcm-objective-16"], sdg_targets=["1-3"], start_year=2016,
    )
    create_practice(
        at=E_TIME, slug=E, original_language="es", lead_local_government=TOWN_B,
        partner_local_governments=["madrid", "sao-paulo"],
        title={"es": "Bolsa de trabajo para personas migrantes"},
        rights=["work"], target_groups=["migrant-workers"], practice_types=["rights-based-governance"],
        gcm_objectives=["gcm-objective-6"], sdg_targets=["8-8"], questions=[question(1)], session=SESSION,
        start_year=2021,
    )
    create_practice(
        at=E_TIME, slug=F, original_language="es", lead_local_government="pikine",
        title={"es": "Bolsa de trabajo para personas migrantes"}, rights=["work"],
    )
    hidden = {
        "rights": ["liberty", "housing"], "target_groups": ["lgbtiq-people"],
        "practice_types": ["communicating-benefits"], "gcm_objectives": ["gcm-objective-23", "gcm-objective-15"],
        "sdg_targets": ["8-7"], "questions": [question(7)], "session": SESSION, "start_year": 1999,
        "partner_local_governments": ["madrid", "upala"], "original_language": "pt",
    }
    create_practice(slug=DRAFT, status="draft", lead_local_government="sao-paulo",
                    title={"pt": "Rascunho oculto: migração", "fr": "Logement brouillon invisible"}, **hidden)
    create_practice(slug=IN_REVIEW, status="in_review", lead_local_government=TOWN_A,
                    title={"pt": "Rascunho em revisão", "fr": "Logement brouillon en relecture"}, **hidden)
    create_practice(slug=ARCHIVED, status="archived", lead_local_government="pikine",
                    title={"pt": "Rascunho arquivado", "fr": "Logement brouillon archivé"}, **hidden)
    deleted = create_practice(slug=DELETED, lead_local_government="madrid",
                              title={"pt": "Rascunho apagado", "fr": "Logement brouillon supprimé"}, **hidden)
    deleted.deleted_at = datetime.now(UTC)  # no delete service yet: mark it as soft deletion would
    db.session.commit()


def get(client: FlaskClient, path: str = "/api/v1/practices", **params: Any) -> Any:
    response = client.get(path, query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def slugs(client: FlaskClient, **params: Any) -> list[str]:
    body = get(client, page_size=100, **params)
    assert body["total"] == len(body["items"])
    return [item["slug"] for item in body["items"]]


def found(client: FlaskClient, **params: Any) -> set[str]:
    return set(slugs(client, **params))


def problem(client: FlaskClient, path: str, status: int, **params: Any) -> dict[str, Any]:
    response = client.get(path, query_string=params)
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["type"]
    return body


def seeded(*local_governments: str) -> set[str]:
    return {SEEDED[lg] for lg in local_governments}
