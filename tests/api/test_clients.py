"""Standard SPARQL clients against a live server (uvicorn on a free loopback port)."""

from __future__ import annotations

import httpx
import rdflib
from apikit import AUTH, LiveServer
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, XML, SPARQLWrapper

pytest_plugins = ["apikit"]

CASES = "PREFIX cpk: <https://w3id.org/coprokg/ontology#> SELECT ?c WHERE { ?c a cpk:Case } ORDER BY ?c LIMIT 5"


def test_sparqlwrapper_json_and_xml(live_server: LiveServer) -> None:
    client = SPARQLWrapper(f"{live_server.url}/sparql")
    client.setQuery(CASES)
    client.setReturnFormat(JSON)
    as_json = client.query().convert()
    uris = [b["c"]["value"] for b in as_json["results"]["bindings"]]  # type: ignore[index, call-overload]
    assert len(uris) == 5
    client.setReturnFormat(XML)
    as_xml = client.query().convert()
    found = [n.firstChild.data for n in as_xml.getElementsByTagName("uri")]  # type: ignore[union-attr]
    assert found == uris
    client.setMethod("POST")
    client.setReturnFormat(JSON)
    assert [b["c"]["value"] for b in client.query().convert()["results"]["bindings"]] == uris  # type: ignore[index, call-overload]


def test_rdflib_sparqlstore(live_server: LiveServer) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{live_server.url}/sparql", returnFormat="json"))
    rows = list(graph.query(CASES))
    assert len(rows) == 5
    case = rdflib.URIRef("https://w3id.org/coprokg/case/buurt-bestuurt-rotterdam")
    title = graph.value(case, rdflib.URIRef("http://purl.org/dc/terms/title"))
    assert title is not None and "Buurt Bestuurt" in str(title)
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True


def test_httpx_keep_alive_and_protocol(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        for _ in range(20):
            response = client.get("/sparql", params={"query": CASES})
            assert response.status_code == 200
        update = "INSERT DATA { GRAPH <http://example.org/live> { <http://example.org/a> <http://example.org/p> 1 } }"
        assert client.post("/sparql", data={"update": update}).status_code == 401
        assert client.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
        ask = "ASK { GRAPH <http://example.org/live> { ?s ?p ?o } }"
        assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
