"""Every editable collection besides practices as a ``Case``, and the request helpers of their write tests.

What was (or was not) written is read in the database itself: the rows, their versions, ``revisions``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from registry.extensions import db
from registry.models import (
    GcmObjective,
    GcmPrinciple,
    LocalGovernment,
    Network,
    Organisation,
    PracticeType,
    Question,
    Revision,
    Right,
    SdgTarget,
    Session,
    TargetGroup,
)
from registry.models.base import Base
from tests.helpers import API

ADMIN, EDITOR = "carla-admin", "ana-editor"  # the names Staff gives its tokens
SESSION = "droits-humains-des-migrants"


# --- The collections ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One collection: a minimal valid new record, the slug the server makes for it, a change to it."""

    name: str  # URL segment
    kind: str  # Revision.entity_type
    model: type
    body: dict[str, Any]
    slug: str
    change: dict[str, Any]
    #: A seeded record to edit in the role and concurrency tests.
    seeded: str | None
    #: A seeded record to delete first, when the new one needs the number it holds (all are taken).
    make_room: str | None = None
    #: How body fields that name other records show in the representation: field -> the slug shown.
    refs: dict[str, str] = field(default_factory=dict)


CASES = [
    Case("local-governments", "local_government", LocalGovernment, {
        "name": {"ca": "Barcelona", "es": "Barcelona"}, "original_language": "ca", "kind": "municipality",
        "country": "ES", "m49_region": "150", "m49_sub_region": "039",
    }, "barcelona", {"website": "https://www.barcelona.cat/"}, "pikine"),
    Case("networks", "network", Network, {
        "name": {"en": "Zorblax Cities Network"}, "acronym": "ZCN", "original_language": "en",
    }, "zcn", {"website": "https://zcn.example.org/"}, "uclg"),
    Case("organisations", "organisation", Organisation, {
        "name": {"en": "Zorblax Legal Aid"}, "kind": "civil_society", "original_language": "en",
    }, "zorblax-legal-aid", {"country": "ES"}, None),
    Case("sessions", "session", Session, {
        "title": {"fr": "Séance zorblaxienne"}, "original_language": "fr",
    }, "seance-zorblaxienne", {"date": "2019-05-02"}, SESSION),
    Case("questions", "question", Question, {
        "session": SESSION, "number": 8, "original_language": "fr", "text": {"fr": "Une question zorblaxienne ?"},
    }, f"{SESSION}-q8", {"text": {"fr": "Une question reformulée ?", "en": "A reworded question?"}},
        f"{SESSION}-q1", refs={"session": SESSION}),
    Case("rights", "right", Right, {
        "label": {"en": "Right to zorblax"}, "original_language": "en",
    }, "right-to-zorblax", {"instruments": ["UDHR art. 99"]}, "housing"),
    Case("target-groups", "target_group", TargetGroup, {
        "label": {"en": "Zorblax nomads"}, "original_language": "en",
    }, "zorblax-nomads", {"description": {"en": "People who move.", "fr": "Des gens qui bougent."}}, "women"),
    Case("practice-types", "practice_type", PracticeType, {
        "label": {"en": "Zorblax counselling"}, "original_language": "en",
    }, "zorblax-counselling", {"description": {"en": "Advice.", "fr": "Des conseils."}}, "needs-assessment"),
    Case("gcm-objectives", "gcm_objective", GcmObjective, {
        "number": 23, "short_title": {"en": "Zorblax"}, "title": {"en": "Zorblax partnerships"},
        "original_language": "en",
    }, "gcm-objective-23", {"short_title": {"en": "Zorblaxing", "fr": "Zorblaxer"}}, "gcm-objective-1",
        make_room="gcm-objective-23"),
    Case("gcm-principles", "gcm_principle", GcmPrinciple, {
        "number": 10, "title": {"en": "Zorblax principle"}, "original_language": "en",
    }, "zorblax-principle", {"description": {"en": "A principle.", "fr": "Un principe."}}, "people-centred",
        make_room="whole-of-society-approach"),
    Case("sdg-targets", "sdg_target", SdgTarget, {
        "code": "11.2", "goal": 11, "title": {"en": "Zorblax transport"}, "original_language": "en",
    }, "11-2", {"title": {"en": "Safe transport", "fr": "Transports sûrs"}}, "10-7"),
]
BY_NAME = {case.name: case for case in CASES}
ADMIN_ONLY = [case for case in CASES if case.name != "local-governments"]
MODELS = [case.model for case in CASES]


def url(name: str, slug: str | None = None) -> str:
    return f"{API}/{name}" + (f"/{slug}" if slug else "")


def read(client: FlaskClient, name: str, slug: str, headers: dict[str, str]) -> TestResponse:
    response = client.get(url(name, slug), headers=headers)
    assert response.status_code == 200, f"GET {name}/{slug}: {response.get_data(as_text=True)[:300]}"
    return response


def post(client: FlaskClient, name: str, body: dict[str, Any], headers: dict[str, str]) -> TestResponse:
    return client.post(url(name), json=body, headers=headers)


def created(client: FlaskClient, name: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    response = post(client, name, body, headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def patch(client: FlaskClient, name: str, slug: str, changes: Any, headers: dict[str, str],
          etag: str | None = None) -> TestResponse:
    etag = etag or read(client, name, slug, headers).headers["ETag"]
    return client.patch(url(name, slug), json=changes, headers={**headers, "If-Match": etag})


def delete(client: FlaskClient, name: str, slug: str, headers: dict[str, str], etag: str | None = None) -> TestResponse:
    etag = etag or read(client, name, slug, headers).headers["ETag"]
    return client.delete(url(name, slug), headers={**headers, "If-Match": etag})


def db_state(app: Flask) -> dict[str, Any]:
    """Every table's row count, and every editable record's (slug, version): what a refusal must leave as it was."""
    with app.app_context():
        state: dict[str, Any] = {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }
        for model in MODELS:
            state[model.__name__] = sorted(db.session.execute(select(model.slug, model.version)).all())
        db.session.remove()
    return state


def revisions(app: Flask, kind: str, slug: str, after: int = 0) -> list[tuple[str, str, dict[str, Any]]]:
    """(action, actor, changes) of the record's revisions, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(Revision).where(Revision.entity_type == kind, Revision.entity_slug == slug, Revision.id > after)
            .order_by(Revision.id)
        ).all()
        history = [(r.action, r.actor, r.changes) for r in rows]
        db.session.remove()
    return history


def last_revision_id(app: Flask) -> int:
    with app.app_context():
        last = db.session.scalar(select(func.max(Revision.id))) or 0
        db.session.remove()
    return last


def shown(case: Case, body: dict[str, Any]) -> dict[str, Any]:
    """The body's fields as the representation shows them (records named by slug appear as references)."""
    return {key: value for key, value in body.items() if key not in case.refs}


def practice_slugs(client: FlaskClient, query: str, headers: dict[str, str] | None = None) -> list[str]:
    response = client.get(f"{API}/practices?page_size=100&{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["slug"] for item in response.json["items"]]


LG = BY_NAME["local-governments"].body
# The other collections: (route) -> (status for an editor, status for an admin). Local governments are
# edited by editors; every other collection by admins only; deleting always needs an admin.
EDITOR_COLLECTIONS = {"local-governments"}
ADMIN_COLLECTIONS = ["rights", "target-groups", "practice-types", "gcm-objectives", "gcm-principles", "sdg-targets",
                     "networks", "organisations", "sessions", "questions"]
