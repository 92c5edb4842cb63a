"""The case base is research-grade by count and by source: read from the files and the bibliography.

Every case stands on a scholarly source read with a locator; the base spans continents, countries,
policy domains and every power-transfer level; many cases carry the level or type their source
itself states, with a page. A case that falls short belongs in data/candidates/, not here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from coprokg.cases import load_case
from coprokg.classify import default_classifier
from coprokg.paths import cases_dir, project_root
from coprokg.sources import bibliography

CASES = sorted(cases_dir().glob("*.json"))
# ISO 3166-1 alpha-2 -> continent, for the countries of the base (a new country must be added here)
CONTINENT = {
    **dict.fromkeys(["BD", "CN", "ID", "IN", "JP", "KH", "KR", "LK", "NP", "PH", "PK", "TH", "VN"], "Asia"),
    **dict.fromkeys(["BJ", "ET", "GH", "KE", "ML", "MW", "MZ", "NA", "SN", "TZ", "ZA", "ZW"], "Africa"),
    **dict.fromkeys(["BE", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "NL", "PL", "PT", "SE"], "Europe"),
    **dict.fromkeys(["CA", "CR", "GT", "LC", "MX", "US"], "North America"),
    **dict.fromkeys(["AR", "BR", "CL", "CO", "EC", "PE", "UY", "VE"], "South America"),
    **dict.fromkeys(["AU", "FJ", "NZ"], "Oceania"),
}
# The policy fields the base must cover, each recognised by its domain notations or by words of
# the title (a field such as elections is a kind of service, not a COFOG domain of its own).
FIELDS = {
    "water and sanitation": ({"water-supply", "waste-water-management"}, ()),
    "natural-resource co-management": ({"agriculture-fishing", "biodiversity-landscape"}, ()),
    "elections": (set(), ("election", "electoral", "poll worker", "citizens' assembly")),
    "personal budgets and self-directed care": (
        set(),
        (
            "budget holder",
            "direct payment",
            "cash and counseling",
            "persoonsgebonden",
            "personal assistance",
            "choice and control",
        ),
    ),
    "neighbourhood planning": (set(), ("neighbourhood plan", "neighbourhood development plan", "planning")),
    "participatory budgeting": (
        set(),
        (
            "participatory budget",
            "budget participatif",
            "bürgerhaushalt",
            "participatory budgeting",
            "presupuesto participativo",
        ),
    ),
    "education": ({"education", "pre-primary-primary-education"}, ()),
    "policing": ({"police-services", "public-safety"}, ()),
    "health": ({"health", "outpatient-services", "hospital-services", "public-health"}, ()),
}


def _raw(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _has_locator(page: str | None) -> bool:
    return bool(page) and page.strip().casefold() not in {"abstract", "n.d.", "-"}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_each_case_stands_on_a_scholarly_source_read_with_a_locator(path: Path) -> None:
    bib = bibliography()
    case = _raw(path)
    scholarly = [
        s
        for s in case["sources"]
        if (entry := bib.get(s["cite"])) is not None
        and entry.scholarly
        and s.get("access", "read") == "read"
        and _has_locator(s.get("page"))
    ]
    assert scholarly, f"{path.stem}: no journal article, book, chapter, paper, thesis or report read with a page"


def test_the_base_is_large_and_wide() -> None:
    cases = [_raw(p) for p in CASES]
    countries = {c["country"] for c in cases if c.get("country")}
    assert len(cases) >= 150
    assert len(countries) >= 30
    assert countries <= set(CONTINENT), f"add a continent for {sorted(countries - set(CONTINENT))}"
    assert {CONTINENT[c] for c in countries} == {
        "Africa",
        "Asia",
        "Europe",
        "North America",
        "South America",
        "Oceania",
    }
    assert len({c["domain"] for c in cases if c.get("domain")}) >= 15
    for name, (domains, words) in FIELDS.items():
        found = [
            c["id"]
            for c in cases
            if c.get("domain") in domains or any(w in (c.get("title") or "").casefold() for w in words)
        ]
        assert found, f"no case of {name}"


def test_every_level_has_at_least_25_cases_under_the_default_reading() -> None:
    classifier = default_classifier()
    counts = Counter(classifier.classify(load_case(p), risks=False).power_transfer for p in CASES)
    print(f"\nlevels under the default reading: {dict(counts)}")
    levels = classifier.ontology.level_notations()
    assert set(counts) <= set(levels)
    assert all(counts[level] >= 25 for level in levels), counts


def test_at_least_60_cases_carry_what_their_source_states_with_a_page() -> None:
    bib = bibliography()
    stated = []
    for path in CASES:
        sc = _raw(path).get("source_classification")
        if sc and (sc.get("level") or sc.get("type")) and _has_locator(sc.get("page")) and sc["cite"] in bib:
            stated.append(path.stem)
    print(f"\n{len(stated)} cases carry the level or type their source states, with a page")
    assert len(stated) >= 60


def test_candidates_are_not_in_the_base() -> None:
    candidates = {p.stem for p in (project_root() / "data" / "candidates").glob("*.json")}
    assert candidates.isdisjoint({p.stem for p in CASES})
