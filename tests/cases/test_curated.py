"""The curated case base (data/cases/*.json): loads, conforms, round-trips, is cited and covers enough.

Round trip: the JSON file is loaded, turned into RDF, read back from RDF and dumped as JSON; the
result must equal the file as parsed JSON values. A field left out of the file may come back only
with its default value; ``contributes`` and ``compensation`` are sets, compared sorted.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from rdflib import URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from coprokg.cases import LoadedCase, case_from_dict, case_to_graph, graph_to_case, load_case, load_case_text
from coprokg.cases.model import AccountabilityRelation, Actor, Case, Participation, SourceClassification, SourceRef
from coprokg.classify import default_classifier
from coprokg.ontology import Ontology, default_ontology
from coprokg.paths import cases_dir, project_root
from coprokg.validate import validate_case

CURATED = sorted(cases_dir().glob("*.json"))
SET_FIELDS = {"contributes", "compensation"}
# Which model describes the items of each nested field, to know the defaults a file may leave out.
NESTED: dict[str, type[BaseModel]] = {
    "actors": Actor,
    "participations": Participation,
    "accountability": AccountabilityRelation,
    "sources": SourceRef,
    "source_classification": SourceClassification,
}
LEVELS = ("none", "co-production", "co-management", "co-governance")
MIN_CASES, MIN_DOMAINS, MIN_COUNTRIES, MIN_PER_LEVEL = 40, 6, 8, 5


@cache
def _loaded(path: Path) -> LoadedCase:
    return load_case(path)


def _raw(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def bib_shorthands() -> list[str]:
    text = (project_root() / "data" / "sources.bib").read_text(encoding="utf-8")
    return re.findall(r"^\s*shorthand\s*=\s*\{(.*)\},?\s*$", text, flags=re.MULTILINE)


def canonical(value: Any, key: str | None = None) -> Any:
    """Parsed JSON with the set-valued fields sorted."""
    if isinstance(value, dict):
        return {k: canonical(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        return sorted(items) if key in SET_FIELDS else items
    return value


def without_omitted_defaults(exported: Any, written: Any, model: type[BaseModel]) -> Any:
    """``exported`` minus the fields ``written`` leaves out, provided they came back as defaults."""
    if not isinstance(exported, dict) or not isinstance(written, dict):
        return exported
    kept = {}
    for name, value in exported.items():
        if name not in written:
            default = model.model_fields[name].get_default(call_default_factory=True)
            assert value == (default if not isinstance(default, BaseModel) else default.model_dump()), (
                f"field {name!r} is not in the file but came back as {value!r}"
            )
            continue
        inner = NESTED.get(name)
        if inner is not None and isinstance(value, list) and isinstance(written[name], list):
            if len(value) != len(written[name]):
                kept[name] = value  # a lost or extra item: left for the comparison to show
            else:
                kept[name] = [without_omitted_defaults(e, w, inner) for e, w in zip(value, written[name], strict=True)]
        elif inner is not None:
            kept[name] = without_omitted_defaults(value, written[name], inner)
        else:
            kept[name] = value
    return kept


def exported_json(loaded: LoadedCase, ontology: Ontology) -> Any:
    """JSON → RDF → JSON: the case as it comes back from its own graph."""
    back = graph_to_case(case_to_graph(loaded.case, ontology), loaded.case.id, ontology)
    return back.model_dump(mode="json", exclude_none=True)


def top_domain(notation: str, ontology: Ontology) -> str:
    """The COFOG division (top concept, via skos:broader) of a policy-domain notation."""
    node: URIRef = ontology.vocabularies["domain"].values[notation].iri
    seen = {node}
    while (broader := ontology.graph.value(node, SKOS.broader)) is not None:
        assert isinstance(broader, URIRef) and broader not in seen, f"skos:broader cycle at {broader}"
        seen.add(broader)
        node = broader
    top = ontology.vocabularies["domain"].by_iri(node)
    assert top is not None, f"{node} has no notation"
    return top.notation


def test_there_are_curated_cases() -> None:
    assert len(CURATED) >= MIN_CASES


@pytest.mark.parametrize("path", CURATED, ids=[p.stem for p in CURATED])
def test_curated_case_loads_with_canonical_values(path: Path) -> None:
    loaded = _loaded(path)
    assert loaded.case.id == path.stem, "the file name is the case id"
    assert loaded.notes == [], "curated cases use canonical notations, not synonyms"


@pytest.mark.parametrize("path", CURATED, ids=[p.stem for p in CURATED])
def test_curated_case_has_no_violation(path: Path) -> None:
    report = validate_case(_loaded(path))
    assert [f"{r.field}: {r.message}" for r in report.violations] == []
    assert report.conforms


@pytest.mark.parametrize("path", CURATED, ids=[p.stem for p in CURATED])
def test_curated_case_round_trips_through_rdf(path: Path, ontology: Ontology) -> None:
    written = _raw(path)
    exported = without_omitted_defaults(exported_json(_loaded(path), ontology), written, Case)
    assert canonical(exported) == canonical(written)


@pytest.mark.parametrize("path", CURATED, ids=[p.stem for p in CURATED])
def test_curated_case_round_trips_through_turtle_text(path: Path) -> None:
    loaded = _loaded(path)
    again = load_case_text(loaded.graph.serialize(format="turtle"), "turtle", source=f"{path.stem}.ttl")
    assert isomorphic(again.graph, loaded.graph)


def test_round_trip_comparison_catches_lost_and_invented_values(
    ontology: Ontology, minimal_case: Callable[[], dict[str, Any]]
) -> None:
    """The comparison above must fail when the RDF loses or adds something."""
    written = minimal_case()
    written["accountability"] = [
        {"accountor": "municipality", "forum": "residents", "type": "vertical", "mechanism": "annual report"}
    ]
    exported = exported_json(case_from_dict(written), ontology)
    assert canonical(without_omitted_defaults(exported, written, Case)) == canonical(written)
    lost = copy.deepcopy(exported)
    del lost["accountability"][0]["mechanism"]
    assert canonical(without_omitted_defaults(lost, written, Case)) != canonical(written)
    extra_item = copy.deepcopy(exported)
    extra_item["sources"].append({"cite": "Meijer 2016", "access": "read"})
    assert canonical(without_omitted_defaults(extra_item, written, Case)) != canonical(written)
    invented = copy.deepcopy(exported)
    invented["place"] = "Utrecht"
    with pytest.raises(AssertionError, match="'place' is not in the file"):
        without_omitted_defaults(invented, written, Case)


def test_curated_files_list_sets_in_canonical_order() -> None:
    """Export sorts ``contributes`` and ``compensation``; files written that way diff cleanly."""
    unsorted = []
    for path in CURATED:
        written = _raw(path)
        lists = [written.get("compensation", [])] + [p.get("contributes", []) for p in written["participations"]]
        if any(values != sorted(values) for values in lists):
            unsorted.append(path.stem)
    assert unsorted == [], "curated files must list contributes/compensation sorted (canonical form)"


def test_bib_shorthands_are_unique() -> None:
    counts = Counter(bib_shorthands())
    assert [s for s, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("path", CURATED, ids=[p.stem for p in CURATED])
def test_curated_case_cites_bib_entries(path: Path) -> None:
    shorthands = set(bib_shorthands())
    case = _raw(path)
    cites = [s["cite"] for s in case["sources"]]
    if case.get("source_classification"):
        cites.append(case["source_classification"]["cite"])
    assert [c for c in cites if c not in shorthands] == [], "every cite is the shorthand of a data/sources.bib entry"
    secondary_without_via = [s["cite"] for s in case["sources"] if s.get("access") == "secondary" and not s.get("via")]
    assert secondary_without_via == [], "a secondary source says through which text it is known ('via')"
    via_on_read = [s["cite"] for s in case["sources"] if s.get("via") and s.get("access", "read") != "secondary"]
    assert via_on_read == [], "'via' is only for secondary sources"


def test_coverage_of_the_case_base() -> None:
    ontology = default_ontology()
    classifier = default_classifier()
    domains: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    for path in CURATED:
        written = _raw(path)
        domains[top_domain(written["domain"], ontology)] += 1
        if written.get("country"):
            countries[written["country"]] += 1
        levels[classifier.classify(load_case(path), risks=False).power_transfer] += 1
    print(f"\ncurated cases: {len(CURATED)}")
    print(f"COFOG divisions ({len(domains)}): {dict(domains.most_common())}")
    print(f"countries ({len(countries)}): {dict(countries.most_common())}")
    per_level = {level: levels[level] for level in LEVELS}
    print(f"power transfer: {per_level}")
    assert len(CURATED) >= MIN_CASES
    assert len(domains) >= MIN_DOMAINS, domains
    assert len(countries) >= MIN_COUNTRIES, countries
    assert set(levels) <= set(LEVELS), levels
    assert {level: n for level, n in per_level.items() if n < MIN_PER_LEVEL} == {}, levels
