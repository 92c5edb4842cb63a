"""OWL class expressions read from the ontology graph, and their Manchester-like rendering.

Only what the classifier can evaluate under the closed-world reading of a case is accepted:
named classes, intersection, union, complement, someValuesFrom, allValuesFrom, hasValue and
oneOf, over named object properties or their inverses. Anything else in a defined class is an
``OntologyError`` naming the class and the construct, so a Protégé edit that the classifier cannot
follow fails loudly at start-up instead of classifying wrongly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF

from coprokg.errors import OntologyError


@dataclass(frozen=True)
class Prop:
    """An object or data property, possibly inverted."""

    iri: URIRef
    inverse: bool = False


@dataclass(frozen=True)
class Named:
    iri: URIRef


@dataclass(frozen=True)
class And:
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Not:
    part: Expr


@dataclass(frozen=True)
class Some:
    prop: Prop
    filler: Expr


@dataclass(frozen=True)
class Only:
    prop: Prop
    filler: Expr


@dataclass(frozen=True)
class HasValue:
    prop: Prop
    value: URIRef | Literal


@dataclass(frozen=True)
class OneOf:
    members: frozenset[URIRef]
    order: tuple[URIRef, ...]


Expr = Named | And | Or | Not | Some | Only | HasValue | OneOf

_UNSUPPORTED = {
    OWL.minCardinality: "min cardinality",
    OWL.maxCardinality: "max cardinality",
    OWL.cardinality: "exact cardinality",
    OWL.minQualifiedCardinality: "min qualified cardinality",
    OWL.maxQualifiedCardinality: "max qualified cardinality",
    OWL.qualifiedCardinality: "qualified cardinality",
    OWL.hasSelf: "hasSelf",
    OWL.onDataRange: "data range",
}


def _list(graph: Graph, head: object) -> list[object]:
    return list(Collection(graph, head))  # type: ignore[arg-type]


def parse_property(graph: Graph, node: object, where: str) -> Prop:
    if isinstance(node, URIRef):
        return Prop(node)
    if isinstance(node, BNode):
        inner = graph.value(node, OWL.inverseOf)
        if isinstance(inner, URIRef):
            return Prop(inner, inverse=True)
    raise OntologyError(f"{where}: unsupported property expression {node!r}")


def parse_expression(graph: Graph, node: object, where: str) -> Expr:
    """Turn the RDF of a class expression into an ``Expr``; ``where`` names the class for errors."""
    if isinstance(node, URIRef):
        return Named(node)
    if not isinstance(node, BNode):
        raise OntologyError(f"{where}: a class expression cannot be the literal {node!r}")
    for key, name in _UNSUPPORTED.items():
        if graph.value(node, key) is not None:
            raise OntologyError(
                f"{where}: the classifier cannot evaluate {name} restrictions; use some/only/value/oneOf, "
                "and/or/not, or state the axiom as a subclass axiom instead"
            )
    head = graph.value(node, OWL.intersectionOf)
    if head is not None:
        return And(tuple(parse_expression(graph, x, where) for x in _list(graph, head)))
    head = graph.value(node, OWL.unionOf)
    if head is not None:
        return Or(tuple(parse_expression(graph, x, where) for x in _list(graph, head)))
    inner = graph.value(node, OWL.complementOf)
    if inner is not None:
        return Not(parse_expression(graph, inner, where))
    head = graph.value(node, OWL.oneOf)
    if head is not None:
        members = [m for m in _list(graph, head) if isinstance(m, URIRef)]
        return OneOf(frozenset(members), tuple(members))
    on_property = graph.value(node, OWL.onProperty)
    if on_property is not None:
        prop = parse_property(graph, on_property, where)
        filler = graph.value(node, OWL.someValuesFrom)
        if filler is not None:
            return Some(prop, parse_expression(graph, filler, where))
        filler = graph.value(node, OWL.allValuesFrom)
        if filler is not None:
            return Only(prop, parse_expression(graph, filler, where))
        value = graph.value(node, OWL.hasValue)
        if isinstance(value, URIRef | Literal):
            return HasValue(prop, value)
    kinds = sorted(str(p) for p in graph.predicates(node, None) if p != RDF.type)
    raise OntologyError(f"{where}: unsupported class expression with {', '.join(kinds) or 'no content'}")


def render(expr: Expr, label: Callable[[URIRef], str], top: bool = True) -> str:
    """A Manchester-syntax-like rendering with labels.

    >>> lab = lambda iri: str(iri).rsplit("#", 1)[-1]
    >>> ex = "http://example.org/#"
    >>> e = And((Named(URIRef(ex + "Case")), Some(Prop(URIRef(ex + "p")), OneOf(frozenset(), (URIRef(ex + "a"),)))))
    >>> render(e, lab)
    'Case and (p some {a})'
    """

    def sub(e: Expr) -> str:
        text = render(e, label, top=False)
        return text if isinstance(e, Named | OneOf) else f"({text})"

    if isinstance(expr, Named):
        return f"'{label(expr.iri)}'" if " " in label(expr.iri) else label(expr.iri)
    if isinstance(expr, And):
        return " and ".join(sub(p) for p in expr.parts)
    if isinstance(expr, Or):
        return " or ".join(sub(p) for p in expr.parts)
    if isinstance(expr, Not):
        return f"not {sub(expr.part)}"
    if isinstance(expr, OneOf):
        return "{" + ", ".join(label(m) for m in expr.order) + "}"
    prop = label(expr.prop.iri)
    prop = f"'{prop}'" if " " in prop else prop
    if expr.prop.inverse:
        prop = f"inverse {prop}"
    if isinstance(expr, Some):
        return f"{prop} some {sub(expr.filler)}"
    if isinstance(expr, Only):
        return f"{prop} only {sub(expr.filler)}"
    value = label(expr.value) if isinstance(expr.value, URIRef) else repr(str(expr.value))
    return f"{prop} value {value}"
