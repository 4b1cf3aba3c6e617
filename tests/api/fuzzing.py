"""How the schemathesis tests draw their cases: the same ones everywhere in ``make test``, fresh ones in ``make fuzz``.

``make test`` loads the hypothesis profile "registry" (tests/conftest.py: derandomized, no example
database, 30 examples) and gives schemathesis one fixed seed, from which it derives one per operation: a
fresh clone draws exactly what CI draws. ``make fuzz`` (REGISTRY_FUZZ=1) loads "registry-fuzz" (more
examples) and a seed of the run's own, REGISTRY_FUZZ_SEED, printed in the run's header so that a
failure can be drawn again: ``REGISTRY_FUZZ_SEED=<seed> make fuzz``.
"""

from __future__ import annotations

import os

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.schemas import BaseSchema

from tests.api.routes import ROUTES_APP
from tests.conftest import FUZZ

#: The seed of ``make test``. Changing it changes every drawn case: do it on purpose, in its own commit.
TEST_SEED = 20171116


def seed() -> int:
    if not FUZZ:
        return TEST_SEED
    chosen = os.environ.get("REGISTRY_FUZZ_SEED")
    if not chosen:
        raise RuntimeError("REGISTRY_FUZZ=1 needs REGISTRY_FUZZ_SEED (make fuzz chooses one)")
    return int(chosen)


def load_schema(checks: str) -> BaseSchema:
    """The served OpenAPI document under a configuration of ``checks`` (TOML), with the run's seed."""
    # No sanitisation of reports: the tokens are the tests' own, and a failure must show the exact request
    # (Idempotency-Key, for one, would be hidden).
    config = SchemathesisConfig.from_str(f"seed = {seed()}\n\n[output.sanitization]\nenabled = false\n\n{checks}")
    # The document does not depend on a database: the routes app (never connected) serves it.
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", ROUTES_APP, config=config)


@schemathesis.hook
def filter_query(ctx: schemathesis.HookContext, query: dict | None) -> bool:
    """Leave out a query holding a parameter with no value at all (``{"x": []}``): it is not in the URL
    that is sent, so the server never sees it, yet schemathesis counts it as an unknown parameter the
    server accepted (a negative case 'accepted' by an answer about the other parameters)."""
    return not query or all(value != [] for value in query.values())
