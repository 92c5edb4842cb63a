"""``coprokg load``: the ontology, the shapes and the curated cases into the store, idempotently.

Each graph records a digest of what it was made from (the source file; for a case also the
ontology and shapes it was classified with). Loading skips what has not changed, so a second
load leaves the store exactly as it was, and a changed ontology re-classifies every case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from coprokg.cases import load_case
from coprokg.errors import CoprokgError
from coprokg.namespaces import ONTOLOGY_GRAPH, SHAPES_GRAPH
from coprokg.paths import cases_dir, ontology_path, shapes_dir
from coprokg.store.base import GraphStore
from coprokg.store.records import build_record, case_digest, graph_to_triples
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


def load_project(
    store: GraphStore,
    *,
    cases: Path | None = None,
    ontology: Path | None = None,
    shapes: Path | None = None,
    force: bool = False,
    prune: bool = False,
    progress: Callable[[str], None] | None = None,
) -> LoadReport:
    """Load ontology, shapes and case files; ``prune`` removes stored cases with no file."""
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
    seen: set[str] = set()
    for path in sorted(p for p in directory.iterdir() if p.suffix in CASE_SUFFIXES):
        try:
            loaded = load_case(path)
            seen.add(loaded.case.id)
            if not force and store.stored_digest(loaded.case.id) == case_digest(graph_to_triples(loaded.graph)):
                report.unchanged.append(loaded.case.id)
                continue
            record = build_record(loaded)
            store.put_case(record)
        except CoprokgError as exc:
            report.failed.append((str(path), str(exc)))
            say(f"{path}: FAILED: {exc}")
            continue
        report.loaded.append(record.case_id)
        say(f"{record.case_id}: {record.power_transfer}, {record.warnings} warning(s)")
    if prune:
        for case_id in store.case_ids():
            if case_id not in seen:
                store.delete_case(case_id)
                report.removed.append(case_id)
    return report
