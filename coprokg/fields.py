"""The case format's fields and the RDF they map to: the one table.

Each row of ``FIELDS`` says, for one field of one record of a case file (the case itself, an
actor, a participation, an accountability relation, a source, the source classification), which
RDF property states it, what kind of value it holds (a literal of a datatype, a vocabulary value
of an ontology class, an actor of the case, a nested record), and whether it is a list. From this
table and nothing else:

* ``coprokg.cases.convert`` writes a case as RDF and reads it back;
* ``coprokg.validate`` names the case field a SHACL result is about;
* ``coprokg.ontology.FIELD_VOCABULARIES`` knows which class each vocabulary field draws from;
* ``data/context.jsonld``, which makes a case file JSON-LD, is generated (``jsonld_context``;
  ``python -m coprokg.fields > data/context.jsonld``, checked by ``tests/cases/test_context.py``).

A field is named everywhere by one path notation, the one of the case file itself: names joined
by dots, list members by their index from 0 — ``participations[2].decision``, ``actors[0].kind``,
``sources[1]``; ``""`` is the case as a whole. ``node_path`` gives the path of a node of a case's
RDF (``coprokg.iris.parse_case_node``), so SHACL results, format errors, the classifier's
memberships and near misses all point at the place in the file a reader has to change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDFS, XSD

from coprokg.iris import NUMBERED, CaseNode, NodeKind
from coprokg.namespaces import CPK


class ValueKind(StrEnum):
    """What a field's value is, in JSON and in RDF."""

    IDENTIFIER = "identifier"
    """The record's id: its IRI is minted from it, and ``dcterms:identifier`` states it."""
    LITERAL = "literal"
    """A literal of ``datatype``."""
    VOCABULARY = "vocabulary"
    """A ``skos:notation`` in JSON; the individual of ``vocabulary`` with that notation in RDF."""
    ACTOR = "actor"
    """The id of an actor of the case in JSON; the actor's IRI in RDF."""
    RECORD = "record"
    """A nested record (``record``), a node of its own in RDF."""


@dataclass(frozen=True)
class CaseField:
    """One field of one record of the case format and the RDF property that states it."""

    record: NodeKind
    name: str
    prop: URIRef
    kind: ValueKind
    many: bool = False
    datatype: URIRef = XSD.string
    vocabulary: URIRef | None = None
    value_prefix: str = ""
    """The local-name prefix of the vocabulary's IRIs (``decision-``: ``cpk:decision-co-decides``)."""
    inverse: URIRef | None = None
    """A property also stated from the value back to the record (``participant`` / ``takesPartIn``)."""
    nested: NodeKind | None = None
    """The record a RECORD field holds."""


@dataclass(frozen=True)
class RecordType:
    """A record of the case format: the class of its nodes and whether they are numbered."""

    kind: NodeKind
    rdf_class: URIRef
    positioned: bool
    """Its nodes carry ``cpk:listPosition``, their place (from 1) in the list of the case file."""


LIST_POSITION = CPK.listPosition
RECORDS: dict[NodeKind, RecordType] = {
    r.kind: r
    for r in (
        RecordType(NodeKind.CASE, CPK.Case, False),
        RecordType(NodeKind.ACTOR, CPK.Actor, True),
        RecordType(NodeKind.PARTICIPATION, CPK.Participation, True),
        RecordType(NodeKind.ACCOUNTABILITY, CPK.AccountabilityRelation, True),
        RecordType(NodeKind.SOURCE, CPK.SourceReference, True),
        RecordType(NodeKind.SOURCE_CLASSIFICATION, CPK.SourceClassification, False),
    )
}

_C, _A, _P, _R = NodeKind.CASE, NodeKind.ACTOR, NodeKind.PARTICIPATION, NodeKind.ACCOUNTABILITY
_S, _SC = NodeKind.SOURCE, NodeKind.SOURCE_CLASSIFICATION
_ID, _LIT, _VOC, _ACT, _REC = (
    ValueKind.IDENTIFIER,
    ValueKind.LITERAL,
    ValueKind.VOCABULARY,
    ValueKind.ACTOR,
    ValueKind.RECORD,
)

FIELDS: tuple[CaseField, ...] = (
    # the case
    CaseField(_C, "id", DCTERMS.identifier, _ID),
    CaseField(_C, "title", DCTERMS.title, _LIT),
    CaseField(_C, "description", DCTERMS.description, _LIT),
    CaseField(_C, "domain", CPK.policyDomain, _VOC, vocabulary=CPK.PolicyDomain, value_prefix="domain-"),
    CaseField(_C, "country", CPK.country, _LIT),
    CaseField(_C, "place", CPK.place, _LIT),
    CaseField(_C, "started", CPK.started, _LIT),
    CaseField(_C, "initiated_by", CPK.initiatedBy, _ACT, inverse=CPK.initiates),
    CaseField(_C, "actors", CPK.hasActor, _REC, many=True, nested=_A),
    CaseField(_C, "participations", CPK.hasParticipation, _REC, many=True, nested=_P),
    CaseField(_C, "accountability", CPK.hasAccountabilityRelation, _REC, many=True, nested=_R),
    CaseField(
        _C,
        "compensation",
        CPK.compensation,
        _VOC,
        many=True,
        vocabulary=CPK.CompensationMechanism,
        value_prefix="compensation-",
    ),
    CaseField(
        _C,
        "representativeness",
        CPK.representativeness,
        _VOC,
        vocabulary=CPK.Representativeness,
        value_prefix="representativeness-",
    ),
    CaseField(_C, "directed_at_citizens", CPK.directedAtCitizens, _LIT, datatype=XSD.boolean),
    CaseField(_C, "source_classification", CPK.hasSourceClassification, _REC, nested=_SC),
    CaseField(_C, "sources", CPK.hasSource, _REC, many=True, nested=_S),
    # an actor
    CaseField(_A, "id", DCTERMS.identifier, _ID),
    CaseField(_A, "kind", CPK.actorKind, _VOC, vocabulary=CPK.ActorKind, value_prefix="kind-"),
    CaseField(_A, "label", RDFS.label, _LIT),
    # a participation
    CaseField(_P, "actor", CPK.participant, _ACT, inverse=CPK.takesPartIn),
    CaseField(_P, "stage", CPK.atStage, _VOC, vocabulary=CPK.ServiceStage, value_prefix="stage-"),
    CaseField(_P, "decision", CPK.decisionRight, _VOC, vocabulary=CPK.DecisionRight, value_prefix="decision-"),
    CaseField(_P, "task", CPK.taskType, _VOC, vocabulary=CPK.TaskType, value_prefix="task-"),
    CaseField(_P, "contributes", CPK.contributes, _VOC, many=True, vocabulary=CPK.Resource, value_prefix="resource-"),
    # an accountability relation
    CaseField(_R, "accountor", CPK.accountor, _ACT),
    CaseField(_R, "forum", CPK.forum, _ACT),
    CaseField(
        _R, "type", CPK.accountabilityType, _VOC, vocabulary=CPK.AccountabilityType, value_prefix="accountability-"
    ),
    CaseField(_R, "mechanism", CPK.accountabilityMechanism, _LIT),
    # what a source says about the case
    CaseField(_SC, "level", CPK.statedLevel, _LIT),
    CaseField(_SC, "type", CPK.statedType, _LIT),
    CaseField(_SC, "statement", CPK.statement, _LIT),
    CaseField(_SC, "cite", CPK.citation, _LIT),
    CaseField(_SC, "page", CPK.page, _LIT),
    # a source
    CaseField(_S, "cite", CPK.citation, _LIT),
    CaseField(_S, "page", CPK.page, _LIT),
    CaseField(_S, "access", CPK.accessMode, _LIT),
    CaseField(_S, "via", CPK.citedVia, _LIT),
    CaseField(_S, "page_note", CPK.pageNote, _LIT),
    CaseField(_S, "url", CPK.sourceUrl, _LIT),
)


def fields_of(record: NodeKind) -> tuple[CaseField, ...]:
    """The fields of one record, in the table's order.

    >>> [f.name for f in fields_of(NodeKind.ACTOR)]
    ['id', 'kind', 'label']
    """
    return _BY_RECORD.get(record, ())


def field_named(record: NodeKind, name: str) -> CaseField:
    """The field ``name`` of ``record`` (``KeyError`` if there is none)."""
    return _BY_NAME[(record, name)]


def field_for_property(record: NodeKind | None, prop: URIRef) -> CaseField | None:
    """The field of ``record`` stated by ``prop`` (of any record when ``record`` is None).

    >>> field_for_property(NodeKind.SOURCE_CLASSIFICATION, CPK.statedType).name
    'type'
    """
    if record is not None:
        return _BY_PROPERTY.get((record, prop))
    return next((f for f in FIELDS if f.prop == prop), None)


def list_field(record: NodeKind) -> CaseField:
    """The case's field that holds the records of a kind (``participations`` for participations)."""
    return _HOLDERS[record]


def vocabulary_fields() -> dict[str, URIRef]:
    """Vocabulary field name -> the ontology class whose individuals are its values.

    >>> vocabulary_fields()["decision"]
    rdflib.term.URIRef('https://w3id.org/coprokg/ontology#DecisionRight')
    """
    found: dict[str, URIRef] = {}
    for f in FIELDS:
        if f.vocabulary is not None and found.setdefault(f.name, f.vocabulary) != f.vocabulary:
            raise ValueError(f"two vocabulary fields named {f.name!r} draw from different classes")
    return found


_BY_RECORD: dict[NodeKind, tuple[CaseField, ...]] = {}
for _f in FIELDS:
    _BY_RECORD[_f.record] = (*_BY_RECORD.get(_f.record, ()), _f)
_BY_NAME = {(f.record, f.name): f for f in FIELDS}
_BY_PROPERTY = {(f.record, f.prop): f for f in FIELDS}
_HOLDERS = {f.nested: f for f in FIELDS if f.nested is not None}


# ---------------------------------------------------------------- the path notation
_STEP = re.compile(r"\.?([A-Za-z_@][\w@-]*)|\[(\d+)\]")


def field_path(*steps: str | int) -> str:
    """A field path from its steps: names and list indexes (from 0); empty names are skipped.

    >>> field_path("participations", 2, "decision")
    'participations[2].decision'
    >>> field_path("", "title"), field_path("actors", 0), field_path()
    ('title', 'actors[0]', '')
    """
    path = ""
    for step in steps:
        if isinstance(step, int):
            path += f"[{step}]"
        elif step:
            path += f".{step}" if path else step
    return path


def parse_field_path(path: str) -> list[str | int]:
    """The steps of a field path (the inverse of ``field_path``).

    >>> parse_field_path("participations[2].contributes[0]")
    ['participations', 2, 'contributes', 0]
    """
    steps: list[str | int] = []
    at = 0
    while at < len(path):
        match = _STEP.match(path, at)
        if match is None or (match.group(0).startswith(".") and at == 0):
            raise ValueError(f"not a field path: {path!r}")
        steps.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        at = match.end()
    return steps


def node_path(node: CaseNode, actor_ids: Sequence[str] = ()) -> str | None:
    """The field path of a node of a case: ``""`` for the case, ``participations[0]``, ``actors[1]``.

    Actors are named by their place in the case's ``actors`` (``actor_ids``, in file order); an
    actor not among them gives ``actors``. Nodes that are not in the case file (a stored warning,
    the case's graphs) have no path: None.

    >>> from coprokg.iris import parse_case_node
    >>> node_path(parse_case_node("https://w3id.org/coprokg/case/buurt/actor/residents"), ["city", "residents"])
    'actors[1]'
    >>> node_path(parse_case_node("https://w3id.org/coprokg/case/buurt/participation/1"))
    'participations[0]'
    """
    if node.kind is NodeKind.CASE:
        return ""
    holder = _HOLDERS.get(node.kind)
    if holder is None:
        return None
    if node.kind is NodeKind.ACTOR:
        ids = list(actor_ids)
        return field_path(holder.name, ids.index(str(node.key))) if node.key in ids else holder.name
    if node.kind in NUMBERED:
        return field_path(holder.name, node.position - 1)
    return holder.name


def property_path(node: CaseNode | None, prop: URIRef | None, actor_ids: Sequence[str] = ()) -> str | None:
    """The field path of a property of a node: ``participations[0].stage`` for ``cpk:atStage``.

    A property that is no field of the node's record (an inverse, ``rdf:type``) gives the node's
    own path; a node of no case gives the field of any record that ``prop`` states, or None.

    >>> from coprokg.iris import parse_case_node
    >>> property_path(parse_case_node("https://w3id.org/coprokg/case/buurt/participation/2"), CPK.atStage)
    'participations[1].stage'
    >>> property_path(parse_case_node("https://w3id.org/coprokg/case/buurt"), CPK.hasSource)
    'sources'
    """
    base = node_path(node, actor_ids) if node is not None else ""
    if base is None:
        return None
    f = field_for_property(node.kind if node is not None else None, prop) if prop is not None else None
    return (field_path(base, f.name) if f is not None else base) or None


# ---------------------------------------------------------------- the JSON-LD context
_PREFIXES = {
    "cpk": str(CPK),
    "dcterms": str(DCTERMS),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def _compact(iri: URIRef) -> str:
    for prefix, ns in _PREFIXES.items():
        if str(iri).startswith(ns):
            return f"{prefix}:{str(iri)[len(ns) :]}"
    return str(iri)


def _term(f: CaseField) -> str | dict[str, Any]:
    """The JSON-LD term definition of one field (its scoped context aside)."""
    if f.kind is ValueKind.LITERAL and f.datatype == XSD.string:
        return _compact(f.prop)
    term: dict[str, Any] = {"@id": _compact(f.prop)}
    if f.kind is ValueKind.LITERAL:
        term["@type"] = _compact(f.datatype)
    elif f.kind is ValueKind.ACTOR:
        term["@type"] = "@id"
    elif f.kind is ValueKind.VOCABULARY:
        term["@type"] = "@vocab"
    if f.many:
        term["@container"] = "@set"
    if f.kind is ValueKind.VOCABULARY:
        term["@context"] = {"@vocab": f"{CPK}{f.value_prefix}"}
    if len(term) == 1:
        return _compact(f.prop)
    return term


def _walk(record: NodeKind) -> Iterator[CaseField]:
    for f in fields_of(record):
        yield f
        if f.nested is not None:
            yield from _walk(f.nested)


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context that makes a case file JSON-LD (``data/context.jsonld``).

    Every field is a term; a record's field whose name another record already uses for another
    property (``source_classification.type``) is a term of a context scoped to the record.

    >>> context = jsonld_context()["@context"]
    >>> context["decision"]["@id"], context["source_classification"]["@context"]
    ('cpk:decisionRight', {'type': 'cpk:statedType'})
    """
    context: dict[str, Any] = {"@version": 1.1, **_PREFIXES}
    scoped: dict[NodeKind, dict[str, Any]] = {}
    for f in _walk(NodeKind.CASE):
        if f.kind is ValueKind.IDENTIFIER:
            context.setdefault("id", "@id")
            context.setdefault("identifier", _compact(f.prop))
            continue
        term = _term(f)
        if context.setdefault(f.name, term) != term:
            scoped.setdefault(f.record, {})[f.name] = term
    for record, terms in scoped.items():
        holder = list_field(record)
        definition = context[holder.name]
        if isinstance(definition, str):
            definition = {"@id": definition}
        context[holder.name] = {**definition, "@context": terms}
    context["position"] = {"@id": _compact(LIST_POSITION), "@type": _compact(XSD.integer)}
    return {"@context": context}


def jsonld_context_text() -> str:
    """``jsonld_context()`` as the text of ``data/context.jsonld``."""
    return json.dumps(jsonld_context(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(jsonld_context_text(), end="")
