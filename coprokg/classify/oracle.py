"""HermiT as the oracle of the classifier: same ontology, same cases, full OWL reasoning.

**The assumption that makes closed-world case descriptions and open-world OWL agree.** A case
description is complete: the actors, participations, accountability relations and sources it lists
are all there are, every node of the case has exactly the relations the description states, and
two nodes of a case are different things. A participation that states no task therefore has no
task (it is neither complementary nor core), and a case with no civic participation in delivery
has professional delivery.

OWL does not assume this (open world, no unique names), so the oracle writes it down: for every
individual of a case and every object property of the ontology, a closure axiom
``P only {the stated values}`` (``P only owl:Nothing`` when none is stated), and an
``owl:AllDifferent`` over the case's individuals (the vocabulary values already have theirs in the
ontology). With these axioms HermiT's inferences and the compiled matcher must coincide; the tests
check they do on every curated case and on generated ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from coprokg.cases.load import LoadedCase
from coprokg.classify.compiler import CompiledOntology
from coprokg.namespaces import parse_case_node
from coprokg.reasoner import graph_to_ntriples, run_hermit

# HermiT's time grows faster than the batch: on this ontology (nominals in its value sets) one
# case took ~4-6 s, batches of 4-6 cases 5-8 s, a batch of 10 cases 150 s. Batches of 5 it is.
DEFAULT_BATCH = 5


@dataclass(frozen=True)
class Disagreement:
    node: str
    only_classifier: frozenset[str]
    only_hermit: frozenset[str]


def case_nodes(loaded: LoadedCase) -> list[URIRef]:
    """The individuals of one case (case, actors, participations, relations, sources)."""
    nodes: set[URIRef] = set()
    for s, _, o in loaded.graph:
        for term in (s, o):
            if not isinstance(term, URIRef):
                continue
            node = parse_case_node(term)
            if node is not None and node.case_id == loaded.case.id:
                nodes.add(term)
    return sorted(nodes, key=str)


def closure_axioms(compiled: CompiledOntology, loaded: LoadedCase) -> Graph:
    """The closed-world assumption of one case, as OWL axioms (see the module docstring)."""
    graph = Graph()
    facts = compiled.facts_of(loaded.graph)
    closed = compiled.closed_properties()
    graph_ = compiled.ontology.graph
    domains = {p: graph_.value(p, RDFS.domain) for p in closed}
    functional = {p for p in closed if (p, RDF.type, OWL.FunctionalProperty) in graph_}
    nodes = case_nodes(loaded)
    for node in nodes:
        graph.add((node, RDF.type, OWL.NamedIndividual))
        for prop in sorted(closed, key=str):
            domain = domains[prop]
            # A property outside the node's kind (a case has no stage) needs no closure: the
            # domain axiom already makes such a value impossible for this node.
            if isinstance(domain, URIRef) and not compiled.asserted(facts, node, domain):
                continue
            values = sorted((v for v in facts.edges.get((node, prop), set()) if isinstance(v, URIRef)), key=str)
            if values and prop in functional:
                continue  # one stated value of a functional property is already all there is
            restriction = BNode()
            graph.add((node, RDF.type, restriction))
            graph.add((restriction, RDF.type, OWL.Restriction))
            graph.add((restriction, OWL.onProperty, prop))
            if values:
                filler = BNode()
                head = BNode()
                Collection(graph, head, list(values))
                graph.add((filler, RDF.type, OWL.Class))
                graph.add((filler, OWL.oneOf, head))
                graph.add((restriction, OWL.allValuesFrom, filler))
            else:
                graph.add((restriction, OWL.allValuesFrom, OWL.Nothing))
    if len(nodes) > 1:
        different = BNode()
        head = BNode()
        Collection(graph, head, list(nodes))
        graph.add((different, RDF.type, OWL.AllDifferent))
        graph.add((different, OWL.distinctMembers, head))
    return graph


def hermit_types(
    compiled: CompiledOntology, cases: Sequence[LoadedCase], *, closure: bool = True
) -> dict[str, frozenset[str]]:
    """Run HermiT once over the ontology and ``cases`` (with closure axioms unless ``closure`` is False).

    Returns, for every individual of the cases, the defined classes (value sets excluded) HermiT
    puts it in, including those it belongs to through subsumption.
    """
    data = Graph()
    for triple in compiled.ontology.graph:
        data.add(triple)
    for loaded in cases:
        for triple in loaded.graph:
            data.add(triple)
        if closure:
            for triple in closure_axioms(compiled, loaded):
                data.add(triple)
    world, _ = run_hermit(graph_to_ntriples(data))
    defined = {str(dc.iri) for dc in compiled.defined.values() if not dc.is_value_set}
    result: dict[str, frozenset[str]] = {}
    for loaded in cases:
        for node in case_nodes(loaded):
            individual = world[str(node)]
            types: set[str] = set()
            if individual is not None:
                for cls in individual.is_a:
                    if not hasattr(cls, "ancestors"):
                        continue
                    types.update(a.iri for a in cls.ancestors())
            result[str(node)] = frozenset(types & defined)
    return result


def classifier_types(compiled: CompiledOntology, loaded: LoadedCase) -> dict[str, frozenset[str]]:
    """The compiled matcher's defined classes for every individual of one case."""
    facts = compiled.facts_of(loaded.graph)
    return {str(node): frozenset(str(dc.iri) for dc in compiled.classes_of(node, facts)) for node in case_nodes(loaded)}


def compare(
    compiled: CompiledOntology, cases: Sequence[LoadedCase], *, batch: int = DEFAULT_BATCH
) -> tuple[int, list[Disagreement]]:
    """Classify ``cases`` with both and return (individuals compared, disagreements)."""
    compared = 0
    disagreements: list[Disagreement] = []
    for start in range(0, len(cases), batch):
        chunk = cases[start : start + batch]
        oracle = hermit_types(compiled, chunk)
        for loaded in chunk:
            for node, ours in classifier_types(compiled, loaded).items():
                theirs = oracle.get(node, frozenset())
                compared += 1
                if ours != theirs:
                    disagreements.append(Disagreement(node, ours - theirs, theirs - ours))
    return compared, disagreements
