"""``flask --app registry demo``: what a newcomer types to have content to try."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Practice
from tests.conftest import make_app


def demo(app: Flask, *args: str):  # noqa: ANN201
    return app.test_cli_runner().invoke(args=["demo", *args])


def public_total(app: Flask, query: str = "") -> int:
    return app.test_client().get(f"/api/v1/practices?page_size=1&{query}").get_json()["total"]


def test_demo_gives_a_seeded_registry_public_content_to_search(seeded_app: Flask) -> None:
    assert public_total(seeded_app) == 0  # the seeds' six practices are stubs: drafts
    result = demo(seeded_app, "--count", "25")
    assert result.exit_code == 0, result.output
    assert "25 synthetic practices created, 0 updated, 0 already there" in result.output
    assert public_total(seeded_app) == 25
    assert public_total(seeded_app, "q=synthetic") == 25
    facets = seeded_app.test_client().get("/api/v1/practices?facets=right,documentation").get_json()["facets"]
    assert sum(item["count"] for item in facets["documentation"]) == 25 and facets["right"]
    again = demo(seeded_app, "--count", "25")
    assert again.exit_code == 0 and "0 synthetic practices created, 0 updated, 25 already there" in again.output


def test_bulk_demo_gives_the_same_public_content(seeded_app: Flask) -> None:
    result = demo(seeded_app, "--count", "25", "--bulk")
    assert result.exit_code == 0, result.output
    assert "25 synthetic practices created, 0 updated, 0 already there" in result.output
    assert public_total(seeded_app) == 25
    assert public_total(seeded_app, "q=synthetic") == 25
    again = demo(seeded_app, "--count", "30", "--bulk")
    assert again.exit_code == 0 and "5 synthetic practices created, 0 updated, 25 already there" in again.output
    assert public_total(seeded_app) == 30


def test_demo_refuses_a_registry_with_real_practices_unless_forced(rich_app: Flask) -> None:
    with rich_app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Practice))
    result = demo(rich_app, "--count", "3")
    assert result.exit_code == 1
    assert "not synthetic demo records" in result.output and "--force" in result.output
    with rich_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Practice)) == before
    forced = demo(rich_app, "--count", "3", "--force")
    assert forced.exit_code == 0, forced.output
    with rich_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Practice)) == before + 3


def test_demo_on_an_unmigrated_database_says_how_to_fix_it(fresh_database_url) -> None:  # noqa: ANN001
    app = make_app(fresh_database_url)
    result = demo(app, "--count", "2")
    assert result.exit_code == 1 and "db upgrade" in result.output
    with app.app_context():
        db.engine.dispose()
