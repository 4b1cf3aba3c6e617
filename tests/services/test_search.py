"""Practice search: the query parser, and the database index that triggers keep current, on every engine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from registry.extensions import db
from registry.models import LocalGovernment, Practice
from registry.services.errors import QueryError
from registry.services.search import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    Phrase,
    SearchQueryError,
    Word,
    parse_query,
    search_practice_ids,
)
from tests.helpers import search

SEEDED_PRACTICES = 6

# --- the parser, no database --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "terms"),
    [
        ("logement", [Word("logement")]),
        ("loge*", [Word("loge", prefix=True)]),
        ("loge *", [Word("loge")]),
        ('"accueil humanitaire" logement', [Phrase(("accueil", "humanitaire")), Word("logement")]),
        ('"accueil  humanitaire', [Phrase(("accueil", "humanitaire"))]),
        ('"accueil hum*"', [Phrase(("accueil", "hum"))]),
        ('a "" b', [Word("a"), Word("b")]),
        ("São Paulo", [Word("São"), Word("Paulo")]),
        ("Sa\u0303o", [Word("São")]),  # decomposed input is composed first
        ("sao-paulo", [Word("sao"), Word("paulo")]),
        ("l'accueil", [Word("l"), Word("accueil")]),
        ("snake_case", [Word("snake"), Word("case")]),
        ("हिन्दी भाषा", [Word("हिन्दी"), Word("भाषा")]),  # vowel signs are marks, not separators
        ("covid19 2030", [Word("covid19"), Word("2030")]),
        ("a AND (b OR -c) NEAR(d e) title:f ^g", [Word(w) for w in "a AND b OR c NEAR d e title f g".split()]),
        ("'; DROP TABLE practices; --", [Word("DROP"), Word("TABLE"), Word("practices")]),
    ],
)
def test_parse_query(q: str, terms: list[Any]) -> None:
    assert parse_query(q) == terms


@pytest.mark.parametrize("q", ["", "   ", '"', '""', "***", "*", "()", "-- ; '", "🙂", "\x00"])
def test_parse_query_refuses_a_query_without_words(q: str) -> None:
    with pytest.raises(SearchQueryError, match="no word"):
        parse_query(q)


def test_parse_query_limits_length_and_terms() -> None:
    assert len(parse_query("a" * MAX_QUERY_LENGTH)) == 1
    with pytest.raises(SearchQueryError, match="too long"):
        parse_query("a" * (MAX_QUERY_LENGTH + 1))
    assert len(parse_query(" ".join(["w"] * MAX_TERMS))) == MAX_TERMS
    with pytest.raises(SearchQueryError, match="too many"):
        parse_query(" ".join(["w"] * (MAX_TERMS + 1)))


def test_search_query_error_is_a_query_error_naming_q() -> None:
    """The API answers every QueryError with a 400 naming the parameter: for a search, ``q``."""
    with pytest.raises(QueryError) as raised:
        parse_query("")
    assert isinstance(raised.value, SearchQueryError) and raised.value.status == 400
    assert raised.value.errors == {"q": ["The search text has no word to search for."]}
    assert raised.value.detail == "The search cannot be run."


# --- the index, on each engine -------------------------------------------------------------------------------


@pytest.fixture
def ctx(seeded_app: Flask) -> Iterator[Flask]:
    with seeded_app.app_context():
        yield seeded_app


def local_government(slug: str) -> LocalGovernment:
    return db.session.scalars(select(LocalGovernment).where(LocalGovernment.slug == slug)).one()


def add_practice(slug: str, title: str, *, lead: str = "madrid", **ml: str | None) -> Practice:
    """A practice with French text only; ``ml`` sets summary and description."""
    practice = Practice(
        slug=slug,
        title={"fr": title},
        summary={"fr": ml["summary"]} if ml.get("summary") else None,
        description={"fr": ml["description"]} if ml.get("description") else None,
        original_language="fr",
        lead_local_government=local_government(lead),
        provenance="Synthetic test record.",
    )
    db.session.add(practice)
    db.session.commit()
    return practice


def index_rows(practice_id: int) -> int:
    key = "rowid" if db.engine.dialect.name == "sqlite" else "practice_id"
    return db.session.scalar(text(f"SELECT count(*) FROM practice_search WHERE {key} = :id"), {"id": practice_id})


def test_seeds_are_indexed(ctx: Flask) -> None:
    assert len(search('"droits humains des migrants"')) == SEEDED_PRACTICES
    assert search("upala") == ["upala-droits-humains-des-migrants"]
    assert search("Contribución Pikine") == ["pikine-droits-humains-des-migrants"]  # every language is indexed


@pytest.mark.parametrize("q", ["logement", "LOGEMENT", "Logement", "logement MIGRACION", "logement migración"])
def test_case_and_accent_insensitive(ctx: Flask, q: str) -> None:
    add_practice("logement-migration", "Logement et migración")
    assert search(q) == ["logement-migration"]


@pytest.mark.parametrize("q", ["migracion", "MIGRACIÓN", "Migración"])
def test_accent_insensitive_across_seeds(ctx: Flask, q: str) -> None:
    add_practice("logement-migration", "Logement et migración")
    # The seeded Madrid practice says "migración" in its Spanish summary; the title match ranks first.
    assert search(q) == ["logement-migration", "madrid-droits-humains-des-migrants"]


def test_place_name_without_accents(ctx: Flask) -> None:
    add_practice("accueil-sp", "Accueil des nouveaux arrivants", lead="sao-paulo")
    assert search("sao paulo") == ["accueil-sp"]
    assert search("SÃO PAULO") == ["accueil-sp"]


def test_prefix(ctx: Flask) -> None:
    add_practice("logement-migration", "Logement et migración")
    assert search("loge*") == ["logement-migration"]
    assert search("LOGÉ*") == ["logement-migration"]
    assert search("loge") == []  # without the star, a word is a whole word


def test_phrase_matches_adjacent_words_only(ctx: Flask) -> None:
    add_practice("adjacent", "Accueil humanitaire à Madrid")
    add_practice("apart", "Accueil des familles", description="Un soutien humanitaire.")
    assert search('"accueil humanitaire"') == ["adjacent"]
    assert search('"Accueil Humanitaire"') == ["adjacent"]
    assert sorted(search("accueil humanitaire")) == ["adjacent", "apart"]


def test_title_outranks_description(ctx: Flask) -> None:
    add_practice("in-description", "Un programme", description="Le dirigeable zeppelin de la ville.")
    add_practice("in-title", "Zeppelin solidaire", description="Un programme de la ville.")
    assert search("zeppelin") == ["in-title", "in-description"]
    ranks = db.session.execute(search_practice_ids("zeppelin", db.engine.dialect.name)).all()
    assert all(isinstance(rank, float) for _, rank in ranks)


def test_all_terms_are_required(ctx: Flask) -> None:
    add_practice("housing-madrid", "Logement social")
    add_practice("housing-upala", "Logement temporaire", lead="upala")
    assert sorted(search("logement")) == ["housing-madrid", "housing-upala"]
    assert search("logement madrid") == ["housing-madrid"]  # the lead's name is indexed too
    assert search("logement zeppelin") == []


def test_index_follows_updates_of_the_practice(ctx: Flask) -> None:
    practice = add_practice("renamed", "Logement social", summary="Un résumé.")
    practice.title = {"fr": "Cantines scolaires"}
    practice.description = {"fr": "Repas gratuits."}
    db.session.commit()
    assert search("logement") == []
    assert search("cantines repas résumé") == ["renamed"]
    practice.lead_local_government = local_government("upala")
    db.session.commit()
    assert search("cantines madrid") == []
    assert search("cantines upala") == ["renamed"]


def test_index_follows_a_renamed_local_government(ctx: Flask) -> None:
    add_practice("led-by-madrid", "Cantines scolaires")
    madrid = local_government("madrid")
    madrid.name = {**madrid.name, "fr": "Villeneuve-sur-Manzanares"}
    db.session.commit()
    assert search("manzanares") == ["led-by-madrid", "madrid-droits-humains-des-migrants"]
    madrid.name = {"fr": "Zénithville", "es": "Zenitvilla"}
    db.session.commit()
    assert search("cantines madrid") == []
    assert search("cantines zenithville") == search("cantines zenitvilla") == ["led-by-madrid"]


def test_delete_removes_the_index_row(ctx: Flask) -> None:
    practice = add_practice("gone", "Logement social")
    practice_id = practice.id
    assert index_rows(practice_id) == 1
    db.session.delete(practice)
    db.session.commit()
    assert index_rows(practice_id) == 0
    assert search("logement") == []


HOSTILE = [
    '"', '""', '"""', "***", "*", "loge**", "*loge", '"unclosed phrase', 'a"b"c"d', "AND", "OR", "NOT", "NEAR",
    "a AND", "OR b", "NOT logement", "a NOT b", "NEAR(a b)", "NEAR(a b, 2)", "a + b", "-logement", "^logement",
    "title:x", "practice_search:x", "{title body}: x", "(logement", "logement)", "a & b | !c <-> d", "x:*", "x:A",
    "'", "''", "\\", "\\'", "l'accueil", "'; DROP TABLE practices; --", '" OR 1=1 --', "%_%", "\x00", "a\x00b",
    "a\ud800b", "\u0301", "\u0301*", "ŉ*", "½ x² ß ﬁ", "日本語 テキスト", "١٢٣", "İstanbul*", "🙂 logement",
    "日" * MAX_QUERY_LENGTH, "𝔘" * MAX_QUERY_LENGTH, "loge* " * (MAX_QUERY_LENGTH // 6), "a " * MAX_TERMS + "b",
    "x" * 10_000, "logement " * 1_250,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_input_gives_results_or_a_clean_error(ctx: Flask, q: str) -> None:
    add_practice("logement-migration", "Logement et migración")
    practices = db.session.scalar(select(func.count()).select_from(Practice))
    try:
        statement = search_practice_ids(q, db.engine.dialect.name)
    except SearchQueryError as error:
        assert str(error)
        return
    assert "DROP" not in str(statement.compile(dialect=db.engine.dialect))  # user text is bound, never inlined
    rows = db.session.execute(statement).all()  # a database error here fails the test
    assert all(isinstance(practice_id, int) and isinstance(rank, float) for practice_id, rank in rows)
    assert db.session.scalar(select(func.count()).select_from(Practice)) == practices


def test_unknown_engine_is_a_programming_error() -> None:
    with pytest.raises(NotImplementedError):
        search_practice_ids("logement", "mssql")
