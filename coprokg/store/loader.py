"""``coprokg load``: the ontology, the shapes and the curated cases into the store, idempotently.

Each graph records a digest of what it was made from (the source file; for a case also the
ontology and shapes it was classified with). Loading skips what has not changed, so a second
load leaves the store exactly as it was, and a changed ontology re-classifies every case.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from coprokg.cases import load_case
from coprokg.errors import CoprokgError
from coprokg.namespaces import ONTOLOGY_GRAPH, SHAPES_GRAPH
from coprokg.paths import cases_dir, ontology_path, shapes_dir
from coprokg.store.base import GraphStore
from coprokg.store.records import CaseRecord, build_record, case_digest, graph_to_triples, prepare_analysis
from coprokg.turtle import turtle_triples

CASE_SUFFIXES = (".json", ".jsonld", ".ttl")


@dataclass
class LoadReport:
    """What a load did, per graph and per case."""

    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{len(self.loaded)} loaded, {len(self.unchanged)} unchanged"
        if self.removed:
            text += f", {len(self.removed)} removed"
        if self.failed:
            text += f", {len(self.failed)} failed"
        return text


def _turtle_files(paths: list[Path]) -> tuple[list[ox.Triple], str]:
    digest = hashlib.sha256()
    triples: list[ox.Triple] = []
    for path in paths:
        triples.extend(turtle_triples(path))  # a missing or broken file: an OntologyError naming where
        digest.update(path.read_bytes())
    return triples, digest.hexdigest()


BATCH = 64
#: At most this many cases are analysed ahead of the writes: the workers can outrun the single
#: writer, and every analysed case waiting for its write holds its record (~100 kB) in memory.
AHEAD = 8 * BATCH
#: The store is asked to move its write buffers to disk after this many cases (``GraphStore.flush``).
FLUSH_EVERY = 8 * BATCH


@dataclass(frozen=True)
class _Unchanged:
    case_id: str
    path: str


@dataclass(frozen=True)
class _Failed:
    path: str
    message: str


_Outcome = CaseRecord | _Unchanged | _Failed
_STORED: dict[str, str] = {}  # the stored digests, for the worker processes (inherited by fork)


def _analyse(path: Path) -> _Outcome:
    """Read, validate and classify one case file, unless the store has it as it is."""
    try:
        loaded = load_case(path)
        triples = graph_to_triples(loaded.graph)
        if _STORED.get(loaded.case.id) == case_digest(triples):
            return _Unchanged(loaded.case.id, str(path))
        return build_record(loaded, case_triples=triples)
    except CoprokgError as exc:
        return _Failed(str(path), str(exc))


def _analysed(paths: list[Path], stored: dict[str, str], workers: int | None) -> Iterator[_Outcome]:
    """Each file's outcome, in file order; analysed by ``workers`` forked processes."""
    _STORED.clear()
    _STORED.update(stored)
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1 or len(paths) < 2 * BATCH:
        yield from map(_analyse, paths)
        return
    prepare_analysis()  # compile once here; the forked workers inherit it
    # ... out of the collector's sight: a collection in a worker then neither walks it nor writes
    # to its pages (which fork shares until written): 153-165 -> 166-185 cases/s analysed, 2,000 cases
    gc.collect()
    gc.freeze()
    slots = threading.Semaphore(AHEAD)
    stopped = False

    def fed() -> Iterator[Path]:  # run by the pool's task thread: it waits while AHEAD are pending
        remaining = iter(paths)
        while True:
            slots.acquire()
            path = None if stopped else next(remaining, None)
            if path is None:
                return
            yield path

    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            try:
                for outcome in pool.imap(_analyse, fed(), chunksize=8):
                    slots.release()
                    yield outcome
            finally:  # before the pool is shut down, which waits for its task thread
                stopped = True
                slots.release()  # a task thread waiting for a slot sees ``stopped`` and ends
    finally:
        gc.unfreeze()


def load_project(
    store: GraphStore,
    *,
    cases: Path | None = None,
    ontology: Path | None = None,
    shapes: Path | None = None,
    force: bool = False,
    prune: bool = False,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    batch: int = BATCH,
) -> LoadReport:
    """Load ontology, shapes and case files; ``prune`` removes stored cases with no file.

    Cases are read, validated and classified by ``workers`` processes (default: one per core;
    1 runs everything here), and written ``batch`` at a time: new cases in one write, a changed
    case on its own. Its memory does not grow with the number of cases: at most ``AHEAD`` analysed
    cases wait for their write, and the store moves its write buffers to disk every ``FLUSH_EVERY``
    cases. Each case is written whole or not at all, and a case whose digest matches
    the stored one is skipped, so loading twice changes nothing. When two files describe the same
    case, the later file (in name order) wins, as when they are loaded one by one.
    """
    report = LoadReport()
    say = progress or (lambda _text: None)
    shape_files = sorted((shapes or shapes_dir()).glob("*.ttl"))
    for graph, files in ((ONTOLOGY_GRAPH, [ontology or ontology_path()]), (SHAPES_GRAPH, shape_files)):
        triples, digest = _turtle_files(files)
        if not force and store.graph_digest(str(graph)) == digest:
            report.unchanged.append(str(graph))
            continue
        store.replace_graph(str(graph), triples, digest=digest)
        report.loaded.append(str(graph))
        say(f"{graph}: {len(triples)} triples")
    directory = cases or cases_dir()
    paths = sorted(p for p in directory.iterdir() if p.suffix in CASE_SUFFIXES)
    stored = {} if force else store.stored_digests()
    seen: set[str] = set()
    pending: list[CaseRecord] = []
    unflushed = 0

    def flush() -> None:
        nonlocal unflushed
        if pending:
            store.put_cases(pending)
            for record in pending:
                report.loaded.append(record.case_id)
                say(f"{record.case_id}: {record.power_transfer}, {record.warnings} warning(s)")
            unflushed += len(pending)
            pending.clear()

    for outcome in _analysed(paths, stored, workers):
        if unflushed >= FLUSH_EVERY:  # outside the per-case handling: a store that cannot do it stops the load
            store.flush()
            unflushed = 0
        if isinstance(outcome, _Failed):
            report.failed.append((outcome.path, outcome.message))
            say(f"{outcome.path}: FAILED: {outcome.message}")
            continue
        duplicate = outcome.case_id in seen
        seen.add(outcome.case_id)
        try:
            if duplicate:
                # another file of this case came first: write that one, then let this one replace it
                # (its digest was compared with what was stored before the load began)
                flush()
                record = outcome if isinstance(outcome, CaseRecord) else build_record(load_case(outcome.path))
                store.put_case(record)
                if record.case_id not in report.loaded:
                    report.loaded.append(record.case_id)
                continue
            if isinstance(outcome, _Unchanged):
                report.unchanged.append(outcome.case_id)
                continue
            pending.append(outcome)
            if len(pending) >= batch:
                flush()
        except CoprokgError as exc:
            failed = [r.case_id for r in pending] or [outcome.case_id]
            pending.clear()
            for case_id in failed:
                report.failed.append((case_id, str(exc)))
            say(f"{', '.join(failed)}: FAILED: {exc}")
    try:
        flush()
    except CoprokgError as exc:
        report.failed.extend((r.case_id, str(exc)) for r in pending)
        say(f"{', '.join(r.case_id for r in pending)}: FAILED: {exc}")
    if prune:
        for case_id in store.case_ids():
            if case_id not in seen:
                store.delete_case(case_id)
                report.removed.append(case_id)
    return report
