"""Terms between rdflib and pyoxigraph: the library uses both (rdflib for SHACL and OWL tooling,
Oxigraph for storage, parsing with positions and fast queries)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@lru_cache(maxsize=1 << 16)
def _named_node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def to_ox_term(term: Any) -> Any:
    """An rdflib term as a pyoxigraph term (IRIs are remembered: most repeat from case to case).

    >>> to_ox_term(Literal("x", lang="en"))
    <Literal value=x language=en>
    """
    if isinstance(term, URIRef):
        return _named_node(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")


def to_rdflib_term(term: Any) -> Any:
    """A pyoxigraph term as an rdflib term (xsd:string literals become plain literals).

    >>> to_rdflib_term(ox.Literal("x")) == Literal("x")
    True
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported RDF term {term!r}")
