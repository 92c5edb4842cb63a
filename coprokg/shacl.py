"""SHACL shapes compiled into plain Python checks over an index of one case.

pySHACL builds a report graph, runs a SPARQL ASK per ``sh:class`` value and copies the data graph:
tens to hundreds of milliseconds a case. The shapes in ``shapes/`` use a small part of SHACL, so
this module reads them (any shapes graph, not particular shapes) into constraint objects once and
evaluates them over a dictionary index of the case plus the ontology's vocabulary digest — the
same data graph ``coprokg.validate`` gives pySHACL. SHACL-SPARQL ``sh:select`` constraints run on
an in-memory Oxigraph store with ``$this`` bound to each focus node (SHACL 1.0 §5.3).

What is compiled (SHACL 1.0 Core, with the semantics pySHACL 0.40 gives them):

* targets: ``sh:targetClass`` (with ``rdfs:subClassOf*`` in the data), ``sh:targetNode``,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, implicit class targets; ``sh:deactivated``;
* paths: a predicate IRI;
* components: ``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:minCount``, ``sh:maxCount``,
  ``sh:minLength``, ``sh:maxLength``, ``sh:pattern`` (with ``sh:flags``), ``sh:in``,
  ``sh:hasValue``, ``sh:languageIn``, ``sh:uniqueLang``, ``sh:equals``, ``sh:disjoint``, ``sh:not``,
  ``sh:and``, ``sh:or``, ``sh:xone``, ``sh:node``, ``sh:property``, ``sh:closed`` (with
  ``sh:ignoredProperties``) and ``sh:sparql`` SELECT constraints on node shapes.

Anything else (other paths, value ranges, qualified shapes, SHACL-AF, several messages) raises
``UnsupportedShape`` naming the shape and the construct; ``coprokg.validate`` then falls back to
pySHACL for every case, so a shape that the compiler does not know is still enforced, only slower.
pySHACL remains the oracle: the tests compare both reports on every curated case, the broken
fixtures and generated cases (``tests/cases/test_compiled_shapes.py``).

Results carry the shape's ``sh:message``; where a shape has none, the message is coprokg's own
wording of the component (pySHACL words its default messages differently).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from coprokg.errors import OntologyError
from coprokg.rdfterms import to_ox_term

__all__ = [
    "CaseIndex",
    "CompiledShapes",
    "ShapeResult",
    "UnsupportedShape",
    "compile_shapes",
]

_TEMPLATE = re.compile(r"\{[?$](\w+)\}")
_THIS = re.compile(r"\$this\b")


class UnsupportedShape(OntologyError):
    """A shape uses SHACL the compiled validator does not evaluate (pySHACL then validates)."""


# ---------------------------------------------------------------------------- the data


class CaseIndex:
    """Subject → predicate → objects over the case's triples and a fixed background (the digest).

    Objects keep their rdflib terms, so equality, ``sh:in`` and ``sh:hasValue`` behave as in pySHACL.
    """

    __slots__ = ("_back", "_back_inverse", "_own", "_own_inverse", "_ox", "_triples", "solutions")
    _own: dict[Node, dict[Node, list[Node]]]
    _own_inverse: dict[Node, dict[Node, list[Node]]]
    _back: dict[Node, dict[Node, list[Node]]]
    _back_inverse: dict[Node, dict[Node, list[Node]]]
    _triples: list[tuple[Node, Node, Node]]

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]], background: CaseIndex | None = None) -> None:
        """``triples`` are distinct (a graph's); one also in ``background`` counts once."""
        own: dict[Node, dict[Node, list[Node]]] = {}
        inverse: dict[Node, dict[Node, list[Node]]] = {}
        kept: list[tuple[Node, Node, Node]] = []
        back = background._own if background is not None else {}

        def put(index: dict[Node, dict[Node, list[Node]]], key: Node, p: Node, value: Node) -> None:
            props = index.get(key)
            if props is None:
                index[key] = {p: [value]}
            elif p in props:
                props[p].append(value)
            else:
                props[p] = [value]

        for triple in triples:
            s, p, o = triple
            if s in back and o in back[s].get(p, ()):
                continue
            kept.append(triple)
            put(own, s, p, o)
            put(inverse, o, p, s)
        self._own, self._own_inverse, self._triples = own, inverse, kept
        self._back = back
        self._back_inverse = background._own_inverse if background is not None else {}
        self._ox: list[ox.Quad] | None = None
        # SHACL-SPARQL solutions over this data and its background, by query and focus node: the
        # risk shapes are evaluated by validation and again by classification, and ask the same.
        self.solutions: dict[tuple[str, Node], list[dict[str, Any]]] = {}

    @property
    def triples(self) -> list[tuple[Node, Node, Node]]:
        """The case's own triples (without the background)."""
        return self._triples

    def quads(self) -> list[ox.Quad]:
        """The case's own triples as Oxigraph quads in the SPARQL constraints' case graph (converted once)."""
        if self._ox is None:
            self._ox = [ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), _CASE_GRAPH) for s, p, o in self._triples]
        return self._ox

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        mine = self._own.get(subject, {}).get(predicate, ())
        theirs = self._back.get(subject, {}).get(predicate, ())
        if not theirs:
            return list(mine)
        return [*mine, *theirs]

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        return [
            *self._own_inverse.get(obj, {}).get(predicate, ()),
            *self._back_inverse.get(obj, {}).get(predicate, ()),
        ]

    def predicates(self, subject: Node) -> list[Node]:
        return [p for p, objs in self._own.get(subject, {}).items() if objs] + [
            p for p, objs in self._back.get(subject, {}).items() if objs
        ]

    def all_subjects_of(self, predicate: Node) -> set[Node]:
        found = set()
        for part in (self._own, self._back):
            for s, props in part.items():
                if props.get(predicate):
                    found.add(s)
        return found

    def all_objects_of(self, predicate: Node) -> set[Node]:
        found = set()
        for part in (self._own_inverse, self._back_inverse):
            for o, props in part.items():
                if props.get(predicate):
                    found.add(o)
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        """``node rdf:type/rdfs:subClassOf* cls`` in the data (a literal is never an instance)."""
        if isinstance(node, Literal):
            return False
        frontier = self.objects(node, RDF.type)
        seen: set[Node] = set()
        while frontier:
            current = frontier.pop()
            if current == cls:
                return True
            if current in seen:
                continue
            seen.add(current)
            frontier.extend(self.objects(current, RDFS.subClassOf))
        return False

    def instances(self, cls: Node) -> set[Node]:
        """Every node typed ``cls`` or one of its subclasses (``rdfs:subClassOf`` in the data)."""
        classes, frontier = {cls}, [cls]
        while frontier:
            for sub in self.subjects(RDFS.subClassOf, frontier.pop()):
                if sub not in classes:
                    classes.add(sub)
                    frontier.append(sub)
        return {s for c in classes for s in self.subjects(RDF.type, c)}


# ---------------------------------------------------------------------------- the shapes


@dataclass
class ShapeResult:
    """One validation result, as in a SHACL report (terms as rdflib terms)."""

    focus: Node
    path: URIRef | None
    value: Node | None
    severity: URIRef
    message: str
    source_shape: Node
    component: str


@dataclass
class _Sparql:
    query: str
    message: str | None


@dataclass
class _Shape:
    node: Node
    path: URIRef | None
    severity: URIRef
    message: str | None
    checks: list[tuple[str, Any]] = field(default_factory=list)
    sparql: list[_Sparql] = field(default_factory=list)
    targets: list[tuple[str, Node]] = field(default_factory=list)
    deactivated: bool = False

    @property
    def is_property(self) -> bool:
        return self.path is not None


_KNOWN = {
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.path,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.deactivated,
    SH.declare,
    SH.prefixes,
    SH.ignoredProperties,
    SH.flags,
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.minCount,
    SH.maxCount,
    SH.minLength,
    SH.maxLength,
    SH.pattern,
    SH["in"],
    SH.hasValue,
    SH.languageIn,
    SH.uniqueLang,
    SH.equals,
    SH.disjoint,
    SH["not"],
    SH["and"],
    SH["or"],
    SH.xone,
    SH.node,
    SH.property,
    SH.closed,
    SH.sparql,
}

_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}

_PYTHON_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}

_REGEX_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


class _Compiler:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.shapes: dict[Node, _Shape] = {}

    def _list(self, head: Node, where: Node, what: str) -> list[Node]:
        try:
            return list(Collection(self.graph, head))
        except Exception as exc:  # a malformed list is the shape author's error
            raise UnsupportedShape(f"{where}: {what} is not an RDF list") from exc

    def _one(self, shape: Node, prop: URIRef) -> Node | None:
        values = list(self.graph.objects(shape, prop))
        if len(values) > 1:
            raise UnsupportedShape(f"{shape}: more than one {prop.n3(self.graph.namespace_manager)}")
        return values[0] if values else None

    def shape(self, node: Node) -> _Shape:
        if node in self.shapes:
            return self.shapes[node]
        g = self.graph
        unknown = sorted(str(p) for p in g.predicates(node, None) if str(p).startswith(str(SH)) and p not in _KNOWN)
        if unknown:
            raise UnsupportedShape(f"{node}: the compiled validator does not evaluate {', '.join(unknown)}")
        path = self._one(node, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise UnsupportedShape(f"{node}: only predicate paths are compiled, not {path!r}")
        severity = self._one(node, SH.severity) or SH.Violation
        message = self._one(node, SH.message)
        shape = _Shape(
            node=node,
            path=path,
            severity=severity if isinstance(severity, URIRef) else SH.Violation,
            message=str(message) if message is not None else None,
        )
        self.shapes[node] = shape  # before the parts: shapes may refer to each other
        shape.deactivated = self._one(node, SH.deactivated) == Literal(True)
        for kind, prop in (
            ("class", SH.targetClass),
            ("node", SH.targetNode),
            ("subjects", SH.targetSubjectsOf),
            ("objects", SH.targetObjectsOf),
        ):
            shape.targets.extend((kind, t) for t in g.objects(node, prop))
        if (node, RDF.type, RDFS.Class) in g or (node, RDF.type, OWL.Class) in g:
            shape.targets.append(("class", node))
        checks = shape.checks
        for cls in g.objects(node, SH["class"]):
            checks.append(("class", cls))
        for datatype in g.objects(node, SH.datatype):
            checks.append(("datatype", datatype))
        for node_kind in g.objects(node, SH.nodeKind):
            if node_kind not in _NODE_KINDS:
                raise UnsupportedShape(f"{node}: unknown sh:nodeKind {node_kind}")
            checks.append(("nodeKind", node_kind))
        for prop in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
            for number in g.objects(node, prop):
                if not isinstance(number, Literal) or not isinstance(number.toPython(), int):
                    raise UnsupportedShape(f"{node}: {prop} must be an integer")
                checks.append((str(prop).rsplit("#", 1)[-1], int(number.toPython())))
        flags = 0
        for text in g.objects(node, SH.flags):
            for letter in str(text):
                if letter not in _REGEX_FLAGS:
                    raise UnsupportedShape(f"{node}: unknown sh:flags letter {letter!r}")
                flags |= _REGEX_FLAGS[letter]
        for pattern in g.objects(node, SH.pattern):
            try:
                checks.append(("pattern", re.compile(str(pattern), flags)))
            except re.error as exc:
                raise UnsupportedShape(f"{node}: sh:pattern {str(pattern)!r} is not a regular expression") from exc
        for head in g.objects(node, SH["in"]):
            checks.append(("in", self._list(head, node, "sh:in")))
        for value in g.objects(node, SH.hasValue):
            checks.append(("hasValue", value))
        for head in g.objects(node, SH.languageIn):
            checks.append(("languageIn", [str(x).lower() for x in self._list(head, node, "sh:languageIn")]))
        if self._one(node, SH.uniqueLang) == Literal(True):
            checks.append(("uniqueLang", True))
        for other in g.objects(node, SH.equals):
            checks.append(("equals", other))
        for other in g.objects(node, SH.disjoint):
            checks.append(("disjoint", other))
        for inner in g.objects(node, SH["not"]):
            checks.append(("not", self.shape(inner)))
        for name, prop in (("and", SH["and"]), ("or", SH["or"]), ("xone", SH.xone)):
            for head in g.objects(node, prop):
                checks.append((name, [self.shape(m) for m in self._list(head, node, f"sh:{name}")]))
        for inner in g.objects(node, SH.node):
            checks.append(("node", self.shape(inner)))
        for inner in g.objects(node, SH.property):
            checks.append(("property", self.shape(inner)))
        if self._one(node, SH.closed) == Literal(True):
            allowed = {p for inner in g.objects(node, SH.property) for p in g.objects(inner, SH.path)}
            for head in g.objects(node, SH.ignoredProperties):
                allowed.update(self._list(head, node, "sh:ignoredProperties"))
            checks.append(("closed", allowed))
        for constraint in g.objects(node, SH.sparql):
            shape.sparql.append(self._sparql(node, constraint, shape))
        return shape

    def _sparql(self, shape_node: Node, constraint: Node, shape: _Shape) -> _Sparql:
        g = self.graph
        if shape.path is not None:
            raise UnsupportedShape(f"{shape_node}: SPARQL constraints are compiled on node shapes only")
        if self._one(constraint, SH.deactivated) == Literal(True):
            return _Sparql("", None)
        select = self._one(constraint, SH.select)
        if select is None:
            raise UnsupportedShape(
                f"{shape_node}: a SPARQL constraint without sh:select (ASK validators are not compiled)"
            )
        prefixes = []
        for holder in g.objects(constraint, SH.prefixes):
            for decl in g.objects(holder, SH.declare):
                prefixes.append(f"PREFIX {g.value(decl, SH.prefix)}: <{g.value(decl, SH.namespace)}>")
        text = _THIS.sub("?this", str(select))
        if not re.search(r"\bWHERE\s*\{", text, flags=re.I):
            raise UnsupportedShape(f"{shape_node}: SPARQL constraint has no WHERE clause: {str(select)[:60]!r}")
        message = self._one(constraint, SH.message)
        query = "\n".join(sorted(set(prefixes))) + "\n" + text
        return _Sparql(query, str(message) if message is not None else None)


def compile_shapes(graph: Graph) -> CompiledShapes:
    """Every shape of ``graph`` compiled; ``UnsupportedShape`` names the first construct that is not."""
    compiler = _Compiler(graph)
    top: list[_Shape] = []
    candidates: set[Node] = set(graph.subjects(RDF.type, SH.NodeShape)) | set(
        graph.subjects(RDF.type, SH.PropertyShape)
    )
    for prop in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        candidates.update(graph.subjects(prop, None))
    for node in sorted(candidates, key=str):
        shape = compiler.shape(node)
        if shape.targets:
            top.append(shape)
    return CompiledShapes(graph, top)


# ---------------------------------------------------------------------------- evaluation


class CompiledShapes:
    """The targeted shapes of a shapes graph, ready to evaluate a case."""

    def __init__(self, graph: Graph, shapes: list[_Shape]) -> None:
        self.graph = graph
        self.shapes = shapes
        self._local = threading.local()

    @property
    def has_sparql(self) -> bool:
        return any(s.sparql for s in self.shapes)

    def results(self, data: CaseIndex, *, background: Sequence[ox.Quad] = ()) -> list[ShapeResult]:
        """Every result of every targeted shape over ``data`` (``background`` is the same digest as
        ``data``'s background, as Oxigraph quads for the SPARQL constraints)."""
        found: list[ShapeResult] = []
        run = _Run(data, self, background)
        try:
            for shape in self.shapes:
                if shape.deactivated:
                    continue
                for focus in sorted(_focus_nodes(shape, data), key=_term_key):
                    found.extend(run.shape_results(shape, focus))
        finally:
            run.close()
        return found

    def sparql_store(self, background: Sequence[ox.Quad]) -> ox.Store:
        """This thread's in-memory store holding ``background`` (one per background: the same
        shapes may be evaluated against the digests of several ontologies)."""
        stores: dict[int, tuple[Sequence[ox.Quad], ox.Store]] | None = getattr(self._local, "stores", None)
        if stores is None:
            stores = self._local.stores = {}
        entry = stores.get(id(background))
        if entry is None or entry[0] is not background:  # the entry holds it: its id is not reused
            store = ox.Store()
            store.extend(background)
            entry = stores[id(background)] = (background, store)
        return entry[1]


def _term_key(term: Node) -> tuple[str, str]:
    return (type(term).__name__, str(term))


def _focus_nodes(shape: _Shape, data: CaseIndex) -> set[Node]:
    nodes: set[Node] = set()
    for kind, value in shape.targets:
        if kind == "class":
            nodes |= data.instances(value)
        elif kind == "node":
            nodes.add(value)
        elif kind == "subjects":
            nodes |= data.all_subjects_of(value)
        else:
            nodes |= data.all_objects_of(value)
    return nodes


_CASE_GRAPH = ox.NamedNode("urn:coprokg:shacl-case")


class _Run:
    """One evaluation: the data, and the SPARQL store filled with the case on first use."""

    def __init__(self, data: CaseIndex, compiled: CompiledShapes, background: Sequence[ox.Quad]) -> None:
        self.data = data
        self.compiled = compiled
        self.background = background
        self._store: ox.Store | None = None

    def store(self) -> ox.Store:
        if self._store is None:
            store = self.compiled.sparql_store(self.background)
            store.extend(self.data.quads())
            self._store = store
        return self._store

    def close(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            try:
                # quad by quad: Oxigraph's remove_graph costs four times as much for a case's ~100 quads
                for quad in self.data.quads():
                    store.remove(quad)
            except BaseException:  # broken off (a MemoryError): leave no quad for the next case
                store.remove_graph(_CASE_GRAPH)
                raise

    def conforms(self, shape: _Shape, focus: Node) -> bool:
        return not any(True for _ in self.shape_results(shape, focus))

    def shape_results(self, shape: _Shape, focus: Node) -> Iterator[ShapeResult]:
        if shape.deactivated:
            return
        values = self.data.objects(focus, shape.path) if shape.path is not None else [focus]
        for kind, arg in shape.checks:
            yield from getattr(self, "_" + kind)(shape, focus, values, arg)
        for constraint in shape.sparql:
            if constraint.query:
                yield from self._sparql(shape, focus, constraint)

    def _result(
        self, shape: _Shape, focus: Node, value: Node | None, component: str, default: str, path: URIRef | None = None
    ) -> ShapeResult:
        return ShapeResult(
            focus=focus,
            path=path if path is not None else shape.path,
            value=value,
            severity=shape.severity,
            message=shape.message if shape.message is not None else default,
            source_shape=shape.node,
            component=component,
        )

    def _where(self, shape: _Shape) -> str:
        return f"<{shape.path}>" if shape.path is not None else "the node"

    # value type components
    def _class(self, shape: _Shape, focus: Node, values: list[Node], cls: Node) -> Iterator[ShapeResult]:
        for v in values:
            if not self.data.is_instance(v, cls):
                yield self._result(shape, focus, v, "class", f"{v} is not an instance of {cls}")

    def _datatype(self, shape: _Shape, focus: Node, values: list[Node], dt: Node) -> Iterator[ShapeResult]:
        for v in values:
            if not _has_datatype(v, dt):
                yield self._result(shape, focus, v, "datatype", f"{v} is not a literal of datatype {dt}")

    def _nodeKind(self, shape: _Shape, focus: Node, values: list[Node], kind: Node) -> Iterator[ShapeResult]:
        for v in values:
            if not isinstance(v, _NODE_KINDS[kind]):
                yield self._result(shape, focus, v, "nodeKind", f"{v} is not of node kind {kind}")

    # cardinality
    def _minCount(self, shape: _Shape, focus: Node, values: list[Node], n: int) -> Iterator[ShapeResult]:
        if len(values) < n:
            yield self._result(shape, focus, None, "minCount", f"fewer than {n} values of {self._where(shape)}")

    def _maxCount(self, shape: _Shape, focus: Node, values: list[Node], n: int) -> Iterator[ShapeResult]:
        if len(values) > n:
            yield self._result(shape, focus, None, "maxCount", f"more than {n} values of {self._where(shape)}")

    # string components
    def _minLength(self, shape: _Shape, focus: Node, values: list[Node], n: int) -> Iterator[ShapeResult]:
        for v in values:
            if isinstance(v, BNode) or len(str(v)) < n:
                yield self._result(shape, focus, v, "minLength", f"{v} is shorter than {n} characters")

    def _maxLength(self, shape: _Shape, focus: Node, values: list[Node], n: int) -> Iterator[ShapeResult]:
        for v in values:
            if isinstance(v, BNode) or len(str(v)) > n:
                yield self._result(shape, focus, v, "maxLength", f"{v} is longer than {n} characters")

    def _pattern(
        self, shape: _Shape, focus: Node, values: list[Node], pattern: re.Pattern[str]
    ) -> Iterator[ShapeResult]:
        for v in values:
            if isinstance(v, BNode) or pattern.search(str(v)) is None:
                yield self._result(shape, focus, v, "pattern", f"{v} does not match {pattern.pattern!r}")

    def _languageIn(self, shape: _Shape, focus: Node, values: list[Node], tags: list[str]) -> Iterator[ShapeResult]:
        for v in values:
            lang = v.language.lower() if isinstance(v, Literal) and v.language else None
            if lang is None or not any(lang == t or lang.startswith(t + "-") for t in tags):
                yield self._result(shape, focus, v, "languageIn", f"{v} has no language tag among {tags}")

    def _uniqueLang(self, shape: _Shape, focus: Node, values: list[Node], _: bool) -> Iterator[ShapeResult]:
        seen: dict[str, int] = {}
        for v in values:
            if isinstance(v, Literal) and v.language:
                seen[v.language.lower()] = seen.get(v.language.lower(), 0) + 1
        for lang, count in sorted(seen.items()):
            if count > 1:
                yield self._result(shape, focus, None, "uniqueLang", f"more than one value in language {lang!r}")

    # value components
    def _in(self, shape: _Shape, focus: Node, values: list[Node], allowed: list[Node]) -> Iterator[ShapeResult]:
        for v in values:
            if v not in allowed:
                yield self._result(shape, focus, v, "in", f"{v} is not one of the allowed values")

    def _hasValue(self, shape: _Shape, focus: Node, values: list[Node], wanted: Node) -> Iterator[ShapeResult]:
        if wanted not in values:
            yield self._result(shape, focus, None, "hasValue", f"{self._where(shape)} lacks the value {wanted}")

    # property pair components
    def _equals(self, shape: _Shape, focus: Node, values: list[Node], prop: Node) -> Iterator[ShapeResult]:
        others = self.data.objects(focus, prop)
        for v in [v for v in values if v not in others] + [o for o in others if o not in values]:
            yield self._result(shape, focus, v, "equals", f"{v} is not a value of both {self._where(shape)} and {prop}")

    def _disjoint(self, shape: _Shape, focus: Node, values: list[Node], prop: Node) -> Iterator[ShapeResult]:
        others = self.data.objects(focus, prop)
        for v in values:
            if v in others:
                yield self._result(shape, focus, v, "disjoint", f"{v} is also a value of {prop}")

    # logical and shape-based components
    def _not(self, shape: _Shape, focus: Node, values: list[Node], inner: _Shape) -> Iterator[ShapeResult]:
        for v in values:
            if self.conforms(inner, v):
                yield self._result(shape, focus, v, "not", f"{v} conforms to a shape it must not conform to")

    def _and(self, shape: _Shape, focus: Node, values: list[Node], members: list[_Shape]) -> Iterator[ShapeResult]:
        for v in values:
            if not all(self.conforms(m, v) for m in members):
                yield self._result(shape, focus, v, "and", f"{v} does not conform to every shape of sh:and")

    def _or(self, shape: _Shape, focus: Node, values: list[Node], members: list[_Shape]) -> Iterator[ShapeResult]:
        for v in values:
            if not any(self.conforms(m, v) for m in members):
                yield self._result(shape, focus, v, "or", f"{v} conforms to none of the shapes of sh:or")

    def _xone(self, shape: _Shape, focus: Node, values: list[Node], members: list[_Shape]) -> Iterator[ShapeResult]:
        for v in values:
            if sum(self.conforms(m, v) for m in members) != 1:
                yield self._result(shape, focus, v, "xone", f"{v} does not conform to exactly one shape of sh:xone")

    def _node(self, shape: _Shape, focus: Node, values: list[Node], inner: _Shape) -> Iterator[ShapeResult]:
        for v in values:
            if not self.conforms(inner, v):
                yield self._result(shape, focus, v, "node", f"{v} does not conform to the shape {inner.node}")

    def _property(self, shape: _Shape, focus: Node, values: list[Node], inner: _Shape) -> Iterator[ShapeResult]:
        for v in values:
            yield from self.shape_results(inner, v)

    def _closed(self, shape: _Shape, focus: Node, values: list[Node], allowed: set[Node]) -> Iterator[ShapeResult]:
        for v in values:
            for prop in self.data.predicates(v):
                if prop in allowed:
                    continue
                for o in self.data.objects(v, prop):
                    assert isinstance(prop, URIRef)
                    yield self._result(shape, v, o, "closed", f"{prop} is not allowed on a closed shape", path=prop)

    # SHACL-SPARQL
    def _solutions(self, query: str, focus: Node) -> list[dict[str, Any]]:
        """The solutions of a constraint's query with ``$this`` bound to ``focus`` (asked once per data)."""
        key = (query, focus)
        rows = self.data.solutions.get(key)
        if rows is None:
            solutions = self.store().query(
                query, use_default_graph_as_union=True, substitutions={ox.Variable("this"): to_ox_term(focus)}
            )
            assert isinstance(solutions, ox.QuerySolutions)
            names = [v.value for v in solutions.variables]
            rows = [{n: row[n] for n in names if row[n] is not None} for row in solutions]
            self.data.solutions[key] = rows
        return rows

    def _sparql(self, shape: _Shape, focus: Node, constraint: _Sparql) -> Iterator[ShapeResult]:
        assert constraint.query is not None
        rows = self._solutions(constraint.query, focus)
        template = constraint.message if constraint.message is not None else shape.message
        seen: set[tuple[str | None, str | None, str]] = set()
        for values in rows:
            path = values.get("path")
            value = values.get("value")
            message = _fill(template, values, focus) if template is not None else "a SPARQL constraint has a solution"
            key = (_text(path), _text(value), message)
            if key in seen:  # one result per distinct solution, as pySHACL reports them
                continue
            seen.add(key)
            yield ShapeResult(
                focus=focus,
                path=URIRef(path.value) if isinstance(path, ox.NamedNode) else None,
                value=_rdflib(value) if value is not None else focus,
                severity=shape.severity,
                message=message,
                source_shape=shape.node,
                component="sparql",
            )


def _has_datatype(v: Node, dt: Node) -> bool:
    if not isinstance(v, Literal):
        return False
    if v.datatype == dt:
        if getattr(v, "ill_typed", None) is True:
            return False
        expected = _PYTHON_TYPES.get(dt)  # type: ignore[call-overload]
        return expected is None or isinstance(v.value, expected)
    if dt == RDFS.Literal:
        return True
    if dt == RDFS.Datatype:
        return v.datatype is not None
    if v.datatype is None and v.language is None and dt == XSD.string:
        return isinstance(v.value, (str, bytes))
    if dt == RDF.langString and v.language:
        return isinstance(v.value, (str, bytes))
    return False


def _fill(template: str, values: dict[str, Any], focus: Node) -> str:
    """``{?var}`` / ``{$var}`` in a SHACL message replaced by the solution's values (``$this`` too)."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return str(values[name].value)
        if name == "this":
            return str(focus)
        return match.group(0)

    return _TEMPLATE.sub(one, template)


def _text(term: Any) -> str | None:
    return None if term is None else str(getattr(term, "value", term))


def _rdflib(term: Any) -> Node:
    from coprokg.rdfterms import to_rdflib_term

    result: Node = to_rdflib_term(term)
    return result
