"""Hypothesis strategies for classification: cases drawn from the ontology's vocabularies.

Only what classification reads is drawn (actors and their kinds, participations with stage,
decision right, optional task and contributions, who initiated the case); every value is read from
the ontology at run time, so a value added in Protégé is generated too.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from coprokg.ontology import default_ontology

ONTOLOGY = default_ontology()


def notations(field_name: str) -> list[str]:
    return ONTOLOGY.vocabularies[field_name].notations


@st.composite
def classification_cases(draw: st.DrawFn, case_id: str = "generated") -> dict[str, Any]:
    """A complete case in the JSON format, varied where the defined classes look."""
    n_actors = draw(st.integers(min_value=1, max_value=4))
    actor_ids = [f"a{i}" for i in range(n_actors)]
    actor = st.sampled_from(actor_ids)
    participations = []
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        part: dict[str, Any] = {
            "actor": draw(actor),
            "stage": draw(st.sampled_from(notations("stage"))),
            "decision": draw(st.sampled_from(notations("decision"))),
        }
        task = draw(st.none() | st.sampled_from(notations("task")))
        if task is not None:
            part["task"] = task
        contributes = draw(st.lists(st.sampled_from(notations("contributes")), unique=True, max_size=2))
        if contributes:
            part["contributes"] = sorted(contributes)
        participations.append(part)
    case: dict[str, Any] = {
        "id": case_id,
        "title": "generated case",
        "description": "A case generated from the ontology's vocabularies.",
        "domain": draw(st.sampled_from(notations("domain"))),
        "actors": [
            {"id": a, "kind": draw(st.sampled_from(notations("kind"))), "label": f"actor {a}"} for a in actor_ids
        ],
        "participations": participations,
        "sources": [{"cite": "generated"}],
    }
    if draw(st.booleans()):
        case["initiated_by"] = draw(actor)
    # what the risk shapes read
    case["accountability"] = [
        {"accountor": draw(actor), "forum": draw(actor), "type": draw(st.sampled_from(notations("type")))}
        for _ in range(draw(st.integers(min_value=0, max_value=2)))
    ]
    case["compensation"] = sorted(draw(st.lists(st.sampled_from(notations("compensation")), unique=True, max_size=2)))
    case["representativeness"] = draw(st.sampled_from(notations("representativeness")))
    case["directed_at_citizens"] = draw(st.booleans())
    return case


def case_batches(size: int) -> st.SearchStrategy[list[dict[str, Any]]]:
    """``size`` generated cases with distinct ids (one HermiT batch)."""
    return st.tuples(*[classification_cases(case_id=f"generated-{i}") for i in range(size)]).map(list)
