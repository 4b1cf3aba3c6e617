"""The seeded collections as their lists must give them, and small read helpers of the collection tests."""

from __future__ import annotations

from typing import Any

import yaml
from flask.testing import FlaskClient

from tests.conftest import SEEDS_DIR
from tests.factories import SESSION


def seed_file(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((SEEDS_DIR / name).read_text(encoding="utf-8")) or []


SESSION_SEED = seed_file("sessions.yaml")[0]
LOCAL_GOVERNMENTS = {r["slug"]: r for r in seed_file("local_governments.yaml")}

#: Each collection, with its seeded slugs in the order the list must give them.
COLLECTIONS: dict[str, list[str]] = {
    "local-governments": sorted(LOCAL_GOVERNMENTS),
    "networks": ["uclg", "uclg-cisdp"],
    "organisations": [],
    "sessions": [SESSION],
    "questions": [f"{SESSION}-q{n}" for n in range(1, 8)],
    "rights": sorted(r["slug"] for r in seed_file("rights.yaml")),
    "target-groups": sorted(r["slug"] for r in seed_file("target_groups.yaml")),
    "practice-types": sorted(r["slug"] for r in seed_file("practice_types.yaml")),
    # by number, not by slug (which would put gcm-objective-10 before gcm-objective-2)
    "gcm-objectives": [f"gcm-objective-{n}" for n in range(1, 24)],
    "gcm-principles": [r["slug"] for r in sorted(seed_file("gcm_principles.yaml"), key=lambda r: r["number"])],
    # by goal, then target
    "sdg-targets": ["1-3", "3-8", "4-1", "5-2", "8-7", "8-8", "10-7", "10-c", "11-1", "16-2", "16-9", "17-18"],
}
COUNTS = {
    "local-governments": 7, "networks": 2, "organisations": 0, "sessions": 1, "questions": 7, "rights": 16,
    "target-groups": 12, "practice-types": 8, "gcm-objectives": 23, "gcm-principles": 10, "sdg-targets": 12,
}


def get(client: FlaskClient, path: str, **params: Any) -> Any:
    response = client.get(path, query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def slugs(client: FlaskClient, path: str, **params: Any) -> list[str]:
    body = get(client, path, page_size=100, **params)
    assert body["total"] == len(body["items"])
    return [item["slug"] for item in body["items"]]


def problem(client: FlaskClient, path: str, status: int, **params: Any) -> dict[str, Any]:
    response = client.get(path, query_string=params)
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["type"]
    return body
