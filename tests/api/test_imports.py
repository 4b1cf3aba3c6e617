"""POST /api/v1/imports: an admin imports an export with its stamps; the report says what happened to the history;
a bad stamp is a 422 naming its row and field, and nothing is written."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from registry.extensions import db
from registry.services.exchange.json_export import export_json
from tests.exchange_data import practice
from tests.helpers import API, PRACTICES, Staff, assert_invalid, dump

IMPORTS = f"{API}/imports"
STAMPS = {"created_at": "2021-03-01T08:00:00+00:00", "updated_at": "2022-04-02T09:30:00+00:00", "version": 4,
          "published_at": "2021-03-02T10:00:00+02:00", "deleted_at": None}


def document(seeded_app: Flask, *practices: dict) -> dict:
    """The seeded registry's export, plus ``practices``."""
    with seeded_app.app_context():
        content = json.loads(export_json(db.session))
        db.session.remove()
    content["records"]["practices"].extend(practices)
    return content


def test_an_admin_imports_stamped_records(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    content = document(seeded_app, practice(status="published", **STAMPS))
    response = client.post(f"{IMPORTS}?dry_run=true", json=content, headers=staff.admin)
    assert response.status_code == 200 and response.json["written"] is False
    assert client.get(f"{PRACTICES}/synthetic-imported").status_code == 404

    response = client.post(IMPORTS, json=content, headers=staff.admin)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.json
    assert body["written"] is True and body["counts"]["practices"]["created"] == 1
    assert body["revisions"] == {"restored": 0, "left_out": len(content["revisions"])}  # the seeds' history stays
    shown = client.get(f"{PRACTICES}/synthetic-imported").json
    assert (shown["version"], shown["created_at"], shown["published_at"]) == (
        4, "2021-03-01T08:00:00Z", "2021-03-02T08:00:00Z")


def test_a_bad_stamp_is_named_and_nothing_is_written(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    def content_of_registry() -> dict:
        return {table: rows for table, rows in dump(seeded_app).items() if table != "api_tokens"}  # last used: now

    before = content_of_registry()
    content = document(seeded_app, practice(**{**STAMPS, "version": 0, "updated_at": "2020-01-01T00:00:00+00:00"}))
    response = client.post(IMPORTS, json=content, headers=staff.admin)
    row = f"row practices[{len(content['records']['practices']) - 1}]"
    errors = assert_invalid(response, f"{row}: version", f"{row}: updated_at")
    assert errors[f"{row}: updated_at"] == ["Cannot come before created_at."] and len(errors) == 2
    assert content_of_registry() == before
