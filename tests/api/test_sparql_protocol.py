"""The SPARQL 1.1 Protocol at /sparql: methods, parameters, datasets, formats, errors, updates."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import rdflib
from apikit import AUTH
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from coprokg.namespaces import ONTOLOGY_GRAPH

pytest_plugins = ["apikit"]

CASES = "PREFIX cpk: <https://w3id.org/coprokg/ontology#> SELECT ?c WHERE { ?c a cpk:Case } ORDER BY ?c"
SPARQL_NS = "{http://www.w3.org/2005/sparql-results#}"


def _cases(body: bytes) -> list[str]:
    return [b["c"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_get_post_form_and_post_direct_agree(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": CASES})
    by_form = client.post("/sparql", data={"query": CASES})
    by_direct = client.post("/sparql", content=CASES, headers={"Content-Type": "application/sparql-query"})
    assert by_get.status_code == by_form.status_code == by_direct.status_code == 200
    assert by_get.headers["content-type"].startswith("application/sparql-results+json")
    assert _cases(by_get.content) == _cases(by_form.content) == _cases(by_direct.content)
    assert len(_cases(by_get.content)) >= 59


def test_result_formats_parse(client: TestClient) -> None:
    query = CASES + " LIMIT 3"
    xml = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    uris = [e.text for e in ET.fromstring(xml.content).iter(f"{SPARQL_NS}uri")]
    assert len(uris) == 3
    got_csv = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert got_csv.headers["content-type"].startswith("text/csv")
    assert [row["c"] for row in csv.DictReader(io.StringIO(got_csv.text))] == uris
    tsv = client.get("/sparql", params={"query": query}, headers={"Accept": "text/tab-separated-values"})
    assert tsv.text.splitlines() == ["?c", *(f"<{u}>" for u in uris)]
    ask = client.get(
        "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert ET.fromstring(ask.content).find(f"{SPARQL_NS}boolean").text == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_graph_formats_parse_to_the_same_graph(client: TestClient, accept: str, rdflib_format: str) -> None:
    query = "CONSTRUCT WHERE { <https://w3id.org/coprokg/case/buurt-bestuurt-rotterdam> ?p ?o }"
    reference = client.get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    got = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    expected = rdflib.Graph().parse(data=reference.content, format="nt")
    assert len(expected) > 10 and isomorphic(got, expected)


def test_q_values_and_wildcards(client: TestClient) -> None:
    headers = {"Accept": "application/sparql-results+xml;q=0.5, text/csv;q=0.8, */*;q=0.1"}
    assert (
        client.get("/sparql", params={"query": CASES}, headers=headers).headers["content-type"].startswith("text/csv")
    )
    headers = {"Accept": "text/*"}
    construct = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a ?t } LIMIT 1"}, headers=headers)
    assert construct.headers["content-type"].startswith("text/turtle")


def test_not_acceptable(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CASES}, headers={"Accept": "image/png"})
    assert response.status_code == 406 and "application/sparql-results+json" in response.json()["allowed"]
    response = client.get("/sparql", params={"query": CASES}, headers={"Accept": "text/turtle"})
    assert response.status_code == 406  # a SELECT has no Turtle form


def test_protocol_dataset_and_from(client: TestClient) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(**params: object) -> int:
        response = client.get("/sparql", params={"query": count, **params})  # type: ignore[arg-type]
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    total, ontology = n(), n(**{"default-graph-uri": str(ONTOLOGY_GRAPH)})
    assert 0 < ontology < total
    from_query = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert (
        int(client.get("/sparql", params={"query": from_query}).json()["results"]["bindings"][0]["n"]["value"])
        == ontology
    )
    graphs = client.get(
        "/sparql",
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": str(ONTOLOGY_GRAPH)},
    )
    assert [b["g"]["value"] for b in graphs.json()["results"]["bindings"]] == [str(ONTOLOGY_GRAPH)]


def test_bad_requests(client: TestClient) -> None:
    both = client.post("/sparql?query=ASK%7B%7D", data={"query": "ASK {}"})
    assert both.status_code == 400 and both.json()["field"] == "query"
    direct_and_url = client.post(
        "/sparql?query=ASK%7B%7D", content="ASK {}", headers={"Content-Type": "application/sparql-query"}
    )
    assert direct_and_url.status_code == 400
    duplicated = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert duplicated.status_code == 400
    query_and_update = client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"}, headers=AUTH)
    assert query_and_update.status_code == 400
    update_by_get = client.get("/sparql", params={"update": "CLEAR ALL"}, headers=AUTH)
    assert update_by_get.status_code == 400
    nothing = client.post("/sparql", data={"default-graph-uri": str(ONTOLOGY_GRAPH)})
    assert nothing.status_code == 400
    wrong_type = client.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415 and "application/sparql-query" in wrong_type.json()["allowed"]


def test_syntax_error_names_line_and_column(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT *\nWHERE {\n  ?s ?p\n}"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"message", "field", "line", "column", "allowed"}
    assert body["line"] == 4 and isinstance(body["column"], int) and "syntax error" in body["message"]


def test_service_description(client: TestClient) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(graph.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.supportedLanguage, sd.SPARQL11Update) in graph  # this app has a token
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.status_code == 200 and len(rdflib.Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)


def test_update_needs_the_token(client: TestClient, readonly_client: TestClient) -> None:
    update = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/p> 7 } }"
    ask = "ASK { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/p> 7 } }"
    direct = {"Content-Type": "application/sparql-update"}
    missing = client.post("/sparql", content=update, headers=direct)
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    basic = client.post("/sparql", content=update, headers={**direct, "Authorization": "Basic dTpw"})
    assert basic.status_code == 401
    wrong = client.post("/sparql", content=update, headers={**direct, "Authorization": "Bearer wrong-token-0123456789"})
    assert wrong.status_code == 403
    disabled = readonly_client.post("/sparql", content=update, headers={**direct, **AUTH})
    assert disabled.status_code == 403 and "disabled" in disabled.json()["message"]
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False
    assert client.post("/sparql", content=update, headers={**direct, **AUTH}).status_code == 204
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
    form = client.post("/sparql", data={"update": f"DELETE DATA {update[len('INSERT DATA') :]}"}, headers=AUTH)
    assert form.status_code == 204
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False
    sd = readonly_client.get("/sparql").text
    assert "SPARQL11Update" not in sd
