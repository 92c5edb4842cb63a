"""/export: the cases table (CSV) read back and checked against the store and the case files, its
codebook checked against the ontology, and the JSON-LD dump checked against the store."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from coprokg import export
from coprokg.namespaces import CASE_GRAPH_PREFIX, CPK
from coprokg.ontology import FIELD_VOCABULARIES, Ontology, default_ontology
from coprokg.paths import cases_dir
from coprokg.store import EmbeddedStore

pytest_plugins = ["apikit"]

SAMPLE_CASES = ("buurt-bestuurt-rotterdam", "aarhus-language-suitcase", "burgernet-netherlands")
# the table's vocabulary columns and the case fields whose values they hold
VOCABULARY_COLUMNS = {
    "domain": "domain",
    "representativeness": "representativeness",
    "compensation": "compensation",
    "actor_kind": "kind",
    "stage": "stage",
    "decision": "decision",
    "task": "task",
    "contributes": "contributes",
}


@pytest.fixture(scope="module")
def table(client: TestClient) -> tuple[bytes, list[dict[str, str]], list[str]]:
    response = client.get("/export/cases.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "charset=utf-8" in response.headers["content-type"]
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline=""))
    rows = list(reader)
    return response.content, rows, list(reader.fieldnames or [])


def _stored_participations(store: EmbeddedStore) -> int:
    rows = store.select(
        f"SELECT (COUNT(?p) AS ?n) WHERE {{ GRAPH ?g {{ ?c <{CPK}hasParticipation> ?p }} "
        f'FILTER(STRSTARTS(STR(?g), "{CASE_GRAPH_PREFIX}")) }}'
    )
    return int(rows[0]["n"].value)


def test_one_row_per_stored_participation(
    table: tuple[bytes, list[dict[str, str]], list[str]], shared_store: EmbeddedStore
) -> None:
    raw, rows, header = table
    assert header == [c.name for c in export.columns()]
    assert header[:10] == [
        "case_id",
        "title",
        "country",
        "domain",
        "place",
        "started",
        "initiated_by",
        "representativeness",
        "directed_at_citizens",
        "compensation",
    ]
    assert header[10:18] == [
        "actor_id",
        "actor_kind",
        "actor_label",
        "stage",
        "decision",
        "task",
        "contributes",
        "power_transfer",
    ]
    assert len(rows) == _stored_participations(shared_store) > 500
    assert {r["case_id"] for r in rows} == set(shared_store.case_ids())
    # RFC 4180: CRLF after every record, no bare LF outside quoted values
    assert raw.endswith(b"\r\n") and raw.count(b"\r\n") >= len(rows) + 1
    assert b"\n" not in raw.replace(b"\r\n", b"")
    keys = [(r["case_id"], r["actor_id"], r["stage"]) for r in rows]
    assert keys == sorted(keys)  # stable order: case, actor, stage
    assert all(r["directed_at_citizens"] in ("true", "false") for r in rows)


@pytest.mark.parametrize("case_id", SAMPLE_CASES)
def test_rows_match_the_case_file(
    table: tuple[bytes, list[dict[str, str]], list[str]], client: TestClient, case_id: str
) -> None:
    case = json.loads((cases_dir() / f"{case_id}.json").read_text(encoding="utf-8"))
    rows = [r for r in table[1] if r["case_id"] == case_id]
    assert len(rows) == len(case["participations"])
    expected_case = {
        "title": case.get("title", ""),
        "country": case.get("country", ""),
        "domain": case.get("domain", ""),
        "place": case.get("place", ""),
        "started": case.get("started", ""),
        "initiated_by": case.get("initiated_by", ""),
        "representativeness": case.get("representativeness", "unknown"),
        "directed_at_citizens": "true" if case.get("directed_at_citizens") else "false",
    }
    level = client.get(f"/cases/{case_id}/classification").json()["power_transfer"]
    for row in rows:
        assert {k: row[k] for k in expected_case} == expected_case
        assert set(filter(None, row["compensation"].split(";"))) == set(case.get("compensation", []))
        assert row["power_transfer"] == level
    actors = {a["id"]: a for a in case["actors"]}

    def part(actor: str, stage: str, decision: str, task: str, contributes: frozenset[str]) -> tuple[Any, ...]:
        return (actor, actors[actor]["kind"], actors[actor]["label"], stage, decision, task, contributes)

    expected = Counter(
        part(p["actor"], p["stage"], p["decision"], p.get("task", ""), frozenset(p.get("contributes", [])))
        for p in case["participations"]
    )
    shown = Counter(
        (
            r["actor_id"],
            r["actor_kind"],
            r["actor_label"],
            r["stage"],
            r["decision"],
            r["task"],
            frozenset(filter(None, r["contributes"].split(";"))),
        )
        for r in rows
    )
    assert shown == expected


def _ontology_values(cls: URIRef) -> dict[str, tuple[str, str]]:
    """notation -> (skos:prefLabel, skos:definition) of every individual of ``cls``, straight from the ontology."""
    graph = default_ontology().graph
    query = """SELECT ?notation ?label ?definition WHERE {
        ?value a/rdfs:subClassOf* ?cls ; skos:notation ?notation ; skos:prefLabel ?label ; skos:definition ?definition
    }"""
    rows = graph.query(query, initBindings={"cls": cls}, initNs={"rdfs": RDFS, "skos": SKOS})
    return {str(r[0]): (str(r[1]), str(r[2])) for r in rows}  # type: ignore[index]


def test_codebook_lists_every_value_the_ontology_has(client: TestClient) -> None:
    response = client.get("/export/codebook.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline="")))
    assert list(dict.fromkeys(r["column"] for r in rows)) == [c.name for c in export.columns()]  # all, in order
    markdown = client.get("/export/codebook.md")
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith("text/markdown")
    for column, field in VOCABULARY_COLUMNS.items():
        in_ontology = _ontology_values(FIELD_VOCABULARIES[field])
        listed = {r["value"]: (r["value_label"], r["value_definition"]) for r in rows if r["column"] == column}
        assert listed == in_ontology, column
        section = markdown.text.split(f"\n## {column}\n", 1)[1].split("\n## ", 1)[0]
        for notation, (label, _definition) in in_ontology.items():
            assert f"| `{notation}` | {label} |" in section, (column, notation)
    assert {"commissioning", "design", "delivery", "assessment"} <= {r["value"] for r in rows if r["column"] == "stage"}
    assert {"none", "co-production", "co-management", "co-governance"} == {
        r["value"] for r in rows if r["column"] == "power_transfer"
    }
    meaning = next(r["meaning"] for r in rows if r["column"] == "stage")
    assert meaning.startswith(default_ontology().definition(CPK.atStage))


def _extended_ontology() -> Ontology:
    """The ontology with one more stage and a second reading of the power-transfer levels."""
    graph = Graph()
    for triple in default_ontology().graph:
        graph.add(triple)
    stage = CPK["stage-monitoring"]
    graph.add((stage, RDF.type, CPK.ServiceStage))
    graph.add((stage, RDF.type, OWL.NamedIndividual))
    graph.add((stage, SKOS.notation, Literal("monitoring")))
    graph.add((stage, SKOS.prefLabel, Literal("monitoring", lang="en")))
    graph.add((stage, SKOS.definition, Literal("Watching a service run.", lang="en")))
    level = CPK.PartnershipLevelCase
    graph.add((level, RDF.type, OWL.Class))
    graph.add((level, SKOS.notation, Literal("partnership")))
    graph.add((level, RDFS.label, Literal("partnership", lang="en")))
    graph.add((level, SKOS.definition, Literal("Another reading's top level.", lang="en")))
    graph.add((level, CPK.powerRank, Literal(3)))
    reading = CPK["typology-arnstein"]
    graph.add((reading, RDF.type, CPK.Typology))
    graph.add((reading, RDFS.label, Literal("Arnstein 1969 reading", lang="en")))
    graph.add((reading, SKOS.notation, Literal("arnstein-1969")))
    graph.add((reading, CPK.floorNotation, Literal("none")))
    graph.add((level, CPK.inTypology, reading))
    return Ontology(graph)


def test_codebook_and_columns_follow_the_ontology(shared_store: EmbeddedStore) -> None:
    """No value list is written in the code: a value or a reading added to the ontology shows up."""
    ontology = _extended_ontology()
    stage = next(e for e in export.codebook(ontology) if e.column.name == "stage")
    assert ("monitoring", "monitoring", "Watching a service run.") in {
        (v.notation, v.label, v.definition) for v in stage.values
    }
    # levels under two readings: one more column per reading
    names = [c.name for c in export.columns(ontology)]
    assert names[-3] == "power_transfer"
    assert sorted(names[-2:]) == ["power_transfer_actor_based", "power_transfer_arnstein_1969"]
    header, rows = export.cases_table(shared_store, ontology)
    assert header == names
    levels = set(default_ontology().level_notations())
    for row in rows:
        record = dict(zip(header, row, strict=True))
        assert record["power_transfer"] in levels and record["power_transfer_actor_based"] in levels
        assert record["power_transfer_arnstein_1969"] == "none"  # no stored case was classified so
    markdown = export.codebook_markdown(ontology)
    assert "| `partnership` | partnership | Another reading's top level. |" in markdown


def test_jsonld_dump_holds_the_whole_store(client: TestClient, shared_store: EmbeddedStore) -> None:
    response = client.get("/export/cases.jsonld")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/ld+json")
    assert isinstance(json.loads(response.content), list)
    quads = list(ox.parse(response.content, format=ox.RdfFormat.JSON_LD))
    assert len(quads) == len(shared_store)
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    for case_id in SAMPLE_CASES:
        assert f"{CASE_GRAPH_PREFIX}{case_id}" in graphs and f"{CASE_GRAPH_PREFIX}{case_id}/classification" in graphs
    assert "https://w3id.org/coprokg/graph/ontology" in graphs


def test_exports_are_documented_with_their_media_types(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    expected = {
        "/export/cases.csv": "text/csv",
        "/export/codebook.md": "text/markdown",
        "/export/codebook.csv": "text/csv",
        "/export/cases.jsonld": "application/ld+json",
    }
    for path, media_type in expected.items():
        responses = paths[path]["get"]["responses"]
        assert list(responses["200"]["content"]) == [media_type], path
        assert responses["503"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
        response = client.get(path)
        assert response.headers["content-type"].split(";")[0] == media_type
        assert response.headers["content-disposition"].startswith("attachment; filename=")
