"""The remote backend against a real ``oxigraph serve`` started on a free loopback port."""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from coprokg.errors import QueryError, QueryRefused, QueryTimeout
from coprokg.paths import cases_dir
from coprokg.store import QueryRequest, RemoteStore, UpdateRequest
from coprokg.store.loader import load_project

pytest_plugins = ["storekit"]

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
CASES = ["buurt-bestuurt-rotterdam", "burgernet-netherlands", "aarhus-language-suitcase"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert OXIGRAPH.exists(), "the oxigraph binary comes with the 'oxigraph' dev dependency"
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen(
        [
            str(OXIGRAPH),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            "3",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, "oxigraph serve exited"
        assert time.monotonic() < deadline, "oxigraph serve did not start"
        time.sleep(0.05)  # polling interval while the server starts
    yield base
    proc.kill()
    proc.wait()


@pytest.fixture(scope="module")
def remote(oxigraph_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteStore]:
    store = RemoteStore(f"{oxigraph_server}/query", f"{oxigraph_server}/update", query_timeout=5, max_rows=50)
    cases = tmp_path_factory.mktemp("cases")
    for case_id in CASES:
        shutil.copy(cases_dir() / f"{case_id}.json", cases)
    report = load_project(store, cases=cases)
    assert not report.failed
    yield store
    store.close()


def test_cases_round_trip(remote: RemoteStore) -> None:
    assert remote.case_ids() == sorted(CASES)
    page = remote.list_cases(country="NL")
    assert [c.id for c in page.items] == ["burgernet-netherlands", "buurt-bestuurt-rotterdam"]
    classification = remote.stored_report("buurt-bestuurt-rotterdam", "classification")
    assert classification is not None and classification["power_transfer"] == "co-governance"
    assert remote.case_triples("buurt-bestuurt-rotterdam")


def test_loading_again_changes_nothing(remote: RemoteStore, tmp_path: Path) -> None:
    for case_id in CASES:
        shutil.copy(cases_dir() / f"{case_id}.json", tmp_path)
    report = load_project(remote, cases=tmp_path)
    assert report.loaded == [] and len(report.unchanged) == len(CASES) + 2


def test_queries_see_the_union_and_are_capped(remote: RemoteStore) -> None:
    result = remote.query(QueryRequest("SELECT * WHERE { ?s a <https://w3id.org/coprokg/ontology#Case> }"))
    assert {b["s"]["value"].rsplit("/", 1)[-1] for b in json.loads(result.body)["results"]["bindings"]} == set(CASES)
    capped = remote.query(QueryRequest("SELECT * WHERE { ?s ?p ?o }"))
    assert capped.truncated and capped.rows == 50
    graph = remote.query(QueryRequest("CONSTRUCT WHERE { ?s a ?t } LIMIT 5", graph_format="turtle"))
    assert len(list(ox.parse(graph.body, ox.RdfFormat.TURTLE))) == 5


def test_put_and_delete_through_the_remote(remote: RemoteStore, tmp_path: Path) -> None:
    from coprokg.cases import load_case_text
    from coprokg.store import build_record

    data = json.loads((cases_dir() / "buurt-bestuurt-rotterdam.json").read_text())
    data["id"] = "remote-copy"
    record = build_record(load_case_text(json.dumps(data), "json"))
    assert remote.put_case(record) is True
    assert remote.put_case(record) is False
    assert remote.stored_report("remote-copy", "classification")["power_transfer"] == "co-governance"  # type: ignore[index]
    assert remote.delete_case("remote-copy") is True
    assert remote.case_triples("remote-copy") is None


def test_errors_and_timeouts(remote: RemoteStore) -> None:
    with pytest.raises(QueryError) as err:
        remote.query(QueryRequest("SELECT * WHERE { ?s ?p }"))
    assert "refused the query" in err.value.message
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        remote.query(QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"), timeout=1.0)
    assert time.monotonic() - started < 3.0


def test_service_and_load_never_reach_the_remote(remote: RemoteStore, oxigraph_server: str, listener: Any) -> None:
    with pytest.raises(QueryRefused):
        remote.query(QueryRequest(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
    with pytest.raises(QueryRefused):
        remote.update(f"LOAD <{listener.url}data.ttl>")
    assert listener.settled() == 0
    # control: oxigraph serve itself would have fetched it
    httpx.post(
        f"{oxigraph_server}/query", data={"query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"}
    )
    assert listener.settled() >= 1


def test_export(remote: RemoteStore) -> None:
    out = io.BytesIO()
    remote.export(out, "nquads")
    quads = list(ox.parse(out.getvalue(), ox.RdfFormat.N_QUADS))
    assert len({str(q.graph_name) for q in quads}) >= 2 + 2 * len(CASES)


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
    with pytest.raises(QueryError) as refused:
        remote.update(UpdateRequest(copy, using_graphs=(data,)))
    assert "USING" in refused.value.message
    remote.update(f"DROP GRAPH <{data}>")
    with pytest.raises(QueryError) as err:
        remote.query(QueryRequest("SELECT * WHERE { ?c a cpk:Case }"))
    assert err.value.message.startswith("line 1, column 23: the prefix 'cpk:' is not declared; add PREFIX cpk:")
