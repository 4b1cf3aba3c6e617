"""The OpenAPI document of the writes: the bearer scheme, each operation's problems, body, If-Match."""

from __future__ import annotations

import pytest

from tests.api.collection_cases import ADMIN_COLLECTIONS, EDITOR_COLLECTIONS
from tests.api.routes import resolve
from tests.helpers import PROBLEM

# --- The spec -------------------------------------------------------------------------------

WRITE_OPERATIONS = {
    ("/api/v1/practices", "post"): {401, 403, 409, 422},
    ("/api/v1/practices/{slug}", "patch"): {401, 403, 404, 412, 422, 428},
    ("/api/v1/practices/{slug}", "delete"): {401, 403, 404, 412, 428},
    ("/api/v1/practices/{slug}/transitions", "post"): {401, 403, 404, 422},
    ("/api/v1/practices/{slug}/restore", "post"): {401, 403, 404, 409},
    ("/api/v1/practices/{slug}/revisions", "get"): {401, 403, 404},
    ("/api/v1/practices/{slug}/proposals", "get"): {401, 403, 404},
    ("/api/v1/proposals", "get"): {401, 403},
    ("/api/v1/proposals/{proposal_id}", "get"): {401, 403, 404},
    ("/api/v1/proposals/{proposal_id}/approve", "post"): {401, 403, 404, 409, 422},
    ("/api/v1/proposals/{proposal_id}/reject", "post"): {401, 403, 404, 409, 422},
}
WITH_BODY = {("/api/v1/practices", "post"), ("/api/v1/practices/{slug}", "patch"),
             ("/api/v1/practices/{slug}/transitions", "post"), ("/api/v1/proposals/{proposal_id}/approve", "post"),
             ("/api/v1/proposals/{proposal_id}/reject", "post")}
for _collection in sorted(EDITOR_COLLECTIONS) + ADMIN_COLLECTIONS:
    WRITE_OPERATIONS |= {
        (f"/api/v1/{_collection}", "post"): {401, 403, 409, 422},
        (f"/api/v1/{_collection}/{{slug}}", "patch"): {401, 403, 404, 409, 412, 422, 428},
        (f"/api/v1/{_collection}/{{slug}}", "delete"): {401, 403, 404, 409, 412, 428},
        (f"/api/v1/{_collection}/{{slug}}/revisions", "get"): {401, 403, 404},
    }
    WITH_BODY |= {(f"/api/v1/{_collection}", "post"), (f"/api/v1/{_collection}/{{slug}}", "patch")}


def test_the_spec_documents_the_bearer_scheme(spec) -> None:
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert "tokens create" in scheme["description"]


@pytest.mark.parametrize(("path", "method"), list(WRITE_OPERATIONS))
def test_the_spec_documents_each_write_operation(spec, path: str, method: str) -> None:
    operation = spec["paths"][path][method]
    assert operation.get("security") == [{"bearerAuth": []}]
    problem = resolve(spec, spec["components"]["responses"]["DEFAULT_ERROR"])["content"][PROBLEM]["schema"]
    for status in WRITE_OPERATIONS[(path, method)]:
        assert str(status) in operation["responses"], f"{method.upper()} {path}: no {status}"
        content = resolve(spec, operation["responses"][str(status)]).get("content", {})
        assert content.keys() == {PROBLEM} and content[PROBLEM]["schema"] == problem, (path, method, status)
    success = [s for s in operation["responses"] if s.startswith("2")]
    assert success, operation["responses"]
    if (path, method) in WITH_BODY:
        body = operation["requestBody"]
        assert body["required"] is True or method == "patch" or path.endswith("/approve")
        media = body["content"]["application/json"]
        assert "example" in media or "examples" in media, f"{method.upper()} {path}: no request example"
        schema = resolve(spec, media["schema"])
        assert schema.get("additionalProperties") is False, f"{method.upper()} {path}: unknown fields are refused"
    if method == "patch":
        assert body["content"]["application/merge-patch+json"] == media, f"PATCH {path}: no merge-patch media type"
        assert "202" in operation["responses"] or not path.startswith("/api/v1/practices")
    if method in {"patch", "delete"}:
        headers = {p["name"] for p in map(lambda p: resolve(spec, p), operation.get("parameters", []))}
        assert "If-Match" in headers, f"{method.upper()} {path}: If-Match is required and not documented"


def test_the_spec_shows_the_idempotency_key_and_the_server_owned_fields(spec) -> None:
    operation = spec["paths"]["/api/v1/practices"]["post"]
    key = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
    assert key["in"] == "header" and key["schema"]["maxLength"] == 200
    create_schema = resolve(spec, operation["requestBody"]["content"]["application/json"]["schema"])
    assert {"title", "original_language", "lead_local_government", "provenance"} <= set(create_schema["required"])
    assert not {"status", "version", "created_at", "published_at"} & set(create_schema["properties"])
    patch = spec["paths"]["/api/v1/practices/{slug}"]["patch"]
    update_schema = resolve(spec, patch["requestBody"]["content"]["application/json"]["schema"])
    assert not update_schema.get("required") and "slug" not in update_schema["properties"]


@pytest.mark.parametrize("collection", sorted(EDITOR_COLLECTIONS) + ADMIN_COLLECTIONS)
def test_the_spec_keeps_server_owned_fields_out_of_every_input(spec, collection: str) -> None:
    create = spec["paths"][f"/api/v1/{collection}"]["post"]
    create_schema = resolve(spec, create["requestBody"]["content"]["application/json"]["schema"])
    assert "original_language" in create_schema["required"] and "slug" not in create_schema["required"]
    assert not {"version", "created_at", "updated_at", "id"} & set(create_schema["properties"])
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    patch = spec["paths"][f"/api/v1/{collection}/{{slug}}"]["patch"]
    update_schema = resolve(spec, patch["requestBody"]["content"]["application/json"]["schema"])
    assert not update_schema.get("required") and "slug" not in update_schema["properties"]
    assert update_schema["additionalProperties"] is False


def test_public_reads_need_no_token_in_the_spec(spec) -> None:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "get" and (path, method) not in WRITE_OPERATIONS:
                assert "security" not in operation or {} in operation["security"], (path, method)


@pytest.mark.parametrize("path", ["/api/v1/practices", "/api/v1/practices/{slug}"])
def test_reads_that_answer_401_document_it(spec, path: str) -> None:
    """GET /practices answers 401 to `status` without a token, and both practice reads to a bad token
    (see ``test_a_refused_token_never_sees_drafts``): the spec must show the 401 and the optional token."""
    operation = spec["paths"][path]["get"]
    assert "401" in operation["responses"], f"GET {path}: 401 not documented"
    assert {"bearerAuth": []} in operation.get("security", []) and {} in operation.get("security", []), (
        f"GET {path}: the optional bearer token is not documented")
