"""pySHACL as the oracle of the compiled validator: the comparison and a generator of broken cases.

The generator starts from a valid case and breaks its RDF the ways a Turtle author can: a triple
dropped, a second value, a value of the wrong class or kind, a literal of the wrong datatype or
language, a type removed, a blank node where an IRI belongs, an access mode outside the list.
Every edit is drawn from the shapes' own paths and the ontology's vocabularies, so a new shape or
vocabulary value is exercised without changing this file.
"""

from __future__ import annotations

import random
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from coprokg.cases import LoadedCase
from coprokg.ontology import default_ontology
from coprokg.paths import shapes_dir
from coprokg.validate import CASE_SHAPE_FILES, ValidationReport, _shapes, validate_case

Key = tuple[Any, ...]


def report_key(report: ValidationReport) -> list[Key]:
    """Everything a result says, as a sorted list (the order of equal-keyed results is free)."""
    rows = (
        (r.severity, r.focus_node, r.path, r.value, r.message, r.source_shape, r.field, r.line, r.column, r.issue)
        for r in report.results
    )
    return sorted(rows, key=lambda row: tuple((x is not None, "" if x is None else str(x)) for x in row))


def assert_same_report(loaded: LoadedCase, label: str) -> ValidationReport:
    """Validate with both engines and fail, naming the difference, unless the reports are identical."""
    ours = validate_case(loaded, engine="compiled")
    oracle = validate_case(loaded, engine="pyshacl")
    mine, theirs = report_key(ours), report_key(oracle)
    if mine != theirs or ours.conforms != oracle.conforms:
        only_ours = [k for k in mine if k not in theirs]
        only_theirs = [k for k in theirs if k not in mine]
        raise AssertionError(f"{label}: compiled only {only_ours}; pySHACL only {only_theirs}")
    return ours


def _vocabulary_values() -> list[URIRef]:
    ontology = default_ontology()
    return sorted(v.iri for vocab in ontology.vocabularies.values() for v in vocab.values.values())


def _shape_paths() -> list[URIRef]:
    shapes = _shapes(shapes_dir().resolve(), CASE_SHAPE_FILES)
    return sorted({p for p in shapes.objects(None, SH.path) if isinstance(p, URIRef)})


VOCABULARY = _vocabulary_values()
PATHS = _shape_paths()
LITERALS: list[Literal] = [
    Literal(""),
    Literal("   "),
    Literal("x"),
    Literal("Dutch text", lang="nl"),
    Literal("42", datatype=XSD.integer),
    Literal("secondary"),
    Literal("read"),
    Literal("other"),
    Literal("nl"),
    Literal("NL"),
    Literal("true", datatype=XSD.boolean),
    Literal("text", datatype=XSD.string),
]


def broken_variant(loaded: LoadedCase, rng: random.Random, edits: int) -> LoadedCase:
    """A copy of ``loaded`` with ``edits`` random edits to its RDF (same case model, new graph)."""
    triples = sorted(loaded.graph, key=lambda t: tuple(map(str, t)))
    subjects = sorted({s for s, _, _ in triples}, key=str)
    for _ in range(edits):
        action = rng.randrange(7)
        if action == 0 and triples:  # drop a triple
            triples.pop(rng.randrange(len(triples)))
        elif action == 1:  # a value from some vocabulary, perhaps the wrong one
            triples.append((rng.choice(subjects), rng.choice(PATHS), rng.choice(VOCABULARY)))
        elif action == 2:  # a literal where the shapes look
            triples.append((rng.choice(subjects), rng.choice(PATHS), rng.choice(LITERALS)))
        elif action == 3:  # a node of the case where a value belongs
            triples.append((rng.choice(subjects), rng.choice(PATHS), rng.choice(subjects)))
        elif action == 4:  # a blank node value
            triples.append((rng.choice(subjects), rng.choice(PATHS), BNode(f"b{rng.randrange(3)}")))
        elif action == 5 and triples:  # a node loses its type
            typed = [t for t in triples if t[1] == RDF.type]
            if typed:
                triples.remove(rng.choice(typed))
        elif triples:  # replace a value by another of the same position elsewhere
            i = rng.randrange(len(triples))
            s, p, _ = triples[i]
            other: Node = rng.choice([o for _, _, o in triples])
            triples[i] = (s, p, other)
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return LoadedCase(case=loaded.case, graph=graph, source=loaded.source, text=loaded.text)
