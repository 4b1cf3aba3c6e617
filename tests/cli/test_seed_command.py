"""``flask --app registry seed``: loads the seeds once, checks without writing, refuses bad seeds whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import (
    Revision,
    Right,
)
from tests.conftest import SEEDS_DIR
from tests.helpers import dump

SESSION = "droits-humains-des-migrants"


def seed(app, *args: str):
    return app.test_cli_runner().invoke(args=["seed", *args])


# --- the loader ---------------------------------------------------------------------------

def test_seed_twice_changes_nothing(seeded_app) -> None:
    before = dump(seeded_app)
    result = seed(seeded_app)
    assert result.exit_code == 0, result.output
    assert "Nothing to change" in result.output
    assert dump(seeded_app) == before


def test_seed_from_empty_then_again(app) -> None:
    first = seed(app)
    assert first.exit_code == 0, first.output
    assert "Seeded: 112 created" in first.output
    after_first = dump(app)
    second = seed(app)
    assert "Nothing to change: all 112" in second.output
    assert dump(app) == after_first


def test_check_validates_and_writes_nothing(app) -> None:
    before = dump(app)
    result = seed(app, "--check")
    assert result.exit_code == 0, result.output
    assert "would create 112" in result.output
    assert dump(app) == before


def test_changed_seed_updates_with_a_revision(app, tmp_path) -> None:
    seeds = copy_seeds(tmp_path)
    assert seed(app, "--dir", str(seeds)).exit_code == 0
    edit(seeds / "rights.yaml", 'en: "Right to housing"', 'en: "Right to adequate housing"')
    result = seed(app, "--dir", str(seeds))
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output
    with app.app_context():
        housing = db.session.scalar(select(Right).where(Right.slug == "housing"))
        assert housing.version == 2
        revision = db.session.scalars(
            select(Revision).where(Revision.entity_slug == "housing").order_by(Revision.id.desc())
        ).first()
        assert revision.action == "update"
        assert revision.changes["label"]["old"]["en"] == "Right to housing"
        assert revision.changes["label"]["new"]["en"] == "Right to adequate housing"
        assert list(revision.changes) == ["label"]


def copy_seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content, f"{old!r} not in {path.name}"
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


BAD_SEEDS = [
    pytest.param(
        "local_governments.yaml", "country: ES", "country: XX",
        ["local_governments.yaml", "'madrid'", "country", "ISO 3166-1"], id="bad-country",
    ),
    pytest.param(
        "practices.yaml", "lead_local_government: madrid", "lead_local_government: atlantis",
        ["practices.yaml", "'madrid-droits-humains-des-migrants'", "lead_local_government", "'atlantis'"],
        id="unknown-reference",
    ),
    pytest.param(
        "sessions.yaml", 'end_time: "16:30"', 'end_time: "14:30"',
        ["sessions.yaml", "'droits-humains-des-migrants'", "end_time"], id="end-before-start",
    ),
    pytest.param(
        "rights.yaml", "original_language: fr", "original_language: de",
        ["rights.yaml", "'freedom-of-expression-and-assembly'", "label", "original language 'de'"],
        id="missing-original-language-text",
    ),
    pytest.param(
        "people.yaml", "slug: gustavo-baroja", "slug: Gustavo Baroja",
        ["people.yaml", "#5", "slug", "lowercase"], id="bad-slug",
    ),
    pytest.param(
        "gcm_objectives.yaml", "- number: 1\n", "- number: 1\n  colour: blue\n",
        ["gcm_objectives.yaml", "'gcm-objective-1'", "colour", "Unknown field"], id="unknown-field",
    ),
    pytest.param(
        "networks.yaml", "- slug: uclg\n", "- slug: uclg\n  : [\n",
        ["networks.yaml", "not valid YAML"], id="broken-yaml",
    ),
    pytest.param(
        "sessions.yaml", "    - {person: arruda, role: moderator}", "    - {person: arruda, role: chair}",
        ["sessions.yaml", "participants[6].role"], id="nested-field",
    ),
]


@pytest.mark.parametrize(("filename", "old", "new", "expected"), BAD_SEEDS)
def test_bad_seed_names_file_record_and_field_and_writes_nothing(
    app, tmp_path, filename: str, old: str, new: str, expected: list[str]
) -> None:
    seeds = copy_seeds(tmp_path)
    edit(seeds / filename, old, new)
    before = dump(app)
    for args in (["--dir", str(seeds)], ["--check", "--dir", str(seeds)]):
        result = seed(app, *args)
        assert result.exit_code == 1
        assert "nothing written" in result.output
        for fragment in expected:
            assert fragment in result.output
        assert dump(app) == before


def test_bad_seed_on_a_seeded_database_changes_nothing(seeded_app, tmp_path) -> None:
    seeds = copy_seeds(tmp_path)
    edit(seeds / "rights.yaml", 'en: "Right to housing"', 'en: "Right to adequate housing"')  # valid change
    edit(seeds / "practices.yaml", "lead_local_government: pikine", "lead_local_government: nowhere")
    before = dump(seeded_app)
    result = seed(seeded_app, "--dir", str(seeds))
    assert result.exit_code == 1
    assert dump(seeded_app) == before


def test_seed_refuses_an_unmigrated_database(fresh_database_url) -> None:
    from tests.conftest import make_app

    app = make_app(fresh_database_url)
    result = seed(app)
    assert result.exit_code == 1
    assert "db upgrade" in result.output
    with app.app_context():
        db.engine.dispose()
