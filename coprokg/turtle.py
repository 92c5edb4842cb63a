"""Deterministic Turtle serialisation, so that a Protégé save makes a small diff.

Protégé and rdflib both write Turtle in an order of their own. ``canonical_turtle`` sorts
prefixes, subjects, predicates and objects, inlines blank nodes (OWL restrictions are trees of
blank nodes, referenced once) and writes RDF collections as ``( … )``. Running it on its own output
changes nothing, which is what ``make normalize`` and its CI check rely on.

RDF collections that OWL reads as sets (the operands of ``owl:oneOf``, ``owl:intersectionOf``,
``owl:unionOf``, ``owl:members``, ``owl:distinctMembers``, ``owl:disjointUnionOf``, ``owl:hasKey``,
``owl:withRestrictions``) are written with their members sorted by their written form (a nested
class expression by its own canonical text): the OWL API keeps such operands in sets and writes them
back in an order of its own. Every other collection (``owl:propertyChainAxiom``, ``owl:onProperties``,
a list-valued annotation) keeps its order. Reordering a collection's members rewires its
``rdf:first`` triples, so the graph is the same up to the list's blank nodes: isomorphic only when
the members already were in that order, equal as OWL in every case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax

from coprokg.errors import OntologyError
from coprokg.rdfterms import to_rdflib_term

__all__ = [
    "TurtleFormatError",
    "canonical_turtle",
    "is_normalized",
    "normalize_file",
    "parse_turtle",
    "turtle_prefixes",
    "turtle_triples",
]

# Predicates written first, in this order; the rest alphabetically by their written form.
_PREDICATE_ORDER = [
    str(RDF.type),
    str(RDFS.label),
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#notation",
    "http://www.w3.org/2004/02/skos/core#definition",
    str(OWL.equivalentClass),
    str(RDFS.subClassOf),
]
# Kinds of subjects, grouped in this order so the file reads top-down: header, properties, classes,
# individuals.
_TYPE_ORDER = [
    str(OWL.Ontology),
    str(OWL.AnnotationProperty),
    str(OWL.ObjectProperty),
    str(OWL.DatatypeProperty),
    str(OWL.Class),
]


# Objects of these predicates are RDF collections that OWL 2 maps to sets (OWL 2 Mapping to RDF
# Graphs, table 1): their written order carries no meaning, so they are sorted.
SET_VALUED_LIST_PREDICATES = frozenset(
    str(p)
    for p in (
        OWL.oneOf,
        OWL.intersectionOf,
        OWL.unionOf,
        OWL.members,
        OWL.distinctMembers,
        OWL.disjointUnionOf,
        OWL.hasKey,
        OWL.withRestrictions,
    )
)


class TurtleFormatError(OntologyError):
    """A Turtle file could not be parsed for normalisation, or cannot be written canonically."""


# ---------------------------------------------------------------- reading the project's Turtle
# Every Turtle file of the project (ontology, shapes) is read here, so that a syntax error is one
# coprokg error naming file:line:column, never a parser's traceback.
_OX_PREFIX = re.compile(r"^Parser error (?:at|between) line .*?: ")


def _read_text(path: Path, error: type[OntologyError]) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("file not found", source=str(path)) from None
    except (OSError, UnicodeError) as exc:
        raise error(f"cannot read: {exc}", source=str(path)) from None


def _ox_syntax_error(path: Path, exc: SyntaxError, error: type[OntologyError]) -> OntologyError:
    message = _OX_PREFIX.sub("", str(exc.msg))
    return error(f"not valid Turtle: {message}", source=str(path), line=exc.lineno, column=exc.offset)


def _located(path: Path, text: str, exc: Exception, error: type[OntologyError]) -> OntologyError:
    """The error for a file rdflib refused: where it stopped, else where Oxigraph stops."""
    if isinstance(exc, BadSyntax):
        argstr = exc._str.decode("utf-8", errors="replace")
        at = min(exc._i, len(argstr))
        line = argstr.count("\n", 0, at) + 1
        column = at - (argstr.rfind("\n", 0, at) + 1) + 1
        return error(f"not valid Turtle: {exc._why}", source=str(path), line=line, column=column)
    try:
        for _ in ox.parse(text.encode("utf-8"), ox.RdfFormat.TURTLE):
            pass
    except SyntaxError as ox_exc:
        return error(f"not valid Turtle: {exc}", source=str(path), line=ox_exc.lineno, column=ox_exc.offset)
    return error(f"not valid Turtle: {exc}", source=str(path))


def parse_turtle(
    path: Path,
    *,
    error: type[OntologyError] = OntologyError,
    namespaces: TypingLiteral["none", "rdflib", "core"] = "rdflib",
) -> Graph:
    """Read a Turtle file of the project (ontology, shapes) into an rdflib graph.

    A missing file or a syntax error raises ``error`` (an ``OntologyError``) with the file, line and
    column. ``namespaces`` are the prefixes bound besides the file's own (rdflib's choice).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     bad = Path(tmp, "bad.ttl")
    ...     _ = bad.write_text("@prefix ex: <http://example.org/> .\\nex:a ex:b foo:c .\\n")
    ...     try:
    ...         parse_turtle(bad)
    ...     except OntologyError as exc:
    ...         print(exc.line, exc.column, exc.message)
    2 11 not valid Turtle: Prefix "foo:" not bound
    """
    text = _read_text(path, error)
    graph = Graph(bind_namespaces=namespaces)
    try:
        graph.parse(data=text, format="turtle", publicID=path.absolute().as_uri())
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise _located(path, text, exc, error) from None
    return graph


def read_turtle(path: Path, *, error: type[OntologyError] = OntologyError) -> Graph:
    """A Turtle file of the project as an rdflib graph, parsed by Oxigraph (25 times faster than
    rdflib's parser: this is what the service reads at start-up); errors as ``parse_turtle``.

    The terms are those of RDF 1.1, where ``"x"`` and ``"x"^^xsd:string`` are one literal: both
    become rdflib's plain literal. ``coprokg normalize`` and the quality checks, which must see the
    file exactly as written, use ``parse_turtle``.
    """
    text = _read_text(path, error)
    try:
        parser = ox.parse(text.encode("utf-8"), ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        quads = list(parser)
    except SyntaxError as exc:
        raise _ox_syntax_error(path, exc, error) from None
    graph = Graph()
    for prefix, namespace in parser.prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.addN((to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object), graph) for q in quads)
    return graph


def turtle_triples(path: Path, *, error: type[OntologyError] = OntologyError) -> list[ox.Triple]:
    """Read a Turtle file of the project as Oxigraph triples (for the store); errors as ``parse_turtle``."""
    text = _read_text(path, error)
    try:
        return [q.triple for q in ox.parse(text.encode("utf-8"), ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())]
    except SyntaxError as exc:
        raise _ox_syntax_error(path, exc, error) from None


def turtle_prefixes(path: Path, *, error: type[OntologyError] = OntologyError) -> dict[str, str]:
    """The prefixes a Turtle file of the project declares (anywhere in it); errors as ``parse_turtle``."""
    text = _read_text(path, error)
    try:
        parser = ox.parse(text.encode("utf-8"), ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        for _quad in parser:  # a declaration may come late in the file
            pass
    except SyntaxError as exc:
        raise _ox_syntax_error(path, exc, error) from None
    return dict(parser.prefixes)


class _Writer:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.prefixes = sorted(
            ((p, str(ns)) for p, ns in graph.namespaces() if p),
            key=lambda pn: (-len(pn[1]), pn[0]),
        )
        self.used_prefixes: set[str] = set()

    def iri(self, node: URIRef) -> str:
        text = str(node)
        for prefix, ns in self.prefixes:
            if text.startswith(ns):
                local = text[len(ns) :]
                if local and _is_pname_local(local):
                    self.used_prefixes.add(prefix)
                    return f"{prefix}:{local}"
        return f"<{text}>"

    def literal(self, lit: Literal) -> str:
        lexical = str(lit)
        if "\n" in lexical or '"' in lexical:
            body = '"""' + lexical.replace("\\", "\\\\").replace('"""', '\\"""') + '"""'
            if body.endswith('""""'):
                body = body[:-4] + '\\""""'
        else:
            body = '"' + lexical.replace("\\", "\\\\") + '"'
        if lit.language:
            return f"{body}@{lit.language}"
        if lit.datatype is not None and lit.datatype != XSD.string:
            return f"{body}^^{self.iri(URIRef(lit.datatype))}"
        return body

    def term(self, node: object, indent: int, *, as_set: bool = False) -> str:
        """``node`` as Turtle; a collection's members sorted by their written form if ``as_set``."""
        if isinstance(node, URIRef):
            if node == RDF.nil:
                return "()"
            return self.iri(node)
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, BNode):
            items = self._collection(node)
            if items is not None:
                written = [self.term(i, indent) for i in items]
                if as_set:
                    written.sort()
                return "( " + " ".join(written) + " )"
            return self.blank(node, indent)
        raise TurtleFormatError(f"cannot write RDF term {node!r}")

    def _collection(self, node: BNode) -> list[object] | None:
        items: list[object] = []
        current: object = node
        while current != RDF.nil:
            if not isinstance(current, BNode):
                return None
            props = set(self.graph.predicates(current, None))
            if props != {RDF.first, RDF.rest}:
                return None
            if len(list(self.graph.objects(current, RDF.first))) != 1:
                return None
            items.append(self.graph.value(current, RDF.first))
            current = self.graph.value(current, RDF.rest)
        return items

    def blank(self, node: BNode, indent: int) -> str:
        body = self.predicate_lines(node, indent + 4)
        pad = " " * indent
        return "[\n" + body + "\n" + pad + "]"

    def predicate_lines(self, subject: URIRef | BNode, indent: int) -> str:
        pad = " " * indent
        groups: dict[str, list[str]] = {}
        for p, o in self.graph.predicate_objects(subject):
            written_p = "a" if p == RDF.type else self.iri(URIRef(str(p)))
            as_set = str(p) in SET_VALUED_LIST_PREDICATES
            groups.setdefault(str(p), [written_p]).append(self.term(o, indent, as_set=as_set))
        lines = []
        for key in sorted(groups, key=lambda k: _predicate_key(k, groups[k][0])):
            written, *objects = groups[key]
            sep = ",\n" + pad + "    "
            lines.append(pad + written + " " + sep.join(sorted(set(objects))))
        return " ;\n".join(lines)

    def subject_key(self, subject: URIRef) -> tuple[int, str]:
        types = {str(t) for t in self.graph.objects(subject, RDF.type)}
        rank = min((i for i, t in enumerate(_TYPE_ORDER) if t in types), default=len(_TYPE_ORDER))
        return (rank, str(subject))

    def write(self) -> str:
        referenced = {o for o in self.graph.objects() if isinstance(o, BNode)}
        named = sorted({s for s in self.graph.subjects() if isinstance(s, URIRef)}, key=self.subject_key)
        blocks = [self.iri(s) + "\n" + self.predicate_lines(s, 4) + " ." for s in named]
        loose = sorted(
            self.blank(s, 0) + " ."
            for s in {s for s in self.graph.subjects() if isinstance(s, BNode)}
            if s not in referenced
        )
        head = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(self.prefixes) if p in self.used_prefixes]
        return "\n".join(head) + "\n\n" + "\n\n".join(blocks + loose) + "\n"


def _is_pname_local(local: str) -> bool:
    if local[0] in "-." or local[-1] == ".":
        return False
    return all(c.isalnum() or c in "_-." for c in local)


def _predicate_key(iri: str, written: str) -> tuple[int, str]:
    if iri in _PREDICATE_ORDER:
        return (_PREDICATE_ORDER.index(iri), "")
    return (len(_PREDICATE_ORDER), written)


def canonical_turtle(graph: Graph) -> str:
    """Return ``graph`` as Turtle in one fixed order.

    >>> g = Graph()
    >>> _ = g.bind("ex", "http://example.org/")
    >>> _ = g.add((URIRef("http://example.org/b"), RDFS.label, Literal("B")))
    >>> _ = g.add((URIRef("http://example.org/a"), RDFS.label, Literal("A", lang="en")))
    >>> print(canonical_turtle(g))
    @prefix ex: <http://example.org/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <BLANKLINE>
    ex:a
        rdfs:label "A"@en .
    <BLANKLINE>
    ex:b
        rdfs:label "B" .
    <BLANKLINE>
    """
    return _Writer(graph).write()


def _read(path: Path) -> Graph:
    return parse_turtle(path, error=TurtleFormatError, namespaces="none")


def normalize_file(path: Path) -> bool:
    """Rewrite ``path`` in canonical order; return True when its content changed."""
    before = path.read_text(encoding="utf-8")
    after = canonical_turtle(_read(path))
    if after != before:
        path.write_text(after, encoding="utf-8")
        return True
    return False


def is_normalized(paths: Iterable[Path]) -> list[Path]:
    """Return the files among ``paths`` that ``normalize_file`` would change."""
    return [p for p in paths if canonical_turtle(_read(p)) != p.read_text(encoding="utf-8")]
