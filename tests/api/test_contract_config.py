"""What the configuration changes: errors the app does not expect (500, no internals), CORS for writes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.api.routes import header_set
from tests.helpers import API, assert_problem


def test_unexpected_error_is_a_500_problem_without_internals(
    configured_seeded_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    def boom() -> str:
        raise RuntimeError("secret-internal-detail at /srv/registry/app.py")

    app = configured_seeded_app(PROPAGATE_EXCEPTIONS=False)
    app.add_url_rule("/boom", view_func=boom)
    app.add_url_rule(f"{API}/boom", endpoint="api_boom", view_func=boom)
    for path in ("/boom", f"{API}/boom"):
        response = app.test_client().get(path)
        body = assert_problem(response, 500)
        text = response.get_data(as_text=True)
        for leak in ("Traceback", "RuntimeError", "secret-internal-detail", ".py", 'File "'):
            assert leak not in text, f"{path}: the body shows {leak!r}: {text}"
        assert body["title"] == "Internal Server Error"
    assert "secret-internal-detail" in caplog.text, "the error is logged for the operators"


def test_writes_get_cors_for_configured_origins_only(configured_seeded_app: Callable[..., Flask]) -> None:
    _check_write_cors(configured_seeded_app(CORS_WRITE_ORIGINS=["https://staff.example"]).test_client())


def _check_write_cors(write_client: FlaskClient) -> None:
    def preflight(origin: str) -> TestResponse:
        return write_client.options(f"{API}/practices", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        })

    staff = preflight("https://staff.example")
    assert staff.headers.get("Access-Control-Allow-Origin") == "https://staff.example", staff.headers
    assert "post" in header_set(staff, "Access-Control-Allow-Methods")
    assert {"authorization", "content-type"} <= header_set(staff, "Access-Control-Allow-Headers")
    other = preflight("https://other.example")
    assert "Access-Control-Allow-Origin" not in other.headers, other.headers
    read = write_client.get(f"{API}/practices", headers={"Origin": "https://other.example"})
    assert read.headers.get("Access-Control-Allow-Origin") == "*", "reads stay open to every origin"

