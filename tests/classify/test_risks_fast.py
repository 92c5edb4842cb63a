"""The risk evaluator (compiled risk shapes) reports exactly what pySHACL reports for the risk shapes."""

from __future__ import annotations

import glob
from typing import Any

from hypothesis import HealthCheck, given, settings
from strategies import classification_cases

from coprokg.cases import case_from_dict, load_case
from coprokg.cases.load import LoadedCase
from coprokg.classify import default_classifier
from coprokg.ontology import default_ontology
from coprokg.validate import case_index, validate_case


def _key(results: list[Any]) -> list[tuple[Any, ...]]:
    return sorted(
        (r.severity, r.message, r.focus_node, r.path, r.value, r.source_shape, r.field, r.line, r.issue)
        for r in results
    )


def _same(loaded: LoadedCase) -> None:
    ours = default_classifier().risks.evaluate(loaded)
    theirs = [r for r in validate_case(loaded, engine="pyshacl").results if r.issue is not None]
    assert _key(ours) == _key(theirs)


def test_curated_cases_get_the_same_risks_as_pyshacl() -> None:
    paths = sorted(glob.glob("data/cases/*.json"))[::3]  # every third; all in test_compiled_shapes.py
    total = 0
    for path in paths:
        loaded = load_case(path)
        _same(loaded)
        total += len(default_classifier().risks.evaluate(loaded))
    assert total > len(paths)  # the curated base does show risks


@given(case=classification_cases())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_cases_get_the_same_risks_as_pyshacl(case: dict[str, Any]) -> None:
    _same(case_from_dict(case))


def test_risks_after_validation_reuse_its_answers_and_equal_a_fresh_evaluation() -> None:
    path = "tests/fixtures/buurt.json"
    shared = load_case(path)
    validate_case(shared)
    data, _ = case_index(shared, default_ontology())
    asked = dict(data.solutions)
    assert asked  # validation asked the risk queries ...
    after = default_classifier().risks.evaluate(shared)
    assert data.solutions == asked  # ... and the risk step of classification asked none again
    fresh = default_classifier().risks.evaluate(load_case(path))
    assert after and _key(after) == _key(fresh)
