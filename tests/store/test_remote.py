"""The remote backend against real servers: ``oxigraph serve`` and Virtuoso 7, the same behaviour on both.

Each engine gets a fresh server (enginekit) loaded with the ontology, the shapes and three curated
cases; every test here runs once per engine.
"""

from __future__ import annotations

import io
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from coprokg.cases import load_case_text
from coprokg.errors import QueryError, QueryRefused, QueryTimeout
from coprokg.named_queries import named_queries
from coprokg.namespaces import CASE_GRAPH_PREFIX
from coprokg.paths import cases_dir
from coprokg.settings import Settings
from coprokg.sparql.results import XSD_STRING
from coprokg.store import (
    CaseQuery,
    EmbeddedStore,
    QueryRequest,
    RemoteStore,
    UpdateRequest,
    UsageKind,
    build_record,
    classification_graph,
)
from coprokg.store.loader import load_project

pytest_plugins = ["storekit", "enginekit"]

CASES = ["buurt-bestuurt-rotterdam", "burgernet-netherlands", "aarhus-language-suitcase"]
ENGINES = ["oxigraph", "virtuoso"]
TOKEN = "test-token-0123456789abcdef"
CPK = "https://w3id.org/coprokg/ontology#"


@pytest.fixture(scope="module", params=ENGINES)
def server(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(scope="module")
def remote(server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteStore]:
    store = RemoteStore(
        server.query_url,
        server.update_url,
        username=server.username,
        password=server.password,
        engine=server.engine,
        query_timeout=5,
        max_rows=50,
    )
    cases = tmp_path_factory.mktemp("cases")
    for case_id in CASES:
        shutil.copy(cases_dir() / f"{case_id}.json", cases)
    report = load_project(store, cases=cases)
    assert not report.failed, report.failed
    yield store
    store.close()


def _plain(term: ox.Term) -> ox.Term:
    """A term with ``xsd:string`` literals written as plain ones (RDF 1.1 makes them the same)."""
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_STRING and not term.language:
        return ox.Literal(term.value)
    return term


def _plain_set(triples: list[ox.Triple]) -> set[ox.Triple]:
    return {ox.Triple(t.subject, t.predicate, _plain(t.object)) for t in triples}


def _solutions(body: bytes) -> list[tuple[str | None, ...]]:
    data = json.loads(body)
    names = data["head"]["vars"]
    return [
        tuple(json.dumps(b.get(n), sort_keys=True) if n in b else None for n in names)
        for b in data["results"]["bindings"]
    ]


def test_cases_round_trip(remote: RemoteStore) -> None:
    assert remote.case_ids() == sorted(CASES)
    page = remote.list_cases(country="NL")
    assert [c.id for c in page.items] == ["burgernet-netherlands", "buurt-bestuurt-rotterdam"]
    assert [c.id for c in remote.list_cases(level="co-governance").items] == ["buurt-bestuurt-rotterdam"]
    assert remote.list_cases(offset=1, limit=1).items[0].id == "burgernet-netherlands"
    assert remote.count_cases() == len(CASES)
    record = build_record(load_case_text((cases_dir() / "buurt-bestuurt-rotterdam.json").read_text(), "json"))
    classification = remote.stored_report("buurt-bestuurt-rotterdam", "classification")
    assert classification == record.classification.model_dump(mode="json")
    assert classification["power_transfer"] == "co-governance"
    stored = remote.case_triples("buurt-bestuurt-rotterdam")
    assert stored is not None and _plain_set(stored) == set(record.case_triples)
    derived = remote.graph_triples(classification_graph("buurt-bestuurt-rotterdam"))
    assert _plain_set(derived) == set(record.derived_triples)


def test_term_usage_is_the_same_on_both_backends(remote: RemoteStore, tmp_path: Path) -> None:
    """The ontology page's case counts come from two standard SPARQL queries: a remote store answers them alike."""
    for case_id in CASES:
        shutil.copy(cases_dir() / f"{case_id}.json", tmp_path)
    embedded = EmbeddedStore(tmp_path / "store", workers=1)
    try:
        assert not load_project(embedded, cases=tmp_path).failed
        expected = embedded.term_usage()
    finally:
        embedded.close()
    found = remote.term_usage()
    assert found.terms == expected.terms and found.kinds == expected.kinds and found.cases == expected.cases
    commissioning = "https://w3id.org/coprokg/ontology#stage-commissioning"
    assert "buurt-bestuurt-rotterdam" in found.cases_using(commissioning)
    assert found.kind(commissioning) is UsageKind.VALUE
    assert remote.revision() is None and remote.term_usage() is not found  # no write count: asked each time


def test_loading_again_changes_nothing(remote: RemoteStore, tmp_path: Path) -> None:
    for case_id in CASES:
        shutil.copy(cases_dir() / f"{case_id}.json", tmp_path)
    report = load_project(remote, cases=tmp_path)
    assert report.loaded == [] and len(report.unchanged) == len(CASES) + 2


def test_ontology_and_shapes_keep_their_blank_nodes(remote: RemoteStore) -> None:
    ontology = remote.graph_triples("https://w3id.org/coprokg/graph/ontology")
    assert any(isinstance(t.object, ox.BlankNode) for t in ontology)
    lists = remote.query(
        QueryRequest(
            "PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
            "SELECT ?member WHERE { ?class owl:oneOf ?list . ?list rdf:rest*/rdf:first ?member } LIMIT 5"
        )
    )
    assert lists.rows >= 2


def test_queries_see_the_union_and_are_capped(remote: RemoteStore) -> None:
    result = remote.query(QueryRequest(f"SELECT * WHERE {{ ?s a <{CPK}Case> }}"))
    assert {b["s"]["value"].rsplit("/", 1)[-1] for b in json.loads(result.body)["results"]["bindings"]} == set(CASES)
    capped = remote.query(QueryRequest("SELECT * WHERE { ?s ?p ?o }"))
    assert capped.truncated and capped.rows == 50
    graph = remote.query(QueryRequest("CONSTRUCT WHERE { ?s a ?t } LIMIT 5", graph_format="turtle"))
    assert graph.kind == "graph" and len(list(ox.parse(graph.body, ox.RdfFormat.TURTLE))) == 5
    asked = remote.query(QueryRequest(f"ASK {{ ?s a <{CPK}Case> }}"))
    assert asked.kind == "boolean" and json.loads(asked.body)["boolean"] is True


def test_typed_values_come_back_as_written(remote: RemoteStore) -> None:
    """Booleans, integers and rdf:JSON literals in a user query's results, as they were stored."""
    expected = set()
    for case_id in CASES:
        record = build_record(load_case_text((cases_dir() / f"{case_id}.json").read_text(), "json"))
        for t in (*record.case_triples, *record.derived_triples):
            if isinstance(t.object, ox.Literal) and t.object.datatype.value.endswith(("#boolean", "#integer", "#JSON")):
                expected.add((t.subject.value, t.predicate.value, t.object.value, t.object.datatype.value))
    result = remote.query(
        QueryRequest(
            "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(DATATYPE(?o) IN (<http://www.w3.org/2001/XMLSchema#boolean>, "
            "<http://www.w3.org/2001/XMLSchema#integer>, <http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON>)) "
            "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/coprokg/case/')) }"
        ),
        max_rows=10_000,
    )
    bindings = json.loads(result.body)["results"]["bindings"]
    got = {(b["s"]["value"], b["p"]["value"], b["o"]["value"], b["o"]["datatype"]) for b in bindings}
    assert {v for v in got if v[2] in ("true", "false")} and got == expected


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_queries_answer_as_on_oxigraph(remote: RemoteStore, name: str) -> None:
    """Each named query gives the rows pyoxigraph gives on the same quads (read back by ``export``)."""
    out = io.BytesIO()
    remote.export(out, "nquads")
    reference = ox.Store()
    reference.load(out.getvalue(), ox.RdfFormat.N_QUADS)
    solutions = reference.query(named_queries()[name].text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    expected = solutions.serialize(format=ox.QueryResultsFormat.JSON)
    assert expected is not None
    result = remote.query(QueryRequest(named_queries()[name].text), max_rows=1000)
    assert not result.truncated
    assert sorted(_solutions(result.body), key=str) == sorted(_solutions(expected), key=str)


def test_put_and_delete_through_the_remote(remote: RemoteStore) -> None:
    data = json.loads((cases_dir() / "aarhus-language-suitcase.json").read_text())
    data["id"] = "remote-copy"
    record = build_record(load_case_text(json.dumps(data), "json"))
    assert remote.put_case(record) is True
    assert remote.put_case(record) is False
    assert remote.stored_report("remote-copy", "classification") == record.classification.model_dump(mode="json")
    stored = remote.case_triples("remote-copy")
    assert stored is not None and len(stored) == len(record.case_triples)
    assert "remote-copy" in remote.case_ids()
    assert remote.delete_case("remote-copy") is True
    assert remote.delete_case("remote-copy") is False
    assert remote.case_triples("remote-copy") is None
    assert remote.stored_report("remote-copy", "classification") is None


def test_the_case_catalogue_sees_every_writer(remote: RemoteStore, server: Any) -> None:
    """A second coprokg process on the same store (another RemoteStore) never serves a stale case list:
    writes through coprokg are counted in the store, a write that bypasses coprokg changes the case count.

    (The pages are compared with known ids, not with ``find_cases_sparql``: Virtuoso 7.2.5 pairs the
    SPARQL path's ids with other cases' titles when it sorts that query, which the catalogue avoids.)
    """
    other = RemoteStore(
        server.query_url, server.update_url, username=server.username, password=server.password, engine=server.engine
    )
    bypass = f"{CASE_GRAPH_PREFIX}bypass"
    try:
        assert [c.id for c in other.find_cases(CaseQuery()).items] == sorted(CASES)
        data = json.loads((cases_dir() / "aarhus-language-suitcase.json").read_text())
        data.update(id="catalogue-copy", title="Seen by every writer")
        remote.put_case(build_record(load_case_text(json.dumps(data), "json")))
        found = other.find_cases(CaseQuery(text="every writer")).items
        assert [(c.id, c.title, c.country) for c in found] == [("catalogue-copy", "Seen by every writer", "DK")]
        catalogue = other.case_catalogue()
        assert other.delete_case("catalogue-copy")  # its own write: the catalogue is updated row by row
        assert other.case_catalogue() is catalogue and other.count_cases() == len(CASES)
        assert remote.count_cases() == len(CASES) and remote.find_cases(CaseQuery(text="every writer")).total == 0
        with httpx.Client(auth=other._update_auth) as http:  # a write that bypasses coprokg
            response = http.post(
                server.update_url,
                content=f"INSERT DATA {{ GRAPH <{bypass}> {{ <{bypass}#c> a <{CPK}Case> ; "
                '<http://purl.org/dc/terms/identifier> "bypass" } }',
                headers={"Content-Type": "application/sparql-update"},
            )
            assert response.status_code in (200, 204), response.text
        assert other.count_cases() == len(CASES) + 1 and other.case_catalogue() is not catalogue
        assert sorted(c.id for c in other.find_cases(CaseQuery()).items) == sorted([*CASES, "bypass"])
    finally:
        remote.update(f"DROP SILENT GRAPH <{bypass}>")
        remote.delete_case("catalogue-copy")
        other.close()
    assert remote.count_cases() == len(CASES)


def test_user_updates(remote: RemoteStore) -> None:
    graph = "https://example.org/scratch"
    remote.update(
        f"INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/a> <https://example.org/p> "
        '"ä ✓"@de, "2"^^<http://www.w3.org/2001/XMLSchema#integer> } }'
    )
    rows = remote.select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert {r["o"] for r in rows} == {
        ox.Literal("ä ✓", language="de"),
        ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    }
    remote.update(f"DROP SILENT GRAPH <{graph}>")
    assert remote.select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") == []


def test_errors_and_timeouts(remote: RemoteStore) -> None:
    with pytest.raises(QueryError) as err:
        remote.query(QueryRequest("SELECT * WHERE { ?s ?p }"))
    assert "refused the query" in err.value.message or "not standard SPARQL" in err.value.message
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        remote.query(QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"), timeout=1.0)
    assert time.monotonic() - started < 3.0
    # the store is free again at once
    assert remote.query(QueryRequest("ASK { ?s ?p ?o }")).kind == "boolean"


def test_service_and_load_never_reach_the_remote(remote: RemoteStore, server: Any, listener: Any) -> None:
    with pytest.raises(QueryRefused):
        remote.query(QueryRequest(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
    with pytest.raises(QueryRefused):
        remote.update(f"LOAD <{listener.url}data.ttl>")
    assert listener.settled() == 0
    # control: the server itself would have fetched it
    control = {
        "oxigraph": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        "virtuoso": f'SELECT (bif:http_get("{listener.url}") AS ?x) {{}}',
    }[server.engine]
    httpx.post(server.query_url, data={"query": control})
    assert listener.settled() >= 1


def test_export(remote: RemoteStore) -> None:
    out = io.BytesIO()
    remote.export(out, "nquads")
    quads = list(ox.parse(out.getvalue(), ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert len(graphs) >= 2 + 2 * len(CASES)
    if remote.engine.name == "virtuoso":  # not Virtuoso's own graphs (virtrdf: …)
        assert all(g.startswith("https://w3id.org/coprokg/graph/") for g in graphs)


@pytest.fixture(scope="module")
def api(remote: RemoteStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(
        store_path=tmp_path_factory.mktemp("unused"),
        api_token=TOKEN,  # type: ignore[arg-type]
        query_timeout=5.0,
        max_rows=1000,
        analysis_workers=1,
    )
    with TestClient(create_app(settings, store=remote)) as client:
        yield client


def test_protocol_endpoint(api: TestClient) -> None:
    query = f"SELECT ?case WHERE {{ ?case a <{CPK}Case> }} ORDER BY ?case"
    response = api.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]["bindings"]) == len(CASES)
    response = api.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.text.splitlines()[0] == "case"
    response = api.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s a ?t } LIMIT 3"}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    update = 'INSERT DATA { GRAPH <https://example.org/api> { <https://example.org/x> <https://example.org/y> "z" } }'
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    assert api.post("/sparql", content=update, headers=headers).status_code == 204
    response = api.get("/sparql", params={"query": 'ASK { GRAPH <https://example.org/api> { ?s ?p "z" } }'})
    assert response.status_code == 200 and response.json()["boolean"] is True
    drop = api.post("/sparql", content="DROP SILENT GRAPH <https://example.org/api>", headers=headers)
    assert drop.status_code == 204
    response = api.get("/queries/level-by-domain-and-country", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.json()["results"]["bindings"]
    response = api.get("/cases", params={"country": "NL"})
    assert response.status_code == 200, response.text
    assert response.json()["total"] == 2
    response = api.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    health = api.get("/healthz")
    assert health.status_code == 200 and health.json()["cases"] == len(CASES)


def test_protocol_behaviour_matches_the_embedded_store(remote: RemoteStore) -> None:
    """Base IRI, update datasets, SELECT * column order and the missing-prefix message, as in the embedded store."""
    base = "http://coprokg.test/sparql"
    graph, data = "http://example.org/remote/result", "http://example.org/remote/data"
    remote.update(UpdateRequest(f"INSERT DATA {{ GRAPH <{data}> {{ <s> <p> 1 }} }}", base_iri=base))
    found = remote.query(QueryRequest(f"SELECT * WHERE {{ GRAPH <{data}> {{ ?s ?p ?o }} }}", base_iri=base))
    body = json.loads(found.body)
    assert body["head"]["vars"] == ["s", "p", "o"]
    assert body["results"]["bindings"][0]["s"]["value"] == "http://coprokg.test/s"
    # using-graph-uri reaches the store as USING clauses, which it runs as it runs USING: oxigraph
    # serve with --union-default-graph refuses them, with a message the user sees
    copy = f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
    if remote.engine.name == "oxigraph":
        with pytest.raises(QueryError) as refused:
            remote.update(UpdateRequest(copy, using_graphs=(data,)))
        assert "USING" in refused.value.message
    remote.update(f"DROP SILENT GRAPH <{data}>")
    remote.update(f"DROP SILENT GRAPH <{graph}>")
    with pytest.raises(QueryError) as err:
        remote.query(QueryRequest("SELECT * WHERE { ?c a cpk:Case }"))
    assert err.value.message.startswith("line 1, column 23: the prefix 'cpk:' is not declared; add PREFIX cpk:")
