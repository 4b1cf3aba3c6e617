"""What a write request may be: Idempotency-Key replays, body size, content type, JSON shape."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import PRACTICES, Staff, assert_invalid, assert_problem, etag_of, new_practice, practice_rows

# --- Idempotency-Key ------------------------------------------------------------------------


def test_the_same_key_and_body_replay_the_first_answer(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    body = new_practice("Idempotent reception")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = client.post(PRACTICES, json=body, headers={**staff.editor, **key})
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    # The same JSON, spaced and ordered otherwise, is the same body.
    again = client.post(PRACTICES, data=json.dumps(dict(reversed(body.items())), indent=2),
                        content_type="application/json", headers={**staff.editor, **key})
    assert again.status_code == 201
    assert again.get_data() == first.get_data()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert practice_rows(seeded_app, "idempotent-reception") == ["idempotent-reception"]
    # Same key, another body: refused, nothing written.
    other = client.post(PRACTICES, json={**body, "start_year": 2001}, headers={**staff.editor, **key})
    assert_invalid(other, "Idempotency-Key")
    # Another token may use the same key: its own request.
    admins = client.post(PRACTICES, json=body, headers={**staff.admin, **key})
    assert admins.status_code == 201 and "Idempotent-Replayed" not in admins.headers
    assert admins.json["slug"] == "idempotent-reception-2"
    # Without a key, the same body makes another practice.
    assert client.post(PRACTICES, json=body, headers=staff.editor).json["slug"] == "idempotent-reception-3"
    assert sorted(practice_rows(seeded_app, "idempotent-reception")) == [
        "idempotent-reception", "idempotent-reception-2", "idempotent-reception-3"]


def test_a_refused_post_is_not_remembered(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    key = {"Idempotency-Key": "retry-after-fixing"}
    body = new_practice("Remembered only on success", rights=["houssing"])
    assert_invalid(client.post(PRACTICES, json=body, headers={**staff.editor, **key}), "rights")
    body["rights"] = ["housing"]
    fixed = client.post(PRACTICES, json=body, headers={**staff.editor, **key})
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed.headers


@pytest.mark.parametrize(("key", "status"), [("k" * 200, 201), ("k" * 201, 400), ("", 400)])
def test_idempotency_key_length(seeded_app: Flask, client: FlaskClient, staff: Staff, key: str, status: int) -> None:
    response = client.post(PRACTICES, json=new_practice("Key length"), headers={**staff.editor, "Idempotency-Key": key})
    if status == 201:
        assert response.status_code == 201
        assert practice_rows(seeded_app, "key-length") == ["key-length"]
    else:
        assert_invalid(response, "Idempotency-Key", status=400)
        assert practice_rows(seeded_app, "key-length") == []


# --- Limits ---------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_a_413(configured_seeded_app: Callable[..., Flask]) -> None:
    app = configured_seeded_app(MAX_CONTENT_LENGTH=2000)
    staff = Staff(app)
    client = app.test_client()
    big = new_practice("Too long", provenance="x" * 1990)
    assert_problem(client.post(PRACTICES, json=big, headers=staff.editor), 413)
    assert client.post(PRACTICES, json=new_practice("Short enough"), headers=staff.editor).status_code == 201
    etag = etag_of(client, "short-enough", staff.editor)
    assert_problem(client.patch(f"{PRACTICES}/short-enough", json={"provenance": "y" * 2500},
                                headers={**staff.editor, "If-Match": etag}), 413)
    assert practice_rows(app, "too-long") == []


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ({"title": "x"}, None),  # a form
        ("title=x", "application/x-www-form-urlencoded"),
        (json.dumps(new_practice()), "text/plain"),
        (b"\x00\x01", "application/octet-stream"),
    ],
)
def test_a_body_that_is_not_json_is_a_415(client: FlaskClient, staff: Staff, data, content_type) -> None:
    kwargs: dict[str, Any] = {"data": data}
    if content_type:
        kwargs["content_type"] = content_type
    assert_problem(client.post(PRACTICES, headers=staff.editor, **kwargs), 415)
    slug = "madrid-droits-humains-des-migrants"
    etag = etag_of(client, slug, staff.editor)
    assert_problem(client.patch(f"{PRACTICES}/{slug}", headers={**staff.editor, "If-Match": etag}, **kwargs), 415)
    assert_problem(client.post(f"{PRACTICES}/{slug}/transitions", headers=staff.editor, **kwargs), 415)


@pytest.mark.parametrize("data", ['{"title": ', "{'title': 'x'}", "[1, 2", "nul"])
def test_malformed_json_is_a_400(client: FlaskClient, staff: Staff, data: str) -> None:
    assert_problem(client.post(PRACTICES, data=data, content_type="application/json", headers=staff.editor), 400)
    slug = "madrid-droits-humains-des-migrants"
    etag = etag_of(client, slug, staff.editor)
    assert_problem(client.patch(f"{PRACTICES}/{slug}", data=data, content_type="application/json",
                                headers={**staff.editor, "If-Match": etag}), 400)


@pytest.mark.parametrize("body", [None, "[]", '"text"', "42", "null"])
def test_an_empty_or_non_object_body_is_a_422(client: FlaskClient, staff: Staff, body: str | None) -> None:
    kwargs: dict[str, Any] = {} if body is None else {"data": body, "content_type": "application/json"}
    response = client.post(PRACTICES, headers=staff.editor, **kwargs)
    if body is None:
        assert_invalid(response, "title", "original_language", "lead_local_government", "provenance")
    else:
        assert_problem(response, 422)


def test_an_empty_body_with_a_json_type_is_a_422_naming_the_required_fields(client: FlaskClient, staff: Staff):
    response = client.post(PRACTICES, data=b"", content_type="application/json", headers=staff.editor)
    assert_invalid(response, "title", "original_language", "lead_local_government", "provenance")
