"""The SPARQL 1.1 Protocol at /sparql: methods, parameters, datasets, formats, errors, updates."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
import rdflib
from apikit import AUTH
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from coprokg.namespaces import ONTOLOGY_GRAPH

pytest_plugins = ["apikit"]

BUURT = "https://w3id.org/coprokg/case/buurt-bestuurt-rotterdam"
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


# ---------------------------------------------------------------- the W3C SPARQL 1.1 Protocol cases
# What the W3C protocol test suite (rdf-tests, sparql/sparql11/protocol) checks, written against this
# service: query and update by every method, datasets by parameter, the service's base IRI, content
# negotiation, and the requests a service must refuse. Test data lives in graphs under EX and is
# dropped again, so the other tests of this module see the curated store.

EX = "http://example.org/protocol/"
DIRECT_UPDATE = {**AUTH, "Content-Type": "application/sparql-update"}
DIRECT_QUERY = {"Content-Type": "application/sparql-query"}


def _ask(client: TestClient, query: str) -> bool:
    response = client.post("/sparql", content=query, headers=DIRECT_QUERY)
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


@pytest.fixture
def three_graphs(client: TestClient) -> Iterator[list[str]]:
    """Three graphs, each saying its own name is a document (and nothing else)."""
    graphs = [f"{EX}data{i}" for i in (1, 2, 3)]
    body = " ".join(f"GRAPH <{g}> {{ <{g}> a <{EX}Document> }}" for g in graphs)
    assert client.post("/sparql", content=f"INSERT DATA {{ {body} }}", headers=DIRECT_UPDATE).status_code == 204
    yield graphs
    drop = " ; ".join(f"DROP SILENT GRAPH <{g}>" for g in [*graphs, f"{EX}result"])
    assert client.post("/sparql", content=drop, headers=DIRECT_UPDATE).status_code == 204


def test_direct_post_of_an_empty_ask(client: TestClient) -> None:
    assert _ask(client, "ASK {}") is True


def test_query_dataset_by_parameters(client: TestClient, three_graphs: list[str]) -> None:
    data1, data2, data3 = three_graphs
    docs = f"SELECT ?d WHERE {{ ?d a <{EX}Document> }} ORDER BY ?d"

    def found(method: str, query: str, params: list[tuple[str, str]]) -> list[str]:
        if method == "GET":
            response = client.get("/sparql", params=[("query", query), *params])
        else:
            response = client.post("/sparql", data={"query": query, **_grouped(params)})
        assert response.status_code == 200, response.text
        return [next(iter(b.values()))["value"] for b in response.json()["results"]["bindings"]]

    for method in ("GET", "POST"):
        # one default graph, then two: the default graph is their merge
        assert found(method, docs, [("default-graph-uri", data1)]) == [data1]
        two = [("default-graph-uri", data1), ("default-graph-uri", data2)]
        assert found(method, docs, two) == [data1, data2]
        # named graphs only: GRAPH sees exactly them, the default graph is empty
        named = [("named-graph-uri", data1), ("named-graph-uri", data2)]
        graphs = f"SELECT ?g WHERE {{ GRAPH ?g {{ ?d a <{EX}Document> }} }} ORDER BY ?g"
        assert found(method, graphs, named) == [data1, data2]
        assert found(method, docs, named) == []
    # both: data1 as default graph, data2 as the only named graph
    both = [("default-graph-uri", data1), ("named-graph-uri", data2)]
    where = f"SELECT ?d ?g WHERE {{ {{ ?d a <{EX}Document> }} UNION {{ GRAPH ?g {{ ?d a <{EX}Document> }} }} }}"
    assert sorted(found("GET", where, both)) == [data1, data2]
    # the protocol's dataset wins over the query's FROM
    from_query = f"SELECT ?d FROM <{data3}> WHERE {{ ?d a <{EX}Document> }}"
    assert found("GET", from_query, [("default-graph-uri", data1)]) == [data1]
    assert found("GET", from_query, []) == [data3]


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


SOLUTION_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")
MIXED = "application/sparql-results+xml, text/turtle;q=0.9"  # one Accept for every kind of query


@pytest.mark.parametrize(
    ("accept", "query", "media_types"),
    [
        ("", "SELECT ?c WHERE { ?c a <https://w3id.org/coprokg/ontology#Case> } LIMIT 1", SOLUTION_TYPES),
        ("", "ASK { ?s ?p ?o }", BOOLEAN_TYPES),
        ("", f"DESCRIBE <{BUURT}>", GRAPH_TYPES),
        ("", f"CONSTRUCT WHERE {{ <{BUURT}> ?p ?o }}", GRAPH_TYPES),
        (MIXED, "ASK { ?s ?p ?o }", ("application/sparql-results+xml",)),
        (MIXED, f"DESCRIBE <{BUURT}>", ("text/turtle",)),
    ],
)
def test_content_type_fits_the_query(client: TestClient, accept: str, query: str, media_types: tuple[str, ...]) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] in media_types
    assert response.content


@pytest.mark.parametrize("where", ["url", "form"])
def test_update_dataset_by_parameters(client: TestClient, three_graphs: list[str], where: str) -> None:
    data1, data2, data3 = three_graphs
    result = f"{EX}result"

    def update(text: str, params: list[tuple[str, str]]) -> None:
        if where == "url":
            response = client.post("/sparql", params=params, content=text, headers=DIRECT_UPDATE)
        else:
            response = client.post("/sparql", data={"update": text, **_grouped(params)}, headers=AUTH)
        assert response.status_code == 204, response.text

    def marked() -> set[str]:
        query = f"SELECT ?d ?in WHERE {{ GRAPH <{result}> {{ ?d <{EX}in> ?in }} }}"
        rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
        return {f"{r['d']['value'].rsplit('/', 1)[1]} in {r['in']['value'].rsplit('/', 1)[1]}" for r in rows}

    mark = (
        f"INSERT {{ GRAPH <{result}> {{ ?d <{EX}in> ?in }} }} WHERE {{ "
        f"{{ ?d a <{EX}Document> BIND(<{EX}default> AS ?in) }} UNION {{ GRAPH ?in {{ ?d a <{EX}Document> }} }} }}"
    )
    clear = f"DROP SILENT GRAPH <{result}>"
    # using-graph-uri: the WHERE clause's default graph is that graph, or the merge of several
    update(mark, [("using-graph-uri", data1)])
    assert marked() == {"data1 in default"}
    update(clear, [])
    update(mark, [("using-graph-uri", data1), ("using-graph-uri", data2)])
    assert marked() == {"data1 in default", "data2 in default"}
    update(clear, [])
    # using-named-graph-uri: GRAPH in the WHERE clause sees only those graphs
    update(mark, [("using-named-graph-uri", data1), ("using-named-graph-uri", data2)])
    assert marked() == {"data1 in data1", "data2 in data2"}
    update(clear, [])
    # both at once; data3 is in neither
    update(mark, [("using-graph-uri", data1), ("using-named-graph-uri", data2)])
    assert marked() == {"data1 in default", "data2 in data2"}
    # DELETE WHERE takes the dataset too: its pattern matches only in the graphs given
    delete = f"DELETE WHERE {{ GRAPH <{result}> {{ ?d <{EX}in> ?in }} }}"
    update(delete, [("using-named-graph-uri", data2)])
    assert marked() == {"data1 in default", "data2 in data2"}  # the result graph is not among them
    update(delete, [("using-named-graph-uri", result)])
    assert marked() == set()
    assert _ask(client, f"ASK {{ GRAPH <{data3}> {{ <{data3}> a <{EX}Document> }} }}")


def test_update_dataset_parameters_and_its_own_clause_conflict(client: TestClient, three_graphs: list[str]) -> None:
    data1 = three_graphs[0]
    for text in (
        f"WITH <{data1}> DELETE {{ ?d a <{EX}Document> }} WHERE {{ ?d a <{EX}Document> }}",
        f"PREFIX ex: <{EX}>\nDELETE {{ ?d a ex:Document }}\nUSING <{data1}> WHERE {{ ?d a ex:Document }}",
    ):
        response = client.post(
            "/sparql", params={"using-named-graph-uri": f"{EX}people"}, content=text, headers=DIRECT_UPDATE
        )
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["field"] == "using-graph-uri" and "its own" in body["message"]
        assert body["line"] in (1, 3)
    assert _ask(client, f"ASK {{ GRAPH <{data1}> {{ <{data1}> a <{EX}Document> }} }}")  # nothing was deleted


def test_relative_iris_resolve_against_the_endpoint(client: TestClient) -> None:
    # a query: the W3C example that made this service answer 400
    construct = client.get(
        "/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"}, headers={"Accept": "application/n-triples"}
    )
    assert construct.status_code == 200, construct.text
    assert construct.text.strip() == (
        '<http://testserver/s> <http://testserver/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    )
    # the query's own BASE is still resolved, against the endpoint when it is relative
    own = client.get("/sparql", params={"query": "BASE <http://example.org/a/> SELECT (<x> AS ?x) {}"})
    assert own.json()["results"]["bindings"][0]["x"]["value"] == "http://example.org/a/x"
    # an update (as the W3C case does it): the object is stored as an absolute IRI, not the text "test"
    graph = f"{EX}base"
    insert = f"CLEAR SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ <{EX}s> <{EX}p> <test> }} }}"
    assert client.post("/sparql", content=insert, headers=DIRECT_UPDATE).status_code == 204
    assert _ask(client, f'ASK {{ GRAPH <{graph}> {{ <{EX}s> <{EX}p> ?o FILTER(isIRI(?o) && STR(?o) != "test") }} }}')
    assert _ask(client, f"ASK {{ GRAPH <{graph}> {{ <{EX}s> <{EX}p> <http://testserver/test> }} }}")
    assert client.post("/sparql", content=f"DROP GRAPH <{graph}>", headers=DIRECT_UPDATE).status_code == 204


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status"),
    [
        # a method other than GET and POST
        ("PUT", "/sparql?query=ASK%20%7B%7D", {"headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 405),
        # two queries, two updates
        ("GET", "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", {}, 400),
        ("POST", "/sparql", {"content": "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
                             "headers": {**AUTH, "Content-Type": "application/x-www-form-urlencoded"}}, 400),
        # a body of the wrong media type, or with none
        ("POST", "/sparql", {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
        ("POST", "/sparql", {"content": "query=ASK%20%7B%7D"}, 415),
        ("POST", "/sparql", {"content": "ASK {}"}, 415),
        ("POST", "/sparql", {"content": "CLEAR NAMED", "headers": {**AUTH, "Content-Type": "text/plain"}}, 415),
        ("POST", "/sparql", {"content": "update=CLEAR%20NAMED", "headers": AUTH}, 415),
        # a body that is not UTF-8
        ("POST", "/sparql", {"content": "ASK {}".encode("utf-16"),
                             "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}}, 415),
        ("POST", "/sparql", {"content": "CLEAR NAMED".encode("utf-16"),
                             "headers": {**AUTH, "Content-Type": "application/sparql-update; charset=UTF-16"}}, 415),
        # bad syntax
        ("GET", "/sparql?query=ASK%20%7B", {}, 400),
        ("POST", "/sparql", {"content": "update=CLEAR%20XYZ",
                             "headers": {**AUTH, "Content-Type": "application/x-www-form-urlencoded"}}, 400),
        # an update by GET
        ("GET", "/sparql?update=CLEAR%20ALL", {"headers": AUTH}, 400),
        # the dataset parameters of the other operation
        ("GET", "/sparql?query=ASK%20%7B%7D&using-graph-uri=http%3A%2F%2Fexample.org%2Fg", {}, 400),
        ("POST", "/sparql?default-graph-uri=http%3A%2F%2Fexample.org%2Fg",
         {"content": "CLEAR SILENT GRAPH <http://example.org/g>", "headers": DIRECT_UPDATE}, 400),
    ],
)  # fmt: skip
def test_requests_the_protocol_refuses(
    client: TestClient, method: str, url: str, kwargs: dict[str, Any], status: int
) -> None:
    response = client.request(method, url, **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["message"]


def test_select_star_columns_in_the_order_of_the_query(client: TestClient) -> None:
    query = f"SELECT * WHERE {{ BIND(<{BUURT}> AS ?s) ?s ?p ?o }} LIMIT 1"
    as_json = client.get("/sparql", params={"query": query}).json()
    assert as_json["head"]["vars"] == ["s", "p", "o"]
    as_csv = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert as_csv.text.splitlines()[0] == "s,p,o"
    as_tsv = client.get("/sparql", params={"query": query}, headers={"Accept": "text/tab-separated-values"})
    assert as_tsv.text.splitlines()[0] == "?s\t?p\t?o"
    as_xml = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
    names = [e.get("name") for e in ET.fromstring(as_xml.content).iter(f"{SPARQL_NS}variable")]
    assert names == ["s", "p", "o"]
    # a projection keeps its own order
    named = client.get("/sparql", params={"query": "SELECT ?o ?s WHERE { ?s ?p ?o } LIMIT 1"}).json()
    assert named["head"]["vars"] == ["o", "s"]


@pytest.mark.parametrize(
    ("query", "message", "line", "column"),
    [
        (
            "SELECT ?case WHERE { ?case a cpk:Case }",
            "line 1, column 30: the prefix 'cpk:' is not declared; add PREFIX cpk: <https://w3id.org/coprokg/ontology#>",
            1,
            30,
        ),
        (
            "PREFIX cpk: <https://w3id.org/coprokg/ontology#>\nSELECT * WHERE {\n"
            "  ?c a cpk:Case ; prov:wasDerivedFrom ?s }",
            "line 3, column 19: the prefix 'prov:' is not declared; add PREFIX prov: <http://www.w3.org/ns/prov#>",
            3,
            19,
        ),
        (
            "SELECT * WHERE { ?s foo:bar ?o }",
            "line 1, column 21: the prefix 'foo:' is not declared; declare it with PREFIX foo: <…> before the query",
            1,
            21,
        ),
    ],
)
def test_a_missing_prefix_is_one_sentence_with_the_fix(
    client: TestClient, query: str, message: str, line: int, column: int
) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    body = response.json()
    assert (body["message"], body["line"], body["column"], body["field"]) == (message, line, column, "query")


def test_a_syntax_error_is_one_readable_sentence(client: TestClient) -> None:
    body = client.get("/sparql", params={"query": 'SELECT * WHERE { ?s ?p "x }'}).json()
    assert body["message"].startswith(f"line 1, column {body['column']}: syntax error, expected")
    assert "\n" not in body["message"] and "'\\u{" not in body["message"]  # no character classes
    update = client.post("/sparql", content="INSERT DATA { <a:s> skos:note 1 }", headers=DIRECT_UPDATE).json()
    assert update["message"] == (
        "line 1, column 21: the prefix 'skos:' is not declared; add PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"
    )
    # positions are those of the update as sent, also when the service added USING clauses to it
    text = "INSERT { ?s ?p 2 }\nWHERE { ?s ?p ?o ?x }"
    plain = client.post("/sparql", content=text, headers=DIRECT_UPDATE).json()
    shifted = client.post("/sparql", params={"using-graph-uri": f"{EX}data1"}, content=text, headers=DIRECT_UPDATE)
    assert shifted.status_code == 400
    assert (shifted.json()["line"], shifted.json()["column"]) == (plain["line"], plain["column"]) == (2, 22)
    assert shifted.json()["message"] == plain["message"]


# Every case of the W3C SPARQL 1.1 Protocol test suite (rdf-tests, sparql/sparql11/protocol,
# manifest.ttl: 34 entries) and the test of this module that makes its request and checks its answer.
W3C_PROTOCOL_CASES = {
    "query_post_form": "test_get_post_form_and_post_direct_agree",
    "query_dataset_default_graphs_get": "test_query_dataset_by_parameters",
    "query_dataset_default_graphs_post": "test_query_dataset_by_parameters",
    "query_dataset_named_graphs_post": "test_query_dataset_by_parameters",
    "query_dataset_named_graphs_get": "test_query_dataset_by_parameters",
    "query_dataset_full": "test_query_dataset_by_parameters",
    "query_multiple_dataset": "test_query_dataset_by_parameters",
    "query_get": "test_get_post_form_and_post_direct_agree",
    "query_content_type_select": "test_content_type_fits_the_query",
    "query_content_type_ask": "test_content_type_fits_the_query",
    "query_content_type_describe": "test_content_type_fits_the_query",
    "query_content_type_construct": "test_content_type_fits_the_query",
    "update_dataset_default_graph": "test_update_dataset_by_parameters",
    "update_dataset_default_graphs": "test_update_dataset_by_parameters",
    "update_dataset_named_graphs": "test_update_dataset_by_parameters",
    "update_dataset_full": "test_update_dataset_by_parameters",
    "update_post_form": "test_update_dataset_by_parameters",
    "update_post_direct": "test_update_dataset_by_parameters",
    "update_base_uri": "test_relative_iris_resolve_against_the_endpoint",
    "query_post_direct": "test_direct_post_of_an_empty_ask",
    "bad_query_method": "test_requests_the_protocol_refuses",
    "bad_multiple_queries": "test_requests_the_protocol_refuses",
    "bad_query_wrong_media_type": "test_requests_the_protocol_refuses",
    "bad_query_missing_form_type": "test_requests_the_protocol_refuses",
    "bad_query_missing_direct_type": "test_requests_the_protocol_refuses",
    "bad_query_non_utf8": "test_requests_the_protocol_refuses",
    "bad_query_syntax": "test_requests_the_protocol_refuses",
    "bad_update_get": "test_requests_the_protocol_refuses",
    "bad_multiple_updates": "test_requests_the_protocol_refuses",
    "bad_update_wrong_media_type": "test_requests_the_protocol_refuses",
    "bad_update_missing_form_type": "test_requests_the_protocol_refuses",
    "bad_update_non_utf8": "test_requests_the_protocol_refuses",
    "bad_update_syntax": "test_requests_the_protocol_refuses",
    "bad_update_dataset_conflict": "test_update_dataset_parameters_and_its_own_clause_conflict",
}


def test_every_w3c_protocol_case_has_its_test() -> None:
    assert len(W3C_PROTOCOL_CASES) == 34
    missing = sorted({name for name in W3C_PROTOCOL_CASES.values() if not callable(globals().get(name))})
    assert missing == []
