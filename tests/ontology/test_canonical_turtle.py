"""``make normalize`` is a fixed point on the committed ontology and does not depend on input order.

CI runs ``coprokg normalize --check``; these tests hold the properties that check relies on:
normalising the committed file changes nothing, any re-serialisation of the same graph (rdflib's
Turtle layouts, or its triples shuffled) normalises back to the committed text byte for byte, and
normalising never changes the graph.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import OWL

from coprokg.cli import EXIT_FAILED, EXIT_OK, main
from coprokg.paths import ontology_path
from coprokg.turtle import canonical_turtle, is_normalized, normalize_file

CPK = "https://w3id.org/coprokg/ontology#"


def read_turtle(path: Path) -> Graph:
    # As coprokg.turtle reads it: only the prefixes the file itself binds.
    graph = Graph(bind_namespaces="none")
    graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def committed_text() -> str:
    return ontology_path().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def committed_graph() -> Graph:
    return read_turtle(ontology_path())


def shuffled_turtle(graph: Graph, seed: int) -> str:
    """The graph's prefixes, then its triples one per line in a random order (valid Turtle)."""
    lines = graph.serialize(format="nt").splitlines()
    random.Random(seed).shuffle(lines)
    prefixes = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in graph.namespaces()]
    return "\n".join(prefixes + lines) + "\n"


def test_committed_ontology_is_normalised(committed_text: str, committed_graph: Graph) -> None:
    assert canonical_turtle(committed_graph) == committed_text
    assert is_normalized([ontology_path()]) == []


def test_normalising_a_copy_of_the_committed_file_changes_nothing(tmp_path: Path, committed_text: str) -> None:
    copy = tmp_path / "coprod.ttl"
    shutil.copyfile(ontology_path(), copy)
    assert normalize_file(copy) is False
    assert copy.read_text(encoding="utf-8") == committed_text


@pytest.mark.parametrize("layout", ["turtle", "longturtle", "shuffled-1", "shuffled-2"])
def test_any_reserialisation_normalises_back_to_the_committed_text(
    layout: str, tmp_path: Path, committed_text: str, committed_graph: Graph
) -> None:
    if layout.startswith("shuffled"):
        text = shuffled_turtle(committed_graph, seed=int(layout.split("-")[1]))
    else:
        text = committed_graph.serialize(format=layout)
    assert text != committed_text  # otherwise the test would prove nothing
    reserialised = tmp_path / "coprod.ttl"
    reserialised.write_text(text, encoding="utf-8")
    assert is_normalized([reserialised]) == [reserialised]
    assert normalize_file(reserialised) is True
    assert reserialised.read_text(encoding="utf-8") == committed_text
    assert normalize_file(reserialised) is False  # idempotent


def description(graph: Graph, root: URIRef | BNode) -> Graph:
    """``root``'s triples and those of the blank nodes reachable from it (restrictions, lists)."""
    found = Graph()
    todo, seen = [root], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, obj in graph.predicate_objects(node):
            found.add((node, predicate, obj))
            if isinstance(obj, BNode):
                todo.append(obj)
    return found


def descriptions(graph: Graph) -> Counter[str]:
    """The graph cut into the descriptions of its roots, each as rdflib.compare's canonical digest.

    A root is a named subject or a blank node that is no triple's object (owl:AllDifferent blocks).
    Two graphs whose root descriptions share no blank node are isomorphic exactly when these
    multisets are equal. rdflib.compare.isomorphic on the whole ontology gives the same answer but
    takes ~16 s (600 blank nodes); on the descriptions, well under a second.
    """
    referenced = {o for o in graph.objects() if isinstance(o, BNode)}
    roots = [s for s in set(graph.subjects()) if not (isinstance(s, BNode) and s in referenced)]
    digests: Counter[str] = Counter()
    covered = 0
    for root in roots:
        found = description(graph, root)
        covered += len(found)
        digests[to_isomorphic(found).graph_digest()] += 1
    # Every triple in exactly one description: no blank node shared between roots, none unreachable.
    assert covered == len(graph)
    return digests


def test_normalised_graph_is_isomorphic_to_the_input(committed_graph: Graph) -> None:
    shuffled = Graph(bind_namespaces="none")
    shuffled.parse(data=shuffled_turtle(committed_graph, seed=7), format="turtle")
    normalised = Graph(bind_namespaces="none")
    normalised.parse(data=canonical_turtle(shuffled), format="turtle")
    assert len(normalised) == len(shuffled) == len(committed_graph)
    assert descriptions(normalised) == descriptions(shuffled)


def test_normalised_defined_classes_are_rdflib_isomorphic_to_the_input(committed_graph: Graph) -> None:
    """rdflib.compare.isomorphic itself, on the blank-node-heavy part: the defined classes' axioms."""
    defined = Graph(bind_namespaces="none")
    for prefix, namespace in committed_graph.namespaces():
        defined.bind(prefix, namespace)
    classes = sorted(c for c in committed_graph.subjects(OWL.equivalentClass, None) if isinstance(c, URIRef))
    for cls in classes[:20]:
        for triple in description(committed_graph, cls):
            defined.add(triple)
    normalised = Graph(bind_namespaces="none")
    normalised.parse(data=canonical_turtle(defined), format="turtle")
    assert len(classes) >= 20
    assert len(normalised) == len(defined)
    assert isomorphic(normalised, defined)


def test_descriptions_see_a_change_inside_a_restriction(committed_graph: Graph) -> None:
    """The comparison above is not vacuous: change one blank-node restriction's filler and it differs."""
    changed = Graph()
    for triple in committed_graph:
        changed.add(triple)
    restriction = next(
        s for s in changed.subjects(OWL.onProperty, URIRef(CPK + "atStage")) if (s, OWL.hasValue, None) in changed
    )
    stage = changed.value(restriction, OWL.hasValue)
    other = URIRef(CPK + ("stage-assessment" if stage != URIRef(CPK + "stage-assessment") else "stage-design"))
    changed.set((restriction, OWL.hasValue, other))
    assert len(changed) == len(committed_graph)
    assert descriptions(changed) != descriptions(committed_graph)


def test_normalize_check_cli_passes_on_the_committed_file_and_fails_on_a_shuffled_one(
    tmp_path: Path, committed_graph: Graph, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["normalize", "--check"]) == EXIT_OK
    shuffled = tmp_path / "coprod.ttl"
    text = shuffled_turtle(committed_graph, seed=3)
    shuffled.write_text(text, encoding="utf-8")
    assert main(["normalize", "--check", str(shuffled)]) == EXIT_FAILED
    assert f"{shuffled}: not normalised" in capsys.readouterr().err
    assert shuffled.read_text(encoding="utf-8") == text  # --check only reports
