"""What only Virtuoso does, against a real Virtuoso 7 whose ``ResultSetMaxRows`` is small (200).

The behaviour shared with ``oxigraph serve`` is tested in test_remote.py; here: results cut by the
server's row limit or time limit are never taken for whole ones, only standard SPARQL reaches the
server, and the write account's credentials go with writes only.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from coprokg.errors import QueryError, QueryRefused, QueryTimeout, StoreError
from coprokg.store import QueryRequest, RemoteStore
from coprokg.store.engines import VirtuosoEngine

pytest_plugins = ["storekit", "enginekit"]

RESULT_MAX_ROWS = 200
SCRATCH = "https://w3id.org/coprokg/graph/test/scratch"


class Recording(httpx.HTTPTransport):
    """An HTTP transport that remembers every request it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return super().handle_request(request)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from enginekit import running_virtuoso

    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-small"), result_max_rows=RESULT_MAX_ROWS) as running:
        yield running


def _store(server: Any, **options: Any) -> RemoteStore:
    return RemoteStore(
        server.query_url,
        server.update_url,
        username=server.username,
        password=server.password,
        engine=options.pop("engine", "virtuoso"),
        query_timeout=options.pop("query_timeout", 5.0),
        max_rows=1000,
        **options,
    )


@pytest.fixture(scope="module")
def virtuoso(server: Any) -> Iterator[RemoteStore]:
    store = _store(server)
    rows = " ".join(f"<https://example.org/s{i}> <https://example.org/p> {i} ." for i in range(300))
    store.update(f"INSERT DATA {{ GRAPH <{SCRATCH}> {{ {rows} }} }}")
    yield store
    store.close()


def test_a_result_cut_at_result_set_max_rows_is_never_taken_as_whole(virtuoso: RemoteStore) -> None:
    result = virtuoso.query(QueryRequest(f"SELECT * WHERE {{ GRAPH <{SCRATCH}> {{ ?s ?p ?o }} }}"))
    assert result.rows == RESULT_MAX_ROWS and result.truncated
    small = virtuoso.query(QueryRequest(f"SELECT * WHERE {{ GRAPH <{SCRATCH}> {{ ?s ?p ?o }} }} LIMIT 10"))
    assert small.rows == 10 and not small.truncated
    with pytest.raises(StoreError, match="ResultSetMaxRows"):
        virtuoso.graph_triples(SCRATCH)
    with pytest.raises(StoreError, match="ResultSetMaxRows"):
        virtuoso.export(io.BytesIO())


class _ShortServerLimit(VirtuosoEngine):
    def query_parameters(self, timeout: float) -> dict[str, str]:
        return {"timeout": "300"}


def test_a_result_cut_at_the_server_time_limit_is_a_timeout(server: Any, virtuoso: RemoteStore) -> None:
    store = _store(server, engine=_ShortServerLimit(), query_timeout=20.0)
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SCRATCH}> {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }} }}"
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="did not finish"):
        store.query(QueryRequest(text))
    assert time.monotonic() - started < 10
    store.close()


QUERIES = [
    'SELECT (bif:http_get("{url}") AS ?x) {{}}',
    'SELECT (<bif:http_get>("{url}") AS ?x) {{}}',
    'PREFIX b: <BIF:> SELECT (b:http_get("{url}") AS ?x) {{}}',
    'BASE <bif:> SELECT (<http_get>("{url}") AS ?x) {{}}',
    'SELECT (b\\u0069f:http_get("{url}") AS ?x) {{}}',
    "SELECT (<sql:DB.DBA.RDF_SPONGE_UP>(<{url}>) AS ?x) {{}}",
    'DEFINE get:soft "replace" SELECT * FROM <{url}> {{ ?s ?p ?o }}',
    'DEFINE input:grab-all "yes" SELECT * {{ <{url}> ?p ?o }}',
]
UPDATES = [
    'PREFIX b: <bif:> INSERT {{ GRAPH <{graph}> {{ <a:x> <a:y> ?x }} }} WHERE {{ BIND(b:http_get("{url}") AS ?x) }}',
    'INSERT {{ GRAPH <{graph}> {{ <a:x> <a:y> ?x }} }} WHERE {{ BIND(<bif:http_get>("{url}") AS ?x) }}',
    "DEFINE sql:log-enable 3 INSERT {{ GRAPH <{graph}> {{ <a:x> <a:y> ?x }} }} WHERE {{ BIND(<{url}> AS ?x) }}",
]


@pytest.mark.parametrize("template", QUERIES)
def test_only_standard_sparql_queries_reach_the_server(server: Any, listener: Any, template: str) -> None:
    recording = Recording()
    store = _store(server, transport=recording)
    with pytest.raises(QueryError):
        store.query(QueryRequest(template.format(url=listener.url)))
    assert recording.requests == [] and listener.settled() == 0
    store.close()


@pytest.mark.parametrize("template", UPDATES)
def test_only_standard_sparql_updates_reach_the_server(server: Any, listener: Any, template: str) -> None:
    recording = Recording()
    store = _store(server, transport=recording)
    with pytest.raises(QueryError):
        store.update(template.format(url=listener.url, graph=SCRATCH))
    assert recording.requests == [] and listener.settled() == 0
    store.close()


def test_an_update_sent_as_a_query_is_refused(virtuoso: RemoteStore) -> None:
    with pytest.raises(QueryError, match=r"not standard SPARQL 1\.1 Query"):
        virtuoso.query(QueryRequest(f"INSERT DATA {{ GRAPH <{SCRATCH}> {{ <https://e.org/a> <https://e.org/b> 1 }} }}"))
    with pytest.raises(QueryError, match="the prefix 'rdf:' is not declared; add PREFIX rdf:"):
        virtuoso.query(QueryRequest("SELECT * WHERE { ?s rdf:type ?o }"))
    with pytest.raises(QueryRefused, match="extension function"):
        virtuoso.query(QueryRequest("SELECT (<https://example.org/f>(1) AS ?x) {}"))


def test_credentials_go_with_writes_only(server: Any) -> None:
    recording = Recording()
    store = _store(server, transport=recording)
    store.update(f"INSERT DATA {{ GRAPH <{SCRATCH}-2> {{ <https://example.org/a> <https://example.org/b> 1 }} }}")
    store.query(QueryRequest(f"ASK {{ GRAPH <{SCRATCH}-2> {{ ?s ?p ?o }} }}"))
    store.update(f"DROP SILENT GRAPH <{SCRATCH}-2>")
    store.close()
    queries = [r for r in recording.requests if str(r.url) == server.query_url]
    updates = [r for r in recording.requests if str(r.url) == server.update_url]
    assert queries and all("authorization" not in r.headers for r in queries)
    assert any(r.headers.get("authorization", "").startswith("Digest ") for r in updates)
    assert server.password not in " ".join(r.headers.get("authorization", "") for r in recording.requests)


def test_the_anonymous_endpoint_cannot_write_and_a_wrong_password_is_refused(server: Any) -> None:
    response = httpx.post(
        server.query_url,
        data={"query": f"INSERT DATA {{ GRAPH <{SCRATCH}-3> {{ <https://e.org/a> <https://e.org/b> 1 }} }}"},
    )
    assert response.status_code != 200 and "SECURITY" in response.text
    store = RemoteStore(server.query_url, server.update_url, username="coprokg", password="wrong", engine="virtuoso")
    with pytest.raises(StoreError, match="credentials"):
        store.update(f"INSERT DATA {{ GRAPH <{SCRATCH}-3> {{ <https://e.org/a> <https://e.org/b> 1 }} }}")
    store.close()


def test_virtuoso_errors_are_the_users_or_the_stores(virtuoso: RemoteStore) -> None:
    with pytest.raises(QueryError, match="has not been explicitly created"):
        virtuoso.update("DROP GRAPH <https://example.org/never-created>")
    virtuoso.update("DROP SILENT GRAPH <https://example.org/never-created>")
    with pytest.raises(QueryError, match="Blank node"):
        virtuoso.update(f"INSERT DATA {{ GRAPH <{SCRATCH}-4> {{ _:b <https://e.org/b> 1 }} }}")
