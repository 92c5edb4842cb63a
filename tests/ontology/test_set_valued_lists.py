"""Collections that OWL reads as sets are written in one order; ordered collections keep theirs.

The OWL API (and so Protégé) keeps the operands of owl:oneOf, owl:intersectionOf, owl:AllDifferent
and the like in sets and writes them back in an order of its own, so the normaliser sorts them.
owl:propertyChainAxiom, and any list that is an annotation's value, mean something in their order
and must come back as they were.
"""

from __future__ import annotations

import itertools

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from coprokg.turtle import SET_VALUED_LIST_PREDICATES, canonical_turtle

PREFIXES = """\
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
RESTRICTIONS = [
    "[ a owl:Restriction ; owl:onProperty ex:p ; owl:hasValue ex:v2 ]",
    "[ a owl:Restriction ; owl:onProperty ex:p ; owl:hasValue ex:v1 ]",
    "[ a owl:Restriction ; owl:onProperty ex:q ; owl:someValuesFrom ex:C ]",
]
MEMBERS = ["ex:c", "ex:a", "ex:b"]


def parse(text: str) -> Graph:
    graph = Graph(bind_namespaces="none")
    graph.parse(data=text, format="turtle")
    return graph


def normalised(body: str) -> str:
    return canonical_turtle(parse(PREFIXES + body))


def list_members(graph: Graph, predicate: URIRef) -> list[list[str]]:
    return [[str(m) for m in Collection(graph, head)] for head in graph.objects(None, predicate)]


MEMBER = URIRef("urn:x-test:member")


def with_sets(graph: Graph) -> Graph:
    """``graph`` with each set-valued list replaced by a blank node linked to its members."""
    in_sets = set()
    for predicate in SET_VALUED_LIST_PREDICATES:
        for head in graph.objects(None, URIRef(predicate)):
            node = head
            while node != RDF.nil:
                in_sets.add(node)
                node = graph.value(node, RDF.rest)
    out = Graph()
    for s, p, o in graph:
        if s in in_sets:
            continue
        if o in in_sets:
            bag = BNode()
            out.add((s, p, bag))
            for member in Collection(graph, o):
                out.add((bag, MEMBER, member))
        else:
            out.add((s, p, o))
    return out


@pytest.mark.parametrize("predicate", ["owl:oneOf", "owl:unionOf", "owl:disjointUnionOf", "owl:hasKey"])
def test_named_members_of_a_set_valued_list_are_sorted(predicate: str) -> None:
    outputs = {normalised(f"ex:X {predicate} ( {' '.join(order)} ) .") for order in itertools.permutations(MEMBERS)}
    assert len(outputs) == 1
    assert f"{predicate} ( ex:a ex:b ex:c )" in outputs.pop()


def test_all_different_and_all_disjoint_members_are_sorted() -> None:
    body = "[] a owl:AllDifferent ; owl:distinctMembers ( ex:c ex:a ex:b ) .\n"
    body += "[] a owl:AllDisjointClasses ; owl:members ( ex:Z ex:X ex:Y ) .\n"
    text = normalised(body)
    assert "owl:distinctMembers ( ex:a ex:b ex:c )" in text
    assert "owl:members ( ex:X ex:Y ex:Z )" in text


def test_nested_class_expressions_are_sorted_by_their_canonical_text() -> None:
    outputs = set()
    for order in itertools.permutations([*RESTRICTIONS, "ex:Named"]):
        outputs.add(
            normalised(f"ex:X owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( {' '.join(order)} ) ] .")
        )
    assert len(outputs) == 1
    text = outputs.pop()
    graph = parse(text)
    (members,) = list_members(graph, URIRef("http://www.w3.org/2002/07/owl#intersectionOf"))
    assert members[-1] == "http://example.org/Named"  # "ex:Named" sorts after "[", the blank nodes' opening
    values = [str(graph.value(BNode(m), URIRef("http://www.w3.org/2002/07/owl#hasValue")) or "") for m in members[:2]]
    assert values == ["http://example.org/v1", "http://example.org/v2"]
    assert canonical_turtle(graph) == text  # idempotent


def test_ordered_lists_keep_their_order() -> None:
    body = (
        "ex:p owl:propertyChainAxiom ( ex:r ex:q ) .\n"
        "ex:note ex:steps ( ex:c ex:a ex:b ) .\n"
        "ex:q a owl:ObjectProperty . ex:r a owl:ObjectProperty .\n"
    )
    text = normalised(body)
    assert "owl:propertyChainAxiom ( ex:r ex:q )" in text
    assert "ex:steps ( ex:c ex:a ex:b )" in text


def test_a_list_that_is_both_nested_in_a_set_and_ordered_keeps_its_own_order() -> None:
    # The members of a union are sorted; the property chain inside one of them is not.
    text = normalised(
        "ex:X owl:unionOf ( ex:B [ owl:propertyChainAxiom ( ex:s ex:r ) ] ex:A ) .\n"
        "ex:r a owl:ObjectProperty . ex:s a owl:ObjectProperty .\n"
    )
    assert "owl:propertyChainAxiom ( ex:s ex:r )" in text
    assert "owl:unionOf ( [" in text  # "[" sorts before "ex:"
    assert text.index("] ex:A ex:B )") > text.index("ex:s ex:r")


def test_duplicate_members_are_kept() -> None:
    # Sorting must not drop list cells: that would change the graph, not just its order.
    graph = parse(normalised("ex:X owl:oneOf ( ex:b ex:a ex:b ) ."))
    assert list_members(graph, URIRef("http://www.w3.org/2002/07/owl#oneOf")) == [
        ["http://example.org/a", "http://example.org/b", "http://example.org/b"]
    ]


def test_sorting_changes_only_the_order_inside_set_valued_lists() -> None:
    body = (
        f"ex:X owl:equivalentClass [ owl:intersectionOf ( ex:C {RESTRICTIONS[0]} ex:A {RESTRICTIONS[2]} ) ] .\n"
        "ex:Y owl:oneOf ( ex:z ex:y ) .\n"
        "ex:p owl:propertyChainAxiom ( ex:r ex:q ) .\n"
    )
    before = parse(PREFIXES + body)
    after = parse(canonical_turtle(before))
    assert len(after) == len(before)
    assert not isomorphic(after, before)  # the lists' rdf:first triples did move
    assert isomorphic(with_sets(after), with_sets(before))
