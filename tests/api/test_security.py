"""Nothing a request says makes the server open a connection; each refusal is a clear 400."""

from __future__ import annotations

import json
from typing import Any

import pytest
from apikit import AUTH, FIXTURE
from fastapi.testclient import TestClient

from coprokg.store import EmbeddedStore

pytest_plugins = ["apikit"]


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "ASK {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        r"SELECT * WHERE {{ SERV\u0049CE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p ?o FILTER(?o<?b)SERVICE#>\n<{url}> {{ ?x ?y ?z }} }}",
    ],
)
def test_service_makes_no_connection(client: TestClient, listener: Any, template: str) -> None:
    query = template.format(url=listener.url)
    for response in (
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 400
        assert "SERVICE" in response.json()["message"]
    assert listener.settled() == 0


def test_load_makes_no_connection(client: TestClient, listener: Any, shared_store: EmbeddedStore) -> None:
    before = len(shared_store)
    response = client.post(
        "/sparql",
        content=f"LOAD <{listener.url}data.ttl>",
        headers={**AUTH, "Content-Type": "application/sparql-update"},
    )
    assert response.status_code == 400 and "LOAD" in response.json()["message"]
    assert listener.settled() == 0 and len(shared_store) == before


@pytest.mark.parametrize("endpoint", ["/classify", "/validate"])
def test_remote_jsonld_context_is_not_fetched(client: TestClient, listener: Any, endpoint: str) -> None:
    data = json.loads(FIXTURE.read_text())
    data["@context"] = f"{listener.url}context.jsonld"
    response = client.post(endpoint, content=json.dumps(data), headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 400 and "context" in response.json()["message"]
    imported = {"@context": {"@import": f"{listener.url}context.jsonld"}, "@id": "x"}
    response = client.post(endpoint, content=json.dumps(imported), headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 400
    assert listener.settled() == 0


def test_rdfxml_external_entity_is_not_fetched(client: TestClient, listener: Any) -> None:
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY ext SYSTEM "{listener.url}entity.txt"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcterms="http://purl.org/dc/terms/">
  <rdf:Description rdf:about="https://w3id.org/coprokg/case/x">
    <rdf:type rdf:resource="https://w3id.org/coprokg/ontology#Case"/>
    <dcterms:title>&ext;</dcterms:title>
  </rdf:Description>
</rdf:RDF>"""
    for endpoint in ("/classify", "/validate"):
        response = client.post(endpoint, content=body, headers={"Content-Type": "application/rdf+xml"})
        assert response.status_code == 400, response.text
    put = client.put("/cases/x", content=body, headers={**AUTH, "Content-Type": "application/rdf+xml"})
    assert put.status_code == 400
    assert listener.settled() == 0
