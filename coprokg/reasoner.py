"""HermiT (through owlready2): the full OWL reasoner coprokg checks itself against.

Used for the ontology's consistency check and as the oracle of the classifier. Each call starts a
fresh owlready2 world and one JVM run, so it is for checks and tests, not for interactive use.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from coprokg.errors import CoprokgError
from coprokg.turtle import parse_turtle


class ReasonerUnavailable(CoprokgError):
    """Java (needed by HermiT) is not installed."""


class ReasonerFailed(CoprokgError):
    """HermiT stopped with an error; the message carries the Java error text."""


@dataclass(frozen=True)
class ConsistencyReport:
    consistent: bool
    unsatisfiable_classes: tuple[str, ...]
    seconds: float


def _owlready() -> Any:
    if shutil.which("java") is None:
        raise ReasonerUnavailable("java is not on PATH: HermiT needs a Java runtime (17 or newer)")
    import owlready2

    owlready2.JAVA_EXE = shutil.which("java") or "java"
    return owlready2


def graph_to_ntriples(graph: Graph) -> bytes:
    out = io.BytesIO()
    graph.serialize(out, format="nt", encoding="utf-8")
    return out.getvalue()


def run_hermit(ntriples: bytes, *, infer_types: bool = True) -> tuple[Any, Any]:
    """Load N-Triples into a fresh owlready2 world and run HermiT once.

    Returns ``(world, ontology)``. Raises ``ReasonerFailed`` with HermiT's message when the
    ontology is inconsistent or HermiT cannot process it.
    """
    import time

    owlready2 = _owlready()
    world = owlready2.World()
    handle, name = tempfile.mkstemp(suffix=".nt")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(ntriples)
        onto = world.get_ontology(Path(name).as_uri()).load(format="ntriples")
        start = time.perf_counter()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0, keep_tmp_file=False)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            raise ReasonerFailed("HermiT: the ontology is inconsistent") from exc
        except owlready2.OwlReadyJavaError as exc:
            text = str(exc).splitlines()
            message = next((line for line in text if "Exception" in line), text[-1] if text else "")
            raise ReasonerFailed(f"HermiT failed: {message.strip()}") from exc
        world._coprokg_seconds = time.perf_counter() - start
    finally:
        os.unlink(name)
    return world, onto


def check_consistency(ontology_path: Path) -> ConsistencyReport:
    """Run HermiT on the ontology: is it consistent, and which named classes are unsatisfiable?"""
    graph = parse_turtle(ontology_path)
    try:
        world, _ = run_hermit(graph_to_ntriples(graph))
    except ReasonerFailed as exc:
        if "inconsistent" in str(exc):
            return ConsistencyReport(False, (), 0.0)
        raise
    unsat = tuple(sorted(c.iri for c in world.inconsistent_classes()))
    return ConsistencyReport(True, unsat, float(world._coprokg_seconds))
