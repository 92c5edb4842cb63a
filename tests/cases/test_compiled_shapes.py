"""The compiled validator (``coprokg.shacl``) gives exactly pySHACL's report.

Compared: every curated case, every broken fixture that loads, a sample of generated broken cases
(the full run of 1,000 and more is in ``tests/benchmarks/test_bench_validation.py``), and a shape
added to a copy of the shapes with no code change. A shape using SHACL the compiler does not know
is still enforced, by pySHACL.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from shapes_oracle import assert_same_report, broken_variant
from strategies import classification_cases

from coprokg.cases import case_from_dict, load_case
from coprokg.errors import CaseFormatError, OntologyError
from coprokg.paths import cases_dir, project_root
from coprokg.validate import validate_case

CURATED = sorted(cases_dir().glob("*.json"))
BROKEN = Path(__file__).resolve().parent / "broken"
SAMPLE = 120


@pytest.mark.parametrize("path", CURATED, ids=lambda p: p.stem)
def test_curated_case_gets_the_pyshacl_report(path: Path) -> None:
    report = assert_same_report(load_case(path), path.name)
    assert report.conforms


def test_broken_fixtures_get_the_pyshacl_report() -> None:
    compared = violations = 0
    for path in sorted(BROKEN.iterdir()):
        if path.name == "expected.json":
            continue
        try:
            loaded = load_case(path)
        except CaseFormatError:
            continue
        report = assert_same_report(loaded, path.name)
        compared += 1
        violations += len(report.violations)
    assert compared >= 12 and violations >= 10


def test_generated_broken_cases_get_the_pyshacl_report() -> None:
    rng = random.Random(20261201)
    bases = [load_case(p) for p in CURATED[::15]]
    results = severities = 0
    seen_shapes: set[str] = set()
    for n in range(SAMPLE):
        variant = broken_variant(rng.choice(bases), rng, edits=1 + n % 6)
        report = assert_same_report(variant, f"variant {n}")
        results += len(report.results)
        severities += len(report.violations)
        seen_shapes.update(r.source_shape for r in report.results)
    # the sample does break cases, and in many different ways
    assert severities > SAMPLE // 2 and results > severities
    assert len(seen_shapes) >= 5


@given(case=classification_cases())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_cases_get_the_pyshacl_report(case: dict[str, object]) -> None:
    assert_same_report(case_from_dict(case), "generated")


NEW_SHAPE = """
cpks:ShortActorLabelShape
    a sh:NodeShape ;
    sh:targetClass cpk:Actor ;
    sh:property [ sh:path rdfs:label ; sh:maxLength 20 ; sh:severity sh:Warning ;
                  sh:message "an actor's label should be at most 20 characters (field 'label')" ] .
"""

UNSUPPORTED_SHAPE = """
cpks:PositionShape
    a sh:NodeShape ;
    sh:targetClass cpk:Participation ;
    sh:property [ sh:path cpk:listPosition ; sh:maxInclusive 0 ;
                  sh:message "positions must not exceed 0 (field 'participations')" ] .
"""


@pytest.fixture()
def shapes_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project home whose shapes/ is a copy (ontology and data shared), in use for the test."""
    home = tmp_path / "home"
    home.mkdir()
    root = project_root()
    for name in ("ontology", "data"):
        (home / name).symlink_to(root / name)
    shutil.copytree(root / "shapes", home / "shapes")
    monkeypatch.setenv("COPROKG_HOME", str(home))
    return home / "shapes"


def _buurt_with_long_label() -> dict[str, object]:
    data = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "buurt.json").read_text(encoding="utf-8"))
    data["actors"][0]["label"] = "Residents of the neighbourhood"
    return data


def test_a_shape_added_to_a_copy_is_enforced_without_code_change(shapes_copy: Path) -> None:
    loaded = case_from_dict(_buurt_with_long_label())
    before = validate_case(loaded, engine="compiled")
    assert not any("at most 20 characters" in r.message for r in before.results)
    with (shapes_copy / "case.ttl").open("a", encoding="utf-8") as out:
        out.write(NEW_SHAPE)
    report = assert_same_report(loaded, "added shape")
    added = [r for r in report.results if "at most 20 characters" in r.message]
    assert [(r.field, r.severity.value, r.value) for r in added] == [
        ("actors[0].label", "Warning", "Residents of the neighbourhood")
    ]
    assert added[0].source_shape == "https://w3id.org/coprokg/shapes#ShortActorLabelShape"


def test_a_shape_the_compiler_does_not_know_is_still_enforced(
    shapes_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (shapes_copy / "case.ttl").open("a", encoding="utf-8") as out:
        out.write(UNSUPPORTED_SHAPE)
    loaded = load_case(Path(__file__).resolve().parents[1] / "fixtures" / "buurt.json")
    with pytest.raises(OntologyError, match="does not evaluate"):
        validate_case(loaded, engine="compiled")
    with caplog.at_level(logging.WARNING, logger="coprokg.validate"):
        report = validate_case(loaded)
    assert any("maxInclusive" in r.getMessage() for r in caplog.records)
    assert sum("must not exceed 0" in r.message for r in report.results) == len(loaded.case.participations) >= 1
