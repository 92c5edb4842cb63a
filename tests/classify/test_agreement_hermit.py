"""The compiled classifier agrees with HermiT (through owlready2) on every case.

HermiT is the oracle: same ontology, the same case graphs plus the closure axioms that state the
closed-world reading (see ``coprokg.classify.oracle``). Every individual of every case — the case,
its actors, its participations — must get exactly the same defined classes from both. HermiT runs
on batches of 5 cases (its time grows faster than the batch), two JVMs at a time.
"""

from __future__ import annotations

import glob
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import case_batches

from coprokg.cases import case_from_dict, load_case
from coprokg.classify import default_classifier
from coprokg.classify.oracle import DEFAULT_BATCH, Disagreement, compare, hermit_types
from coprokg.namespaces import CPK, case_iri

CURATED = sorted(glob.glob("data/cases/*.json"))


def _compare_paths(paths: list[str]) -> tuple[int, list[Disagreement]]:
    return compare(default_classifier().compiled, [load_case(p) for p in paths])


def _compare_dicts(cases: list[dict[str, Any]]) -> tuple[int, list[Disagreement]]:
    return compare(default_classifier().compiled, [case_from_dict(c) for c in cases])


def _run_parallel(func: Any, chunks: list[Any]) -> tuple[int, list[Disagreement]]:
    compared, disagreements = 0, []
    with ProcessPoolExecutor(max_workers=2) as pool:
        for n, found in pool.map(func, chunks):
            compared += n
            disagreements += found
    return compared, disagreements


def test_every_curated_case_agrees_with_hermit() -> None:
    chunks = [CURATED[i : i + DEFAULT_BATCH] for i in range(0, len(CURATED), DEFAULT_BATCH)]
    compared, disagreements = _run_parallel(_compare_paths, chunks)
    print(f"\ncurated: {len(CURATED)} cases, {compared} individuals compared, {len(disagreements)} disagreements")
    assert compared > len(CURATED) * 3
    assert disagreements == []


_GENERATED = {"cases": 0, "individuals": 0}


def _check_generated(batch: list[dict[str, Any]]) -> int:
    halves = [batch[i : i + DEFAULT_BATCH] for i in range(0, len(batch), DEFAULT_BATCH)]
    compared, disagreements = _run_parallel(_compare_dicts, halves)
    assert disagreements == []
    _GENERATED["cases"] += len(batch)
    _GENERATED["individuals"] += compared
    print(
        f"generated cases agreeing with HermiT so far: {_GENERATED['cases']} ({_GENERATED['individuals']} individuals)"
    )
    return compared


@given(batch=case_batches(2 * DEFAULT_BATCH))
@settings(
    max_examples=20,  # 200 generated cases in `make test`
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_generated_cases_agree_with_hermit(batch: list[dict[str, Any]]) -> None:
    assert _check_generated(batch) >= len(batch)


@pytest.mark.slow
@pytest.mark.timeout(3600)
@given(batch=case_batches(2 * DEFAULT_BATCH))
@settings(
    max_examples=100,  # 1,000 generated cases, run by `make bench`
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_thousand_generated_cases_agree_with_hermit(batch: list[dict[str, Any]]) -> None:
    assert _check_generated(batch) >= len(batch)


def test_without_closure_axioms_hermit_does_not_reach_only_classes() -> None:
    """The closed-world reading is what makes them agree: without it the open world blocks 'only'."""
    case = {
        "id": "closure-demo",
        "title": "Professionals deliver, residents are consulted on design",
        "description": "A made-up case to show the closure assumption at work.",
        "domain": "community-development",
        "actors": [
            {"id": "residents", "kind": "citizen-collective", "label": "Residents"},
            {"id": "city", "kind": "public-agency", "label": "City"},
        ],
        "participations": [
            {"actor": "residents", "stage": "design", "decision": "consulted"},
            {"actor": "city", "stage": "delivery", "decision": "decides", "task": "core"},
        ],
        "sources": [{"cite": "generated"}],
    }
    loaded = case_from_dict(case)
    compiled = default_classifier().compiled
    node = str(case_iri("closure-demo"))
    professional_delivery = str(CPK.ProfessionalDelivery)
    ours = {str(dc.iri) for dc in compiled.classes_of(case_iri("closure-demo"), compiled.facts_of(loaded.graph))}
    assert professional_delivery in ours
    assert professional_delivery in hermit_types(compiled, [loaded])[node]
    assert professional_delivery not in hermit_types(compiled, [loaded], closure=False)[node]
