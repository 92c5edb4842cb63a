"""A case file is also JSON-LD (data/context.jsonld): read as JSON-LD it gives the same case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from coprokg.cases import load_case, load_case_text
from coprokg.cases.load import CONTEXT_IRI
from coprokg.paths import cases_dir

SAMPLE = [cases_dir() / f"{name}.json" for name in ("buurt-bestuurt-rotterdam", "patientslikeme", "radars-barcelona")]


@pytest.mark.parametrize("path", SAMPLE, ids=[p.stem for p in SAMPLE])
def test_case_file_without_context_read_as_json_ld(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert isomorphic(load_case_text(text, "json-ld", source=str(path)).graph, load_case(path).graph)


@pytest.mark.parametrize("path", SAMPLE, ids=[p.stem for p in SAMPLE])
def test_case_file_with_coprokg_context_gives_the_same_graph(path: Path) -> None:
    document = {"@context": CONTEXT_IRI, **json.loads(path.read_text(encoding="utf-8"))}
    loaded = load_case_text(json.dumps(document), "json-ld", source=str(path))
    assert isomorphic(loaded.graph, load_case(path).graph)


@pytest.mark.parametrize("path", SAMPLE, ids=[p.stem for p in SAMPLE])
def test_exported_json_ld_and_turtle_read_back_as_the_same_case(path: Path) -> None:
    """What coprokg exports (JSON-LD with absolute IRIs, Turtle) is accepted as input again."""
    loaded = load_case(path)
    for fmt, rdflib_format in (("json-ld", "json-ld"), ("turtle", "turtle")):
        back = load_case_text(loaded.graph.serialize(format=rdflib_format), fmt, source=f"export.{fmt}")
        assert back.case == loaded.case
        assert isomorphic(back.graph, loaded.graph)
