"""The embedded store: loading, atomic case writes, dataset rules, limits, snapshots, export."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from coprokg.cases import load_case_text
from coprokg.errors import QueryError, QueryRefused, QueryTimeout
from coprokg.namespaces import ONTOLOGY_GRAPH
from coprokg.store import EmbeddedStore, QueryRequest, build_record
from coprokg.store.loader import load_project

pytest_plugins = ["storekit"]

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "buurt.json"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _case(case_id: str, **changes: object) -> object:
    data = json.loads(FIXTURE.read_text())
    data.update(id=case_id, **changes)
    return load_case_text(json.dumps(data), "json")


def _rows(store: EmbeddedStore, text: str, **kw: object) -> list[dict[str, object]]:
    result = store.query(QueryRequest(text, **kw))  # type: ignore[arg-type]
    return json.loads(result.body)["results"]["bindings"]  # type: ignore[no-any-return]


def _dump(store: EmbeddedStore) -> list[bytes]:
    out = io.BytesIO()
    store.export(out, "nquads")
    return sorted(out.getvalue().splitlines())


def test_loading_twice_gives_the_same_store(loaded_store_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(loaded_store_dir, tmp_path / "s")
    store = EmbeddedStore(tmp_path / "s", workers=1)
    try:
        before = _dump(store)
        report = load_project(store)
        assert report.loaded == [] and not report.failed
        assert len(report.unchanged) == store.count_cases() + 2  # every case, the ontology and the shapes
        assert _dump(store) == before
    finally:
        store.close()


def test_store_holds_every_curated_case_with_its_classification(store: EmbeddedStore) -> None:
    ids = store.case_ids()
    assert "buurt-bestuurt-rotterdam" in ids
    for case_id in ids:
        classification = store.stored_report(case_id, "classification")
        assert classification is not None and classification["case_id"] == case_id
        assert store.stored_report(case_id, "validation") is not None


def test_put_replace_delete(store: EmbeddedStore) -> None:
    record = build_record(_case("store-test-case"))  # type: ignore[arg-type]
    assert store.put_case(record) is True
    assert store.put_case(record) is False
    assert store.stored_report("store-test-case", "classification")["power_transfer"] == record.power_transfer  # type: ignore[index]
    assert store.delete_case("store-test-case") is True
    assert store.case_triples("store-test-case") is None
    assert store.stored_report("store-test-case", "classification") is None
    assert store.delete_case("store-test-case") is False


def test_readers_never_see_a_case_without_its_own_classification(store: EmbeddedStore) -> None:
    """Two versions of a case written over and over: a reader sees one version whole, never a mix."""
    versions = [build_record(_case("atomic-case", title=f"version {n}")) for n in (1, 2)]  # type: ignore[arg-type]
    digests = {f"version {n}": r.digest for n, r in zip((1, 2), versions, strict=True)}
    stop = threading.Event()
    errors: list[str] = []

    def write() -> None:
        i = 0
        while not stop.is_set():
            store.put_case(versions[i % 2])
            i += 1

    writer = threading.Thread(target=write)
    writer.start()
    query = (
        "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX cpkr: <https://w3id.org/coprokg/record#> "
        "SELECT ?title ?digest WHERE { "
        "GRAPH <https://w3id.org/coprokg/graph/case/atomic-case> { ?c dcterms:title ?title } "
        "GRAPH <https://w3id.org/coprokg/graph/case/atomic-case/classification> { ?c cpkr:sourceDigest ?digest } }"
    )
    try:
        checked = 0
        deadline = time.monotonic() + 3
        while checked < 200 and time.monotonic() < deadline:
            rows = store.select(query)
            for row in rows:
                if digests[row["title"].value] != row["digest"].value:
                    errors.append(f"{row['title'].value} with a digest of the other version")
            checked += 1 if rows else 0
    finally:
        stop.set()
        writer.join()
    assert checked > 0 and not errors


def test_union_default_graph_from_and_protocol_dataset(store: EmbeddedStore) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    total = int(_rows(store, count)[0]["n"]["value"])
    assert total == len(store)
    ontology = int(_rows(store, count, default_graphs=(str(ONTOLOGY_GRAPH),))[0]["n"]["value"])
    assert 0 < ontology < total
    with_from = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert int(_rows(store, with_from)[0]["n"]["value"]) == ontology
    named = _rows(
        store,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        default_graphs=(),
        named_graphs=(str(ONTOLOGY_GRAPH),),
    )
    assert [r["g"]["value"] for r in named] == [str(ONTOLOGY_GRAPH)]


def test_a_write_is_visible_to_the_next_query(store: EmbeddedStore) -> None:
    ask = "ASK { GRAPH <http://example.org/g> { <http://example.org/a> ?p ?o } }"
    assert json.loads(store.query(QueryRequest(ask)).body)["boolean"] is False
    store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/p> 1 } }")
    assert json.loads(store.query(QueryRequest(ask)).body)["boolean"] is True


def test_timeout_kills_the_worker_and_the_next_query_runs(store: EmbeddedStore) -> None:
    pids = store.pool.pids()
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        store.query(QueryRequest(SLOW), timeout=1.0)
    assert time.monotonic() - started < 3.0
    assert store.pool.killed == 1
    assert _rows(store, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert store.pool.pids() != pids


def test_async_query_timeout_and_cancel_kill_the_worker(store: EmbeddedStore) -> None:
    """``query_async`` (the service's path: no thread) stops work as ``query`` does, by killing the worker."""

    async def scenario() -> None:
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            await store.query_async(QueryRequest(SLOW), timeout=1.0)
        assert time.monotonic() - started < 3.0
        assert store.pool.killed == 1
        deadline = time.monotonic() + 30
        while len(store.pool.pids()) < store.pool.size and time.monotonic() < deadline:
            await asyncio.sleep(0.05)  # the killed worker's replacement is starting
        task = asyncio.ensure_future(store.query_async(QueryRequest(SLOW), timeout=60))
        await asyncio.sleep(0.5)
        task.cancel()  # what the service does when the client goes away
        with pytest.raises(asyncio.CancelledError):
            await task
        assert store.pool.killed == 2
        # more queries than workers: the others wait for a free one, sync and async callers alike
        point = "SELECT ?o WHERE { ?s ?p ?o } LIMIT 1"
        threaded = [asyncio.to_thread(store.query, QueryRequest(point), timeout=60) for _ in range(4)]
        results = await asyncio.gather(
            *(store.query_async(QueryRequest(point), timeout=60) for _ in range(8)), *threaded
        )
        assert all(json.loads(r.body)["results"]["bindings"] for r in results)

    asyncio.run(scenario())
    assert len(store.pool.pids()) == store.pool.size


def test_row_cap(store: EmbeddedStore) -> None:
    result = store.query(QueryRequest("SELECT * WHERE { ?s ?p ?o }"), max_rows=100)
    assert result.truncated and result.rows == 100
    assert len(json.loads(result.body)["results"]["bindings"]) == 100


def test_syntax_error_has_a_position(store: EmbeddedStore) -> None:
    with pytest.raises(QueryError) as err:
        store.query(QueryRequest("SELECT * WHERE {\n  ?s ?p \n}"))
    assert err.value.line == 3 and err.value.column is not None
    with pytest.raises(QueryError) as err:
        store.update("INSERT DATA { <http://example.org/a> <http://example.org/b> }")
    assert err.value.line == 1


def test_service_and_load_are_refused_and_nothing_changes(store: EmbeddedStore) -> None:
    before = len(store)
    with pytest.raises(QueryRefused):
        store.update("LOAD <http://127.0.0.1:9/x.ttl> INTO GRAPH <http://example.org/g>")
    with pytest.raises(QueryRefused):
        store.query(QueryRequest("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"))
    assert len(store) == before


def test_snapshots_are_cleaned_up(store: EmbeddedStore) -> None:
    for i in range(5):
        store.update(
            f"INSERT DATA {{ GRAPH <http://example.org/g> {{ <http://example.org/a> <http://example.org/p> {i} }} }}"
        )
        store.query(QueryRequest("ASK { ?s ?p ?o }"))
    assert len(list(store.snapshot_dir.iterdir())) <= 2
    store.close()
    assert not store.snapshot_dir.exists()


def test_export_trig(store: EmbeddedStore) -> None:
    out = io.BytesIO()
    store.export(out, "trig")
    import pyoxigraph as ox

    assert len(list(ox.parse(out.getvalue(), ox.RdfFormat.TRIG))) == len(store)
