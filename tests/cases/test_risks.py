"""Meijer's (2016) four issues (shapes/risks.ttl): each warning fires on a minimal case that has the
risk, and stays silent on a near-identical case that does not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SH

from coprokg.cases import case_from_dict
from coprokg.namespaces import CPK
from coprokg.ontology import default_ontology
from coprokg.paths import shapes_dir
from coprokg.validate import Severity, validate_case

CPKS = "https://w3id.org/coprokg/shapes#"
Change = Callable[[dict[str, Any]], None]

ACCOUNTABILITY = (
    "Residents co-decides in design but is the accountor of no accountability relation, and the case has no "
    "horizontal accountability (Meijer 2016, pp. 605-607)"
)
UNREPRESENTATIVE = (
    "participation is reported to be unrepresentative: coproduction may create new inequality "
    "(Meijer 2016, pp. 604-605)"
)
AGAINST_CITIZENS = (
    "the coproduction is directed at other citizens (enforcement, surveillance, coveillance): a risk of "
    "conflict between citizens (Meijer 2016, p. 605)"
)


def _set(path: str, value: Any) -> Change:
    """A change to the minimal case: ``participations[0].decision`` style paths."""

    def change(case: dict[str, Any]) -> None:
        node: Any = case
        parts = path.replace("]", "").replace("[", ".").split(".")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        node[parts[-1]] = value

    return change


def _add_accountability(accountor: str, forum: str, kind: str) -> Change:
    return lambda case: case.setdefault("accountability", []).append(
        {"accountor": accountor, "forum": forum, "type": kind}
    )


def _warnings(case: dict[str, Any]) -> list[tuple[str, str | None, str | None, str | None]]:
    report = validate_case(case_from_dict(case))
    assert report.conforms and report.violations == []
    assert all(r.severity is Severity.WARNING for r in report.results)
    return [(r.message, r.issue, r.source_shape.removeprefix(CPKS), r.field) for r in report.results]


def _apply(case: dict[str, Any], changes: list[Change]) -> dict[str, Any]:
    for change in changes:
        change(case)
    return case


RISKS: dict[str, tuple[list[Change], tuple[str, str | None, str | None, str | None]]] = {
    "accountability": (
        [_set("participations[0].decision", "co-decides")],
        (ACCOUNTABILITY, str(CPK["issue-accountability"]), "UnaccountablePowerRisk", None),
    ),
    "compensation": (
        [_set("participations[0].contributes", ["time"])],
        (
            "Residents contribute time and no compensation is recorded (Meijer 2016, pp. 604, 606)",
            str(CPK["issue-compensation"]),
            "UncompensatedContributionRisk",
            None,
        ),
    ),
    "inequality": (
        [_set("representativeness", "unrepresentative")],
        (UNREPRESENTATIVE, str(CPK["issue-inequality"]), "UnrepresentativeParticipationRisk", "representativeness"),
    ),
    "conflict-between-citizens": (
        [_set("directed_at_citizens", True)],
        (
            AGAINST_CITIZENS,
            str(CPK["issue-conflict-between-citizens"]),
            "CitizensAgainstCitizensRisk",
            "directed_at_citizens",
        ),
    ),
}

# Each a change to the triggering case that keeps it almost identical but removes the risk.
NO_RISK: dict[str, list[Change]] = {
    "accountability/empowered-actor-renders-account": [_add_accountability("residents", "municipality", "vertical")],
    "accountability/horizontal-forum-exists": [_add_accountability("municipality", "residents", "horizontal")],
    "accountability/only-advises": [_set("participations[0].decision", "advises")],
    "accountability/professional-not-civic": [_set("actors[0].kind", "public-professional")],
    "compensation/time-credits": [_set("compensation", ["time-credits"])],
    "compensation/recognition": [_set("compensation", ["recognition"])],
    "compensation/labour-is-not-time-or-knowledge": [_set("participations[0].contributes", ["labour"])],
    "compensation/third-sector-is-not-citizens": [_set("actors[0].kind", "third-sector-organisation")],
    "inequality/representative": [_set("representativeness", "representative")],
    "inequality/unknown": [_set("representativeness", "unknown")],
    "conflict-between-citizens/not-directed": [_set("directed_at_citizens", False)],
}

# Near-identical changes that keep the risk (what the shapes read through the ontology).
STILL_RISK: dict[str, tuple[list[Change], str]] = {
    "accountability/decides": (
        [_set("participations[0].decision", "decides")],
        ACCOUNTABILITY.replace("co-decides", "decides"),
    ),
    "accountability/third-sector-is-civic": (
        [_set("actors[0].kind", "third-sector-organisation")],
        ACCOUNTABILITY,
    ),
    "accountability/vertical-forum-is-not-enough": (
        [_add_accountability("municipality", "residents", "vertical")],
        ACCOUNTABILITY,
    ),
    "compensation/narrower-knowledge": (
        [_set("participations[0].contributes", ["local-knowledge"])],
        "Residents contribute local-knowledge and no compensation is recorded (Meijer 2016, pp. 604, 606)",
    ),
    "compensation/none-is-no-compensation": (
        [_set("compensation", ["none"])],
        "Residents contribute time and no compensation is recorded (Meijer 2016, pp. 604, 606)",
    ),
}


def test_the_minimal_case_has_no_result(minimal_case: Callable[[], dict[str, Any]]) -> None:
    assert _warnings(minimal_case()) == []


@pytest.mark.parametrize("issue", sorted(RISKS))
def test_risk_warning_fires_alone(issue: str, minimal_case: Callable[[], dict[str, Any]]) -> None:
    changes, expected = RISKS[issue]
    assert _warnings(_apply(minimal_case(), changes)) == [expected]


@pytest.mark.parametrize("variant", sorted(NO_RISK))
def test_near_identical_case_without_the_risk(variant: str, minimal_case: Callable[[], dict[str, Any]]) -> None:
    issue = variant.split("/")[0]
    case = _apply(minimal_case(), RISKS[issue][0] + NO_RISK[variant])
    assert _warnings(case) == []


@pytest.mark.parametrize("variant", sorted(STILL_RISK))
def test_near_identical_case_that_keeps_the_risk(variant: str, minimal_case: Callable[[], dict[str, Any]]) -> None:
    issue = variant.split("/")[0]
    changes, message = STILL_RISK[variant]
    case = _apply(minimal_case(), RISKS[issue][0] + changes)
    assert [w[:2] for w in _warnings(case)] == [(message, RISKS[issue][1][1])]


def test_all_four_together(minimal_case: Callable[[], dict[str, Any]]) -> None:
    case = minimal_case()
    for changes, _ in RISKS.values():
        _apply(case, changes)
    _set("participations[0].contributes", ["time"])(case)
    assert sorted(_warnings(case)) == sorted(expected for _, expected in RISKS.values())


def test_risk_shapes_are_documented_warnings_for_the_four_issues() -> None:
    shapes = Graph().parse(shapes_dir() / "risks.ttl", format="turtle")
    ontology_issues = set(default_ontology().graph.subjects(RDF.type, CPK.InstitutionalIssue))
    assert len(ontology_issues) == 4
    addressed = {}
    for shape, issue in shapes.subject_objects(CPK.addressesIssue):
        assert (shape, RDF.type, SH.NodeShape) in shapes
        assert shapes.value(shape, SH.severity) == SH.Warning, shape
        assert shapes.value(shape, SH.name) and shapes.value(shape, SH.description), shape
        assert "Meijer 2016" in str(shapes.value(shape, DCTERMS.source)), shape
        messages = [shapes.value(c, SH.message) for c in shapes.objects(shape, SH.sparql)]
        messages += [shapes.value(c, SH.message) for c in shapes.objects(shape, SH.property)]
        assert [m for m in messages if m is not None], f"{shape} has no sh:message"
        addressed[issue] = shape
    assert set(addressed) == ontology_issues
    assert OWL.Ontology in set(shapes.objects(URIRef(CPKS + "prefixes"), RDF.type))
