"""Many varied, valid cases for benchmarks: every value drawn from the ontology's vocabularies.

Plain ``random`` with a seed (Hypothesis is for the property tests, and too slow for 100,000
cases). Sizes vary like the curated base: 1–6 actors, 0–8 participations, 0–3 accountability
relations, 1–3 sources; a value added to a vocabulary in Protégé is drawn too.
"""

from __future__ import annotations

import random
from typing import Any

from coprokg.countries import country_names
from coprokg.ontology import default_ontology

_ONTOLOGY = default_ontology()
_VALUES = {name: vocab.notations for name, vocab in _ONTOLOGY.vocabularies.items()}
_COUNTRIES = sorted(country_names())
_WORDS = [
    "residents",
    "parents",
    "tenants",
    "volunteers",
    "patients",
    "farmers",
    "youth",
    "elders",
    "neighbourhood",
    "council",
    "park",
    "school",
    "clinic",
    "water",
    "forest",
    "budget",
    "safety",
    "library",
    "repair",
    "care",
    "transport",
    "waste",
    "housing",
    "garden",
    "river",
]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n))


def random_case(rng: random.Random, case_id: str) -> dict[str, Any]:
    """One valid case in the JSON format."""
    actors = [
        {"id": f"a{i}", "kind": rng.choice(_VALUES["kind"]), "label": _words(rng, 2).capitalize()}
        for i in range(rng.randint(1, 6))
    ]
    ids = [a["id"] for a in actors]
    participations = []
    for _ in range(rng.randint(1, 8)):
        part: dict[str, Any] = {
            "actor": rng.choice(ids),
            "stage": rng.choice(_VALUES["stage"]),
            "decision": rng.choice(_VALUES["decision"]),
        }
        if rng.random() < 0.6:
            part["task"] = rng.choice(_VALUES["task"])
        contributes = sorted(set(rng.sample(_VALUES["contributes"], k=rng.randint(0, 2))))
        if contributes:
            part["contributes"] = contributes
        participations.append(part)
    case: dict[str, Any] = {
        "id": case_id,
        "title": f"{_words(rng, 3).capitalize()} {case_id}",
        "description": f"{_words(rng, 12).capitalize()}.",
        "domain": rng.choice(_VALUES["domain"]),
        "country": rng.choice(_COUNTRIES),
        "actors": actors,
        "participations": participations,
        "accountability": [
            {"accountor": rng.choice(ids), "forum": rng.choice(ids), "type": rng.choice(_VALUES["type"])}
            for _ in range(rng.randint(0, 3))
        ],
        "compensation": sorted(set(rng.sample(_VALUES["compensation"], k=rng.randint(0, 2)))),
        "representativeness": rng.choice(_VALUES["representativeness"]),
        "directed_at_citizens": rng.random() < 0.15,
        "sources": [
            {"cite": f"Author{rng.randint(1, 500)} {rng.randint(1990, 2026)}", "page": str(rng.randint(1, 400))}
            for _ in range(rng.randint(1, 3))
        ],
    }
    if rng.random() < 0.5:
        case["initiated_by"] = rng.choice(ids)
    return case


def random_cases(n: int, *, seed: int = 1, prefix: str = "gen") -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [random_case(rng, f"{prefix}-{i:06d}") for i in range(n)]
