"""Query time limit, result-row cap and request-size limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from apikit import settings_for
from fastapi.testclient import TestClient

from api.main import create_app
from coprokg.store import EmbeddedStore

pytest_plugins = ["apikit"]

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # about 10^12 rows
SORTED = "SELECT ?s ?o WHERE { ?s ?p ?o . ?x ?y ?o } ORDER BY ?o"  # ORDER BY: nothing before the end


def test_query_time_limit(store_dir: Path, shared_store: EmbeddedStore) -> None:
    app = create_app(settings_for(store_dir, query_timeout=1.0), store=shared_store)
    with TestClient(app) as client:
        for query in (SLOW, SORTED):
            started = time.monotonic()
            response = client.get("/sparql", params={"query": query})
            elapsed = time.monotonic() - started
            assert response.status_code == 503, response.text
            assert "time limit" in response.json()["message"]
            assert elapsed < 3.0
        # the worker was replaced: the next query answers
        ok = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_row_cap(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["x-coprokg-truncated"] == "true" and response.headers["x-coprokg-max-rows"] == "1000"
    assert len(response.json()["results"]["bindings"]) == 1000
    small = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"})
    assert "x-coprokg-truncated" not in small.headers


def test_body_limit(client: TestClient) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 300_000
    declared = client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert declared.status_code == 413 and "limit" in declared.json()["message"]

    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b"x" * 10_000

    streamed = client.post("/classify", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    case = client.put("/cases/big", content=big, headers={"Content-Type": "application/json"})
    assert case.status_code == 413
