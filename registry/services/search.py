"""Full-text search over practices, backed by the index that migration 0002 builds and triggers keep current.

Users type free text; the engines' own query languages (FTS5 MATCH, tsquery) would turn quotes, ``NEAR``,
``title:`` or a lone ``"`` into syntax errors. So the query is parsed here into plain terms (words, prefixes,
phrases) made only of letters, digits and combining marks, and rebuilt for each engine from bound parameters:
nothing the user types can become an operator, let alone SQL. Case and accents are folded by the database on
both sides (FTS5 ``unicode61 remove_diacritics 2``; ``unaccent(lower(...))`` in PostgreSQL), never here, so
the query is normalised exactly as the indexed text was.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import reduce

from sqlalchemy import Float, Integer, Select, String, bindparam, column, func, literal, literal_column, select, table
from sqlalchemy.sql.elements import ColumnElement

from registry.services.errors import QueryError, ServiceError

MAX_QUERY_LENGTH = 500
MAX_TERMS = 32

#: Tables the search migration creates; they are not models, so autogenerate must leave them alone.
SEARCH_TABLES = frozenset({"practice_search"})
#: SQLite FTS5 keeps a virtual table's data in these shadow tables (``practice_search_data``, ...).
_FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")

#: Relative weights of title, summary + description, and the lead local government's name; the same on both
#: engines (they are PostgreSQL's default ts_rank weights for the labels A, B and C used by the index).
_SQLITE_RANK = "-bm25(practice_search, 1.0, 0.4, 0.2)"


class SearchQueryError(QueryError):
    """The query cannot be searched; the message says why, in words meant for the person who typed it."""

    def __init__(self, reason: str):
        ServiceError.__init__(self, reason, {"q": [reason]})

    @property
    def detail(self) -> str:
        return "The search cannot be run."


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


Term = Word | Phrase


def is_search_table(name: str | None) -> bool:
    """True for the search index's tables, FTS5 shadow tables included."""
    if name is None:
        return False
    return name in SEARCH_TABLES or any(name == t + s for t in SEARCH_TABLES for s in _FTS5_SHADOW_SUFFIXES)


def include_in_autogenerate(name: str | None, type_: str, parent_names: Mapping[str, str | None]) -> bool:
    """Alembic ``include_name`` hook: compare everything but the search index, which has no model."""
    return not (type_ == "table" and is_search_table(name))


def _is_word_char(char: str) -> bool:
    # Letters, digits and combining marks: a Devanagari vowel sign or a decomposed accent belongs to its word.
    return unicodedata.category(char)[0] in "LNM"


def _words(text: str) -> Iterator[tuple[str, bool]]:
    """Runs of word characters, each with whether a ``*`` immediately follows it."""
    start: int | None = None
    for index, char in enumerate(text + " "):
        if _is_word_char(char):
            if start is None:
                start = index
        elif start is not None:
            yield text[start:index], char == "*"
            start = None


def parse_query(q: str) -> list[Term]:
    """Terms of a user's query, all of which a practice must contain.

    A double-quoted part is a phrase (an unclosed quote runs to the end); elsewhere each word is a term, a
    prefix when ``*`` follows it. Everything that is not a letter, digit or mark only separates words.
    """
    if len(q) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"The search text is too long: at most {MAX_QUERY_LENGTH} characters.")
    terms: list[Term] = []
    for index, part in enumerate(unicodedata.normalize("NFC", q).split('"')):
        words = list(_words(part))
        if index % 2 and words:  # inside quotes
            terms.append(Phrase(tuple(word for word, _ in words)))
        elif not index % 2:
            terms.extend(Word(word, prefix) for word, prefix in words)
    if not terms:
        raise SearchQueryError("The search text has no word to search for.")
    if len(terms) > MAX_TERMS:
        raise SearchQueryError(f"The search text has too many words: at most {MAX_TERMS}.")
    return terms


def _fts5_expression(terms: list[Term]) -> str:
    """FTS5 query of quoted strings only (so no word is read as an operator), all required."""

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    return " AND ".join(
        quoted(" ".join(t.words)) if isinstance(t, Phrase) else quoted(t.text) + ("*" if t.prefix else "")
        for t in terms
    )


def _tsquery(term: Term) -> ColumnElement:
    """One term as a tsquery, normalised like the indexed text; the user's text is only ever a bound value."""
    config = literal_column("'simple'::regconfig")
    text = " ".join(term.words) if isinstance(term, Phrase) else term.text
    normalised = func.unaccent(func.lower(bindparam(None, text, type_=String)))
    if isinstance(term, Phrase):
        return func.phraseto_tsquery(config, normalised)
    if not term.prefix:
        return func.plainto_tsquery(config, normalised)
    # to_tsquery parses its input, so the word goes in as one quoted, escaped lexeme: ' word':* (the space
    # keeps a word that unaccent empties, e.g. a lone combining mark, from becoming the syntax error '':*).
    escaped = func.replace(func.replace(normalised, literal("\\"), literal("\\\\")), literal("'"), literal("''"))
    return func.to_tsquery(config, literal("' ", String) + escaped + literal("':*", String))


def search_practice_ids(q: str, dialect_name: str, *, ranked: bool = True) -> Select:
    """``SELECT practice_id, rank`` of the practices matching every term of ``q``; a higher rank is better.
    Without ``ranked``, only ``practice_id``: the match alone, for counting and filtering (bm25 and ts_rank
    cost as much as the match itself, so they run only where the order needs them).

    Raises SearchQueryError when ``q`` cannot be searched. Join or filter the result as a subquery.
    """
    terms = parse_query(q)
    if dialect_name == "sqlite":
        index = table("practice_search", column("rowid", Integer))
        rank = [literal_column(_SQLITE_RANK, Float).label("rank")] if ranked else []
        return select(index.c.rowid.label("practice_id"), *rank).where(
            literal_column("practice_search").op("MATCH")(bindparam(None, _fts5_expression(terms), String))
        )
    if dialect_name == "postgresql":
        index = table("practice_search", column("practice_id", Integer), column("document"))
        query = reduce(lambda left, right: left.op("&&")(right), [_tsquery(term) for term in terms])
        rank = [func.ts_rank(index.c.document, query, type_=Float).label("rank")] if ranked else []
        return select(index.c.practice_id, *rank).where(index.c.document.bool_op("@@")(query))
    raise NotImplementedError(f"No full-text search for the {dialect_name!r} database engine.")
