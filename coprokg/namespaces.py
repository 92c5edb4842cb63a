"""IRIs coprokg mints and the namespaces it uses."""

from __future__ import annotations

from rdflib import Namespace, URIRef

__all__ = [
    "CASE_BASE",
    "CPK",
    "CV",
    "GRAPH_BASE",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "ORG",
    "PROV",
    "SHAPES_GRAPH",
    "VANN",
    "accountability_iri",
    "actor_iri",
    "case_graph",
    "case_iri",
    "participation_iri",
    "source_iri",
]

CPK = Namespace("https://w3id.org/coprokg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/coprokg/ontology")
CASE_BASE = "https://w3id.org/coprokg/case/"
GRAPH_BASE = "https://w3id.org/coprokg/graph/"
ONTOLOGY_GRAPH = URIRef(GRAPH_BASE + "ontology")
SHAPES_GRAPH = URIRef(GRAPH_BASE + "shapes")
PROV = Namespace("http://www.w3.org/ns/prov#")
CV = Namespace("http://data.europa.eu/m8g/")
ORG = Namespace("http://www.w3.org/ns/org#")
VANN = Namespace("http://purl.org/vocab/vann/")


def case_iri(case_id: str) -> URIRef:
    """The IRI of a case.

    >>> str(case_iri("buurt-bestuurt-rotterdam"))
    'https://w3id.org/coprokg/case/buurt-bestuurt-rotterdam'
    """
    return URIRef(CASE_BASE + case_id)


def case_graph(case_id: str) -> URIRef:
    """The named graph that holds one case."""
    return URIRef(GRAPH_BASE + "case/" + case_id)


def actor_iri(case_id: str, actor_id: str) -> URIRef:
    return URIRef(f"{CASE_BASE}{case_id}/actor/{actor_id}")


def participation_iri(case_id: str, index: int) -> URIRef:
    """Participations are numbered from 1 in the order of the case file."""
    return URIRef(f"{CASE_BASE}{case_id}/participation/{index}")


def accountability_iri(case_id: str, index: int) -> URIRef:
    return URIRef(f"{CASE_BASE}{case_id}/accountability/{index}")


def source_iri(case_id: str, index: int) -> URIRef:
    return URIRef(f"{CASE_BASE}{case_id}/source/{index}")
