"""The classifier: levels, typology cells, roles, explanations and near misses, driven by the ontology.

The rules live in ``ontology/coprod.ttl``. These tests change a copy of the ontology and check the
classification follows, with no code change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, XSD

from coprokg.cases import case_from_dict, load_case
from coprokg.classify import Classifier, default_classifier
from coprokg.errors import OntologyError
from coprokg.namespaces import CPK
from coprokg.ontology import Ontology
from coprokg.paths import ontology_path
from coprokg.validate import validate_case

BUURT = Path("tests/fixtures/buurt.json")


def case(participations: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "test-case",
        "title": "A test case",
        "description": "A made-up case for a test.",
        "domain": "community-development",
        "actors": [
            {"id": "residents", "kind": "citizen-collective", "label": "Residents"},
            {"id": "parents", "kind": "individual-citizen", "label": "Parents"},
            {"id": "ngo", "kind": "third-sector-organisation", "label": "Foundation"},
            {"id": "city", "kind": "public-agency", "label": "City"},
        ],
        "participations": participations,
        "sources": [{"cite": "test"}],
    }
    body.update(extra)
    return body


def classify(body: dict[str, Any], classifier: Classifier | None = None) -> Any:
    return (classifier or default_classifier()).classify(case_from_dict(body), risks=False)


def test_buurt_bestuurt_is_co_governance_with_its_reasons() -> None:
    result = default_classifier().classify(load_case(BUURT), risks=True)
    assert result.power_transfer == "co-governance"
    explanation = result.power_transfer_explanation
    assert explanation is not None
    assert explanation.axiom.startswith("co-governance ≡ ")
    assert "power-conferring decision right" in explanation.axiom
    assert any("commissioning" in fact for fact in explanation.facts)
    assert any("citizen collective" in fact for fact in explanation.facts)
    assert explanation.source and any("Meijer 2016" in s for s in explanation.source)
    assert {m.label for m in result.levels} == {"co-governance"}
    assert "collective co-commissioning" in result.typologies["Nabatchi, Sancino & Sicilia 2017"]
    assert {m.label for m in result.roles if m.node == "actors[0]"} >= {"co-commissioner", "coproducer"}
    assert [m.label for m in result.paradigms] == ["case carrying the NPG contract"]
    # the residents contribute time and knowledge without compensation: Meijer's compensation issue
    assert {r.issue for r in result.risks} == {str(CPK["issue-compensation"])}


@pytest.mark.parametrize(
    ("participations", "level"),
    [
        # residents only consulted on design, the city delivers: no transfer of power
        ([{"actor": "residents", "stage": "design", "decision": "consulted"}], "none"),
        # parents write a postal code on an envelope: they produce, with no say
        ([{"actor": "parents", "stage": "delivery", "decision": "none", "task": "complementary"}], "co-production"),
        # a foundation co-decides how the service is run
        ([{"actor": "ngo", "stage": "delivery", "decision": "co-decides"}], "co-management"),
        # a foundation contracted to deliver, with no say: not co-management in Meijer's reading
        ([{"actor": "ngo", "stage": "delivery", "decision": "none", "task": "core"}], "none"),
        # residents decide on priorities and also deliver: the highest level wins
        (
            [
                {"actor": "residents", "stage": "commissioning", "decision": "decides"},
                {"actor": "residents", "stage": "delivery", "decision": "informed"},
            ],
            "co-governance",
        ),
    ],
)
def test_power_transfer_level(participations: list[dict[str, Any]], level: str) -> None:
    assert classify(case(participations)).power_transfer == level


def test_every_conclusion_has_an_explanation_and_unreached_levels_have_near_misses() -> None:
    result = classify(case([{"actor": "residents", "stage": "design", "decision": "advises"}]))
    assert result.power_transfer == "none"
    for membership in result.classes + result.roles:
        assert membership.explanation.axiom.startswith(membership.label + " ≡ ")
    missed = {m.label: m for m in result.near_misses}
    assert {"co-production", "co-management", "co-governance"} <= set(missed)
    governance = missed["co-governance"]
    assert governance.cost == 1
    assert "co-decides or decides" in governance.text
    assert "instead of advises" in governance.text
    assert missed["co-production"].text.startswith("would be co-production if")


def test_missing_task_is_neither_complementary_nor_core() -> None:
    """Closed-world reading: a participation that states no task has none."""
    result = classify(case([{"actor": "parents", "stage": "delivery", "decision": "none"}]))
    labels = {m.label for m in result.classes}
    assert "complementary coproduction" not in labels
    assert "non-complementary coproduction" not in labels
    assert "involvement in implementation only" in labels


def _copy_ontology(tmp_path: Path, edit: Any) -> Classifier:
    graph = Graph()
    graph.parse(ontology_path(), format="turtle")
    edit(graph)
    path = tmp_path / "coprod.ttl"
    graph.serialize(path, format="turtle")
    return Classifier(Ontology.load(path))


def _widen_power(graph: Graph) -> None:
    """Advising counts as a power-conferring decision right too."""
    expr = graph.value(CPK.PowerConferringDecisionRight, OWL.equivalentClass)
    graph.remove((expr, OWL.oneOf, graph.value(expr, OWL.oneOf)))
    head = BNode()
    Collection(graph, head, [CPK["decision-advises"], CPK["decision-co-decides"], CPK["decision-decides"]])
    graph.add((expr, OWL.oneOf, head))


def test_changing_an_axiom_changes_the_classification(tmp_path: Path) -> None:
    """Let advising count as power: edit the value set in a copy of the ontology, no code change."""
    body = case([{"actor": "residents", "stage": "design", "decision": "advises"}])
    assert classify(body).power_transfer == "none"
    edited = _copy_ontology(tmp_path, _widen_power)
    assert classify(body, edited).power_transfer == "co-governance"


def test_one_loaded_case_analysed_under_two_ontologies_gets_the_risks_of_each(tmp_path: Path) -> None:
    """What validation keeps with a loaded case (its index, the risk queries' answers) is per ontology."""
    edited = _copy_ontology(tmp_path, _widen_power)
    data = json.loads(BUURT.read_text(encoding="utf-8"))
    data["participations"][0]["decision"] = "advises"
    data["accountability"] = []
    shared = case_from_dict(data)
    validate_case(shared)  # under the project's ontology, advising confers no power ...
    validate_case(shared, ontology=edited.ontology)  # ... under the edited one it does
    fresh = [r.message for r in edited.classify(case_from_dict(data)).risks]
    assert any("advises in commissioning but is the accountor of no" in m for m in fresh)
    assert [r.message for r in edited.classify(shared).risks] == fresh


def test_the_highest_level_is_read_from_the_rank_annotation(tmp_path: Path) -> None:
    body = case(
        [
            {"actor": "residents", "stage": "commissioning", "decision": "co-decides"},
            {"actor": "parents", "stage": "delivery", "decision": "none"},
        ]
    )
    assert classify(body).power_transfer == "co-governance"

    def invert_ranks(graph: Graph) -> None:
        for cls, rank in ((CPK.CoProductionCase, 3), (CPK.CoGovernanceCase, 1)):
            graph.set((cls, CPK.powerRank, Literal(rank, datatype=XSD.integer)))

    assert classify(body, _copy_ontology(tmp_path, invert_ranks)).power_transfer == "co-production"


def test_a_new_defined_class_in_the_ontology_is_classified(tmp_path: Path) -> None:
    """A Protégé user adds a class; the classifier picks it up with its label and explanation."""
    new = URIRef(str(CPK) + "AssessmentByCitizensCase")

    def add_class(graph: Graph) -> None:
        restriction, inner, parts = BNode(), BNode(), BNode()
        graph.add((new, RDF.type, OWL.Class))
        graph.add((new, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("citizen assessment", lang="en")))
        typology = URIRef(str(CPK) + "typology-test")
        graph.add((typology, RDF.type, CPK.Typology))
        graph.add((typology, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("test typology", lang="en")))
        graph.add((new, CPK.inTypology, typology))
        graph.add((restriction, RDF.type, OWL.Restriction))
        graph.add((restriction, OWL.onProperty, CPK.hasParticipation))
        graph.add((restriction, OWL.someValuesFrom, inner))
        graph.add((inner, RDF.type, OWL.Class))
        Collection(graph, parts, [CPK.CitizenParticipation, _has_value(graph, CPK.atStage, CPK["stage-assessment"])])
        graph.add((inner, OWL.intersectionOf, parts))
        both = BNode()
        graph.add((both, RDF.type, OWL.Class))
        Collection(graph, head := BNode(), [CPK.Case, restriction])
        graph.add((both, OWL.intersectionOf, head))
        graph.add((new, OWL.equivalentClass, both))

    edited = _copy_ontology(tmp_path, add_class)
    result = classify(case([{"actor": "residents", "stage": "assessment", "decision": "advises"}]), edited)
    assert "citizen assessment" in result.typologies["test typology"]


def _has_value(graph: Graph, prop: URIRef, value: URIRef) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, OWL.Restriction))
    graph.add((node, OWL.onProperty, prop))
    graph.add((node, OWL.hasValue, value))
    return node


def test_an_axiom_the_classifier_cannot_evaluate_fails_loudly(tmp_path: Path) -> None:
    def add_cardinality(graph: Graph) -> None:
        restriction = BNode()
        graph.add((restriction, RDF.type, OWL.Restriction))
        graph.add((restriction, OWL.onProperty, CPK.hasParticipation))
        graph.add((restriction, OWL.minCardinality, Literal(2, datatype=XSD.nonNegativeInteger)))
        graph.add((CPK.BusyCase, RDF.type, OWL.Class))
        graph.add((CPK.BusyCase, OWL.equivalentClass, restriction))

    with pytest.raises(OntologyError, match=r"BusyCase.*min cardinality"):
        _copy_ontology(tmp_path, add_cardinality)


def test_classification_is_json_serialisable() -> None:
    result = default_classifier().classify(load_case(BUURT))
    data = json.loads(result.model_dump_json())
    assert data["power_transfer"] == "co-governance"
    assert data["near_misses"] and all(m["changes"] for m in data["near_misses"])
