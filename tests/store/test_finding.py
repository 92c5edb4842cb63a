"""One find_cases: every filter, sort and page cut by the store gives whole pages and a true total."""

from __future__ import annotations

import pytest

from coprokg.errors import QueryError
from coprokg.store import CaseQuery, EmbeddedStore
from coprokg.store.finding import SORT_KEYS

pytest_plugins = ["storekit"]


@pytest.mark.parametrize("sort", SORT_KEYS)
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_gives_whole_pages_and_the_total(store: EmbeddedStore, sort: str, descending: bool) -> None:
    everything = store.find_cases(CaseQuery(sort=sort, descending=descending, limit=1000))
    ids = [c.id for c in everything.items]
    assert len(ids) == len(set(ids)) == everything.total == store.count_cases()
    pages = [store.find_cases(CaseQuery(sort=sort, descending=descending, offset=o, limit=25)) for o in (0, 25, 50)]
    assert [c.id for p in pages for c in p.items] == ids[:75]  # pages are consecutive slices of one order
    assert all(p.total == everything.total for p in pages)


def test_filters_combine_and_domains_take_in_their_groups(store: EmbeddedStore) -> None:
    safety = store.find_cases(CaseQuery(domain="public-safety", limit=1000))
    assert safety.total == len(safety.items) > 0
    assert {c.domain for c in safety.items} >= {"police-services"}
    nl = store.find_cases(CaseQuery(domain="public-safety", country="NL", level="co-governance", limit=1000))
    assert [c.id for c in nl.items] and all(c.country == "NL" for c in nl.items)
    assert all(c.power_transfer == "co-governance" for c in nl.items)
    words = store.find_cases(CaseQuery(text="Participatory BUDGET", limit=1000))
    assert "porto-alegre-participatory-budgeting" in {c.id for c in words.items}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (CaseQuery(level="co-everything"), "level"),
        (CaseQuery(domain="astrology"), "domain"),
        (CaseQuery(country="Netherlands"), "country"),
        (CaseQuery(sort="colour"), "sort"),
        (CaseQuery(limit=0), "limit"),
    ],
)
def test_bad_values_name_their_field(store: EmbeddedStore, query: CaseQuery, field: str) -> None:
    with pytest.raises(QueryError) as caught:
        store.find_cases(query)
    assert caught.value.field == field
