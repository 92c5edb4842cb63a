"""One table of case fields, one module for case IRIs, one path notation.

The table (``coprokg.fields.FIELDS``) must describe the model exactly, drive the RDF and the
JSON-LD context, and every path coprokg reports must point at a place in the case file.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from coprokg.cases import case_from_dict, case_to_graph, load_case, load_case_text
from coprokg.cases.model import AccountabilityRelation, Actor, Case, Participation, SourceClassification, SourceRef
from coprokg.classify import default_classifier
from coprokg.errors import CaseFormatError
from coprokg.fields import (
    FIELDS,
    LIST_POSITION,
    ValueKind,
    field_path,
    fields_of,
    jsonld_context_text,
    parse_field_path,
)
from coprokg.iris import NUMBERED, CaseNode, NodeKind, local_id, mint, parse_case_node
from coprokg.namespaces import CPK
from coprokg.ontology import FIELD_VOCABULARIES, Ontology
from coprokg.paths import project_root
from coprokg.validate import validate_case

ROOT = project_root()
CONTEXT_FILE = ROOT / "data" / "context.jsonld"
BROKEN = Path(__file__).resolve().parent / "broken"
MODELS: dict[NodeKind, type[BaseModel]] = {
    NodeKind.CASE: Case,
    NodeKind.ACTOR: Actor,
    NodeKind.PARTICIPATION: Participation,
    NodeKind.ACCOUNTABILITY: AccountabilityRelation,
    NodeKind.SOURCE: SourceRef,
    NodeKind.SOURCE_CLASSIFICATION: SourceClassification,
}
SLUG = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)


# ---------------------------------------------------------------- the table
def test_published_context_is_the_generated_one() -> None:
    assert CONTEXT_FILE.read_text(encoding="utf-8") == jsonld_context_text(), (
        "data/context.jsonld is stale: regenerate it with `python -m coprokg.fields > data/context.jsonld`"
    )


@pytest.mark.parametrize("record", list(MODELS), ids=str)
def test_the_table_lists_exactly_the_fields_of_the_model(record: NodeKind) -> None:
    model = MODELS[record]
    assert [f.name for f in fields_of(record)] == list(model.model_fields)
    hints = typing.get_type_hints(model)
    for f in fields_of(record):
        is_list = typing.get_origin(hints[f.name]) is list
        assert f.many == is_list, f"{record}.{f.name}: list in the model is {is_list}, in the table {f.many}"
        if f.kind is ValueKind.RECORD:
            assert f.nested is not None and f.nested in MODELS


def test_the_ontology_reads_its_field_vocabularies_from_the_table() -> None:
    assert {f.name: f.vocabulary for f in FIELDS if f.vocabulary is not None} == FIELD_VOCABULARIES


def test_vocabulary_values_are_named_as_the_context_says(ontology: Ontology) -> None:
    """The context's ``@vocab`` per field turns a notation into its IRI: it must name every value."""
    for f in FIELDS:
        if f.vocabulary is None:
            continue
        for value in ontology.vocabularies[f.name].values.values():
            assert value.iri == CPK[f.value_prefix + value.notation], f"{f.name}: {value.iri}"


def test_every_triple_of_a_case_is_stated_by_the_table(minimal_case: Callable[[], dict[str, Any]]) -> None:
    case = minimal_case()
    case["accountability"] = [{"accountor": "municipality", "forum": "residents", "type": "vertical", "mechanism": "x"}]
    case["initiated_by"] = "residents"
    case["source_classification"] = {"level": "none", "statement": "s", "cite": "Meijer 2016", "type": "t"}
    graph = case_from_dict(case).graph
    for path in (ROOT / "tests" / "fixtures" / "buurt.json",):
        graph += load_case(path).graph
    stated = {f.prop for f in FIELDS} | {f.inverse for f in FIELDS if f.inverse is not None}
    assert set(graph.predicates()) - stated == {RDF.type, LIST_POSITION}


# ---------------------------------------------------------------- the IRIs of a case
@given(case_id=SLUG, key=SLUG, position=st.integers(min_value=1, max_value=10_000))
def test_every_minted_iri_parses_back(case_id: str, key: str, position: int) -> None:
    for kind in NodeKind:
        node_key: str | int | None = position if kind in NUMBERED else key if kind is NodeKind.ACTOR else None
        iri = mint(case_id, kind, node_key)
        assert parse_case_node(iri) == CaseNode(case_id, kind, node_key)
        assert parse_case_node(iri).iri == iri  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "iri",
    [
        "https://w3id.org/coprokg/ontology#Case",
        "https://w3id.org/coprokg/case/",
        "https://w3id.org/coprokg/case/buurt/mayor",
        "https://w3id.org/coprokg/case/buurt/participation/x",
        "https://w3id.org/coprokg/case/buurt/participation/0",
        "https://w3id.org/coprokg/case/buurt/actor/residents/more",
        "https://w3id.org/coprokg/graph/case/buurt/other",
        "https://w3id.org/coprokg/graph/ontology",
    ],
)
def test_iris_coprokg_did_not_mint_parse_to_nothing(iri: str) -> None:
    assert parse_case_node(iri) is None


def test_an_actor_of_rdf_input_is_known_by_its_last_segment() -> None:
    assert local_id("https://w3id.org/coprokg/case/buurt/actor/residents") == "residents"
    assert local_id("https://example.org/cases/buurt/residents") == "residents"


CASE_IRI_SLICING = re.compile(
    r'"/actor/|"/participation/|/participation/"|\[7:-1\]|len\((CASE_BASE|CASE_GRAPH_PREFIX)\)'
)
KNOWN_SLICING: set[str] = set()


def test_no_module_but_iris_takes_case_iris_apart() -> None:
    found = []
    for path in sorted([*(ROOT / "coprokg").rglob("*.py"), *(ROOT / "api").rglob("*.py")]):
        name = path.relative_to(ROOT).as_posix()
        if name == "coprokg/iris.py" or name in KNOWN_SLICING:
            continue
        found += [
            f"{name}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1) if CASE_IRI_SLICING.search(line)
        ]
    assert found == []


# ---------------------------------------------------------------- one path notation
def test_field_paths_are_written_and_read_the_same_way() -> None:
    for steps in (["participations", 2, "decision"], ["actors", 0], ["title"], ["participations", 0, "contributes", 1]):
        assert parse_field_path(field_path(*steps)) == steps


def test_memberships_and_near_misses_point_into_the_case_file() -> None:
    """Roles, classes and near misses name nodes as the file does, so each path has a line."""
    loaded = load_case(ROOT / "tests" / "fixtures" / "buurt.json")
    result = default_classifier().classify(loaded, risks=False)
    residents = next(m for m in result.roles)
    assert residents.node == "actors[0]" and loaded.case.actors[0].id == "residents"
    assert residents.node_iri == "https://w3id.org/coprokg/case/buurt-bestuurt-rotterdam/actor/residents"
    paths = {m.node for m in result.roles} | {p for miss in result.near_misses for p in miss.fields}
    assert "participations[0].stage" in paths
    assert all(p in loaded.positions for p in paths), paths - set(loaded.positions)
    assert {m.node for m in result.classes} == {""}


def test_shacl_results_name_fields_as_the_file_does() -> None:
    path = BROKEN / "secondary-source-without-via.json"
    loaded = load_case(path)
    [result] = validate_case(loaded).results
    assert result.field == "sources[1]" and result.field in loaded.positions
    assert (result.line, result.column) == loaded.positions["sources[1]"]


def _turtle(case: dict[str, Any], ontology: Ontology, change: Callable[[Graph], None]) -> str:
    graph = case_to_graph(case_from_dict(case).case, ontology)
    change(graph)
    return graph.serialize(format="turtle")


def test_rdf_input_errors_name_fields_by_index(minimal_case: Callable[[], dict[str, Any]], ontology: Ontology) -> None:
    case = minimal_case()
    municipality = URIRef(f"https://w3id.org/coprokg/case/{case['id']}/actor/municipality")

    def unknown_kind(graph: Graph) -> None:
        graph.set((municipality, CPK.actorKind, CPK["kind-sports-club"]))

    with pytest.raises(CaseFormatError) as caught:
        load_case_text(_turtle(case, ontology, unknown_kind), "turtle")
    assert caught.value.field == "actors[1].kind"

    case["accountability"] = [{"accountor": "municipality", "forum": "residents", "type": "vertical"}]
    relation = URIRef(f"https://w3id.org/coprokg/case/{case['id']}/accountability/1")

    def undeclared_accountor(graph: Graph) -> None:
        graph.set((relation, CPK.accountor, URIRef("https://example.org/mayor")))

    with pytest.raises(CaseFormatError) as caught:
        load_case_text(_turtle(case, ontology, undeclared_accountor), "turtle")
    assert caught.value.field == "accountability[0].accountor"


def test_a_source_without_a_citation_in_rdf_input_is_a_format_error(
    minimal_case: Callable[[], dict[str, Any]], ontology: Ontology
) -> None:
    case = minimal_case()
    source = URIRef(f"https://w3id.org/coprokg/case/{case['id']}/source/1")

    def no_citation(graph: Graph) -> None:
        graph.remove((source, CPK.citation, None))

    with pytest.raises(CaseFormatError) as caught:
        load_case_text(_turtle(case, ontology, no_citation), "turtle", source="case.ttl")
    assert str(caught.value) == "case.ttl: sources[0].cite: Field required"
