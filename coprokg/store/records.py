"""A stored case: its RDF, its classification and its validation warnings, written together.

Each case lives in two named graphs that are always replaced in one write:

* ``case_graph(id)`` — the case as described (``coprokg.cases.case_to_graph``);
* ``classification_graph(id)`` — what coprokg derived from it: the inferred ontology classes
  (``<case> a cpk:CoGovernanceCase``, roles of actors), the highest power-transfer level, each
  validation warning as a node, and the classification and validation reports as ``rdf:JSON``
  literals, so the API returns exactly what the library produced.

The derived terms use the record namespace ``cpkr:`` (https://w3id.org/coprokg/record#), which is
data about coprokg's processing, not part of the domain ontology.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph

from coprokg.cases.load import LoadedCase
from coprokg.classify import Classification, Classifier, default_classifier
from coprokg.errors import CaseNotConforming
from coprokg.namespaces import NodeKind, case_graph, case_iri, parse_case_node, warning_iri
from coprokg.namespaces import classification_graph as classification_graph_iri
from coprokg.paths import ontology_path, shapes_dir
from coprokg.rdfterms import to_ox_term, to_rdflib_term
from coprokg.threadsafe import RDFLIB_LOCK
from coprokg.validate import CASE_SHAPE_FILES, Severity, ValidationReport, validate_case

RECORD = "https://w3id.org/coprokg/record#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_JSON = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def rec(name: str) -> ox.NamedNode:
    """A term of the record namespace.

    >>> rec("powerTransferLevel").value
    'https://w3id.org/coprokg/record#powerTransferLevel'
    """
    return ox.NamedNode(RECORD + name)


def classification_graph(case_id: str) -> str:
    """The named graph holding what was derived from one case (``coprokg.iris``)."""
    return str(classification_graph_iri(case_id))


# ---------------------------------------------------------------- rdflib <-> pyoxigraph
def graph_to_triples(graph: Graph) -> list[ox.Triple]:
    return [ox.Triple(to_ox_term(s), to_ox_term(p), to_ox_term(o)) for s, p, o in graph]


def triples_to_graph(triples: list[ox.Triple]) -> Graph:
    graph = Graph()
    for t in triples:
        graph.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
    return graph


# ---------------------------------------------------------------- digests
@lru_cache(maxsize=1)
def rules_digest() -> str:
    """A digest of the ontology and case shapes: a stored case classified under other rules is stale."""
    h = hashlib.sha256()
    h.update(ontology_path().read_bytes())
    for name in CASE_SHAPE_FILES:
        h.update((shapes_dir() / name).read_bytes())
    return h.hexdigest()


def case_digest(triples: list[ox.Triple]) -> str:
    """A digest of a case's RDF and of the rules it was classified with."""
    h = hashlib.sha256(rules_digest().encode())
    for line in sorted(str(t) for t in triples):
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


# ---------------------------------------------------------------- the record
@dataclass(frozen=True)
class CaseRecord:
    """Everything written for one case, in one atomic write."""

    case_id: str
    case_triples: tuple[ox.Triple, ...]
    derived_triples: tuple[ox.Triple, ...]
    classification: Classification
    validation: ValidationReport
    digest: str

    @property
    def power_transfer(self) -> str:
        return self.classification.power_transfer

    @property
    def warnings(self) -> int:
        return len([r for r in self.validation.results if r.severity is not Severity.VIOLATION])


def _derived(case_id: str, classification: Classification, report: ValidationReport, digest: str) -> list[ox.Triple]:
    case = ox.NamedNode(str(case_iri(case_id)))
    out: list[ox.Triple] = []
    for membership in classification.classes:
        node = case if not membership.node else None
        if node is not None:
            out.append(ox.Triple(node, RDF_TYPE, ox.NamedNode(membership.iri)))
    for role in classification.roles:
        actor = parse_case_node(role.node_iri) if role.node_iri else None
        if actor is not None and actor.kind is NodeKind.ACTOR and actor.case_id == case_id:
            out.append(ox.Triple(ox.NamedNode(str(actor.iri)), RDF_TYPE, ox.NamedNode(role.iri)))
    for reading in classification.readings:
        if reading.default and reading.iri is not None:
            out.append(ox.Triple(case, rec("powerTransfer"), ox.NamedNode(reading.iri)))
        elif reading.iri is not None:
            out.append(ox.Triple(case, rec("powerTransferUnderOtherReading"), ox.NamedNode(reading.iri)))
    out.append(ox.Triple(case, rec("powerTransferLevel"), ox.Literal(classification.power_transfer)))
    out.append(
        ox.Triple(case, rec("conforms"), ox.Literal("true" if report.conforms else "false", datatype=XSD_BOOLEAN))
    )
    warnings = [r for r in report.results if r.severity is not Severity.VIOLATION]
    out.append(ox.Triple(case, rec("warningCount"), ox.Literal(str(len(warnings)), datatype=XSD_INTEGER)))
    for n, result in enumerate(warnings, start=1):
        node = ox.NamedNode(str(warning_iri(case_id, n)))
        out.append(ox.Triple(case, rec("warning"), node))
        out.append(ox.Triple(node, RDF_TYPE, rec("Warning")))
        out.append(ox.Triple(node, rec("severity"), ox.Literal(result.severity.value)))
        out.append(ox.Triple(node, rec("message"), ox.Literal(result.message)))
        out.append(ox.Triple(node, rec("sourceShape"), ox.NamedNode(result.source_shape)))
        if result.field:
            out.append(ox.Triple(node, rec("field"), ox.Literal(result.field)))
        if result.issue:
            out.append(ox.Triple(node, rec("issue"), ox.NamedNode(result.issue)))
    payload = json.dumps(classification.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    out.append(ox.Triple(case, rec("classification"), ox.Literal(payload, datatype=RDF_JSON)))
    payload = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    out.append(ox.Triple(case, rec("validation"), ox.Literal(payload, datatype=RDF_JSON)))
    out.append(ox.Triple(case, rec("sourceDigest"), ox.Literal(digest)))
    return out


def prepare_analysis() -> None:
    """Compile what ``build_record`` uses (ontology, classifier, shapes) ahead of the first case."""
    from coprokg.validate import prepare_validation

    default_classifier()
    prepare_validation()


def build_record(
    loaded: LoadedCase, *, classifier: Classifier | None = None, case_triples: list[ox.Triple] | None = None
) -> CaseRecord:
    """Validate and classify a loaded case into the record to store.

    A case that violates the case shapes is refused (``CaseNotConforming``, with every violation);
    warnings are kept with the case.

    >>> from coprokg.cases import load_case
    >>> record = build_record(load_case("tests/fixtures/buurt.json"))
    >>> record.power_transfer, record.warnings
    ('co-governance', 2)

    ``case_triples`` are the case's triples as ``graph_to_triples`` gives them, if already made.
    """
    with RDFLIB_LOCK:
        report = validate_case(loaded)
    if not report.conforms:
        first = report.violations[0]
        more = len(report.violations) - 1
        raise CaseNotConforming(
            first.message + (f" (and {more} more violation{'s' if more > 1 else ''})" if more else ""),
            field=first.field,
            line=first.line,
            column=first.column,
            source=loaded.source,
            results=[r.model_dump(mode="json") for r in report.violations],
        )
    with RDFLIB_LOCK:
        # risks=False: the classifier would validate again for its risk warnings; reuse this report's
        classification = (classifier or default_classifier()).classify(loaded, risks=False)
    classification = classification.model_copy(update={"risks": [r for r in report.results if r.issue is not None]})
    if case_triples is None:
        case_triples = graph_to_triples(loaded.graph)
    digest = case_digest(case_triples)
    return CaseRecord(
        case_id=loaded.case.id,
        case_triples=tuple(case_triples),
        derived_triples=tuple(_derived(loaded.case.id, classification, report, digest)),
        classification=classification,
        validation=report,
        digest=digest,
    )


def case_graph_iri(case_id: str) -> str:
    return str(case_graph(case_id))
