"""Schemathesis against the served OpenAPI document: every write operation, every default check.

Writes are sent with an admin token (the spec documents the bearer scheme, but not a token to use) to
the seeded app of the backend under test, which holds a record or two more in every collection and the
record each collection's documented POST example makes (``write_data``, once per engine). Each generated
case runs in a SAVEPOINT of its own: no case sees what another wrote, so what a case meets depends on
nothing but the case. How the cases are drawn: ``tests/api/fuzzing.py``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.api.fuzzing import load_schema
from tests.conftest import BACKENDS, SharedDatabases, isolated, layer
from tests.helpers import API, add_records, bearer, make_token

# All default checks stay on. Adjustments, from design.md §3, for what a schema cannot express:
# - a write answers 422 to a body that names no record (`"rights": ["houssing"]`), holds no text in its
#   original language, puts the end year before the start, or asks for a move the workflow does not
#   allow from the record's current status; and 409 to a slug that is taken or a restore of a record
#   that is not deleted. All of these are documented on their operations.
# - a write answers 412 to a generated If-Match: any ETag but the current one is stale by design;
# - a PATCH or DELETE without If-Match answers 428 Precondition Required (RFC 6585), not 400;
# - a body over REGISTRY_MAX_BODY_BYTES (1 MiB) is refused with 413 before it is read (README), which is a
#   rejection of invalid data as much as a 422: schemathesis's default list of rejections lacks it.
write_schema = load_schema(
    """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "404", "409", "412", "422"]

[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]

[checks.missing_required_header]
expected-statuses = ["400", "406", "428"]
"""
)
WRITES = {"POST", "PATCH", "DELETE"}


def _is_write(method: str, path: str) -> bool:
    """Writes, and the reads only staff may make (revision histories, proposals)."""
    return method.upper() in WRITES or path.endswith("/revisions") or "/proposals" in path


# Writes aimed at slugs that do not exist would test nothing but the 404 (checked on its own in
# tests/api/test_auth.py): each case is pointed at a record that does, chosen from its generated slug so
# that a run is repeatable: a seeded record, or the one that the POST's documented example made.
KNOWN_SLUGS = {
    "practices": ("madrid-droits-humains-des-migrants", "accueil-humanitaire-municipal"),
    "local-governments": ("madrid", "barcelona"),
    "rights": ("housing", "right-to-health"),
    "target-groups": ("women", "unaccompanied-children"),
    "practice-types": ("humanitarian-reception", "legal-counselling"),
    "gcm-objectives": ("gcm-objective-15",),  # its example clashes with a seeded number: a 409
    "gcm-principles": ("human-rights",),  # likewise
    "sdg-targets": ("10-7",),  # likewise
    "networks": ("uclg-cisdp", "exn"),
    "organisations": ("example-legal-aid-association-synthetic",),  # the seeds have none
    "sessions": ("droits-humains-des-migrants", "seance-d-exemple-synthetique"),
    "questions": ("droits-humains-des-migrants-q1", "droits-humains-des-migrants-q8"),
}
#: Collections whose POST example makes a record (the others' clash with a seeded one).
EXAMPLE_MAKES_A_RECORD = [name for name, slugs in KNOWN_SLUGS.items() if len(slugs) > 1 or name == "organisations"]
#: The admin token of each module's app.
ADMIN_TOKENS: dict[Flask, str] = {}


def _post_documented_examples(app: Flask, token: str, spec: dict) -> None:
    client = app.test_client()
    for name in EXAMPLE_MAKES_A_RECORD:
        example = spec["paths"][f"{API}/{name}"]["post"]["requestBody"]["content"]["application/json"]["example"]
        response = client.post(f"{API}/{name}", json=example, headers=bearer(token))
        assert response.status_code == 201, (name, response.get_data(as_text=True))
        assert response.json["slug"] in KNOWN_SLUGS[name], (name, response.json["slug"])


@pytest.fixture(scope="module", params=BACKENDS)
def write_data(request: pytest.FixtureRequest, databases: SharedDatabases, spec: dict) -> Iterator[Flask]:
    app = databases.get(request.param, "seeded").app

    def build() -> None:
        add_records()
        ADMIN_TOKENS[app] = make_token(app, "schemathesis-admin", "admin")
        _post_documented_examples(app, ADMIN_TOKENS[app], spec)

    yield from layer(request, databases, "seeded", build)
    del ADMIN_TOKENS[app]


@write_schema.include(lambda ctx: _is_write(ctx.operation.method, ctx.operation.path)).parametrize()
def test_write_operation_conforms_to_the_spec(case, write_data: Flask, databases: SharedDatabases) -> None:
    headers = bearer(ADMIN_TOKENS[write_data])
    if case.path_parameters and "slug" in case.path_parameters:
        generated = str(case.path_parameters["slug"]).encode("utf-8", "surrogatepass")
        known = KNOWN_SLUGS[case.path.removeprefix("/api/v1/").split("/")[0]]
        case.path_parameters["slug"] = known[zlib.crc32(generated) % len(known)]
    with isolated(databases, write_data):
        case.call_and_validate(app=write_data, headers=headers)
