"""What a LoadedCase keeps of its analyses (``memo``) stays with it, and reading never changes the caller's objects."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from pathlib import Path

from rdflib import Graph

from coprokg.cases import case_from_dict, load_case
from coprokg.cases.model import Actor
from coprokg.classify import default_classifier
from coprokg.validate import validate_case

BUURT = Path("tests/fixtures/buurt.json")


def test_a_replaced_loaded_case_starts_with_an_empty_memo() -> None:
    loaded = load_case(BUURT)
    assert validate_case(loaded).results  # buurt has two warnings, now kept in its memo
    empty = dataclasses.replace(loaded, graph=Graph())
    assert empty.memo == {} and validate_case(empty).results == []


def test_an_analysed_loaded_case_can_be_copied_and_pickled() -> None:
    loaded = load_case(BUURT)
    expected = default_classifier().classify(loaded)
    for other in (copy.deepcopy(loaded), pickle.loads(pickle.dumps(loaded))):
        assert other.memo == {} and other.case == loaded.case
        assert default_classifier().classify(other) == expected


def test_reading_a_dict_leaves_the_callers_models_as_they_were() -> None:
    data = json.loads(BUURT.read_text(encoding="utf-8"))
    actor = Actor.model_validate({**data["actors"][1], "kind": "Citizen Collective"})
    data["actors"][1] = actor
    loaded = case_from_dict(data)
    assert actor.kind == "Citizen Collective"  # the caller's object is not resolved in place
    assert loaded.case.actors[1].kind == "citizen-collective" and loaded.case.actors[1] is not actor
