"""Validation time of the curated base: per case (p50, p99) and for the whole base.

Not a pass/fail timing test: the numbers are printed (``make bench`` runs with ``-s``) and only
their sanity is asserted. The peer comparison runs pySHACL the way ``coprokg.validate`` does (the
case graph plus the ontology's vocabulary digest) and the plain way (the whole ontology passed as
``ont_graph``, which pySHACL mixes into a copy of the data graph), and checks both give the same
results before printing how much the digest saves.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import RDF, SH

from coprokg.cases import LoadedCase, load_case
from coprokg.ontology import default_ontology
from coprokg.paths import cases_dir, shapes_dir
from coprokg.validate import CASE_SHAPE_FILES, _shapes, validate_case, vocabulary_digest

CURATED = sorted(cases_dir().glob("*.json"))
Result = tuple[str, str, str, str, str]


def _timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    outcome = run()
    return time.perf_counter() - start, outcome


def _summary(label: str, seconds: list[float]) -> str:
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return (
        f"{label}: {len(seconds)} cases, total {sum(seconds):.2f} s, "
        f"p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms"
    )


def _results(report: Graph) -> set[Result]:
    return {
        tuple(
            str(report.value(r, p))
            for p in (SH.focusNode, SH.resultPath, SH.value, SH.resultSeverity, SH.resultMessage)
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


@pytest.fixture(scope="module")
def loaded_cases() -> list[LoadedCase]:
    seconds, cases = _timed(lambda: [load_case(p) for p in CURATED])
    print(f"\nloading {len(CURATED)} curated cases (parse, resolve, build RDF): {seconds:.2f} s")
    assert isinstance(cases, list)
    return cases


def test_validation_time_per_case_and_for_the_base(loaded_cases: list[LoadedCase]) -> None:
    validate_case(loaded_cases[0])  # parse the shapes and build the digest outside the timings
    seconds = []
    conforming = 0
    for loaded in loaded_cases:
        elapsed, report = _timed(lambda loaded=loaded: validate_case(loaded))
        seconds.append(elapsed)
        conforming += getattr(report, "conforms", False)
    base_seconds, _ = _timed(lambda: [validate_case(c) for c in loaded_cases])
    print(f"\n{_summary('coprokg.validate.validate_case', seconds)}")
    print(f"whole base in one go: {base_seconds:.2f} s ({base_seconds / len(loaded_cases) * 1000:.1f} ms per case)")
    assert len(seconds) == len(CURATED) >= 40
    assert conforming == len(CURATED)
    assert all(s > 0 for s in seconds) and base_seconds > 0
    assert min(seconds) <= statistics.median(seconds) <= max(seconds)


@pytest.mark.slow
def test_peer_digest_versus_whole_ontology(loaded_cases: list[LoadedCase]) -> None:
    ontology = default_ontology()
    shapes = _shapes(shapes_dir().resolve(), CASE_SHAPE_FILES)
    digest = vocabulary_digest(ontology)

    def with_digest(case: Graph) -> Graph:
        data = Graph()
        for triple in case:
            data.add(triple)
        for triple in digest:
            data.add(triple)
        _, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
        return report

    def with_ont_graph(case: Graph) -> Graph:
        _, report, _ = shacl_validate(
            case, shacl_graph=shapes, ont_graph=ontology.graph, inference="none", advanced=True, allow_warnings=True
        )
        return report

    peers: dict[str, Callable[[Graph], Graph]] = {"digest": with_digest, "ont_graph": with_ont_graph}
    seconds: dict[str, list[float]] = {name: [] for name in peers}
    for loaded in loaded_cases:
        outcomes = {}
        for name, run in peers.items():
            elapsed, report = _timed(lambda run=run, loaded=loaded: run(loaded.graph))
            seconds[name].append(elapsed)
            assert isinstance(report, Graph)
            outcomes[name] = _results(report)
        assert outcomes["digest"] == outcomes["ont_graph"], f"{loaded.case.id}: the digest changes the results"
    print(f"\nontology: {len(ontology.graph)} triples; digest: {len(digest)} triples")
    for name in peers:
        print(_summary(f"pySHACL with {name}", seconds[name]))
    ratio = sum(seconds["ont_graph"]) / sum(seconds["digest"])
    median_ratio = statistics.median(seconds["ont_graph"]) / statistics.median(seconds["digest"])
    print(f"whole ontology / digest: {ratio:.1f}x in total, {median_ratio:.1f}x at the median")
    assert ratio > 0 and all(len(s) == len(CURATED) for s in seconds.values())


def test_benchmark_reads_the_curated_files() -> None:
    assert CURATED and all(isinstance(p, Path) and p.suffix == ".json" for p in CURATED)
