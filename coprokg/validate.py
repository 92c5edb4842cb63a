"""Validate described cases with the SHACL shapes (pySHACL), into one typed report.

The report keeps SHACL's three severities one to one, and maps each result back to where it is
in the case file: the JSON field path (``participations[1].decision``) and, for JSON input, the
line and column.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal as Choice

import pyoxigraph as ox
from pydantic import BaseModel, Field
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH
from rdflib.term import Node

from coprokg.cases.load import LoadedCase
from coprokg.errors import OntologyError
from coprokg.fields import property_path
from coprokg.namespaces import CPK, parse_case_node
from coprokg.ontology import Ontology, default_ontology
from coprokg.paths import resolved, shapes_dir
from coprokg.rdfterms import to_ox_term
from coprokg.shacl import CaseIndex, CompiledShapes, UnsupportedShape, compile_shapes
from coprokg.turtle import read_turtle

log = logging.getLogger(__name__)


class _LiteralSubstitution:
    """``re`` for pySHACL's message formatting, with the replacement taken as text.

    pySHACL fills ``{?var}`` in the messages of SHACL-SPARQL constraints with ``re.sub(pattern,
    str(value), message)``, which reads backslashes in the value as escapes: a case whose actor is
    labelled, say, ``Residents \\A`` made validation fail with ``re.error``. Its module gets this
    object instead of ``re``, so a value is inserted exactly as it is.
    """

    def __getattr__(self, name: str) -> object:
        return getattr(re, name)

    @staticmethod
    def sub(
        pattern: str, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0, flags: int = 0
    ) -> str:
        if isinstance(repl, str):
            text = repl
            return re.sub(pattern, lambda _match: text, string, count=count, flags=flags)
        return re.sub(pattern, repl, string, count=count, flags=flags)


@lru_cache(maxsize=1)
def _pyshacl_validate() -> Callable[..., tuple[bool, Graph, str]]:
    """pySHACL's ``validate``, imported on first use (it is the oracle and the fallback, and takes a
    sixth of a second to import), with its message formatting given ``_LiteralSubstitution``."""
    import pyshacl.constraints.constraint_component as shacl_component
    from pyshacl import validate

    shacl_component.re = _LiteralSubstitution()  # type: ignore[attr-defined,assignment]
    return validate


__all__ = [
    "CASE_SHAPE_FILES",
    "Severity",
    "ValidationEngine",
    "ValidationReport",
    "ValidationResult",
    "digest_index",
    "field_of",
    "located_result",
    "prepare_validation",
    "validate_case",
    "vocabulary_digest",
]

CASE_SHAPE_FILES = ("case.ttl", "risks.ttl")


class Severity(StrEnum):
    """SHACL severities, one to one."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"


class ValidationResult(BaseModel):
    """One SHACL result, located in the case."""

    severity: Severity
    message: str
    focus_node: str
    path: str | None = None
    value: str | None = None
    source_shape: str
    field: str | None = Field(default=None, description="Field path in the case format.")
    line: int | None = None
    column: int | None = None
    issue: str | None = Field(default=None, description="The Meijer (2016) issue a risk shape addresses.")


class ValidationReport(BaseModel):
    """The outcome of validating one case."""

    case_id: str
    conforms: bool = Field(description="True when no result has severity Violation.")
    results: list[ValidationResult]

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity is Severity.VIOLATION]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity is Severity.WARNING]


def _stamp(directory: Path, files: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """When and how big each shapes file is: an edited file is read again."""
    stats = [(directory / name).stat() for name in files]
    return tuple((s.st_mtime_ns, s.st_size) for s in stats)


def _shapes(directory: Path, files: tuple[str, ...]) -> Graph:
    return _shapes_at(directory, files, _stamp(directory, files))


@lru_cache(maxsize=4)
def _shapes_at(directory: Path, files: tuple[str, ...], stamp: tuple[tuple[int, int], ...]) -> Graph:
    graph = Graph()
    for name in files:
        part = read_turtle(directory / name)
        for prefix, namespace in part.namespaces():
            graph.bind(prefix, namespace, override=False)
        graph += part
    return graph


def vocabulary_digest(ontology: Ontology) -> Graph:
    """The part of the ontology the shapes need: vocabulary types, notations and value sets.

    Mixing the whole ontology into every case would make validation several times slower.
    """
    cached: Graph | None = getattr(ontology, "_shacl_digest", None)
    if cached is not None:
        return cached
    src = ontology.graph
    digest = Graph()
    skos_notation = URIRef("http://www.w3.org/2004/02/skos/core#notation")
    skos_broader = URIRef("http://www.w3.org/2004/02/skos/core#broader")
    for vocab in ontology.vocabularies.values():
        for value in vocab.values.values():
            for t in src.objects(value.iri, RDF.type):
                digest.add((value.iri, RDF.type, t))
            digest.add((value.iri, RDF.type, vocab.cls))
            digest.add((value.iri, skos_notation, Literal(value.notation)))
            for b in src.objects(value.iri, skos_broader):
                digest.add((value.iri, skos_broader, b))
    for cls, expr in src.subject_objects(OWL.equivalentClass):
        items = src.value(expr, OWL.oneOf)
        if items is None:
            continue
        digest.add((cls, OWL.equivalentClass, expr))
        digest.add((expr, OWL.oneOf, items))
        node = items
        while node != RDF.nil:
            first, rest = src.value(node, RDF.first), src.value(node, RDF.rest)
            if first is None or rest is None:
                raise OntologyError(f"{cls}: malformed owl:oneOf list")
            digest.add((node, RDF.first, first))
            digest.add((node, RDF.rest, rest))
            node = rest
    ontology._shacl_digest = digest  # type: ignore[attr-defined]
    return digest


def field_of(node: str, path: URIRef | None, actor_ids: Sequence[str] = ()) -> str | None:
    """The case-format field path of a SHACL result: its focus node and, if any, its property.

    ``actor_ids`` are the ids of the case's actors in file order: an actor is named by its place
    (``actors[0]``), as in the case file.

    >>> field_of("https://w3id.org/coprokg/case/buurt/participation/2", CPK.decisionRight)
    'participations[1].decision'
    >>> field_of("https://w3id.org/coprokg/case/buurt/actor/residents", CPK.actorKind, ["city", "residents"])
    'actors[1].kind'
    """
    return property_path(parse_case_node(node), path, actor_ids)


ValidationEngine = Choice["compiled", "pyshacl"]


def _compiled(directory: Path, files: tuple[str, ...]) -> CompiledShapes | None:
    return _compiled_at(directory, files, _stamp(directory, files))


@lru_cache(maxsize=4)
def _compiled_at(directory: Path, files: tuple[str, ...], stamp: tuple[tuple[int, int], ...]) -> CompiledShapes | None:
    return _compile_or_none(_shapes_at(directory, files, stamp))


def _compile_or_none(shapes: Graph) -> CompiledShapes | None:
    try:
        return compile_shapes(shapes)
    except UnsupportedShape as exc:
        log.warning("validating with pySHACL, which is slower: %s", exc)
        return None


def digest_index(ontology: Ontology) -> tuple[CaseIndex, list[ox.Quad]]:
    """The vocabulary digest as the compiled validator's background: an index and Oxigraph quads."""
    cached: tuple[CaseIndex, list[ox.Quad]] | None = getattr(ontology, "_shacl_digest_index", None)
    if cached is None:
        digest = vocabulary_digest(ontology)
        cached = (
            CaseIndex(digest),
            [ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o)) for s, p, o in digest],
        )
        ontology._shacl_digest_index = cached  # type: ignore[attr-defined]
    return cached


def case_index(loaded: LoadedCase, ontology: Ontology) -> tuple[CaseIndex, list[ox.Quad]]:
    """The compiled shapes' index of a case over the vocabulary digest, and the digest's quads.

    Built once per loaded case and kept with it, so that validation and the risk step of
    classification share it, and the answers of its SHACL-SPARQL queries.
    """
    index, quads = digest_index(ontology)
    data: CaseIndex | None = loaded.memo.get(index)
    if data is None:
        data = loaded.memo[index] = CaseIndex(loaded.graph, background=index)
    return data, quads


def prepare_validation(ontology: Ontology | None = None) -> None:
    """Read and compile the shapes and index the vocabulary digest ahead of the first case."""
    _compiled(resolved(shapes_dir()), CASE_SHAPE_FILES)
    digest_index(ontology or default_ontology())


def validate_case(
    loaded: LoadedCase,
    *,
    ontology: Ontology | None = None,
    shapes: Graph | None = None,
    engine: ValidationEngine | None = None,
) -> ValidationReport:
    """Validate one loaded case against the case and risk shapes.

    The shapes are compiled (``coprokg.shacl``) and evaluated in-process; ``engine="pyshacl"``
    runs pySHACL instead, the oracle the compiled path is tested against (and what is used when
    a shape uses SHACL the compiler does not know).

    >>> from coprokg.cases import load_case
    >>> report = validate_case(load_case("tests/fixtures/buurt.json"))
    >>> report.conforms, [r.source_shape.rsplit("#")[-1] for r in report.warnings]
    (True, ['UncompensatedContributionRisk', 'UncompensatedContributionRisk'])
    """
    ontology = ontology or default_ontology()
    if shapes is None:
        directory = resolved(shapes_dir())
        shapes = _shapes(directory, CASE_SHAPE_FILES)
        compiled = _compiled(directory, CASE_SHAPE_FILES) if engine != "pyshacl" else None
    else:
        compiled = _compile_or_none(shapes) if engine != "pyshacl" else None
    if engine == "compiled" and compiled is None:
        raise OntologyError("the shapes use SHACL the compiled validator does not evaluate (see the log)")
    if compiled is not None:
        data, quads = case_index(loaded, ontology)
        found = compiled.results(data, background=quads)
        raw: list[_Raw] = [(r.severity, r.focus, r.path, r.value, r.source_shape, r.message) for r in found]
    else:
        raw = _pyshacl_results(loaded, ontology, shapes)
    actor_ids = [a.id for a in loaded.case.actors]
    results = [located_result(shapes, loaded, actor_ids, *row) for row in raw]
    results.sort(
        key=lambda r: (r.severity != Severity.VIOLATION, r.field or "", r.message, r.focus_node, r.value or "")
    )
    conforms = not any(r.severity is Severity.VIOLATION for r in results)
    return ValidationReport(case_id=loaded.case.id, conforms=conforms, results=results)


_Raw = tuple[Node | None, Node, Node | None, Node | None, Node | None, str]


def _pyshacl_results(loaded: LoadedCase, ontology: Ontology, shapes: Graph) -> list[_Raw]:
    data = Graph()
    for triple in loaded.graph:
        data.add(triple)
    for triple in vocabulary_digest(ontology):
        data.add(triple)
    _, report_graph, _ = _pyshacl_validate()(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    raw: list[_Raw] = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        focus = report_graph.value(result, SH.focusNode)
        assert focus is not None
        raw.append(
            (
                report_graph.value(result, SH.resultSeverity),
                focus,
                report_graph.value(result, SH.resultPath),
                report_graph.value(result, SH.value),
                report_graph.value(result, SH.sourceShape),
                str(report_graph.value(result, SH.resultMessage) or ""),
            )
        )
    return raw


def located_result(
    shapes: Graph,
    loaded: LoadedCase,
    actor_ids: list[str],
    severity: Node | None,
    focus_node: Node,
    path: Node | None,
    value: Node | None,
    shape: Node | None,
    message: str,
) -> ValidationResult:
    """One result with the shape that holds it, the Meijer issue it addresses and its place in the file."""
    focus = str(focus_node)
    top_shape = shape
    # a property shape is a blank node: report the node shape that holds it
    for holder in shapes.subjects(SH.property, shape):
        top_shape = holder
    sparql_holder = shapes.value(None, SH.sparql, shape) if shape is not None else None
    if sparql_holder is not None:
        top_shape = sparql_holder
    issue = shapes.value(top_shape, CPK.addressesIssue)
    field = field_of(focus, path if isinstance(path, URIRef) else None, actor_ids)
    line, column = loaded.position(field) if field else (None, None)
    return ValidationResult(
        severity=Severity(str(severity).rsplit("#", 1)[-1]),
        message=message,
        focus_node=focus,
        path=str(path) if path is not None else None,
        value=str(value) if value is not None else None,
        source_shape=str(top_shape),
        field=field,
        line=line,
        column=column,
        issue=str(issue) if issue is not None else None,
    )
