"""The engine adapters without a server: how results, errors, inserts and credentials are handled."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest

from coprokg.errors import QueryError, QueryTimeout, StoreError, StoreUnavailable
from coprokg.sparql.safety import check_standard
from coprokg.store import QueryRequest, RemoteStore
from coprokg.store.engines import Engine, VirtuosoEngine, _without_bnode_scheme, engine_for

P = ox.NamedNode("https://example.org/p")
XML = (
    b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="b"/></head><results>'
    b'<result><binding name="b"><bnode>nodeID://b10000</bnode></binding></result>'
    b'<result><binding name="b"><literal>&lt;bnode&gt;nodeID://kept</literal></binding></result>'
    b"</results></sparql>"
)


@pytest.mark.parametrize("split", range(1, len(XML)))
def test_virtuoso_blank_nodes_are_read_wherever_the_body_is_split(split: int) -> None:
    body = b"".join(_without_bnode_scheme(iter([XML[:split], XML[split:]])))
    [first, second] = list(ox.parse_query_results(body, ox.QueryResultsFormat.XML))
    assert first["b"] == ox.BlankNode("b10000")
    assert second["b"] == ox.Literal("<bnode>nodeID://kept")


@pytest.mark.parametrize(
    ("status", "text", "error"),
    [
        (400, "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error", QueryError),
        (500, "Virtuoso 22023 Error SPARUL_DROP() failed: graph <g> has not been explicitly created", QueryError),
        (500, "Virtuoso 42001 Error SR185: Undefined procedure DB.DBA.foo.", QueryError),
        (500, "Virtuoso S1T00 Error SR171: Transaction timed out", QueryTimeout),
        (
            500,
            "Virtuoso 42000 Error The estimated execution time 573570 (sec) exceeds the limit of 1 (sec).",
            QueryTimeout,
        ),
        (500, "Virtuoso 42000 Error SR186:SECURITY: No permission to execute procedure", StoreError),
        (500, "Virtuoso 08C01 Error CL065: Lost connection to server", StoreUnavailable),
    ],
)
def test_virtuoso_errors(status: int, text: str, error: type[Exception]) -> None:
    found = VirtuosoEngine().error(status, text, "query", "query")
    assert type(found) is error


def test_generic_errors_are_left_to_the_status() -> None:
    assert Engine().error(500, "Virtuoso S1T00 Error SR171: Transaction timed out", "query", "query") is None


def test_virtuoso_inserts_keep_each_blank_node_in_one_operation() -> None:
    graph = "https://example.org/g"
    ground = [ox.Triple(ox.NamedNode(f"https://example.org/s{i}"), P, ox.Literal(str(i))) for i in range(4500)]
    chains = []
    for c in range(30):  # 30 RDF-list-like chains of 40 triples: 1,200 triples with blank nodes
        nodes = [ox.BlankNode(f"c{c}n{i}") for i in range(41)]
        chains.extend(ox.Triple(nodes[i], P, nodes[i + 1]) for i in range(40))
    ops = VirtuosoEngine().insert_operations({graph: ground + chains})
    data = [op for op in ops if op.startswith("INSERT DATA")]
    templates = [op for op in ops if op.startswith("INSERT {")]
    assert len(data) == 3 and all("_:" not in op for op in data)
    assert len(templates) == 3 and all(op.endswith("WHERE {}") for op in templates)
    for c in range(30):
        assert sum(f"_:c{c}n0 " in op for op in templates) == 1
        holder = next(op for op in templates if f"_:c{c}n0 " in op)
        assert all(f"_:c{c}n{i} " in holder for i in range(41))
    assert sum(op.count(" .\n") for op in ops) == len(ground) + len(chains)


def test_generic_inserts_are_one_insert_data() -> None:
    triples = [ox.Triple(ox.BlankNode("b"), P, ox.Literal("x"))]
    [op] = Engine().insert_operations({"https://example.org/g": triples, "https://example.org/h": triples})
    assert op.startswith("INSERT DATA") and op.count("GRAPH") == 2


def _capture(requests: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.headers.get("content-type", "").startswith("application/sparql-update"):
            return httpx.Response(204)
        return httpx.Response(200, json={"head": {}, "boolean": True})

    return httpx.MockTransport(handle)


def test_generic_credentials_go_with_queries_and_updates() -> None:
    requests: list[httpx.Request] = []
    store = RemoteStore(
        "http://127.0.0.1:9/q", "http://127.0.0.1:9/u", username="u", password="p", transport=_capture(requests)
    )
    store.query(QueryRequest("ASK {}"))
    store.update("CLEAR SILENT GRAPH <https://example.org/g>")
    # the query, the update, and the change count the case catalogue reads (coprokg.store.catalogue)
    assert [r.headers["authorization"].split()[0] for r in requests] == ["Basic", "Basic", "Basic"]
    assert b"changeCount" in requests[2].content
    assert requests[0].headers["accept"].startswith("application/sparql-results+json")


def test_virtuoso_asks_for_one_format_by_query_form() -> None:
    engine = engine_for("virtuoso")
    forms = {
        text: check_standard(text).form for text in ("SELECT * {}", "ASK {}", "CONSTRUCT WHERE {}", "DESCRIBE <a:b>")
    }
    assert [engine.accept(form) for form in forms.values()] == [
        "application/sparql-results+xml",
        "application/sparql-results+xml",
        "application/n-triples",
        "application/n-triples",
    ]


def test_virtuoso_takes_no_bearer_token_and_unknown_engines_are_refused() -> None:
    with pytest.raises(StoreError, match="digest"):
        RemoteStore("http://127.0.0.1:9/sparql", engine="virtuoso", bearer_token="t" * 20)
    with pytest.raises(StoreError, match="unknown SPARQL engine"):
        engine_for("fuseki")
