"""Many synthetic but valid stored cases, written straight into an embedded store (the scale tests).

``build_records`` validates and classifies a few dozen *templates* with the library
(``build_record``): cases drawn from the ontology's vocabularies (actors, participations, domain,
accountability, compensation, representativeness — as ``tests/classify/strategies.py`` draws
them), each with a placeholder id, title, description and country. ``write_nquads`` then writes
``n`` cases as N-Quads: each a template's case graph and classification graph with the id, title,
description and country replaced (ids, titles and countries vary per case; words drawn from a
list that has upper case, accents and non-ASCII letters, so search and sorting are exercised).
Classification does not read the title, description or country, so every record stays the one
the library would write for that case, except for its ``sourceDigest`` (``coprokg load`` would
classify such a case again; nothing else reads it). ``scale_store`` bulk-loads them with
pyoxigraph's bulk loader next to the ontology and shapes: seconds for 10,000 cases.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coprokg.cases import case_from_dict
from coprokg.namespaces import META_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
from coprokg.ontology import default_ontology
from coprokg.store import EmbeddedStore, build_record, classification_graph
from coprokg.store.records import case_graph_iri

TEMPLATE_ID = "zzqtemplate"
TITLE, DESCRIPTION, COUNTRY = "ZZQ TITLE", "ZZQ DESCRIPTION", "AQ"  # Antarctica: no generated case keeps it
WORDS = [
    "neighbourhood",
    "budget",
    "police",
    "Park",
    "garden",
    "Zürich",
    "Évora",
    "school",
    "care",
    "energy",
    "Water",
    "Øresund",
    "library",
    "youth",
    "elderly",
    "safety",
    "street",
    "Digital",
    "watch",
    "cooperative",
    "ÅLAND",
    "housing",
    "repair",
    "transport",
    "health",
    "climate",
    "food",
    "data",
    "Commons",
    "participatory",
    "council",
    "'quoted'",
    "art",
    "sport",
    "Łódź",
    "forest",
]
COUNTRY_PREDICATE = "<https://w3id.org/coprokg/ontology#country>"
COUNTRIES = [
    "NL",
    "BE",
    "DE",
    "FR",
    "GB",
    "US",
    "BR",
    "PT",
    "ES",
    "IT",
    "DK",
    "SE",
    "NO",
    "FI",
    "PL",
    "CZ",
    "AT",
    "CH",
    "IE",
    "IN",
    "ZA",
    "KE",
    "JP",
    "KR",
    "AU",
    "NZ",
    "CA",
    "MX",
    "AR",
    "CL",
]


def _notations(name: str) -> list[str]:
    return default_ontology().vocabularies[name].notations


def template_case(rng: random.Random, number: int) -> dict[str, Any]:
    """A case drawn from the ontology's vocabularies, with placeholders for what ``write_nquads`` varies."""
    n_actors = rng.randint(1, 4)
    actor_ids = [f"a{i}" for i in range(n_actors)]
    participations = []
    for _ in range(rng.randint(1, 5)):
        part: dict[str, Any] = {
            "actor": rng.choice(actor_ids),
            "stage": rng.choice(_notations("stage")),
            "decision": rng.choice(_notations("decision")),
        }
        if rng.random() < 0.5:
            part["task"] = rng.choice(_notations("task"))
        contributes = sorted(set(rng.sample(_notations("contributes"), rng.randint(0, 2))))
        if contributes:
            part["contributes"] = contributes
        participations.append(part)
    case: dict[str, Any] = {
        "id": f"{TEMPLATE_ID}{number:04d}",
        "title": TITLE,
        "description": DESCRIPTION,
        "domain": rng.choice(_notations("domain")),
        "actors": [{"id": a, "kind": rng.choice(_notations("kind")), "label": f"actor {a}"} for a in actor_ids],
        "participations": participations,
        "accountability": [
            {"accountor": rng.choice(actor_ids), "forum": rng.choice(actor_ids), "type": rng.choice(_notations("type"))}
            for _ in range(rng.randint(0, 2))
        ],
        "compensation": sorted(set(rng.sample(_notations("compensation"), rng.randint(0, 2)))),
        "representativeness": rng.choice(_notations("representativeness")),
        "directed_at_citizens": rng.random() < 0.2,
        "sources": [{"cite": "Meijer 2016"}],
    }
    if rng.random() < 0.9:
        case["country"] = COUNTRY
    if rng.random() < 0.5:
        case["initiated_by"] = rng.choice(actor_ids)
    return case


def build_records(count: int, seed: int = 7) -> list[str]:
    """``count`` template records as N-Quads text (case graph and classification graph)."""
    rng = random.Random(seed)
    out = []
    for number in range(count):
        record = build_record(case_from_dict(template_case(rng, number)))
        graphs = {
            case_graph_iri(record.case_id): record.case_triples,
            classification_graph(record.case_id): record.derived_triples,
        }
        lines = [
            str(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))) for g, ts in graphs.items() for t in ts
        ]
        out.append(" .\n".join(lines) + " .\n")
    return out


def _literal_text(value: str) -> str:
    return str(ox.Literal(value))[1:-1]  # escaped as N-Quads writes it, without the quotes


def write_nquads(path: Path, n: int, templates: list[str], *, seed: int = 11, prefix: str = "gen") -> list[str]:
    """``n`` cases from ``templates`` into ``path``; their ids."""
    rng = random.Random(seed)
    ids = []
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            number = rng.randrange(len(templates))
            case_id = f"{prefix}-{i:06d}"
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
            description = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 20)))
            text = (
                templates[number]
                .replace(f"{TEMPLATE_ID}{number:04d}", case_id)
                .replace(f'"{TITLE}"', f'"{_literal_text(title)}"')
                .replace(f'"{DESCRIPTION}"', f'"{_literal_text(description)}"')
                .replace(f'{COUNTRY_PREDICATE} "{COUNTRY}"', f'{COUNTRY_PREDICATE} "{rng.choice(COUNTRIES)}"')
            )
            out.write(text)
            ids.append(case_id)
    return ids


def base_nquads(loaded_store: Path, path: Path, *, with_cases: bool = True) -> None:
    """The ontology, shapes and meta graphs (and the curated cases, ``with_cases``) of a loaded store."""
    store = ox.Store.read_only(str(loaded_store))
    keep = {ONTOLOGY_GRAPH, SHAPES_GRAPH, META_GRAPH}
    with path.open("wb") as out:
        for quad in store:
            graph = quad.graph_name
            if with_cases or (isinstance(graph, ox.NamedNode) and graph.value in {str(g) for g in keep}):
                out.write(str(quad).encode("utf-8") + b" .\n")


def scale_store(directory: Path, parts: list[Path]) -> Path:
    """An embedded store at ``directory`` bulk-loaded from the N-Quads files ``parts``."""
    store = ox.Store(str(directory))
    for part in parts:
        store.bulk_load(path=str(part), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    EmbeddedStore(directory, workers=1).close()  # opens as the service will
    return directory
