"""Accept negotiation and the capped result writers (checked by parsing, with rdflib)."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib.query import Result

from coprokg.sparql import formats
from coprokg.sparql.results import (
    NATIVE_BUDGET,
    natively_ordered,
    render,
    render_json_natively,
    write_boolean,
    write_solutions,
)

pytest_plugins = ["storekit"]

XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
ROWS = [
    [ox.NamedNode("http://example.org/a"), ox.Literal('say "hi", then\nleave\tnow', language="en")],
    [ox.BlankNode("b0"), ox.Literal("42", datatype=XSD_INT)],
    [ox.NamedNode("http://example.org/c"), None],
]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("*/*", "json"),
        ("application/sparql-results+xml", "xml"),
        ("application/xml, application/json;q=0.5", "xml"),
        ("text/csv;q=0.9, text/tab-separated-values", "tsv"),
        ("text/csv;q=0.3, application/sparql-results+json;q=0.2", "csv"),
        ("text/*;q=0.3, application/sparql-results+json;q=0.2", "xml"),  # text/xml
        ("application/json, text/javascript, */*; q=0.01", "json"),
        ("application/sparql-results+json;q=0, */*;q=0.1", "xml"),
        ("text/turtle", None),
    ],
)
def test_negotiate_solutions(accept: str | None, expected: str | None) -> None:
    fmt = formats.negotiate(accept, formats.SOLUTION_FORMATS)
    assert (fmt.key if fmt else None) == expected


@pytest.mark.parametrize("key", ["json", "xml", "csv", "tsv"])
def test_solutions_round_trip_through_rdflib(key: str) -> None:
    data = write_solutions(["s", "o"], ROWS, key)
    parsed = Result.parse(io.BytesIO(data), format=key)
    rows = list(parsed)
    assert len(rows) == 3
    assert [str(v) for v in parsed.vars] == ["s", "o"]
    first = rows[0]
    assert str(first[0]) == "http://example.org/a"
    assert str(first[1]) == 'say "hi", then\nleave\tnow'
    if key != "csv":  # CSV keeps only lexical forms
        assert first[1].language == "en"
        assert int(rows[1][1]) == 42
    assert rows[2][1] is None or str(rows[2][1]) == ""


@pytest.mark.parametrize("key", ["json", "xml"])
def test_boolean(key: str) -> None:
    assert Result.parse(io.BytesIO(write_boolean(True, key)), format=key).askAnswer is True


def test_render_caps_rows_and_says_so() -> None:
    store = ox.Store()
    for i in range(25):
        store.add(
            ox.Quad(ox.NamedNode(f"http://example.org/{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(i)))
        )
    result = render(store.query("SELECT * WHERE { ?s ?p ?o }"), solutions_format="json", graph_format=None, max_rows=10)
    assert (result.rows, result.truncated) == (10, True)
    result = render(store.query("SELECT * WHERE { ?s ?p ?o }"), solutions_format="json", graph_format=None, max_rows=25)
    assert (result.rows, result.truncated) == (25, False)
    graph = render(
        store.query("CONSTRUCT WHERE { ?s ?p ?o }"), solutions_format=None, graph_format="ntriples", max_rows=7
    )
    assert graph.truncated and graph.body.count(b"\n") == 7


TRICKY = """
@prefix ex: <http://example.org/> .
ex:a ex:p "say \\"hi\\", then\\nleave\\tnow"@en , "caf\\u00e9 \\u2603 \\\\ / \\u0001"@fr-BE , "},{\\"x\\":{" .
ex:a ex:p 42 , 1.5 , "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> , true .
ex:a ex:p [ ex:q ex:b ] .
ex:b ex:p ex:a .
<< ex:a ex:p ex:b >> ex:says "quoted" .
"""


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
        "SELECT ?o ?s WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?z } }",
        "SELECT ?z WHERE { ?s ?p ?o OPTIONAL { ?o <http://example.org/none> ?z } }",
        "SELECT ?x WHERE { } ",
        "SELECT ?s WHERE { ?s <http://example.org/none> ?o }",
    ],
)
@pytest.mark.parametrize("max_rows", [1, 3, 1000])
def test_native_json_is_the_capped_writer_byte_for_byte(query: str, max_rows: int) -> None:
    """Oxigraph's JSON writer (fast path of the query workers) gives what ``render`` gives, cap included."""
    store = ox.Store()
    store.load(TRICKY.encode(), ox.RdfFormat.TURTLE)
    expected = render(store.query(query), solutions_format="json", graph_format=None, max_rows=max_rows)
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions) and natively_ordered(result, None)
    # max_rows 1 and 3: rows are counted by Oxigraph's parser (the body may hold more); 1000: json.loads
    assert render_json_natively(result, max_rows=max_rows, budget=NATIVE_BUDGET) == expected


def test_native_json_gives_up_past_its_budget() -> None:
    store = ox.Store()
    store.load(TRICKY.encode(), ox.RdfFormat.TURTLE)
    result = store.query("SELECT * WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QuerySolutions)
    assert render_json_natively(result, max_rows=10, budget=100) is None
    assert not natively_ordered(store.query("SELECT * WHERE { ?s ?p ?o }"), ["s", "p", "o"])
