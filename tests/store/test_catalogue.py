"""The case catalogue gives exactly what the SPARQL path gives, and is never stale.

Every filter, sort, direction and several offsets are compared page for page (and the facets and
the count) on the curated base, on 300 generated cases (the correctness part of the scale
benchmark), and after writes: case writes update the catalogue row by row, any other write has it
rebuilt.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import scalekit

from coprokg.cases import load_case_text
from coprokg.named_queries import named_queries
from coprokg.paths import cases_dir
from coprokg.store import CaseQuery, EmbeddedStore, QueryRequest, build_record
from coprokg.store.finding import SORT_KEYS

pytest_plugins = ["storekit"]

FILTERS = [
    CaseQuery(),
    CaseQuery(country="NL"),
    CaseQuery(domain="public-safety"),
    CaseQuery(domain="police-services"),
    CaseQuery(level="co-governance"),
    CaseQuery(level="none"),
    CaseQuery(role="CoproducerRole"),
    CaseQuery(text="Participatory BUDGET"),
    CaseQuery(text="zürich park"),
    CaseQuery(text="ÉVORA"),
    CaseQuery(country="NL", level="co-governance", domain="public-safety"),
    CaseQuery(country="DE", text="a"),
]


def assert_same(
    store: EmbeddedStore, offsets: tuple[int, ...] = (0, 1, 40, 130), filters: list[CaseQuery] = FILTERS
) -> None:
    """Pages of the catalogue are slices of the SPARQL path's whole list (whose pages are its slices:
    ``test_finding``); one page per order is also compared with the SPARQL page itself."""
    for base, sort, descending in itertools.product(filters, SORT_KEYS, (False, True)):
        query = dataclasses.replace(base, sort=sort, descending=descending)
        everything = store.find_cases_sparql(dataclasses.replace(query, limit=1000))
        for offset in offsets:
            page = store.find_cases(dataclasses.replace(query, offset=offset, limit=40))
            assert page.items == everything.items[offset : offset + 40], (query, offset)
            assert page.total == everything.total, query
        one = dataclasses.replace(query, offset=offsets[-1], limit=40)
        assert store.find_cases(one) == store.find_cases_sparql(one), one
    assert store.case_facets() == store.case_facets_sparql()
    assert store.count_cases() == store.count_cases_sparql()


def test_the_curated_base(store: EmbeddedStore) -> None:
    assert_same(store)


def test_every_case_on_one_page(store: EmbeddedStore) -> None:
    for sort, descending in itertools.product(SORT_KEYS, (False, True)):
        query = CaseQuery(sort=sort, descending=descending, limit=1000)
        assert store.find_cases(query) == store.find_cases_sparql(query)


def _record(case_id: str, **changes: object) -> object:
    text = (cases_dir() / "buurt-bestuurt-rotterdam.json").read_text()
    data = json.loads(text)
    data.update(id=case_id, **changes)
    return build_record(load_case_text(json.dumps(data), "json"))


def test_case_writes_update_it_row_by_row(store: EmbeddedStore) -> None:
    catalogue = store.case_catalogue()
    assert store.put_case(_record("aaa-new-case", title="Ällerlei: a NEW case", country="DE"))  # type: ignore[arg-type]
    assert not store.put_case(_record("aaa-new-case", title="zzz renamed", country="BE"))  # type: ignore[arg-type]
    assert store.delete_case("burgernet-netherlands")
    assert store.case_catalogue() is catalogue  # kept, not rebuilt
    assert_same(store, offsets=(0, 60), filters=[CaseQuery(), CaseQuery(country="BE"), CaseQuery(text="renamed")])
    found = store.find_cases(CaseQuery(text="renamed"))
    assert [(c.id, c.country) for c in found.items] == [("aaa-new-case", "BE")]


def test_batched_writes_update_it_row_by_row(store: EmbeddedStore) -> None:
    """``put_cases`` (what ``coprokg load`` writes with): new cases in one write, a stored one replaced."""
    catalogue = store.case_catalogue()
    records = [
        _record("aab-batch-one", title="Batch one", country="FR"),
        _record("aab-batch-two", title="Batch two", country="FR"),
        _record("buurt-bestuurt-rotterdam", title="Buurt Bestuurt, batched"),
    ]
    assert store.put_cases(records) == [True, True, False]  # type: ignore[arg-type]
    assert store.case_catalogue() is catalogue  # kept, not rebuilt
    assert_same(store, offsets=(0, 60), filters=[CaseQuery(), CaseQuery(country="FR"), CaseQuery(text="batch")])
    found = store.find_cases(CaseQuery(text="batch"))
    assert sorted(c.id for c in found.items) == ["aab-batch-one", "aab-batch-two", "buurt-bestuurt-rotterdam"]


def test_other_writes_have_it_rebuilt(store: EmbeddedStore) -> None:
    catalogue = store.case_catalogue()
    store.update(
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "DELETE { GRAPH ?g { ?c dcterms:title ?t } } INSERT { GRAPH ?g { ?c dcterms:title 'Retitled by SPARQL' } } "
        "WHERE { GRAPH ?g { ?c dcterms:identifier 'buurt-bestuurt-rotterdam' ; dcterms:title ?t } }"
    )
    assert store.case_catalogue() is not catalogue
    assert [c.title for c in store.find_cases(CaseQuery(text="retitled")).items] == ["Retitled by SPARQL"]
    assert_same(store, offsets=(0,), filters=[CaseQuery(), CaseQuery(text="retitled")])


@pytest.fixture(scope="module")
def generated_store(loaded_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    work = tmp_path_factory.mktemp("generated")
    scalekit.base_nquads(loaded_store_dir, work / "base.nq", with_cases=False)
    scalekit.write_nquads(work / "cases.nq", 300, scalekit.build_records(12))
    store = EmbeddedStore(scalekit.scale_store(work / "store", [work / "base.nq", work / "cases.nq"]), workers=1)
    yield store
    store.close()
    shutil.rmtree(work, ignore_errors=True)


def test_generated_cases(generated_store: EmbeddedStore) -> None:
    assert generated_store.count_cases() == 300
    assert_same(generated_store, offsets=(0, 7, 120, 290))


def _level_query_rows(store: EmbeddedStore) -> dict[tuple[str, str, str], int]:
    result = store.query(QueryRequest(named_queries()["level-by-domain-and-country"].text), max_rows=100_000)
    data = json.loads(result.body)
    return {
        (b["domain"]["value"], b["country"]["value"], b["level"]["value"]): int(b["cases"]["value"])
        for b in data["results"]["bindings"]
    }


def test_level_counts_are_the_level_query(store: EmbeddedStore, generated_store: EmbeddedStore) -> None:
    """The plots count from the catalogue what the ``level-by-domain-and-country`` named query counts."""
    for each in (store, generated_store):
        assert each.level_counts() == _level_query_rows(each)
