"""``services.errors``: each refusal's status, its ``detail`` and the fields it names."""

from __future__ import annotations

import pytest

from registry.services.errors import (
    Conflict,
    EditorialError,
    Forbidden,
    NotFound,
    QueryError,
    ServiceError,
    Stale,
)
from registry.services.search import SearchQueryError, parse_query


@pytest.mark.parametrize(
    ("error", "status"),
    [(ServiceError, 422), (EditorialError, 422), (Conflict, 409), (Forbidden, 403), (Stale, 412), (NotFound, 404)],
)
def test_each_refusal_has_its_status_and_its_message_as_detail(error, status):
    raised = error("Synthetic message.", {"slug": ["Synthetic reason."]})
    assert raised.status == status
    assert raised.detail == str(raised) == "Synthetic message."
    assert raised.errors == {"slug": ["Synthetic reason."]}
    assert isinstance(raised, ServiceError)


def test_fields_at_fault_default_to_none():
    assert NotFound("Synthetic.").errors == {}
    assert Stale("Synthetic.", None).errors == {}


def test_refused_writes_are_editorial_errors_and_refused_reads_are_not():
    assert all(issubclass(error, EditorialError) for error in (Conflict, Forbidden, Stale))
    assert not any(issubclass(error, EditorialError) for error in (NotFound, QueryError))


def test_a_query_error_names_its_parameters_under_one_general_detail():
    raised = QueryError({"right": ["Unknown right: 'synthetic-missing'."]})
    assert raised.status == 400
    assert raised.detail == "A query parameter names nothing the registry knows."
    assert raised.errors == {"right": ["Unknown right: 'synthetic-missing'."]}


def test_a_search_query_error_is_a_query_error_on_q_whose_reason_stays_in_errors():
    with pytest.raises(SearchQueryError) as refused:
        parse_query("  ?! ")
    raised = refused.value
    assert isinstance(raised, QueryError) and raised.status == 400
    assert raised.detail == "The search cannot be run."
    assert raised.errors == {"q": ["The search text has no word to search for."]}
    assert str(raised) == "The search text has no word to search for."
