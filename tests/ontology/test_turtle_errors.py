"""A broken ontology or shapes file is one coprokg error naming file:line:column, never a traceback.

Every Turtle file of the project is read by ``coprokg.turtle`` (``parse_turtle`` into rdflib,
``turtle_triples`` into Oxigraph); the tests break a copy of each file the library reads and check
what each reader reports.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from coprokg.cli import EXIT_ERROR, main
from coprokg.errors import CoprokgError, OntologyError, error_from_wire, error_to_wire
from coprokg.ontology import Ontology, default_ontology
from coprokg.paths import ontology_path, project_root, shapes_dir
from coprokg.reasoner import check_consistency
from coprokg.risks import RiskEvaluator
from coprokg.turtle import TurtleFormatError, normalize_file, parse_turtle, turtle_triples
from coprokg.validate import _shapes

# line 3, column 5 of the copy: an undeclared prefix where a term is expected
BREAK = "\n# broken on purpose\n    nope:x a nope:Y .\n"


def broken_copy(source: Path, tmp_path: Path) -> tuple[Path, int]:
    """A copy of ``source`` with a bad statement appended; returns it and the bad line's number."""
    text = source.read_text(encoding="utf-8")
    copy = tmp_path / source.name
    copy.write_text(text + BREAK, encoding="utf-8")
    return copy, text.count("\n") + 3


def assert_located(error: OntologyError, path: Path, line: int) -> None:
    assert (error.source, error.line, error.column) == (str(path), line, 5)
    assert str(error).startswith(f"{path}:{line}:5: not valid Turtle: ")
    assert "\n" not in str(error)
    assert error.__cause__ is None and error.__suppress_context__  # the parser's exception stays inside


def test_parse_turtle_names_file_line_and_column(tmp_path: Path) -> None:
    path, line = broken_copy(shapes_dir() / "case.ttl", tmp_path)
    with pytest.raises(OntologyError) as caught:
        parse_turtle(path)
    assert_located(caught.value, path, line)
    assert 'Prefix "nope:" not bound' in caught.value.message


def test_turtle_triples_names_file_line_and_column(tmp_path: Path) -> None:
    path, line = broken_copy(shapes_dir() / "risks.ttl", tmp_path)
    with pytest.raises(OntologyError) as caught:
        turtle_triples(path)
    assert_located(caught.value, path, line)
    assert "nope:" in caught.value.message and "Parser error" not in caught.value.message


def test_a_missing_file_is_an_ontology_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match=re.escape(f"{tmp_path / 'gone.ttl'}: file not found")):
        parse_turtle(tmp_path / "gone.ttl")
    with pytest.raises(OntologyError, match="file not found"):
        turtle_triples(tmp_path / "gone.ttl")


def test_broken_risk_shapes_are_a_located_error_not_bad_syntax(tmp_path: Path) -> None:
    path, line = broken_copy(shapes_dir() / "risks.ttl", tmp_path)
    with pytest.raises(CoprokgError) as caught:
        RiskEvaluator(default_ontology(), path)
    assert isinstance(caught.value, OntologyError)
    assert_located(caught.value, path, line)


def test_broken_case_shapes_are_a_located_error(tmp_path: Path) -> None:
    path, line = broken_copy(shapes_dir() / "case.ttl", tmp_path)
    with pytest.raises(OntologyError) as caught:
        _shapes(tmp_path, ("case.ttl",))
    assert_located(caught.value, path, line)


def test_a_broken_ontology_is_a_located_error(tmp_path: Path) -> None:
    path, line = broken_copy(ontology_path(), tmp_path)
    with pytest.raises(OntologyError) as caught:
        Ontology.load(path)
    assert_located(caught.value, path, line)
    with pytest.raises(OntologyError) as caught:
        check_consistency(path)  # fails on reading, before any reasoner runs
    assert_located(caught.value, path, line)


def test_normalize_reports_a_broken_file_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, line = broken_copy(shapes_dir() / "ontology.ttl", tmp_path)
    with pytest.raises(TurtleFormatError) as caught:
        normalize_file(path)
    assert_located(caught.value, path, line)
    assert main(["normalize", str(path)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith(f"coprokg: {path}:{line}:5: not valid Turtle: ") and err.count("\n") == 1


def test_the_store_loader_reports_a_broken_shapes_file(tmp_path: Path) -> None:
    from coprokg.store.loader import _turtle_files

    path, line = broken_copy(shapes_dir() / "case.ttl", tmp_path)
    with pytest.raises(OntologyError) as caught:
        _turtle_files([ontology_path(), path])
    assert_located(caught.value, path, line)


def test_an_ontology_error_keeps_its_place_across_processes() -> None:
    error = OntologyError("not valid Turtle: x", source="shapes/risks.ttl", line=3, column=5)
    back = error_from_wire(error_to_wire(error))
    assert isinstance(back, OntologyError)
    assert (back.source, back.line, back.column, back.message) == ("shapes/risks.ttl", 3, 5, "not valid Turtle: x")
    assert str(back) == str(error) == "shapes/risks.ttl:3:5: not valid Turtle: x"
    assert str(OntologyError("no location")) == "no location"


# Reading a project file anywhere but coprokg/turtle.py would bypass the located errors. The other
# Turtle parses are of user input (cases/load.py, with its own located CaseFormatError), of a
# remote store's replies (store/remote.py) and of a text written in code (the SPARQL service
# description).
OTHER_TURTLE_PARSES = {"coprokg/cases/load.py", "coprokg/store/remote.py", "api/routes/sparql.py"}


def test_every_turtle_file_of_the_project_is_read_by_coprokg_turtle() -> None:
    root = project_root()
    found = []
    for path in sorted([*(root / "coprokg").rglob("*.py"), *(root / "api").rglob("*.py")]):
        name = path.relative_to(root).as_posix()
        if name == "coprokg/turtle.py" or name in OTHER_TURTLE_PARSES:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.parse\(", line) and re.search(r"turtle|TURTLE|ttl", line):
                found.append(f"{name}:{n}: {line.strip()}")
    assert found == []


def test_a_copy_of_the_project_reads_cleanly(tmp_path: Path) -> None:
    """The readers accept what the project ships (no false alarm from the stricter reading)."""
    for source in (ontology_path(), *sorted(shapes_dir().glob("*.ttl"))):
        copy = tmp_path / source.name
        shutil.copy(source, copy)
        assert len(parse_turtle(copy)) == len(turtle_triples(copy)) > 0
