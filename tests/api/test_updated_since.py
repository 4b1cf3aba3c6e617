"""``updated_since`` on every collection: a date (its midnight UTC) or a date-time with an offset."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from registry.extensions import db
from registry.models import Network
from tests.api.routes import LIST_RULES
from tests.helpers import API, Staff, assert_problem


def total(client: FlaskClient, rule: str, **args: str) -> int:
    response = client.get(rule, query_string={"page_size": 100, **args})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["total"]


def test_every_collection_is_covered() -> None:
    assert len(LIST_RULES) == 12, LIST_RULES


@pytest.mark.parametrize("rule", LIST_RULES)
def test_a_date_or_a_date_time_with_offset_narrows_every_list(client: FlaskClient, rule: str) -> None:
    everything = total(client, rule)
    assert total(client, rule, updated_since="2000-01-01") == everything
    assert total(client, rule, updated_since="2000-01-01T00:00:00+02:00") == everything
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    assert total(client, rule, updated_since=tomorrow.isoformat()) == 0
    assert total(client, rule, updated_since=f"{tomorrow.isoformat()}T00:00:00Z") == 0


@pytest.mark.parametrize("rule", LIST_RULES)
@pytest.mark.parametrize("value", ["2026-01-01T00:00:00", "2026-13-01", "2026-02-30", "yesterday", "20260101", ""])
def test_anything_else_is_a_400_naming_updated_since(client: FlaskClient, rule: str, value: str) -> None:
    body = assert_problem(client.get(rule, query_string={"updated_since": value}), 400)
    assert list(body["errors"]) == ["updated_since"], body


def test_a_date_means_its_midnight_utc(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    stamps = {"synthetic-at-midnight": datetime(2026, 1, 1, tzinfo=UTC),
              "synthetic-just-before": datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)}
    for slug in stamps:
        made = client.post(f"{API}/networks", headers=staff.admin, json={
            "slug": slug, "name": {"en": f"Synthetic {slug} (test data)"}, "original_language": "en"})
        assert made.status_code == 201
    with seeded_app.app_context():
        for slug, moment in stamps.items():
            db.session.execute(update(Network).where(Network.slug == slug).values(updated_at=moment))
        db.session.commit()

    def found(since: str) -> set[str]:
        response = client.get(f"{API}/networks", query_string={"updated_since": since, "page_size": 100})
        return {item["slug"] for item in response.json["items"]} & set(stamps)

    assert found(date(2026, 1, 1).isoformat()) == {"synthetic-at-midnight"}
    assert found("2026-01-01T00:00:00Z") == {"synthetic-at-midnight"}
    assert found("2026-01-01T00:30:00+01:00") == set(stamps), "an offset moves the moment: 23:30 UTC the day before"
    assert found("2025-12-31") == set(stamps)
