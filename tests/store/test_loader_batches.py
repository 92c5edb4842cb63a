"""``coprokg load`` with worker processes and batched writes stores what a one-by-one load stores."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from casegen import random_cases

from coprokg.errors import StoreError
from coprokg.namespaces import CASE_GRAPH_PREFIX
from coprokg.store import loader
from coprokg.store.embedded import EmbeddedStore
from coprokg.store.loader import BATCH, load_project
from coprokg.store.records import build_record

N = 2 * BATCH + 10  # enough for the parallel path and for several batches


def _write_cases(directory: Path, cases: list[dict[str, object]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for case in cases:
        (directory / f"{case['id']}.json").write_text(json.dumps(case), encoding="utf-8")


def _dump(store: EmbeddedStore) -> set[str]:
    """Every quad of the case graphs (the ontology's blank nodes differ from store to store)."""
    return {
        str(q)
        for q in store.store.quads_for_pattern(None, None, None)
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(CASE_GRAPH_PREFIX)
    }


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("generated")
    _write_cases(directory, random_cases(N, seed=7, prefix="batch"))
    return directory


def test_parallel_batched_load_equals_one_by_one(case_dir: Path, tmp_path: Path) -> None:
    stores = {}
    for workers in (1, 2):
        store = EmbeddedStore(tmp_path / f"store-{workers}", workers=1)
        try:
            report = load_project(store, cases=case_dir, workers=workers)
            assert len(report.loaded) == N + 2 and not report.failed  # + ontology and shapes graphs
            assert store.count_cases() == N
            stores[workers] = _dump(store)
            again = load_project(store, cases=case_dir, workers=workers)
            assert again.loaded == [] and len(again.unchanged) == N + 2
            assert _dump(store) == stores[workers], "a second load changes nothing"
        finally:
            store.close()
    assert len(stores[1]) > N * 50 and stores[1] == stores[2]


class _Counted(list[Path]):
    """Paths that count how many have been handed out (to the pool's task thread)."""

    handed = 0

    def __iter__(self) -> Iterator[Path]:
        for path in super().__iter__():
            self.handed += 1
            yield path


def test_the_workers_stay_a_bounded_number_of_cases_ahead_of_the_writes(
    case_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Analysed cases wait for their write in memory: however slow the writer, at most ``AHEAD`` do."""
    monkeypatch.setattr(loader, "AHEAD", 16)
    paths = _Counted(sorted(case_dir.glob("*.json")))
    furthest = done = 0
    for outcome in loader._analysed(paths, {}, 2):
        assert not isinstance(outcome, loader._Failed)
        if done < 40:
            time.sleep(0.02)  # a slow writer: the workers would run ahead of it
        done += 1
        furthest = max(furthest, paths.handed - done)
    assert done == N and 8 <= furthest <= 16


class _FlushCounted(EmbeddedStore):
    flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        super().flush()


def test_a_long_load_moves_the_stores_write_buffers_to_disk_as_it_goes(
    case_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "FLUSH_EVERY", BATCH)
    store = _FlushCounted(tmp_path / "store", workers=1)
    try:
        load_project(store, cases=case_dir, workers=1)
        assert store.flushes == N // BATCH and store.count_cases() == N
    finally:
        store.close()


def test_changed_case_is_replaced_and_the_later_of_two_files_wins(case_dir: Path, tmp_path: Path) -> None:
    cases = random_cases(N, seed=7, prefix="batch")
    directory = tmp_path / "cases"
    _write_cases(directory, cases)
    store = EmbeddedStore(tmp_path / "store", workers=1)
    try:
        load_project(store, cases=directory, workers=2)
        changed = dict(cases[5], title="A new title")
        (directory / f"{cases[5]['id']}.json").write_text(json.dumps(changed), encoding="utf-8")
        twin = dict(cases[6], title="The later file")
        (directory / "zz-twin.json").write_text(json.dumps(twin), encoding="utf-8")
        report = load_project(store, cases=directory, workers=2)
        assert sorted(report.loaded) == sorted([cases[5]["id"], cases[6]["id"]])
        titles = {
            str(r["id"].value): str(r["t"].value)
            for r in store.select(
                "SELECT ?id ?t WHERE { GRAPH ?g { ?c <http://purl.org/dc/terms/identifier> ?id ; "
                "<http://purl.org/dc/terms/title> ?t } }"
            )
        }
        assert titles[str(cases[5]["id"])] == "A new title"
        assert titles[str(cases[6]["id"])] == "The later file"
        assert store.count_cases() == N
    finally:
        store.close()


def test_put_cases_refuses_two_records_of_one_case(tmp_path: Path) -> None:
    from coprokg.cases import case_from_dict

    record = build_record(case_from_dict(random_cases(1, seed=1)[0]))
    store = EmbeddedStore(tmp_path / "store", workers=1)
    try:
        with pytest.raises(StoreError, match="same case"):
            store.put_cases([record, record])
        assert store.put_cases([record]) == [True]
        assert store.put_cases([record]) == [False]
        graph = ox.NamedNode(f"https://w3id.org/coprokg/graph/case/{record.case_id}")
        assert len(list(store.store.quads_for_pattern(None, None, None, graph))) == len(record.case_triples)
    finally:
        store.close()
