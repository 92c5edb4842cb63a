"""Ontology quality checks: the named SPARQL violation queries, the hygiene shapes, HermiT and the
OWL API profile check, gathered into one report (``coprokg check``).

Each SPARQL check is a file ``queries/<name>-violation.rq`` that lists offending IRIs; its
severity is in ``PROFILE`` (one place, as in ODK's profile.txt). An empty answer means the check
passed. Every check has a test fixture that must fail it, so a broken check cannot pass silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

from coprokg.ontology import parse_turtle
from coprokg.paths import catalog_path, ontology_path, shapes_dir

QUERY_DIR = Path(__file__).resolve().parent / "queries"
# check name -> severity; an ERROR fails `coprokg check`, a WARNING is reported only.
PROFILE: dict[str, str] = {
    "missing-label": "ERROR",
    "missing-definition": "ERROR",
    "missing-source": "ERROR",
    "missing-notation": "ERROR",
    "duplicate-notation": "ERROR",
    "dangling-reference": "ERROR",
}


@dataclass
class CheckResult:
    name: str
    severity: str
    offenders: list[str]

    @property
    def passed(self) -> bool:
        return not self.offenders


@dataclass
class QualityReport:
    path: Path
    counts: dict[str, int]
    results: list[CheckResult] = field(default_factory=list)

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if not r.passed and r.severity == "ERROR"]

    def summary(self) -> str:
        lines = [f"{self.path}"]
        lines.append("  " + ", ".join(f"{k}: {v}" for k, v in self.counts.items()))
        for r in self.results:
            status = "ok" if r.passed else f"{len(r.offenders)} {r.severity.lower()}(s)"
            lines.append(f"  {r.name}: {status}")
            for offender in r.offenders[:20]:
                lines.append(f"    - {offender}")
            if len(r.offenders) > 20:
                lines.append(f"    … and {len(r.offenders) - 20} more")
        lines.append("FAILED" if self.failed else "PASSED")
        return "\n".join(lines)


def load_graph(path: Path) -> Graph:
    return parse_turtle(path)


def counts(graph: Graph) -> dict[str, int]:
    """Counts of classes, properties, individuals and triples (as declared in the file)."""

    def named(t: URIRef) -> int:
        return sum(1 for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef))

    return {
        "classes": named(OWL.Class),
        "object properties": named(OWL.ObjectProperty),
        "data properties": named(OWL.DatatypeProperty),
        "annotation properties": named(OWL.AnnotationProperty),
        "individuals": named(OWL.NamedIndividual),
        "triples": len(graph),
    }


def sparql_checks(graph: Graph) -> list[CheckResult]:
    """Run every ``*-violation.rq`` query; each row is an offending IRI."""
    results = []
    for name, severity in PROFILE.items():
        query = (QUERY_DIR / f"{name}-violation.rq").read_text(encoding="utf-8")
        offenders = sorted({str(row[0]) for row in graph.query(query)})  # type: ignore[index]
        results.append(CheckResult(name, severity, offenders))
    return results


def hygiene_shapes_check(graph: Graph) -> CheckResult:
    """Validate the ontology against ``shapes/ontology.ttl``."""
    shapes = load_graph(shapes_dir() / "ontology.ttl")
    _, report, _ = shacl_validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    offenders = sorted(
        f"{report.value(r, SH.focusNode)}: {report.value(r, SH.resultMessage)}"
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )
    return CheckResult("hygiene-shapes", "ERROR", offenders)


def reasoner_check(path: Path) -> CheckResult:
    from coprokg.reasoner import check_consistency

    report = check_consistency(path)
    offenders = [] if report.consistent else ["the ontology is inconsistent"]
    offenders += [f"unsatisfiable class: {c}" for c in report.unsatisfiable_classes]
    return CheckResult("hermit-consistency", "ERROR", offenders)


def profile_check(path: Path) -> tuple[CheckResult, int]:
    from coprokg.quality.owlapi import check_owl_profile

    catalog = catalog_path()
    report = check_owl_profile(path, catalog if catalog.exists() else None)
    offenders = [f"{v.type}: {v.axiom}" for v in report.violations]
    offenders += [f"unparsed triple: {t}" for t in report.unparsed_triples]
    offenders += [f"unparsed triple (logged): {t}" for t in report.unparsed_triples_logged]
    offenders += [f"missing import: {i}" for i in report.missing_imports]
    return CheckResult("owl2-dl-profile (OWL API)", "ERROR", offenders), report.axiom_count


def run_checks(path: Path | None = None, *, reasoner: bool = True, owlapi: bool = True) -> QualityReport:
    """Run all quality checks on the ontology at ``path`` (default: ``ontology/coprod.ttl``)."""
    path = path or ontology_path()
    graph = load_graph(path)
    report = QualityReport(path, counts(graph))
    report.results.extend(sparql_checks(graph))
    report.results.append(hygiene_shapes_check(graph))
    if owlapi:
        result, axioms = profile_check(path)
        report.counts["axioms (OWL API)"] = axioms
        report.results.append(result)
    if reasoner:
        report.results.append(reasoner_check(path))
    return report
