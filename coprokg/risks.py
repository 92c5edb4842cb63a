"""Meijer's four risks: the shapes of ``shapes/risks.ttl``, compiled, for classification.

``coprokg.validate`` evaluates the case shapes and the risk shapes together; classification only
needs the risks, so this evaluator compiles ``risks.ttl`` alone with ``coprokg.shacl`` (its
SHACL-SPARQL constraints run on an in-memory Oxigraph store with ``$this`` bound to the case) and
turns the results into located ``ValidationResult``s, in the same way as validation does. A risk
shape that the compiler cannot evaluate is an ``OntologyError`` at start-up: classification has no
slow path to fall back to. The tests check that this reports exactly what pySHACL reports for the
risk shapes on every curated and generated case.
"""

from __future__ import annotations

from pathlib import Path

from coprokg.cases.load import LoadedCase
from coprokg.ontology import Ontology
from coprokg.shacl import compile_shapes
from coprokg.turtle import read_turtle
from coprokg.validate import ValidationResult, case_index, located_result

__all__ = ["RiskEvaluator"]


class RiskEvaluator:
    """Runs the compiled risk shapes over one case at a time."""

    def __init__(self, ontology: Ontology, shapes_path: Path) -> None:
        self.shapes = read_turtle(shapes_path)
        self.compiled = compile_shapes(self.shapes)
        self.ontology = ontology

    def evaluate(self, loaded: LoadedCase) -> list[ValidationResult]:
        data, quads = case_index(loaded, self.ontology)
        found = self.compiled.results(data, background=quads)
        actor_ids = [a.id for a in loaded.case.actors]
        results = [
            located_result(
                self.shapes, loaded, actor_ids, r.severity, r.focus, r.path, r.value, r.source_shape, r.message
            )
            for r in found
        ]
        results.sort(key=lambda r: (r.field or "", r.message, r.focus_node, r.value or ""))
        return results
