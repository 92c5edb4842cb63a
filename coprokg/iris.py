"""Every IRI of a case, minted and parsed back in one place.

A case ``buurt`` lives under ``https://w3id.org/coprokg/case/buurt``::

    case/buurt                              the case
    case/buurt/actor/residents              an actor, by its id
    case/buurt/participation/1              a participation, numbered from 1 in file order
    case/buurt/accountability/1             an accountability relation, numbered from 1
    case/buurt/source/1                     a source reference, numbered from 1
    case/buurt/source-classification        what a source says about the case
    case/buurt/warning/1                    a stored validation warning, numbered from 1
    graph/case/buurt                        the named graph of the case as described
    graph/case/buurt/classification         the named graph of what coprokg derived from it

``parse_case_node`` is the inverse of the minting functions: no other module takes these IRIs
apart. Case and actor ids are slugs (``[a-z0-9][a-z0-9-]*``), so a segment never holds a ``/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rdflib import URIRef

CASE_BASE = "https://w3id.org/coprokg/case/"
GRAPH_BASE = "https://w3id.org/coprokg/graph/"
CASE_GRAPH_PREFIX = f"{GRAPH_BASE}case/"
"""Every case's named graphs (described and derived) start with this."""

_CLASSIFICATION = "classification"
_SEGMENT = re.compile(r"[^/#?\s]+")


class NodeKind(StrEnum):
    """What a case IRI names; the value is the IRI's path segment where it has one."""

    CASE = "case"
    ACTOR = "actor"
    PARTICIPATION = "participation"
    ACCOUNTABILITY = "accountability"
    SOURCE = "source"
    SOURCE_CLASSIFICATION = "source-classification"
    WARNING = "warning"
    CASE_GRAPH = "case-graph"
    CLASSIFICATION_GRAPH = "classification-graph"


# the kinds whose nodes are numbered from 1 in the order of the case file (or of the report)
NUMBERED = frozenset({NodeKind.PARTICIPATION, NodeKind.ACCOUNTABILITY, NodeKind.SOURCE, NodeKind.WARNING})


@dataclass(frozen=True)
class CaseNode:
    """A parsed case IRI: the case, what kind of node, and its key within the case.

    ``key`` is the actor id for an actor, the position (from 1) for a participation, relation,
    source or warning, and None for the case, its source classification and its graphs.
    """

    case_id: str
    kind: NodeKind
    key: str | int | None = None

    @property
    def iri(self) -> URIRef:
        """The IRI this node was parsed from (``mint`` of its parts).

        >>> parse_case_node(participation_iri("buurt", 2)).iri == participation_iri("buurt", 2)
        True
        """
        return mint(self.case_id, self.kind, self.key)

    @property
    def position(self) -> int:
        """The position (from 1) of a numbered node; ``ValueError`` for any other kind."""
        if not isinstance(self.key, int):
            raise ValueError(f"a {self.kind} node has no position")
        return self.key


def mint(case_id: str, kind: NodeKind, key: str | int | None = None) -> URIRef:
    """The IRI of a node of a case.

    >>> str(mint("buurt", NodeKind.ACTOR, "residents"))
    'https://w3id.org/coprokg/case/buurt/actor/residents'
    """
    if kind is NodeKind.CASE:
        return URIRef(CASE_BASE + case_id)
    if kind is NodeKind.SOURCE_CLASSIFICATION:
        return URIRef(f"{CASE_BASE}{case_id}/{kind.value}")
    if kind is NodeKind.CASE_GRAPH:
        return URIRef(CASE_GRAPH_PREFIX + case_id)
    if kind is NodeKind.CLASSIFICATION_GRAPH:
        return URIRef(f"{CASE_GRAPH_PREFIX}{case_id}/{_CLASSIFICATION}")
    if key is None or (kind in NUMBERED) != isinstance(key, int):
        raise ValueError(f"a {kind} node needs {'a position' if kind in NUMBERED else 'an id'}, got {key!r}")
    return URIRef(f"{CASE_BASE}{case_id}/{kind.value}/{key}")


def case_iri(case_id: str) -> URIRef:
    """The IRI of a case.

    >>> str(case_iri("buurt-bestuurt-rotterdam"))
    'https://w3id.org/coprokg/case/buurt-bestuurt-rotterdam'
    """
    return mint(case_id, NodeKind.CASE)


def actor_iri(case_id: str, actor_id: str) -> URIRef:
    return mint(case_id, NodeKind.ACTOR, actor_id)


def participation_iri(case_id: str, index: int) -> URIRef:
    """Participations are numbered from 1 in the order of the case file."""
    return mint(case_id, NodeKind.PARTICIPATION, index)


def accountability_iri(case_id: str, index: int) -> URIRef:
    return mint(case_id, NodeKind.ACCOUNTABILITY, index)


def source_iri(case_id: str, index: int) -> URIRef:
    return mint(case_id, NodeKind.SOURCE, index)


def source_classification_iri(case_id: str) -> URIRef:
    return mint(case_id, NodeKind.SOURCE_CLASSIFICATION)


def warning_iri(case_id: str, index: int) -> URIRef:
    """A validation warning stored with a case, numbered from 1 in the order of the report."""
    return mint(case_id, NodeKind.WARNING, index)


def case_graph(case_id: str) -> URIRef:
    """The named graph that holds one case as described."""
    return mint(case_id, NodeKind.CASE_GRAPH)


def classification_graph(case_id: str) -> URIRef:
    """The named graph holding what was derived from one case."""
    return mint(case_id, NodeKind.CLASSIFICATION_GRAPH)


def parse_case_node(iri: str) -> CaseNode | None:
    """The case node an IRI names, or None if coprokg did not mint it (the inverse of ``mint``).

    >>> parse_case_node("https://w3id.org/coprokg/case/buurt/actor/residents")
    CaseNode(case_id='buurt', kind=<NodeKind.ACTOR: 'actor'>, key='residents')
    >>> parse_case_node("https://w3id.org/coprokg/case/buurt/participation/2").key
    2
    >>> parse_case_node("https://w3id.org/coprokg/graph/case/buurt/classification").kind
    <NodeKind.CLASSIFICATION_GRAPH: 'classification-graph'>
    >>> parse_case_node("https://w3id.org/coprokg/case/buurt/mayor") is None
    True
    """
    return _parse_case_node(str(iri))


@lru_cache(maxsize=1 << 15)
def _parse_case_node(text: str) -> CaseNode | None:
    # the same few dozen IRIs are parsed many times while a case is classified and explained
    if text.startswith(CASE_GRAPH_PREFIX):
        parts = text[len(CASE_GRAPH_PREFIX) :].split("/")
        if not all(_SEGMENT.fullmatch(p) for p in parts):
            return None
        if len(parts) == 1:
            return CaseNode(parts[0], NodeKind.CASE_GRAPH)
        if len(parts) == 2 and parts[1] == _CLASSIFICATION:
            return CaseNode(parts[0], NodeKind.CLASSIFICATION_GRAPH)
        return None
    if not text.startswith(CASE_BASE):
        return None
    parts = text[len(CASE_BASE) :].split("/")
    if not all(_SEGMENT.fullmatch(p) for p in parts):
        return None
    case_id = parts[0]
    if len(parts) == 1:
        return CaseNode(case_id, NodeKind.CASE)
    if len(parts) == 2 and parts[1] == NodeKind.SOURCE_CLASSIFICATION.value:
        return CaseNode(case_id, NodeKind.SOURCE_CLASSIFICATION)
    if len(parts) != 3:
        return None
    try:
        kind = NodeKind(parts[1])
    except ValueError:
        return None
    if kind in NUMBERED:
        if not parts[2].isdigit() or parts[2].startswith("0"):
            return None
        return CaseNode(case_id, kind, int(parts[2]))
    if kind is NodeKind.ACTOR:
        return CaseNode(case_id, kind, parts[2])
    return None


def local_id(iri: str) -> str:
    """The id a node of a case is known by when no ``dcterms:identifier`` states it.

    An actor IRI coprokg minted gives its actor id; any other IRI its last path segment or
    fragment, as in ``https://example.org/case/buurt#residents``.

    >>> local_id("https://w3id.org/coprokg/case/buurt/actor/residents")
    'residents'
    >>> local_id("https://example.org/case/buurt#residents")
    'residents'
    """
    node = parse_case_node(iri)
    if node is not None and node.kind is NodeKind.ACTOR:
        return str(node.key)
    return re.split(r"[/#]", str(iri))[-1]
