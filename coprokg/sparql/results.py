"""Serialise SPARQL results with a row cap: solutions, booleans and graphs.

pyoxigraph serialises a whole result or nothing; a capped result needs its rows counted, so the
four SPARQL result formats are written here (rows are few enough for Python: at most the cap).
Graphs are capped to a triple list and written by pyoxigraph. Used by the embedded store's
query workers and by the remote backend alike, so both answer byte-for-byte the same way.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from coprokg.sparql import formats
from coprokg.sparql.syntax import in_order

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
PREFIXES = {
    "cpk": "https://w3id.org/coprokg/ontology#",
    "cpkr": "https://w3id.org/coprokg/record#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}

Row = Sequence[Any]  # pyoxigraph terms or None, in the order of the variables


@dataclass(frozen=True)
class RenderedResult:
    """A serialised result and what the HTTP layer needs to say about it."""

    kind: str  # "solutions", "boolean" or "graph"
    format_key: str
    media_type: str
    body: bytes
    rows: int
    truncated: bool


class NotAcceptableResult(Exception):
    """The result kind has no format the client accepts; ``allowed`` lists the media types."""

    def __init__(self, kind: str, allowed: Sequence[str]) -> None:
        super().__init__(f"a {kind} result cannot be given in any format the request accepts")
        self.kind = kind
        self.allowed = list(allowed)


# ---------------------------------------------------------------- terms
def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def _csv_field(term: Any) -> str:
    if term is None:
        return ""
    text = term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)
    if any(c in text for c in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


# ---------------------------------------------------------------- writers
def write_solutions(variables: Sequence[str], rows: Iterable[Row], format_key: str) -> bytes:
    """SPARQL results (JSON, XML, CSV or TSV) for ``rows`` of terms in the order of ``variables``.

    >>> rows = [[ox.NamedNode("http://example.org/a"), ox.Literal("1", datatype=ox.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#integer"))]]
    >>> write_solutions(["s", "n"], rows, "csv")
    b's,n\\r\\nhttp://example.org/a,1\\r\\n'
    """
    if format_key == "json":
        bindings = [
            {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None}
            for row in rows
        ]
        return json.dumps(
            {"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
    out = io.StringIO()
    if format_key == "xml":
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
        out.write("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head><results>")
        for row in rows:
            out.write("<result>")
            for name, term in zip(variables, row, strict=True):
                if term is not None:
                    out.write(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
            out.write("</result>")
        out.write("</results></sparql>\n")
    elif format_key == "csv":
        out.write(",".join(variables) + "\r\n")
        for row in rows:
            out.write(",".join(_csv_field(term) for term in row) + "\r\n")
    elif format_key == "tsv":
        out.write("\t".join("?" + v for v in variables) + "\n")
        for row in rows:
            out.write("\t".join("" if term is None else str(term) for term in row) + "\n")
    else:
        raise ValueError(f"unknown result format {format_key!r}")
    return out.getvalue().encode("utf-8")


def write_boolean(value: bool, format_key: str) -> bytes:
    """An ASK result."""
    if format_key == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if format_key == "xml":
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head></head><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    if format_key in ("csv", "tsv"):
        return b"true\n" if value else b"false\n"
    raise ValueError(f"unknown result format {format_key!r}")


def write_graph(triples: Iterable[ox.Triple], format_key: str) -> bytes:
    """Triples as Turtle, N-Triples, RDF/XML or JSON-LD."""
    data = ox.serialize(list(triples), format=_GRAPH_FORMATS[format_key], prefixes=PREFIXES)
    assert data is not None
    return data


# ---------------------------------------------------------------- capping
def _take(iterator: Iterator[Any], limit: int) -> tuple[list[Any], bool]:
    taken: list[Any] = []
    for item in iterator:
        if len(taken) == limit:
            return taken, True
        taken.append(item)
    return taken, False


# ---------------------------------------------------------------- Oxigraph's own JSON writer
NATIVE_BUDGET = 32 * 1024 * 1024  # bytes of JSON written natively before giving up (then: the capped writer)


class _Overflow(Exception):
    pass


class _Buffer:
    """A binary output that refuses to grow past ``limit`` bytes (``_Overflow``)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _Overflow
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def natively_ordered(result: ox.QuerySolutions, variable_order: Sequence[str] | None) -> bool:
    """True when Oxigraph's column order is the one to give (a ``SELECT *`` may need reordering)."""
    names = [v.value for v in result.variables]
    return in_order(names, variable_order) == names


def render_json_natively(
    result: ox.QuerySolutions, *, max_rows: int, budget: int = NATIVE_BUDGET
) -> RenderedResult | None:
    """SPARQL JSON of ``result`` written by Oxigraph (Rust): the same bytes as ``write_solutions``.

    The Python writer costs microseconds a term; Oxigraph's is several times faster but cannot
    stop at ``max_rows``. So the whole result is written natively up to ``budget`` bytes, and the
    rows are then counted by parsing it back (``json.loads``, or Oxigraph's parser, lazily, past
    the point where a body may hold more than ``max_rows`` rows); over the cap, the first
    ``max_rows`` are written again by ``write_solutions``. None (the result is consumed) when the
    body outgrows ``budget``: run the query again and ``render`` it. Columns come in Oxigraph's
    order: check ``natively_ordered`` first.
    """
    names = [v.value for v in result.variables]
    out = _Buffer(budget)
    try:
        result.serialize(out, format=ox.QueryResultsFormat.JSON)  # type: ignore[arg-type]  # write() is enough
    except _Overflow:
        return None
    body = b"".join(out.parts)
    fmt = formats.ALL_FORMATS["json"]
    # a row is at least ``{}`` and a comma: a body this small cannot hold more than max_rows rows
    if len(body) <= 3 * max_rows:
        rows = len(json.loads(body)["results"]["bindings"])
        return RenderedResult("solutions", fmt.key, fmt.media_type, body, rows, False)
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    solutions, truncated = _take(iter(parsed), max_rows)
    if truncated:
        body = write_solutions(names, [[solution[name] for name in names] for solution in solutions], fmt.key)
    return RenderedResult("solutions", fmt.key, fmt.media_type, body, len(solutions), truncated)


def render(
    result: Any,
    *,
    solutions_format: str | None,
    graph_format: str | None,
    max_rows: int,
    variable_order: Sequence[str] | None = None,
) -> RenderedResult:
    """Serialise a pyoxigraph result (solutions, boolean or triples), stopping after ``max_rows``.

    ``variable_order`` puts the columns of a ``SELECT *`` in the order the query names its
    variables (``syntax.select_star_order``); Oxigraph gives them sorted by name. Raises
    ``NotAcceptableResult`` when the result's kind has no format in the request.
    """
    if isinstance(result, ox.QueryBoolean):
        if solutions_format is None:
            raise NotAcceptableResult("boolean", [f.media_type for f in formats.BOOLEAN_FORMATS])
        fmt = formats.ALL_FORMATS[solutions_format]
        return RenderedResult("boolean", fmt.key, fmt.media_type, write_boolean(bool(result), fmt.key), 1, False)
    if isinstance(result, ox.QuerySolutions):
        if solutions_format is None:
            raise NotAcceptableResult("solutions", [f.media_type for f in formats.SOLUTION_FORMATS])
        fmt = formats.ALL_FORMATS[solutions_format]
        names = in_order([v.value for v in result.variables], variable_order)
        solutions, truncated = _take(iter(result), max_rows)
        rows = [[solution[name] for name in names] for solution in solutions]
        body = write_solutions(names, rows, fmt.key)
        return RenderedResult("solutions", fmt.key, fmt.media_type, body, len(rows), truncated)
    if graph_format is None:
        raise NotAcceptableResult("graph", [f.media_type for f in formats.GRAPH_FORMATS])
    fmt = formats.ALL_FORMATS[graph_format]
    triples, truncated = _take(iter(result), max_rows)
    return RenderedResult("graph", fmt.key, fmt.media_type, write_graph(triples, fmt.key), len(triples), truncated)
