"""Case JSON <-> RDF, with every vocabulary value resolved against the ontology.

``case_to_graph`` gives the triples of one case (for its own named graph); ``graph_to_case``
reads them back, so that export and import round-trip. Vocabulary slugs are resolved through
``skos:notation`` (and, case-insensitively, ``skos:altLabel``); the canonical slug is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from rdflib.term import Node

from coprokg.cases.model import Case
from coprokg.errors import CaseFormatError
from coprokg.fields import (
    LIST_POSITION,
    RECORDS,
    CaseField,
    ValueKind,
    field_named,
    field_path,
    fields_of,
)
from coprokg.iris import NUMBERED, NodeKind, actor_iri, case_iri, local_id, mint, parse_case_node
from coprokg.namespaces import CPK
from coprokg.ontology import Ontology


@dataclass
class ResolvedCase:
    """A case whose vocabulary values are all canonical notations, with what was rewritten."""

    case: Case
    notes: list[str] = field(default_factory=list)


def resolve_case(case: Case, ontology: Ontology, *, source: str | None = None, copy: bool = True) -> ResolvedCase:
    """Check references and replace every vocabulary value by its canonical notation.

    The resolved case is a copy, unless ``copy`` is false: then ``case`` itself is resolved (for a
    model the caller has just made and does not keep).

    Raises ``CaseFormatError`` for an unknown value (with the allowed ones), an undeclared actor,
    or a duplicate actor id. The fields are visited as the table of case fields lists them, the
    actors first (every reference to an actor is checked against them).
    """
    notes: list[str] = []
    problems: list[CaseFormatError] = []
    voc = ontology.vocabularies
    seen: dict[str, int] = {}

    def canon(f: CaseField, value: str, path: str) -> str:
        try:
            resolved = voc[f.name].resolve(value, field_path=path, source=source).notation
        except CaseFormatError as exc:
            problems.append(exc)
            return value
        if resolved != value:
            notes.append(f"{path}: {value!r} read as {resolved!r}")
        return resolved

    def known_actor(actor_id: str, path: str) -> None:
        if actor_id not in seen:
            problems.append(
                CaseFormatError(
                    f"actor {actor_id!r} is not declared in 'actors'",
                    field=path,
                    allowed=sorted(seen),
                    source=source,
                )
            )

    def declare(actor_id: str, actors_path: str, i: int, id_field: str) -> None:
        if actor_id in seen:
            problems.append(
                CaseFormatError(
                    f"duplicate actor id {actor_id!r} (first declared at {field_path(actors_path, seen[actor_id])})",
                    field=field_path(actors_path, i, id_field),
                    source=source,
                )
            )
            return
        seen[actor_id] = i

    def walk(record: NodeKind, item: BaseModel, path: str) -> None:
        ordered = sorted(fields_of(record), key=lambda f: f.nested is not NodeKind.ACTOR)
        for f in ordered:
            value = getattr(item, f.name)
            if value is None:
                continue
            where = field_path(path, f.name)
            if f.kind is ValueKind.VOCABULARY and f.many:
                # a set (contributions, compensation): kept sorted and without repeats, its canonical form
                setattr(item, f.name, sorted({canon(f, v, field_path(where, j)) for j, v in enumerate(value)}))
            elif f.kind is ValueKind.VOCABULARY:
                setattr(item, f.name, canon(f, value, where))
            elif f.kind is ValueKind.ACTOR:
                known_actor(value, where)
            elif f.nested is not None and f.many:
                identifier = _identifier(f.nested)
                for i, child in enumerate(value):
                    if f.nested is NodeKind.ACTOR and identifier is not None:
                        declare(getattr(child, identifier.name), where, i, identifier.name)
                    walk(f.nested, child, field_path(where, i))
            elif f.nested is not None:
                walk(f.nested, value, where)

    data = case.model_copy(deep=True) if copy else case
    walk(NodeKind.CASE, data, "")
    if data.source_classification is not None and data.source_classification.level is not None:
        levels = ontology.level_notations()
        if data.source_classification.level not in levels:
            problems.append(
                CaseFormatError(
                    f"unknown power-transfer level {data.source_classification.level!r}",
                    field="source_classification.level",
                    allowed=levels,
                    source=source,
                )
            )
    if problems:
        first = problems[0]
        first.problems = list(problems)
        raise first
    return ResolvedCase(data, notes)


def _iri(ontology: Ontology, field_name: str, slug: str) -> URIRef:
    return ontology.vocabularies[field_name].values[slug].iri


def _literal(value: object, datatype: URIRef) -> Literal:
    if datatype == XSD.string:
        return Literal(str(value))
    return Literal(value, datatype=datatype)


def _identifier(record: NodeKind) -> CaseField | None:
    return next((f for f in fields_of(record) if f.kind is ValueKind.IDENTIFIER), None)


def _child_key(f: CaseField, item: BaseModel, n: int) -> str | int | None:
    """The key of a nested record's node: an actor's id, a numbered record's position."""
    if f.nested is None:
        raise ValueError(f"{f.name} holds no records")
    if f.nested in NUMBERED:
        return n
    identifier = _identifier(f.nested)
    return str(getattr(item, identifier.name)) if identifier is not None else None


def case_to_graph(case: Case, ontology: Ontology) -> Graph:
    """The RDF of a resolved case (its values must be canonical: see ``resolve_case``).

    Every triple follows from the table of case fields (``coprokg.fields.FIELDS``). The graph is
    rdflib's context-free ``SimpleMemory`` store with the core prefixes only: a case is one graph,
    and it is built about twice as fast as with the default store and rdflib's 29 prefixes.
    """
    g = Graph(store="SimpleMemory", bind_namespaces="core")
    g.bind("cpk", CPK)
    g.bind("dcterms", DCTERMS)

    def write(record: NodeKind, node: URIRef, data: BaseModel) -> None:
        g.add((node, RDF.type, RECORDS[record].rdf_class))
        for f in fields_of(record):
            value = getattr(data, f.name)
            if value is None:
                continue
            for n, item in enumerate(value if f.many else [value], start=1):
                if f.kind is ValueKind.IDENTIFIER or f.kind is ValueKind.LITERAL:
                    g.add((node, f.prop, _literal(item, f.datatype)))
                elif f.kind is ValueKind.VOCABULARY:
                    g.add((node, f.prop, _iri(ontology, f.name, item)))
                elif f.kind is ValueKind.ACTOR:
                    actor = actor_iri(case.id, item)
                    g.add((node, f.prop, actor))
                    if f.inverse is not None:
                        g.add((actor, f.inverse, node))
                elif f.nested is not None:
                    child = mint(case.id, f.nested, _child_key(f, item, n))
                    g.add((node, f.prop, child))
                    if RECORDS[f.nested].positioned:
                        g.add((child, LIST_POSITION, Literal(n, datatype=XSD.integer)))
                    write(f.nested, child, item)

    write(NodeKind.CASE, case_iri(case.id), case)
    return g


def _position(g: Graph, node: Node) -> int:
    value = g.value(node, LIST_POSITION)
    return int(value) if isinstance(value, Literal) else 0


def _in_order(g: Graph, nodes: list[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: (_position(g, n), str(n)))


def case_ids(g: Graph) -> list[str]:
    """The ids of the cases described in ``g``."""
    ids = []
    identifier = field_named(NodeKind.CASE, "id").prop
    for c in g.subjects(RDF.type, RECORDS[NodeKind.CASE].rdf_class):
        ident: object = g.value(c, identifier)
        if ident is None:
            node = parse_case_node(str(c))
            ident = node.case_id if node is not None and node.kind is NodeKind.CASE else None
        if ident is not None:
            ids.append(str(ident))
    return sorted(ids)


def _model_problem(error: Any, source: str | None) -> CaseFormatError:
    path = field_path(*(step for step in error["loc"] if isinstance(step, str | int)))
    allowed = None
    if error["type"] == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        allowed = [x.strip(" '") for x in str(expected).replace(" or ", ",").split(",") if x.strip(" '")]
    message = str(error["msg"])
    if error["type"] == "extra_forbidden":
        message = "unknown field"
    elif error["type"] == "bool_type":
        message = "must be true or false (JSON booleans, not words or numbers)"
    elif error["type"] == "string_pattern_mismatch" and path == "started":
        message = "not a date coprokg can read: give a year (1999), a decade (196X), 1999~ or an interval (1999/2003)"
    return CaseFormatError(message, field=path or None, source=source, allowed=allowed)


def model_error(exc: ValidationError, *, source: str | None = None) -> CaseFormatError:
    """The problems pydantic found in a case: the first as a ``CaseFormatError`` naming its field path,
    every one of them in its ``problems``."""
    problems = [_model_problem(error, source) for error in exc.errors()]
    first = problems[0]
    more = len(problems) - 1
    if more:
        first.message += f" (and {more} more problem{'s' if more > 1 else ''})"
        first.args = (str(first),)
    first.problems = problems
    return first


class _Reader:
    """Reads the records of one case from its RDF, field by field as the table says."""

    def __init__(self, g: Graph, case_id: str, ontology: Ontology, source: str | None) -> None:
        self.g = g
        self.voc = ontology.vocabularies
        self.source = source
        # actors first: every reference to an actor is checked against them
        actors = field_named(NodeKind.CASE, "actors")
        identifier = field_named(NodeKind.ACTOR, "id").prop
        self.actor_ids: dict[Node, str] = {}
        for a in _in_order(g, list(g.objects(case_iri(case_id), actors.prop))):
            ident = g.value(a, identifier)
            self.actor_ids[a] = str(ident) if ident is not None else local_id(str(a))

    def error(self, message: str, path: str, allowed: list[str] | None = None) -> CaseFormatError:
        return CaseFormatError(message, field=path, allowed=allowed, source=self.source)

    def slug(self, f: CaseField, node: object, path: str) -> str:
        vocab = self.voc[f.name]
        if not isinstance(node, URIRef):
            raise self.error(f"expected an IRI, got {node!r}", path)
        value = vocab.by_iri(node)
        if value is None:
            raise self.error(f"<{node}> is not a value of {vocab.cls}", path, vocab.notations)
        return value.notation

    def actor(self, node: object, path: str) -> str:
        if isinstance(node, URIRef | BNode) and node in self.actor_ids:
            return self.actor_ids[node]
        raise self.error(f"actor <{node}> is not declared in 'actors'", path, sorted(self.actor_ids.values()))

    def literal(self, f: CaseField, node: Node) -> object:
        if f.datatype == XSD.boolean:
            return bool(node.toPython()) if isinstance(node, Literal) else False
        return str(node)

    def record(self, record: NodeKind, node: Node, path: str) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in fields_of(record):
            where = field_path(path, f.name)
            values = list(self.g.objects(node, f.prop))
            if f.kind is ValueKind.IDENTIFIER:
                if record is NodeKind.ACTOR:
                    data[f.name] = self.actor_ids.get(node) or local_id(str(node))
                continue
            if f.kind is ValueKind.RECORD and f.nested is not None:
                children = _in_order(self.g, values)
                if f.many:
                    data[f.name] = [self.record(f.nested, c, field_path(where, i)) for i, c in enumerate(children)]
                    continue
                values = children
            if not values:
                continue
            if f.many:
                if f.kind is ValueKind.VOCABULARY:  # a set: kept sorted, its canonical form
                    data[f.name] = sorted(self.slug(f, v, where) for v in values)
                elif f.kind is ValueKind.ACTOR:
                    data[f.name] = [self.actor(v, field_path(where, i)) for i, v in enumerate(values)]
                else:
                    data[f.name] = [self.literal(f, v) for v in values]
                continue
            if len(values) > 1:
                allowed = self.voc[f.name].notations if f.kind is ValueKind.VOCABULARY else None
                raise self.error(f"expected exactly one value, found {len(values)}", where, allowed)
            value = values[0]
            if f.kind is ValueKind.VOCABULARY:
                data[f.name] = self.slug(f, value, where)
            elif f.kind is ValueKind.ACTOR:
                data[f.name] = self.actor(value, where)
            elif f.kind is ValueKind.RECORD and f.nested is not None:
                data[f.name] = self.record(f.nested, value, where)
            else:
                data[f.name] = self.literal(f, value)
        if record is NodeKind.ACTOR:
            data.setdefault("label", data["id"])  # an actor stated without a label is named by its id
        return data


def graph_to_case(g: Graph, case_id: str, ontology: Ontology, *, source: str | None = None) -> Case:
    """Read one case back from its RDF (the inverse of ``case_to_graph``).

    Errors name the field by its path in the case format (``participations[0].stage``).
    """
    c = case_iri(case_id)
    if (c, RDF.type, RECORDS[NodeKind.CASE].rdf_class) not in g:
        raise CaseFormatError(f"no cpk:Case <{c}> in the graph", field="id")
    data = _Reader(g, case_id, ontology, source).record(NodeKind.CASE, c, "")
    data["id"] = case_id
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise model_error(exc, source=source) from None
