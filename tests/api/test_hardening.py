"""Hardening (one test per attack found by the probe): nothing is fetched, nothing explodes, every
request has a bounded cost, bad input is never a 500, and no store fault goes unseen."""

from __future__ import annotations

import copy
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from apikit import AUTH, FIXTURE, TOKEN, free_port, settings_for
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from coprokg.store import EmbeddedStore

pytest_plugins = ["apikit"]

JSONLD = {"Content-Type": "application/ld+json"}
BUURT = json.loads(FIXTURE.read_text(encoding="utf-8"))


def _jsonld_forms(url: str) -> dict[str, Any]:
    """Every place a JSON-LD document can name another document to load."""
    return {
        "node": {"@context": f"{url}node", "@id": "https://w3id.org/coprokg/case/x"},
        "term-scoped": {
            "@context": {"t": {"@id": "http://example.org/t", "@context": f"{url}ctx-scoped"}},
            "@id": "https://w3id.org/coprokg/case/x",
            "t": {"http://example.org/p": 1},
        },
        "type-scoped": {
            "@context": {"T": {"@id": "http://example.org/T", "@context": f"{url}ctx-type"}},
            "@id": "https://w3id.org/coprokg/case/x",
            "@type": "T",
        },
        "import": {"@context": {"@import": f"{url}imported", "x": "http://example.org/"}, "@id": "x"},
        "scoped-import": {
            "@context": {"t": {"@id": "http://example.org/t", "@context": {"@import": f"{url}scoped-import"}}},
            "t": {"@id": "x"},
        },
        "nested-array": {"@context": [{"a": "http://example.org/"}, [f"{url}nested"]], "@id": "x"},
        "in-graph": {"@graph": [{"@context": f"{url}in-graph", "@id": "x"}]},
        "property-scoped-deep": {
            "@context": {
                "a": {"@id": "http://example.org/a", "@context": {"b": {"@id": "http://e/b", "@context": f"{url}deep"}}}
            },
            "a": {"b": {"@id": "x"}},
        },
    }


# ---------------------------------------------------------------- nothing is fetched


@pytest.mark.parametrize("form", list(_jsonld_forms("http://127.0.0.1:1/")))
def test_no_json_ld_form_fetches_anything(client: TestClient, listener: Any, form: str) -> None:
    document = json.dumps(_jsonld_forms(listener.url)[form])
    for method, url in (("POST", "/classify"), ("POST", "/validate"), ("PUT", "/cases/x")):
        response = client.request(method, url, content=document, headers={**JSONLD, **AUTH})
        assert response.status_code == 400, response.text
        body = response.json()
        assert "not fetched" in body["message"]
        assert body["field"] and "@" in body["field"]  # where in the document it was found
    assert listener.settled() == 0


def test_cli_files_fetch_nothing(listener: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from coprokg.cli import main

    for name, document in _jsonld_forms(listener.url).items():
        path = tmp_path / f"{name}.jsonld"
        path.write_text(json.dumps(document), encoding="utf-8")
        assert main(["validate", str(path)]) == 2
        assert main(["classify", str(path)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 2 and all("not fetched" in line and str(path) in line for line in err)
    assert listener.settled() == 0


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcterms="http://purl.org/dc/terms/">
  <rdf:Description rdf:about="https://w3id.org/coprokg/case/laughs">
    <rdf:type rdf:resource="https://w3id.org/coprokg/ontology#Case"/>
    <dcterms:title>&d;</dcterms:title>
  </rdf:Description>
</rdf:RDF>"""


def test_xml_entities_are_refused_not_expanded(client: TestClient) -> None:
    headers = {**AUTH, "Content-Type": "application/rdf+xml"}
    for method, url in (("POST", "/classify"), ("POST", "/validate"), ("PUT", "/cases/laughs")):
        response = client.request(method, url, content=LAUGHS, headers=headers)
        assert response.status_code == 400, response.text
        body = response.json()
        assert "DOCTYPE" in body["message"] and body["line"] == 2
    assert client.get("/cases/laughs").status_code == 404


# ---------------------------------------------------------------- bounded cost


def _big_case(actors: int, participations: int) -> dict[str, Any]:
    case = copy.deepcopy(BUURT)
    case["id"] = "big"
    case["actors"] += [{"id": f"a{i}", "kind": "citizen-collective", "label": f"group {i}"} for i in range(actors)]
    stages = ("commissioning", "design", "delivery", "assessment")
    case["participations"] += [
        {"actor": f"a{i % max(actors, 1)}", "stage": stages[i % 4], "decision": "co-decides"}
        for i in range(participations)
    ]
    return case


@pytest.mark.parametrize(
    ("actors", "participations", "limit"),
    [
        (2000, 0, "COPROKG_MAX_ACTORS"),
        (10, 1_000, "COPROKG_MAX_PARTICIPATIONS"),
        (10, 10_000, "COPROKG_MAX_BODY_BYTES"),
    ],
)
def test_oversized_cases_are_refused_at_once(client: TestClient, actors: int, participations: int, limit: str) -> None:
    document = json.dumps(_big_case(actors, participations))
    for method, url in (("POST", "/classify"), ("POST", "/validate"), ("PUT", "/cases/big")):
        started = time.monotonic()
        response = client.request(method, url, content=document, headers={**AUTH, "Content-Type": "application/json"})
        assert time.monotonic() - started < 3.0
        assert response.status_code == 413, response.text
        assert response.json()["limit"] == limit and limit in response.json()["message"]
        if limit != "COPROKG_MAX_BODY_BYTES":
            assert response.json()["line"] is not None


def test_long_strings_are_refused(client: TestClient) -> None:
    case = copy.deepcopy(BUURT)
    case["title"] = "x" * 30_000
    response = client.post("/classify", json=case)
    assert response.status_code == 413
    assert response.json()["field"] == "title" and response.json()["limit"] == "COPROKG_MAX_STRING_CHARS"


def test_analysis_time_budget_stops_the_work(store_dir: Path, shared_store: EmbeddedStore) -> None:
    """A case within the limits but slow to analyse is stopped at COPROKG_ANALYSIS_TIMEOUT (503).

    The case at every limit takes about 0.4 s of CPU to classify (most of it explanations and near
    misses of 485 participations); an ordinary case about 10 ms, so a budget of 0.1 s tells them apart.
    """
    app = create_app(settings_for(store_dir, analysis_timeout=0.1), store=shared_store)
    worst = json.dumps(_big_case(95, 390))

    def ordinary() -> Any:
        deadline = time.monotonic() + 60  # the workers start (they load the ontology), or one is replaced
        while True:
            ok = client.post("/classify", content=FIXTURE.read_bytes(), headers={"Content-Type": "application/json"})
            if ok.status_code == 200 or time.monotonic() > deadline:
                return ok

    with TestClient(app) as client:
        assert ordinary().status_code == 200
        killed = app.state.analysis.killed
        started = time.monotonic()
        response = client.post("/classify", content=worst, headers={"Content-Type": "application/json"})
        assert response.status_code == 503, response.text
        assert "COPROKG_ANALYSIS_TIMEOUT" in response.json()["message"]
        assert time.monotonic() - started < 2.0
        assert app.state.analysis.killed == killed + 1
        ok = ordinary()
        assert ok.status_code == 200 and ok.json()["power_transfer"] == "co-governance"


class _Server:
    """The app under uvicorn in a thread of this process, so a test can look at its worker pools."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "the server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


# A case of several seconds' work, under limits raised for it: the compiled validator takes a case at
# the default limits in well under a second, too short to watch it being worked on.
SLOW_LIMITS: dict[str, Any] = {"max_actors": 400, "max_participations": 4000, "max_body_bytes": 5_000_000}


def _slow_case() -> bytes:
    return json.dumps(_big_case(300, 3000)).encode()


@pytest.fixture(scope="module")
def threaded(store_dir: Path, shared_store: EmbeddedStore) -> Iterator[tuple[FastAPI, str]]:
    settings = settings_for(store_dir, analysis_workers=2, analysis_timeout=60.0, **SLOW_LIMITS)
    app = create_app(settings, store=shared_store)
    with _Server(app) as server:
        yield app, f"http://127.0.0.1:{server.port}"


def test_ordinary_classify_answers_while_a_worst_case_runs(threaded: tuple[FastAPI, str]) -> None:
    _app, url = threaded
    slow = _slow_case()
    results: dict[str, Any] = {}

    def heavy() -> None:
        started = time.monotonic()
        results["heavy"] = httpx.post(
            f"{url}/classify", content=slow, headers={"Content-Type": "application/json"}, timeout=120
        )
        results["heavy_s"] = time.monotonic() - started

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.3)  # the slow case is being analysed now
    for _ in range(3):
        started = time.monotonic()
        ok = httpx.post(f"{url}/classify", content=FIXTURE.read_bytes(), headers={"Content-Type": "application/json"})
        assert ok.status_code == 200 and ok.json()["power_transfer"] == "co-governance"
        assert time.monotonic() - started < 1.0
    thread.join(timeout=120)
    assert results["heavy"].status_code == 200  # the worst case was still being worked on meanwhile
    assert results["heavy_s"] > 0.5


def test_work_stops_when_the_client_goes_away(threaded: tuple[FastAPI, str]) -> None:
    app, url = threaded
    before = app.state.analysis.killed
    slow = _slow_case()
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        head = (
            f"POST /classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(slow)}\r\n\r\n"
        ).encode()
        sock.sendall(head + slow)
        time.sleep(0.3)
    deadline = time.monotonic() + 3.0
    while app.state.analysis.killed == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert app.state.analysis.killed == before + 1  # its worker was killed (and replaced), not left working
    ok = httpx.post(f"{url}/classify", content=FIXTURE.read_bytes(), headers={"Content-Type": "application/json"})
    assert ok.status_code == 200


def test_query_worker_memory_is_bounded(store_dir: Path, tmp_path: Path) -> None:
    copy_dir = tmp_path / "store"
    shutil.copytree(store_dir, copy_dir)
    app = create_app(settings_for(copy_dir, worker_memory_mb=256, query_timeout=20.0))
    doubling = " ".join(f"BIND(CONCAT(?b{i}, ?b{i}) AS ?b{i + 1})" for i in range(22))
    query = f'SELECT (STRLEN(?b22) AS ?n) WHERE {{ BIND("{"x" * 256}" AS ?b0) {doubling} }}'  # 1 GB string
    with TestClient(app) as client:
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 503, response.text
        assert "COPROKG_WORKER_MEMORY_MB" in response.json()["message"]
        again = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})  # the worker was replaced
        assert again.status_code == 200 and again.json()["boolean"] is True


# ---------------------------------------------------------------- bad input is never a 500


@pytest.mark.parametrize(
    ("body", "status", "where"),
    [
        ("[" * 5000 + "]" * 5000, 413, (1, 21)),
        ('{"id": "x", "title": ' + "[" * 10_000 + "]" * 10_000 + "}", 413, (1, 41)),
        ('{"id": "x", "started": ' + "9" * 150_000 + "}", 400, (1, 24)),
        ('{"id": "x",\n "title": "a\\ud800b"}', 400, (2, 11)),
        ('{"id": "x", "title": NaN}', 400, None),
        (b'{"id": "x", "title": "\xff\xfe"}', 400, None),
    ],
    ids=["deep-array", "deep-in-field", "huge-number", "lone-surrogate", "nan", "not-utf8"],
)
def test_malformed_json_is_a_4xx_with_position(
    client: TestClient, body: str | bytes, status: int, where: tuple[int, int] | None
) -> None:
    for content_type in ("application/json", "application/ld+json"):
        response = client.post("/classify", content=body, headers={"Content-Type": content_type})
        assert response.status_code == status, response.text
        error = response.json()
        assert error["message"]
        if where is not None:
            assert (error["line"], error["column"]) == where


def test_deep_json_ld_scoped_contexts_are_a_4xx(client: TestClient) -> None:
    depth = 400
    context: dict[str, Any] = {}
    for _ in range(depth):
        context = {"a": {"@id": "http://example.org/a", "@context": context}}
    response = client.post("/classify", content=json.dumps({"@context": context, "@id": "x"}), headers=JSONLD)
    assert response.status_code == 413 and response.json()["limit"] == "COPROKG_MAX_JSON_DEPTH"


def test_turtle_and_ntriples_garbage_is_a_400(client: TestClient) -> None:
    for content_type, body in (
        ("text/turtle", b"\x00\x01\x02 binary"),
        ("text/turtle", b'<a> <b> "\\uD800" .'),
        ("application/n-triples", b"<http://x> <http://y> " + b'"x"' * 10 + b" ."),
    ):
        response = client.post("/classify", content=body, headers={"Content-Type": content_type})
        assert response.status_code == 400, (content_type, response.text)


def test_cli_unreadable_files_are_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from coprokg.cli import main

    binary = tmp_path / "photo.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a case", encoding="utf-8")
    for argv in (
        ["validate", str(binary)],
        ["classify", str(binary)],
        ["validate", str(empty)],
        ["classify", str(empty)],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err
        assert "Traceback" not in err[0]
    assert main(["validate", str(empty)]) == 2
    assert "no case files" in capsys.readouterr().err


# ---------------------------------------------------------------- store faults are seen


def test_deleted_store_refuses_writes_and_health_says_why(store_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "store"
    shutil.copytree(store_dir, path)
    app = create_app(settings_for(path))
    with TestClient(app) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        shutil.rmtree(path)
        health = client.get("/healthz")
        assert health.status_code == 503 and "gone" in health.json()["reason"]
        put = client.put(
            "/cases/buurt-bestuurt-rotterdam",
            content=FIXTURE.read_bytes(),
            headers={**AUTH, "Content-Type": "application/json"},
        )
        assert put.status_code == 503, put.text  # never "201 Created" into a store that is gone
        assert "refused" in put.json()["message"]


def test_store_recovers_from_a_transient_fault(store_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "store"
    shutil.copytree(store_dir, path)
    aside = tmp_path / "aside"
    app = create_app(settings_for(path))
    headers = {**AUTH, "Content-Type": "application/json"}
    with TestClient(app) as client:
        path.rename(aside)  # the directory is away (an unmounted volume, say) …
        assert client.get("/healthz").status_code == 503
        assert (
            client.put("/cases/buurt-bestuurt-rotterdam", content=FIXTURE.read_bytes(), headers=headers).status_code
            == 503
        )
        aside.rename(path)  # … and back: no restart needed
        assert client.get("/healthz").json()["status"] == "ok"
        again = client.put("/cases/buurt-bestuurt-rotterdam", content=FIXTURE.read_bytes(), headers=headers)
        assert again.status_code in (200, 201), again.text
    reopened = EmbeddedStore(path, workers=1)
    try:
        assert reopened.has_case("buurt-bestuurt-rotterdam")  # the acknowledged write is on disk
    finally:
        reopened.close()


def test_io_fault_is_recovered_by_reopening(store_dir: Path, tmp_path: Path) -> None:
    """RocksDB stays in error after an I/O fault; the store reopens itself on the next operation."""
    path = tmp_path / "store"
    shutil.copytree(store_dir, path)
    store = EmbeddedStore(path, workers=1)
    holder = {"store": store._store}  # the real store, released before the reopen

    class Failing:
        def update(self, _text: str) -> None:
            raise OSError("IO error: No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(holder["store"], name)

    try:
        store._store = Failing()  # type: ignore[assignment]
        from coprokg.errors import StoreUnavailable

        with pytest.raises(StoreUnavailable, match="nothing was stored"):
            store.apply(["INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
        holder.clear()
        store.ping()  # recovers: the store is opened again
        store.apply(["INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
        assert (
            len(store.select("SELECT ?o WHERE { GRAPH ?g { <urn:a> <urn:b> ?o } }"))
            + len(store.select("SELECT ?o WHERE { <urn:a> <urn:b> ?o }"))
            >= 1
        )
    finally:
        store.close()


def test_serve_reports_the_case_count_and_warns_when_empty(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {
        "COPROKG_API_TOKEN": TOKEN,
        "COPROKG_QUERY_WORKERS": "1",
        "COPROKG_ANALYSIS_WORKERS": "1",
        "PATH": "/usr/bin:/bin",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "coprokg.cli", "serve", "--port", str(free_port()), "--store", str(tmp_path / "empty")],
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert proc.stderr is not None
        lines = [proc.stderr.readline(), proc.stderr.readline()]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "serving 0 cases" in lines[0]
    assert "WARNING" in lines[1] and "holds no case" in lines[1]
