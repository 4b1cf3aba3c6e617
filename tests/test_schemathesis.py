"""Schemathesis against the served OpenAPI document: every operation, every default check.

The schema is loaded once from an app that never touches a database (the document does not
depend on one); each generated case is then sent to a seeded app of the backend under test.
Reads and writes get apps of their own, so the writes never change what the reads see. Writes
are sent with an admin token (the spec documents the bearer scheme, but not a token to use).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import pytest
import schemathesis
from flask import Flask
from hypothesis import settings
from schemathesis.config import SchemathesisConfig

from tests.conftest import BACKENDS, make_app
from tests.test_api_contract import seeded_copy
from tests.test_api_writes import make_token

# All default checks stay on. Adjustments, from design.md §3, for what a schema cannot express:
# - a list answers 400 to a value that is well formed but names no record (`right=houssing`);
# - a write answers 422 to a body that names no record (`"rights": ["houssing"]`), holds no text in its
#   original language, puts the end year before the start, or asks for a move the workflow does not
#   allow from the record's current status; and 409 to a slug that is taken or a restore of a record
#   that is not deleted. All of these are documented on their operations.
# - a read answers 401 to `status=` without a token (staff only, documented);
# - a write answers 412 to a generated If-Match: any ETag but the current one is stale by design;
# - a PATCH or DELETE without If-Match answers 428 Precondition Required (RFC 6585), not 400.
READ_CONFIG = SchemathesisConfig.from_str(
    """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "400", "401", "404"]
"""
)
WRITE_CONFIG = SchemathesisConfig.from_str(
    """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "404", "409", "412", "422"]

[checks.missing_required_header]
expected-statuses = ["400", "406", "428"]
"""
)

# Two loads of the same document, one per configuration: (a per-operation `[[operations]]` section
# would also widen the operations a filter selects).
_SPEC_APP = make_app("sqlite://")
read_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _SPEC_APP, config=READ_CONFIG)
write_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _SPEC_APP, config=WRITE_CONFIG)
WRITES = {"POST", "PATCH", "DELETE"}


def _is_write(method: str, path: str) -> bool:
    """Writes, and the reads only staff may make (revision histories)."""
    return method.upper() in WRITES or path.endswith("/revisions")


@pytest.fixture(scope="module", params=BACKENDS)
def read_app(request: pytest.FixtureRequest, templates, postgres, tmp_path_factory) -> Iterator[Flask]:
    """One seeded app per backend (with a record in every collection), shared by every read."""
    with seeded_copy(request.param, templates, postgres, tmp_path_factory.mktemp("schemathesis")) as app:
        yield app


@pytest.fixture(scope="module", params=BACKENDS)
def write_app(request: pytest.FixtureRequest, templates, postgres, tmp_path_factory) -> Iterator[Flask]:
    """Another seeded copy per backend for the writes, with an admin token in its config."""
    with seeded_copy(request.param, templates, postgres, tmp_path_factory.mktemp("schemathesis_writes")) as app:
        app.config["SCHEMATHESIS_ADMIN"] = make_token(app, "schemathesis-admin", "admin")
        yield app


# Writes aimed at slugs that do not exist would test nothing but the 404 (checked on its own in
# test_api_writes.py): each case is pointed at a record that does, chosen from its generated slug so
# that a run is repeatable: a seeded record, or the one that the POST's documented example creates
# (each collection's POST runs before the operations on its records).
KNOWN_SLUGS = {
    "practices": ("madrid-droits-humains-des-migrants", "accueil-humanitaire-municipal"),
    "local-governments": ("madrid", "barcelona"),
    "rights": ("housing", "right-to-health"),
    "target-groups": ("women", "unaccompanied-children"),
    "practice-types": ("humanitarian-reception", "legal-counselling"),
    "gcm-objectives": ("gcm-objective-15",),  # its example clashes with a seeded number: a 409
    "gcm-principles": ("human-rights",),
    "sdg-targets": ("10-7",),
    "networks": ("uclg-cisdp", "exn"),
    "organisations": ("example-legal-aid-association-synthetic",),  # the seeds have none
    "sessions": ("droits-humains-des-migrants", "seance-dexemple-synthetique"),
    "questions": ("droits-humains-des-migrants-q1", "droits-humains-des-migrants-q8"),
}


@read_schema.include(method="GET").exclude(path_regex="/revisions$").parametrize()
@settings(max_examples=30, deadline=None)
def test_read_operation_conforms_to_the_spec(case, read_app: Flask) -> None:
    case.call_and_validate(app=read_app)


@write_schema.include(lambda ctx: _is_write(ctx.operation.method, ctx.operation.path)).parametrize()
@settings(max_examples=30, deadline=None)
def test_write_operation_conforms_to_the_spec(case, write_app: Flask) -> None:
    headers = {"Authorization": f"Bearer {write_app.config['SCHEMATHESIS_ADMIN']}"}
    if case.path_parameters and "slug" in case.path_parameters:
        generated = str(case.path_parameters["slug"]).encode("utf-8", "surrogatepass")
        known = KNOWN_SLUGS[case.path.removeprefix("/api/v1/").split("/")[0]]
        case.path_parameters["slug"] = known[zlib.crc32(generated) % len(known)]
    case.call_and_validate(app=write_app, headers=headers)
