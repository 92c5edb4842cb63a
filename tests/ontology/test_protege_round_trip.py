"""A Protégé save without an edit is a no-op after ``make normalize`` (issue 15).

Protégé reads and writes ontologies with the OWL API. These tests load ontology/coprod.ttl with the
real OWL API (Debian's libowlapi-java, through coprokg/quality/java/RoundTrip.java), save it as
Turtle, normalise the saved file with coprokg's normaliser and compare it with the committed file:
unedited, byte for byte; with one axiom added, a diff of a few lines that holds that axiom.

They are skipped only when java, javac or the OWL API jars are missing (``make install`` installs
them: libowlapi-java, default-jdk-headless).
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from coprokg.paths import ontology_path
from coprokg.quality.owlapi import OwlApiUnavailable
from coprokg.quality.roundtrip import AddComment, AddSubClassOf, Edit, build_round_trip, owlapi_save_as_turtle
from coprokg.turtle import normalize_file

CPK = "https://w3id.org/coprokg/ontology#"
MAX_CHANGED_LINES = 6


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Compiles RoundTrip once for the module, outside the repository; skips without a JDK or jars."""
    missing = [tool for tool in ("java", "javac") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not on PATH: apt-get install default-jdk-headless")
    directory = tmp_path_factory.mktemp("owlapi-build")
    try:
        build_round_trip(directory)
    except OwlApiUnavailable as exc:
        pytest.skip(f"the OWL API is not installed: {exc}")
    return directory


@pytest.fixture(scope="module")
def committed_text() -> str:
    return ontology_path().read_text(encoding="utf-8")


def protege_save(tmp_path: Path, build_dir: Path, edits: list[Edit] | None = None) -> Path:
    saved = tmp_path / "saved.ttl"
    try:
        owlapi_save_as_turtle(ontology_path(), saved, edits or [], build_dir=build_dir)
    except OwlApiUnavailable as exc:
        pytest.skip(f"the OWL API is not installed: {exc}")
    return saved


def changed_lines(before: str, after: str) -> list[str]:
    """The ``-`` and ``+`` lines of a unified diff, without its headers."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_an_unedited_owlapi_save_normalises_to_the_committed_file(
    tmp_path: Path, build_dir: Path, committed_text: str
) -> None:
    saved = protege_save(tmp_path, build_dir)
    written = saved.read_text(encoding="utf-8")
    assert written != committed_text  # the OWL API writes its own layout: otherwise this proves nothing
    assert "@prefix : <http://www.semanticweb.org/owl/owlapi/turtle#>" in written
    normalize_file(saved)
    diff = changed_lines(committed_text, saved.read_text(encoding="utf-8"))
    assert diff == [], f"{len(diff)} changed lines, first ones:\n" + "\n".join(diff[:20])


@pytest.mark.parametrize(
    ("edit", "triple", "expected_line"),
    [
        (
            AddComment(CPK + "Actor", "Added in Protégé."),
            (URIRef(CPK + "Actor"), RDFS.comment, Literal("Added in Protégé.", lang="en")),
            '+    rdfs:comment "Added in Protégé."@en ;',
        ),
        (
            AddSubClassOf(CPK + "SourceClassification", CPK + "SourceReference"),
            (URIRef(CPK + "SourceClassification"), RDFS.subClassOf, URIRef(CPK + "SourceReference")),
            "cpk:SourceReference",
        ),
    ],
    ids=["comment", "subclass"],
)
def test_one_added_axiom_makes_a_small_diff_that_holds_it(
    edit: Edit,
    triple: tuple[URIRef, URIRef, URIRef | Literal],
    expected_line: str,
    tmp_path: Path,
    build_dir: Path,
    committed_text: str,
) -> None:
    saved = protege_save(tmp_path, build_dir, [edit])
    normalize_file(saved)
    text = saved.read_text(encoding="utf-8")
    diff = changed_lines(committed_text, text)
    assert 0 < len(diff) <= MAX_CHANGED_LINES, "\n".join(diff)
    assert any(expected_line in line for line in diff if line.startswith("+")), "\n".join(diff)
    graph = Graph(bind_namespaces="none")
    graph.parse(data=text, format="turtle")
    assert triple in graph
    committed = Graph(bind_namespaces="none")
    committed.parse(data=committed_text, format="turtle")
    assert triple not in committed
    assert len(graph) == len(committed) + 1
