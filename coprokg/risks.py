"""Meijer's four risks, fast: the SHACL-SPARQL constraints of ``shapes/risks.ttl`` run on Oxigraph.

``coprokg.validate`` runs every shape through pySHACL (tens of milliseconds a case). For
interactive classification the risk shapes are instead executed here as what they are — SPARQL
SELECT constraints with ``$this`` bound to each target node (SHACL 1.0 §5) — over an in-memory
Oxigraph store holding the case and the vocabulary digest: well under a millisecond a query.
Only SHACL-SPARQL constraints with ``sh:targetClass`` are supported; a risk shape using anything
else is an ``OntologyError`` at start-up, and the tests check this evaluator reports exactly what
pySHACL reports on every curated and generated case.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from coprokg.cases.load import LoadedCase
from coprokg.errors import OntologyError
from coprokg.namespaces import CPK
from coprokg.ontology import Ontology
from coprokg.rdfterms import to_ox_term
from coprokg.turtle import parse_turtle
from coprokg.validate import Severity, ValidationResult, field_of, vocabulary_digest

_THIS = re.compile(r"\$this\b")
_TEMPLATE = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True)
class RiskConstraint:
    shape: URIRef
    target: URIRef
    query: str
    message: str
    severity: Severity
    issue: str | None


def _prefix_block(shapes: Graph, constraint: object) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):  # type: ignore[arg-type]
        for decl in shapes.objects(holder, SH.declare):
            prefix = shapes.value(decl, SH.prefix)
            namespace = shapes.value(decl, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _bind_this(select: str, target: URIRef) -> str:
    """Make ``$this`` range over the target class's instances (the pre-binding of SHACL-SPARQL)."""
    text = _THIS.sub("?this", select)
    where = re.search(r"\bWHERE\s*\{", text, flags=re.I)
    if where is None:
        raise OntologyError(f"risk shape query has no WHERE clause: {select[:60]!r}")
    return text[: where.end()] + f"\n ?this a <{target}> .\n" + text[where.end() :]


def load_constraints(shapes: Graph) -> list[RiskConstraint]:
    constraints = []
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        if not isinstance(shape, URIRef):
            continue
        supported = {SH.targetClass, SH.sparql, SH.severity, SH.name, SH.description, SH.message}
        extra = {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH)) and p not in supported} - {
            RDF.type
        }
        if extra:
            raise OntologyError(
                f"{shape}: the fast risk evaluator runs only SHACL-SPARQL constraints; found "
                + ", ".join(sorted(str(p) for p in extra))
            )
        target = shapes.value(shape, SH.targetClass)
        severity = shapes.value(shape, SH.severity) or SH.Violation
        issue = shapes.value(shape, CPK.addressesIssue)
        for constraint in shapes.objects(shape, SH.sparql):
            select = shapes.value(constraint, SH.select)
            if not isinstance(target, URIRef) or select is None:
                raise OntologyError(f"{shape}: a risk shape needs sh:targetClass and an sh:select constraint")
            message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message) or ""
            query = _prefix_block(shapes, constraint) + "\n" + _bind_this(str(select), target)
            constraints.append(
                RiskConstraint(
                    shape=shape,
                    target=target,
                    query=query,
                    message=str(message),
                    severity=Severity(str(severity).rsplit("#", 1)[-1]),
                    issue=str(issue) if issue is not None else None,
                )
            )
    return constraints


class RiskEvaluator:
    """Runs the risk shapes' SPARQL constraints over one case at a time."""

    def __init__(self, ontology: Ontology, shapes_path: Path) -> None:
        shapes = parse_turtle(shapes_path)
        self.constraints = load_constraints(shapes)
        self.digest = [ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o)) for s, p, o in vocabulary_digest(ontology)]
        self._local = threading.local()

    def _store(self) -> ox.Store:
        # One in-memory store per thread keeps the vocabulary digest loaded; each case goes into a
        # named graph of its own and is removed after its queries.
        store: ox.Store | None = getattr(self._local, "store", None)
        if store is None:
            store = ox.Store()
            store.extend(self.digest)
            self._local.store = store
        return store

    def evaluate(self, loaded: LoadedCase) -> list[ValidationResult]:
        store = self._store()
        graph = ox.NamedNode("urn:coprokg:risk-case")
        store.extend([ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), graph) for s, p, o in loaded.graph])
        try:
            return self._evaluate(store, loaded)
        finally:
            store.remove_graph(graph)

    def _evaluate(self, store: ox.Store, loaded: LoadedCase) -> list[ValidationResult]:
        results: list[ValidationResult] = []
        actor_ids = [a.id for a in loaded.case.actors]
        seen: set[tuple[str, str, str | None, str | None, str]] = set()
        for constraint in self.constraints:
            solutions = store.query(constraint.query, use_default_graph_as_union=True)
            assert isinstance(solutions, ox.QuerySolutions)
            variables = [v.value for v in solutions.variables]
            for row in solutions:
                values = {name: row[name] for name in variables if row[name] is not None}
                focus = values["this"]
                path = values.get("path")
                value = values.get("value")
                message = _fill(constraint.message, values)
                path_iri = URIRef(path.value) if isinstance(path, ox.NamedNode) else None
                path_text = str(path_iri) if path_iri else None
                key = (str(constraint.shape), str(focus.value), path_text, _plain(value), message)
                if key in seen:  # one result per distinct solution, as pySHACL reports them
                    continue
                seen.add(key)
                field = field_of(str(focus.value), path_iri, actor_ids)
                line, column = loaded.position(field) if field else (None, None)
                results.append(
                    ValidationResult(
                        severity=constraint.severity,
                        message=message,
                        focus_node=str(focus.value),
                        path=path_text,
                        value=_plain(value),
                        source_shape=str(constraint.shape),
                        field=field,
                        line=line,
                        column=column,
                        issue=constraint.issue,
                    )
                )
        results.sort(key=lambda r: (r.field or "", r.message))
        return results


def _fill(template: str, values: dict[str, Any]) -> str:
    """Replace ``{?var}`` / ``{$var}`` in a SHACL message by the solution's values."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(values[name].value) if name in values else match.group(0)

    return _TEMPLATE.sub(one, template)


def _plain(term: object) -> str | None:
    if term is None:
        return None
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)
