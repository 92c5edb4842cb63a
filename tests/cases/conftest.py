"""Shared pieces of the case tests: the ontology and a small valid case to vary."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from coprokg.ontology import Ontology, default_ontology

# A complete, valid case that triggers none of the risk shapes: residents advise in design and
# are informed at delivery, contributing nothing, so no risk applies.
MINIMAL_CASE: dict[str, Any] = {
    "id": "minimal-park-design",
    "title": "Residents advise on the design of a park",
    "description": "The municipality asks residents for advice on the layout of a new park and decides itself.",
    "domain": "community-development",
    "country": "NL",
    "actors": [
        {"id": "residents", "kind": "citizen-collective", "label": "Residents"},
        {"id": "municipality", "kind": "public-agency", "label": "Municipality"},
    ],
    "participations": [
        {"actor": "residents", "stage": "design", "decision": "advises"},
        {"actor": "municipality", "stage": "design", "decision": "decides", "contributes": ["money"]},
    ],
    "sources": [{"cite": "Meijer 2016", "page": "604"}],
}


@pytest.fixture(scope="session")
def ontology() -> Ontology:
    return default_ontology()


@pytest.fixture
def minimal_case() -> Callable[[], dict[str, Any]]:
    """A fresh deep copy of ``MINIMAL_CASE`` on each call, to change at will."""
    return lambda: copy.deepcopy(MINIMAL_CASE)
