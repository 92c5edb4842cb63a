"""SERVICE and LOAD are refused on the parse tree; the worker sandbox blocks the network anyway."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

from coprokg.errors import QueryError, QueryRefused
from coprokg.sparql.safety import check_query, check_update
from coprokg.workers.pool import QueryWorkerPool

pytest_plugins = ["storekit"]

REFUSED_QUERIES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    r"SELECT * WHERE { SERV\u0049CE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "ASK { SERVICE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://127.0.0.1:9/> } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    # '<' as less-than: a lexer reading "<?b)SERVICE#>" as an IRI would miss the keyword
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<?b)SERVICE#>\n<http://127.0.0.1:9/> { ?x ?y ?z } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
]
ALLOWED_QUERIES = [
    'SELECT * WHERE { ?s ?p "public service" }',
    "SELECT ?service WHERE { ?service a <https://w3id.org/coprokg/ontology#ServiceStage> }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:load ?o } # SERVICE in a comment",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
]


@pytest.mark.parametrize("query", REFUSED_QUERIES)
def test_service_is_refused(query: str) -> None:
    with pytest.raises(QueryRefused) as err:
        check_query(query)
    assert "SERVICE" in err.value.message


@pytest.mark.parametrize("query", ALLOWED_QUERIES)
def test_the_word_service_elsewhere_is_fine(query: str) -> None:
    check_query(query)


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "load silent <http://127.0.0.1:9/data.ttl> INTO GRAPH <http://example.org/g>",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    ],
)
def test_load_and_service_in_updates_are_refused(update: str) -> None:
    with pytest.raises(QueryRefused):
        check_update(update)


def test_unparsable_text_mentioning_service_is_refused_with_a_position() -> None:
    with pytest.raises(QueryError) as err:
        check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ")
    assert err.value.line == 1
    assert "could not be parsed" in err.value.message


def test_dataset_clause_is_detected() -> None:
    assert check_query("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }").has_dataset_clause
    assert not check_query('SELECT * WHERE { ?s ?p "from" }').has_dataset_clause
    assert not check_query("SELECT * WHERE { ?s ?p ?o }").has_dataset_clause


def test_control_pyoxigraph_alone_does_connect(listener: Any) -> None:
    """The listener sees pyoxigraph's SERVICE request: the zero-connection tests can fail."""
    store = ox.Store()
    with pytest.raises(Exception):  # noqa: B017 - the listener closes the connection at once
        list(store.query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
    assert listener.settled() >= 1


def test_worker_sandbox_blocks_service_even_unchecked(listener: Any, tmp_path: object) -> None:
    """A job sent straight to a worker, past the parse check, still cannot reach the network."""
    store_dir = f"{tmp_path}/s"
    ox.Store(store_dir).backup(f"{tmp_path}/snap")
    pool = QueryWorkerPool(1)
    pool.start()
    try:
        assert pool.sandboxed
        job = {
            "snapshot": f"{tmp_path}/snap",
            "query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
            "default_graphs": [],
            "named_graphs": [],
            "union": True,
            "solutions_format": "json",
            "graph_format": "turtle",
            "max_rows": 10,
        }
        reply = pool.run(job, timeout=10)
    finally:
        pool.close()
    assert reply["ok"] is False and reply["error"] == "refused"
    assert listener.settled() == 0
