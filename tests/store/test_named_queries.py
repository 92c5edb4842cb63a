"""The named queries as rewritten for speed give exactly what they gave before, on the curated base.

``tests/fixtures/named-queries-before/`` keeps their earlier text; both run on the same store and
their rows (values and order) must be equal.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from coprokg.named_queries import named_queries

pytest_plugins = ["storekit"]

BEFORE = Path(__file__).resolve().parents[1] / "fixtures" / "named-queries-before"


def rows(store: ox.Store, text: str) -> list[tuple[str | None, ...]]:
    result = store.query(text, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(str(term) if term is not None else None for term in solution) for solution in result]


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_the_same_rows_as_before(loaded_store_dir: Path, name: str) -> None:
    store = ox.Store.read_only(str(loaded_store_dir))
    before = rows(store, (BEFORE / f"{name}.rq").read_text(encoding="utf-8"))
    assert before, "the curated base answers every named query"
    assert rows(store, named_queries()[name].text) == before


def test_every_named_query_has_its_earlier_text() -> None:
    assert {p.stem for p in BEFORE.glob("*.rq")} == set(named_queries())
