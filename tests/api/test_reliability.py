"""Concurrent writers and readers, and a kill -9 in the middle of writes (bounded, loopback only)."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from apikit import AUTH, FIXTURE, LiveServer

from coprokg.cases import load_case_text

pytest_plugins = ["apikit"]

WRITERS, READERS, WRITES_EACH, READS_EACH = 8, 8, 3, 12


def _case(case_id: str, title: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text())
    data.update(id=case_id, title=title)
    return data


def _canonical(case: dict[str, Any]) -> dict[str, Any]:
    out = load_case_text(json.dumps(case), "json").case.model_dump(mode="json", exclude_none=True)
    for part in out["participations"]:
        part["contributes"] = sorted(part["contributes"])
    return out


def test_eight_writers_eight_readers(live_server: LiveServer) -> None:
    acknowledged: dict[str, dict[str, Any]] = {}
    statuses: list[int] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            for i in range(WRITES_EACH):
                case_id = f"concurrent-{n}-{i}"
                body = _case(case_id, f"writer {n} write {i}")
                response = client.put(f"/cases/{case_id}", json=body, headers=AUTH)
                with lock:
                    statuses.append(response.status_code)
                    if response.status_code in (200, 201):
                        acknowledged[case_id] = body

    def reader(n: int) -> None:
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            for i in range(READS_EACH):
                if i % 3 == 0:
                    response = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
                elif i % 3 == 1:
                    response = client.get("/cases", params={"limit": 500})
                else:
                    response = client.get("/cases/buurt-bestuurt-rotterdam/classification")
                with lock:
                    statuses.append(response.status_code)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    threads += [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert len(statuses) == WRITERS * WRITES_EACH + READERS * READS_EACH
    assert all(s < 500 for s in statuses), sorted(set(statuses))
    assert len(acknowledged) == WRITERS * WRITES_EACH
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        listed = {c["id"] for c in client.get("/cases", params={"limit": 500}).json()["items"]}
        for case_id, body in acknowledged.items():
            assert case_id in listed
            stored = client.get(f"/cases/{case_id}").json()
            assert _canonical(stored) == _canonical(body)
        sparql = (
            "SELECT (COUNT(?c) AS ?n) WHERE { ?c a <https://w3id.org/coprokg/ontology#Case> "
            "FILTER(STRSTARTS(STR(?c), 'https://w3id.org/coprokg/case/concurrent-')) }"
        )
        count = client.get("/sparql", params={"query": sparql}).json()["results"]["bindings"][0]["n"]["value"]
        assert int(count) == len(acknowledged)


def test_kill_9_during_writes_loses_no_acknowledged_case(loaded_store_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(loaded_store_dir, store)
    server = LiveServer(store)
    server.start()
    acknowledged: dict[str, dict[str, Any]] = {}
    enough = threading.Event()
    stop = threading.Event()

    def write() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            for i in range(200):
                if stop.is_set():
                    return
                case_id = f"crash-{i}"
                body = _case(case_id, f"write {i}")
                try:
                    response = client.put(f"/cases/{case_id}", json=body, headers=AUTH)
                except httpx.HTTPError:
                    return  # the server is gone
                if response.status_code in (200, 201):
                    acknowledged[case_id] = body
                if len(acknowledged) >= 6:
                    enough.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert enough.wait(timeout=120), "no writes were acknowledged"
        server.kill()  # in the middle of the stream of writes
    finally:
        stop.set()
        writer.join(timeout=60)
    assert len(acknowledged) >= 6

    restarted = LiveServer(store)
    restarted.start()  # opens the same store: no repair step
    try:
        with httpx.Client(base_url=restarted.url, timeout=30) as client:
            for case_id, body in acknowledged.items():
                response = client.get(f"/cases/{case_id}")
                assert response.status_code == 200, case_id
                assert _canonical(response.json()) == _canonical(body)
                classification = client.get(f"/cases/{case_id}/classification")
                assert classification.status_code == 200 and classification.json()["case_id"] == case_id
            assert client.get("/healthz").json()["status"] == "ok"
    finally:
        restarted.stop()


pytestmark = pytest.mark.timeout(300)
