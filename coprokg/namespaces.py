"""IRIs coprokg mints and the namespaces it uses.

The IRIs of a case (case, actors, participations, relations, sources, warnings, its graphs) are
minted and parsed in ``coprokg.iris`` and re-exported here.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

from coprokg.iris import (
    CASE_BASE,
    CASE_GRAPH_PREFIX,
    GRAPH_BASE,
    CaseNode,
    NodeKind,
    accountability_iri,
    actor_iri,
    case_graph,
    case_iri,
    classification_graph,
    local_id,
    mint,
    parse_case_node,
    participation_iri,
    source_classification_iri,
    source_iri,
    warning_iri,
)

CPK = Namespace("https://w3id.org/coprokg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/coprokg/ontology")
ONTOLOGY_GRAPH = URIRef(GRAPH_BASE + "ontology")
SHAPES_GRAPH = URIRef(GRAPH_BASE + "shapes")
META_GRAPH = URIRef(GRAPH_BASE + "meta")
PROV = Namespace("http://www.w3.org/ns/prov#")
CV = Namespace("http://data.europa.eu/m8g/")
ORG = Namespace("http://www.w3.org/ns/org#")
VANN = Namespace("http://purl.org/vocab/vann/")

__all__ = [
    "CASE_BASE",
    "CASE_GRAPH_PREFIX",
    "CPK",
    "CV",
    "GRAPH_BASE",
    "META_GRAPH",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "ORG",
    "PROV",
    "SHAPES_GRAPH",
    "VANN",
    "CaseNode",
    "NodeKind",
    "accountability_iri",
    "actor_iri",
    "case_graph",
    "case_iri",
    "classification_graph",
    "local_id",
    "mint",
    "parse_case_node",
    "participation_iri",
    "source_classification_iri",
    "source_iri",
    "warning_iri",
]
