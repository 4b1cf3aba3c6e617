"""API tokens: made by the CLI and shown once, kept as a SHA-256, listed, revoked (design.md §2 editorial)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import inspect, select, text

from registry.extensions import db
from registry.models import ApiToken
from tests.helpers import PRACTICES, bearer, new_practice

SECRET = re.compile(r"^prg_[A-Za-z0-9_-]{40,}$")


def cli(app: Flask, *args: str):  # noqa: ANN201
    return app.test_cli_runner().invoke(args=["tokens", *args])


def create(app: Flask, name: str, role: str = "editor", *extra: str) -> str:
    result = cli(app, "create", "--name", name, "--role", role, *extra)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def token_row(app: Flask, name: str) -> ApiToken:
    with app.app_context():
        token = db.session.scalar(select(ApiToken).where(ApiToken.name == name))
        assert token is not None
        db.session.expunge(token)
        db.session.remove()
    return token


def aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def test_create_prints_the_secret_once_and_keeps_only_its_hash(seeded_app: Flask) -> None:
    result = cli(seeded_app, "create", "--name", "ana-uclg", "--role", "editor")
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert SECRET.match(secret), result.stdout
    assert result.stdout == secret + "\n", "stdout holds the secret alone, for scripts"
    assert secret not in result.stderr
    token = token_row(seeded_app, "ana-uclg")
    assert token.prefix in result.stderr and "editor" in result.stderr
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 3
    assert (token.role, token.expires_at, token.revoked_at, token.last_used_at) == ("editor", None, None, None)
    # No column of any table holds the secret, or a long piece of it.
    with seeded_app.app_context():
        for table in inspect(db.engine).get_table_names():
            for row in db.session.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    assert secret[:20] not in str(value), f"{table} keeps the secret"
        db.session.remove()
    # It works, once made.
    client = seeded_app.test_client()
    assert client.get(f"{PRACTICES}?status=draft", headers=bearer(secret)).status_code == 200
    # Two tokens never share a secret.
    assert create(seeded_app, "ana-uclg-2") != secret


def test_list_shows_everything_but_the_secret(seeded_app: Flask) -> None:
    editor = create(seeded_app, "ana-uclg", "editor")
    admin = create(seeded_app, "carla-cisdp", "admin", "--expires-in", "30")
    assert cli(seeded_app, "revoke", "ana-uclg").exit_code == 0
    seeded_app.test_client().get(f"{PRACTICES}?status=draft", headers=bearer(admin))
    result = cli(seeded_app, "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["PREFIX", "NAME", "ROLE", "CREATED", "LAST", "USED", "EXPIRES", "REVOKED"]
    assert editor not in result.output and admin not in result.output
    assert editor[12:20] not in result.output and admin[12:20] not in result.output
    rows = {line.split()[1]: line for line in lines[1:]}
    assert set(rows) == {"ana-uclg", "carla-cisdp"}
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    ana = rows["ana-uclg"].split()
    assert ana[0] == editor[:12] and ana[2] == "editor" and ana[3] == today
    # created, last used (never), expires (never), revoked (today)
    assert rows["ana-uclg"].count(" - ") >= 1 and today in rows["ana-uclg"].split("editor")[1]
    carla = rows["carla-cisdp"]
    assert carla.split()[0] == admin[:12] and carla.split()[2] == "admin"
    assert (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d") in carla
    assert carla.rstrip().endswith("-"), "not revoked"
    assert carla.count(today) >= 2, "created and last used today"


@pytest.mark.parametrize("by", ["name", "prefix"])
def test_revoke_by_name_or_prefix(seeded_app: Flask, by: str) -> None:
    secret = create(seeded_app, "ben-editor")
    other = create(seeded_app, "other-editor")
    client = seeded_app.test_client()
    assert client.post(PRACTICES, json=new_practice("Before revocation"), headers=bearer(secret)).status_code == 201
    token = token_row(seeded_app, "ben-editor")
    result = cli(seeded_app, "revoke", token.name if by == "name" else token.prefix)
    assert result.exit_code == 0, result.output
    assert "ben-editor" in result.output and secret not in result.output
    assert token_row(seeded_app, "ben-editor").revoked_at is not None
    refused = client.post(PRACTICES, json=new_practice("After revocation"), headers=bearer(secret))
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert token_row(seeded_app, "other-editor").revoked_at is None
    assert client.post(PRACTICES, json=new_practice("Other"), headers=bearer(other)).status_code == 201
    # Revoking again keeps the first revocation time; an unknown one is an error.
    first = token_row(seeded_app, "ben-editor").revoked_at
    assert cli(seeded_app, "revoke", "ben-editor").exit_code == 0
    assert token_row(seeded_app, "ben-editor").revoked_at == first
    missing = cli(seeded_app, "revoke", "nobody")
    assert missing.exit_code != 0 and "nobody" in missing.output


def test_a_duplicate_name_is_refused(seeded_app: Flask) -> None:
    create(seeded_app, "ana-uclg")
    result = cli(seeded_app, "create", "--name", "ana-uclg", "--role", "admin")
    assert result.exit_code != 0
    assert "ana-uclg" in result.output and not SECRET.search(result.stdout)
    assert token_row(seeded_app, "ana-uclg").role == "editor"


@pytest.mark.parametrize(
    "args",
    [["--name", "x", "--role", "owner"], ["--name", "x"], ["--role", "editor"], ["--name", " ", "--role", "editor"],
     ["--name", "x", "--role", "editor", "--expires-in", "0"]],
)
def test_bad_arguments_make_no_token(seeded_app: Flask, args: list[str]) -> None:
    result = cli(seeded_app, "create", *args)
    assert result.exit_code != 0
    assert not SECRET.search(result.stdout)
    with seeded_app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ApiToken)) == 0
        db.session.remove()


def test_expires_in_sets_the_expiry(seeded_app: Flask) -> None:
    before = datetime.now(UTC)
    secret = create(seeded_app, "temporary", "editor", "--expires-in", "7")
    token = token_row(seeded_app, "temporary")
    expires = aware(token.expires_at)
    assert before + timedelta(days=7) <= expires <= datetime.now(UTC) + timedelta(days=7)
    assert seeded_app.test_client().get(f"{PRACTICES}?status=draft", headers=bearer(secret)).status_code == 200
    # Once past its expiry, it is refused.
    with seeded_app.app_context():
        row = db.session.scalar(select(ApiToken).where(ApiToken.name == "temporary"))
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
        db.session.remove()
    assert seeded_app.test_client().get(f"{PRACTICES}?status=draft", headers=bearer(secret)).status_code == 401


def test_last_used_is_recorded_on_use(seeded_app: Flask) -> None:
    secret = create(seeded_app, "ana-uclg")
    assert token_row(seeded_app, "ana-uclg").last_used_at is None
    client = seeded_app.test_client()
    before = datetime.now(UTC)
    assert client.get(f"{PRACTICES}/madrid-droits-humains-des-migrants", headers=bearer(secret)).status_code == 200
    first = aware(token_row(seeded_app, "ana-uclg").last_used_at)
    assert first is not None and before - timedelta(seconds=1) <= first <= datetime.now(UTC)
    # Also when the request then fails (here, validation).
    assert client.post(PRACTICES, json={}, headers=bearer(secret)).status_code == 422
    second = aware(token_row(seeded_app, "ana-uclg").last_used_at)
    assert second >= first
    # A public request does not touch it.
    client.get(PRACTICES)
    assert aware(token_row(seeded_app, "ana-uclg").last_used_at) == second


@pytest.mark.parametrize("args", [["create", "--name", "early", "--role", "editor"], ["list"], ["revoke", "early"]])
def test_token_commands_refuse_an_unmigrated_database(fresh_database_url, args: list[str]) -> None:
    from tests.conftest import make_app

    app = make_app(fresh_database_url)
    result = cli(app, *args)
    assert result.exit_code == 1 and result.exception is not None
    assert "db upgrade" in result.output and "Traceback" not in result.output
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()
