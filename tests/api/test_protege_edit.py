"""A Protégé edit flows everywhere, with no code change.

On a copy of the project (``COPROKG_HOME``), the ontology is edited as a Protégé user would: a
fourth power-transfer level above co-governance (citizen control: citizens decide in
commissioning), a typology renamed, and a policy-domain value added with an altLabel. The command
line, the classifier, the JSON Schema, the case list and its filters, the plots, the case page and
the named queries then show and accept all three.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from apikit import LiveServer
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from coprokg.paths import project_root

pytest_plugins = ["apikit"]

CPK = "https://w3id.org/coprokg/ontology#"
DCTERMS_SOURCE = URIRef("http://purl.org/dc/terms/source")
CONTROL = URIRef(CPK + "CitizenControlCase")
RENAMED = "Bovaird's matrix of planning and delivery"
CASE = {
    "id": "allotment-board",
    "title": "Allotment board: plot holders commission the service",
    "description": "Plot holders decide which allotment services the council commissions and run the plots.",
    "domain": "Community Gardens",  # the new value's altLabel, in another case
    "country": "NL",
    "actors": [
        {"id": "holders", "kind": "citizen-collective", "label": "Plot holders' association"},
        {"id": "council", "kind": "public-agency", "label": "Municipal council"},
    ],
    "participations": [
        {"actor": "holders", "stage": "commissioning", "decision": "decides", "contributes": ["time"]},
        {"actor": "holders", "stage": "delivery", "decision": "decides", "contributes": ["labour"]},
        {"actor": "council", "stage": "commissioning", "decision": "informed"},
    ],
    "sources": [{"cite": "Meijer 2016", "page": "604"}],
}


def _restriction(graph: Graph, prop: str, *, some: Any = None, value: Any = None) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, OWL.Restriction))
    graph.add((node, OWL.onProperty, URIRef(CPK + prop)))
    if some is not None:
        graph.add((node, OWL.someValuesFrom, some))
    if value is not None:
        graph.add((node, OWL.hasValue, value))
    return node


def _intersection(graph: Graph, *members: Any) -> BNode:
    node, head = BNode(), BNode()
    graph.add((node, RDF.type, OWL.Class))
    Collection(graph, head, list(members))
    graph.add((node, OWL.intersectionOf, head))
    return node


def edit_as_in_protege(path: Path) -> None:
    graph = Graph()
    graph.parse(path, format="turtle")
    default = next(s for s in graph.subjects(URIRef(CPK + "isDefaultReading"), Literal(True)))
    # (a) a fourth level, above co-governance, with its own axiom, rank, label, definition and source
    graph.add((CONTROL, RDF.type, OWL.Class))
    graph.add((CONTROL, RDFS.label, Literal("citizen control", lang="en")))
    graph.add((CONTROL, SKOS.notation, Literal("citizen-control")))
    graph.add((CONTROL, SKOS.definition, Literal("Citizens decide alone in commissioning the service.", lang="en")))
    graph.add((CONTROL, DCTERMS_SOURCE, Literal("Arnstein 1969 (test edit)")))
    graph.add((CONTROL, RDFS.subClassOf, URIRef(CPK + "Case")))
    graph.add((CONTROL, URIRef(CPK + "powerRank"), Literal(4, datatype=XSD.integer)))
    graph.add((CONTROL, URIRef(CPK + "inTypology"), default))
    participation = _intersection(
        graph,
        URIRef(CPK + "CitizenParticipation"),
        _restriction(graph, "atStage", value=URIRef(CPK + "stage-commissioning")),
        _restriction(graph, "decisionRight", value=URIRef(CPK + "decision-decides")),
    )
    axiom = _intersection(graph, URIRef(CPK + "Case"), _restriction(graph, "hasParticipation", some=participation))
    graph.add((CONTROL, OWL.equivalentClass, axiom))
    # (b) a typology renamed
    bovaird = URIRef(CPK + "typology-bovaird")
    graph.set((bovaird, RDFS.label, Literal(RENAMED, lang="en")))
    # (c) a policy-domain value with an altLabel, under an existing division
    community = URIRef(CPK + "domain-community-development")
    domain_class = graph.value(community, RDF.type) if (community, RDF.type, None) in graph else None
    value = URIRef(CPK + "domain-allotment-gardens")
    for kind in graph.objects(community, RDF.type):
        graph.add((value, RDF.type, kind))
    assert domain_class is not None
    graph.add((value, SKOS.notation, Literal("allotment-gardens")))
    graph.add((value, SKOS.prefLabel, Literal("Allotment gardens", lang="en")))
    graph.add((value, RDFS.label, Literal("allotment gardens", lang="en")))
    graph.add((value, SKOS.altLabel, Literal("community gardens", lang="en")))
    graph.add((value, SKOS.definition, Literal("Plots let to residents to grow their own food.", lang="en")))
    graph.add((value, DCTERMS_SOURCE, Literal("test edit")))
    graph.add((value, SKOS.broader, community))
    for scheme in graph.objects(community, SKOS.inScheme):
        graph.add((value, SKOS.inScheme, scheme))
    graph.serialize(path, format="turtle")


@pytest.fixture(scope="module")
def edited_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("protege") / "project"
    root = project_root()
    for name in ("ontology", "shapes"):
        shutil.copytree(root / name, home / name)
    (home / "data" / "cases").mkdir(parents=True)
    shutil.copy(root / "data" / "context.jsonld", home / "data" / "context.jsonld")
    for name in ("buurt-bestuurt-rotterdam", "porto-alegre-participatory-budgeting"):
        shutil.copy(root / "data" / "cases" / f"{name}.json", home / "data" / "cases" / f"{name}.json")
    (home / "data" / "cases" / "allotment-board.json").write_text(json.dumps(CASE, indent=2), encoding="utf-8")
    edit_as_in_protege(home / "ontology" / "coprod.ttl")
    return home


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COPROKG_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "coprokg.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_the_command_line_classifies_with_the_edited_ontology(edited_home: Path) -> None:
    case_file = edited_home / "data" / "cases" / "allotment-board.json"
    done = _cli(edited_home, "classify", "--format", "json", str(case_file))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["power_transfer"] == "citizen-control"
    assert result["power_transfer_label"] == "citizen control"
    assert RENAMED in result["typologies"]
    assert "Bovaird 2007" not in result["typologies"]
    assert any(m["typology"] == RENAMED for m in result["near_misses"])  # near misses follow the typology's IRI
    assert "domain: 'Community Gardens' read as 'allotment-gardens'" in result["notes"]
    text = _cli(edited_home, "classify", str(case_file))
    assert "power transfer: citizen-control" in text.stdout


def test_the_json_schema_lists_the_new_level(edited_home: Path) -> None:
    code = (
        "import json; from coprokg.cases.schema import case_json_schema; "
        "print(json.dumps(case_json_schema()['$defs']['SourceClassification']['properties']['level']))"
    )
    env = {**os.environ, "COPROKG_HOME": str(edited_home)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "citizen-control" in json.loads(done.stdout)["anyOf"][0]["enum"]


@pytest.fixture(scope="module")
def edited_server(edited_home: Path) -> Iterator[LiveServer]:
    store = edited_home / "var" / "store"
    loaded = _cli(edited_home, "load", "--store", str(store))
    assert loaded.returncode == 0, loaded.stderr
    server = LiveServer(store, COPROKG_HOME=str(edited_home), COPROKG_ANALYSIS_WORKERS="1")
    server.start()
    yield server
    server.stop()


def test_the_service_shows_and_accepts_the_edit(edited_server: LiveServer) -> None:
    url = edited_server.url
    listed = httpx.get(f"{url}/cases", params={"level": "citizen-control"}, timeout=30)
    assert listed.status_code == 200, listed.text
    assert [item["id"] for item in listed.json()["items"]] == ["allotment-board"]
    by_domain = httpx.get(f"{url}/cases", params={"domain": "allotment-gardens"}, timeout=30)
    assert [item["id"] for item in by_domain.json()["items"]] == ["allotment-board"]
    page = httpx.get(f"{url}/ui/cases", timeout=30).text
    assert '<option value="citizen-control"' in page and "citizen control" in page
    filtered = httpx.get(f"{url}/ui/cases", params={"level": "citizen-control"}, timeout=30).text
    assert "allotment-board" in filtered and "buurt-bestuurt-rotterdam" not in filtered
    plots = httpx.get(f"{url}/ui/plots", timeout=30).text
    assert "citizen control" in plots
    case_page = html.unescape(httpx.get(f"{url}/ui/cases/allotment-board", timeout=30).text)
    assert "citizen control" in case_page and RENAMED in case_page
    rows = httpx.get(f"{url}/queries/power-without-accountability", headers={"Accept": "application/json"}, timeout=30)
    assert rows.status_code == 200
    cases = {b["case"]["value"].rsplit("/", 1)[1] for b in rows.json()["results"]["bindings"]}
    assert "allotment-board" in cases  # a level above co-management, by rank, with no accountability
    classified = httpx.post(f"{url}/classify", json=CASE, timeout=60)
    assert classified.status_code == 200 and classified.json()["power_transfer"] == "citizen-control"
