"""Property-based tests: cases generated from the ontology's own vocabularies.

Every allowed value is read from the ontology when the tests run (``skos:notation``s for values,
``rdfs:label``/``skos:prefLabel``/``skos:altLabel`` for synonyms), so adding a value to the ontology
adds it to what is generated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, SKOS

from coprokg.cases import case_from_dict, case_to_graph, graph_to_case, load_case_text
from coprokg.cases.model import Case
from coprokg.countries import country_names
from coprokg.ontology import _fold, default_ontology
from coprokg.validate import validate_case

ONTOLOGY = default_ontology()
EXAMPLES = 100  # per property; two properties validate, so about 200 SHACL runs in all
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def notations(field_name: str) -> list[str]:
    return ONTOLOGY.vocabularies[field_name].notations


def synonyms() -> dict[str, dict[str, list[str]]]:
    """field -> notation -> its unambiguous synonyms (labels and altLabels no other value claims)."""
    table: dict[str, dict[str, list[str]]] = {}
    for field_name, vocabulary in ONTOLOGY.vocabularies.items():
        claims: dict[str, set[str]] = defaultdict(set)
        names: dict[str, list[str]] = {}
        for notation, value in vocabulary.values.items():
            labels = [
                str(o)
                for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
                for o in ONTOLOGY.graph.objects(value.iri, p)
            ]
            names[notation] = sorted(set(labels))
            for name in [notation, *labels]:
                claims[_fold(name)].add(notation)
        table[field_name] = {n: [s for s in names[n] if claims[_fold(s)] == {n}] for n in names}
    return table


def ambiguous_synonyms(field_name: str) -> dict[str, set[str]]:
    """Folded names that more than one value of ``field_name`` claims as label or altLabel."""
    claims: dict[str, set[str]] = defaultdict(set)
    for notation, value in ONTOLOGY.vocabularies[field_name].values.items():
        for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
            for name in ONTOLOGY.graph.objects(value.iri, p):
                claims[_fold(str(name))].add(notation)
    return {name: owners for name, owners in claims.items() if len(owners) > 1}


SYNONYMS = synonyms()

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60).filter(
    lambda s: s.strip() != ""
)
slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,24}", fullmatch=True)


def _subset(field_name: str) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(notations(field_name)), unique=True, max_size=3).map(sorted)


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    """A complete case in the JSON format, every vocabulary value a canonical notation."""
    actor_ids = draw(st.lists(slugs, min_size=1, max_size=4, unique=True))
    actor = st.sampled_from(actor_ids)
    optional = st.none() | words
    case: dict[str, Any] = {
        "id": draw(slugs),
        "title": draw(words),
        "description": draw(words),
        "domain": draw(st.sampled_from(notations("domain"))),
        "country": draw(st.none() | st.sampled_from(sorted(country_names()))),
        "place": draw(optional),
        "started": draw(st.none() | st.from_regex(r"[0-9]{4}", fullmatch=True)),
        "initiated_by": draw(st.none() | actor),
        "actors": [
            {"id": a, "kind": draw(st.sampled_from(notations("kind"))), "label": draw(words)} for a in actor_ids
        ],
        "participations": [
            {
                "actor": draw(actor),
                "stage": draw(st.sampled_from(notations("stage"))),
                "decision": draw(st.sampled_from(notations("decision"))),
                "task": draw(st.none() | st.sampled_from(notations("task"))),
                "contributes": draw(_subset("contributes")),
            }
            for _ in range(draw(st.integers(min_value=1, max_value=5)))
        ],
        "accountability": [
            {
                "accountor": draw(actor),
                "forum": draw(actor),
                "type": draw(st.sampled_from(notations("type"))),
                "mechanism": draw(optional),
            }
            for _ in range(draw(st.integers(min_value=0, max_value=3)))
        ],
        "compensation": draw(_subset("compensation")),
        "representativeness": draw(st.sampled_from(notations("representativeness"))),
        "directed_at_citizens": draw(st.booleans()),
        "source_classification": draw(
            st.none()
            | st.fixed_dictionaries(
                {"statement": words, "cite": words},
                optional={
                    "level": st.sampled_from(default_ontology().level_notations()),
                    "type": words,
                    "page": words,
                },
            )
        ),
        "sources": [],
    }
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        source = {"cite": draw(words), "page": draw(optional), "page_note": draw(optional), "url": draw(optional)}
        if draw(st.booleans()):
            source |= {"access": "secondary", "via": draw(words)}
        case["sources"].append(source)
    return Case.model_validate(case).model_dump(mode="json", exclude_none=True)


def vocabulary_slots(case: dict[str, Any]) -> Iterator[tuple[str, str, Callable[[str], None], str]]:
    """(field path, vocabulary, setter, value) for every vocabulary value of a case."""

    def setter(container: Any, key: Any) -> Callable[[str], None]:
        return lambda text: container.__setitem__(key, text)

    yield "domain", "domain", setter(case, "domain"), case["domain"]
    yield "representativeness", "representativeness", setter(case, "representativeness"), case["representativeness"]
    for i, a in enumerate(case["actors"]):
        yield f"actors[{i}].kind", "kind", setter(a, "kind"), a["kind"]
    for i, p in enumerate(case["participations"]):
        for key in ("stage", "decision", "task"):
            if key in p:
                yield f"participations[{i}].{key}", key, setter(p, key), p[key]
        for j, r in enumerate(p.get("contributes", [])):
            yield f"participations[{i}].contributes[{j}]", "contributes", setter(p["contributes"], j), r
    for i, r in enumerate(case.get("accountability", [])):
        yield f"accountability[{i}].type", "type", setter(r, "type"), r["type"]
    for j, c in enumerate(case.get("compensation", [])):
        yield f"compensation[{j}]", "compensation", setter(case["compensation"], j), c


@given(case=cases())
@PROPERTY_SETTINGS
def test_generated_case_round_trips_and_has_no_violation(case: dict[str, Any]) -> None:
    loaded = case_from_dict(json.loads(json.dumps(case)))
    assert loaded.notes == []
    back = graph_to_case(loaded.graph, loaded.case.id, ONTOLOGY)
    assert back.model_dump(mode="json", exclude_none=True) == case
    # and through Turtle text, as an export would be read back
    turtle = loaded.graph.serialize(format="turtle")
    assert load_case_text(turtle, "turtle").case == loaded.case
    report = validate_case(loaded)
    assert [f"{r.field}: {r.message}" for r in report.violations] == []


casings = st.sampled_from([str.lower, str.upper, str.title, str.swapcase, lambda s: s.replace(" ", "_")])


@given(case=cases(), data=st.data())
@PROPERTY_SETTINGS
def test_synonyms_resolve_to_the_canonical_notation(case: dict[str, Any], data: st.DataObject) -> None:
    written = json.loads(json.dumps(case))
    replaced: dict[str, tuple[str, str]] = {}
    for path, vocabulary, set_text, notation in list(vocabulary_slots(written)):
        choices = SYNONYMS[vocabulary][notation]
        if choices and data.draw(st.booleans(), label=f"replace {path}"):
            text = data.draw(casings)(data.draw(st.sampled_from(choices), label=path))
            set_text(text)
            replaced[path] = (text, notation)
    loaded = case_from_dict(written)
    canonical = Case.model_validate(case)
    assert loaded.case == canonical
    assert isomorphic(loaded.graph, case_to_graph(canonical, ONTOLOGY))
    assert sorted(loaded.notes) == sorted(
        f"{path}: {text!r} read as {notation!r}" for path, (text, notation) in replaced.items() if text != notation
    )
    assert validate_case(loaded).conforms


def test_synonym_table_is_not_empty() -> None:
    """Guards the synonym property against an ontology read that finds no altLabels at all."""
    assert sum(len(s) for v in SYNONYMS.values() for s in v.values()) > 50


_RESOLVE = """
import json, sys
from coprokg.ontology import default_ontology
vocabularies = default_ontology().vocabularies
names = json.loads(sys.argv[1])
print(json.dumps({f"{field}:{name}": vocabularies[field].synonyms.get(name) for field, name in names}))
"""


def test_ambiguous_synonym_resolves_the_same_in_every_process() -> None:
    names = [(field, name) for field in ONTOLOGY.vocabularies for name in sorted(ambiguous_synonyms(field))]
    assert names, "no ambiguous synonym in the ontology: this test has nothing left to check"
    outcomes = set()
    for seed in ("1", "2", "3", "4"):
        run = subprocess.run(
            [sys.executable, "-c", _RESOLVE, json.dumps(names)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outcomes.add(run.stdout)
    assert len(outcomes) == 1, f"resolution of {names} differs between processes: {sorted(outcomes)}"
