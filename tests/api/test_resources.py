"""/classify, /validate, /ontology, /shapes, /queries, /healthz and the OpenAPI document (pages: test_docs.py)."""

from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
from apikit import FIXTURE
from fastapi.testclient import TestClient

from coprokg.named_queries import named_queries
from coprokg.store import EmbeddedStore

pytest_plugins = ["apikit"]


def test_classify_json_jsonld_turtle_alike(client: TestClient, shared_store: EmbeddedStore) -> None:
    before = len(shared_store)
    body = FIXTURE.read_text()
    as_json = client.post("/classify", content=body, headers={"Content-Type": "application/json"})
    assert as_json.status_code == 200, as_json.text
    result = as_json.json()
    assert result["power_transfer"] == "co-governance" and result["power_transfer_explanation"]["facts"]
    turtle = client.get("/cases/buurt-bestuurt-rotterdam", headers={"Accept": "text/turtle"}).text
    as_turtle = client.post("/classify", content=turtle, headers={"Content-Type": "text/turtle"})
    assert as_turtle.status_code == 200 and as_turtle.json()["power_transfer"] == "co-governance"
    jsonld = client.get("/cases/buurt-bestuurt-rotterdam", headers={"Accept": "application/ld+json"}).text
    as_jsonld = client.post("/classify", content=jsonld, headers={"Content-Type": "application/ld+json"})
    assert as_jsonld.status_code == 200 and as_jsonld.json()["power_transfer"] == "co-governance"
    assert len(shared_store) == before  # nothing stored


def test_validate(client: TestClient) -> None:
    data = json.loads(FIXTURE.read_text())
    del data["title"]
    report = client.post("/validate", json=data)
    assert report.status_code == 200
    assert report.json()["conforms"] is False
    assert any(r["field"] == "title" for r in report.json()["results"])


def test_classify_bad_input(client: TestClient) -> None:
    data = json.loads(FIXTURE.read_text())
    data["participations"][0]["stage"] = "brainstorming"
    response = client.post("/classify", json=data)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "participations[0].stage" and "delivery" in body["allowed"] and body["line"]
    assert client.post("/classify", content="{", headers={"Content-Type": "application/json"}).status_code == 400
    assert client.post("/classify", content="x", headers={"Content-Type": "text/plain"}).status_code == 415
    assert (
        client.post("/validate", content=b"\xff\xfe", headers={"Content-Type": "application/json"}).status_code == 400
    )


@pytest.mark.parametrize(
    ("path", "accept", "rdflib_format"),
    [
        ("/ontology", None, "turtle"),
        ("/ontology", "application/rdf+xml", "xml"),
        ("/ontology", "application/n-triples", "nt"),
        ("/shapes", "text/turtle", "turtle"),
        ("/shapes", "application/ld+json", "json-ld"),
    ],
)
def test_ontology_and_shapes(client: TestClient, path: str, accept: str | None, rdflib_format: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) > 100


def test_ontology_is_html_for_browsers_and_turtle_for_programs(client: TestClient) -> None:
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert 'id="CoGovernanceCase"' in html.text
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/ontology", headers={"Accept": browser}).headers["content-type"].startswith("text/html")
    for accept in ("*/*", "text/turtle"):
        assert client.get("/ontology", headers={"Accept": accept}).headers["content-type"].startswith("text/turtle")


def test_named_queries(client: TestClient) -> None:
    listed = client.get("/queries").json()
    names = {q["name"] for q in listed}
    assert {
        "power-without-accountability",
        "compensation-by-level",
        "level-by-domain-and-country",
        "directed-at-citizens",
    } <= names
    for name in names:
        response = client.get(f"/queries/{name}")
        assert response.status_code == 200, (name, response.text)
        assert response.json()["results"]["bindings"], name
    directed = client.get("/queries/directed-at-citizens", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(directed.text)))
    assert any(r["case"].endswith("/burgernet-netherlands") for r in rows)
    assert client.get("/queries/no-such-query").status_code == 404
    assert set(named_queries()) == names


def test_health_and_docs(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["backend"] == "embedded" and health["cases"] >= 59
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"sparql_query_get", "sparql_post", "list_cases", "get_case", "put_case", "classify_case"} <= ids
    unknown = client.get("/no-such-page")
    assert unknown.status_code == 404 and set(unknown.json()) >= {"message", "field", "line", "column", "allowed"}
