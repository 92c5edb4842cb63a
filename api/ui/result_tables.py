"""SPARQL results as tables for people: SELECT, ASK and CONSTRUCT results read into rows of cells.

The HTTP layer asks the store for SPARQL JSON (solutions, booleans) or N-Triples (graphs) and hands
the bytes here; each IRI becomes a short name (a CURIE where a prefix is known) and, through a
``link`` function the caller gives, a link to where a reader can look it up.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from coprokg.sparql import PREFIXES, XSD_STRING

LinkFunction = Callable[[str], str | None]
GRAPH_COLUMNS = ["subject", "predicate", "object"]


@dataclass(frozen=True)
class Cell:
    """One value of a result: what to show, where it links, and its full form."""

    text: str
    kind: str  # "uri", "literal", "bnode" or "triple"
    href: str | None = None
    title: str | None = None


@dataclass
class ResultTable:
    """A query result ready to be shown: columns and rows, or a boolean."""

    kind: str  # "solutions", "boolean" or "graph"
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell | None]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False


def short_name(iri: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """A CURIE for ``iri`` when one of ``prefixes`` matches, else the IRI.

    >>> short_name("https://w3id.org/coprokg/ontology#Case")
    'cpk:Case'
    >>> short_name("http://example.org/x")
    'http://example.org/x'
    """
    best: tuple[str, str] | None = None
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri


def _no_link(_iri: str) -> str | None:
    return None


def _json_cell(term: Mapping[str, Any], link: LinkFunction) -> Cell:
    kind = str(term.get("type"))
    if kind == "uri":
        iri = str(term["value"])
        return Cell(short_name(iri), "uri", link(iri), iri)
    if kind == "bnode":
        return Cell(f"_:{term['value']}", "bnode")
    if kind == "triple":
        parts = term["value"]
        inner = " ".join(_json_cell(parts[k], link).text for k in ("subject", "predicate", "object"))
        return Cell(f"<< {inner} >>", "triple")
    value = str(term.get("value", ""))
    if "xml:lang" in term:
        return Cell(value, "literal", title=f"@{term['xml:lang']}")
    datatype = term.get("datatype")
    return Cell(value, "literal", title=short_name(str(datatype)) if datatype else None)


def table_from_sparql_json(body: bytes, *, link: LinkFunction = _no_link, truncated: bool = False) -> ResultTable:
    """A SPARQL 1.1 JSON result (SELECT or ASK) as a table.

    >>> body = (b'{"head":{"vars":["s","n"]},"results":{"bindings":[{"s":{"type":"uri",'
    ...         b'"value":"https://w3id.org/coprokg/ontology#Case"}}]}}')
    >>> table = table_from_sparql_json(body)
    >>> table.columns, table.rows[0][0].text, table.rows[0][1]
    (['s', 'n'], 'cpk:Case', None)
    """
    data = json.loads(body)
    if "boolean" in data:
        return ResultTable("boolean", boolean=bool(data["boolean"]), truncated=truncated)
    columns = [str(v) for v in data.get("head", {}).get("vars", [])]
    rows: list[list[Cell | None]] = []
    for binding in data.get("results", {}).get("bindings", []):
        rows.append([_json_cell(binding[c], link) if c in binding else None for c in columns])
    return ResultTable("solutions", columns, rows, truncated=truncated)


def _ox_cell(term: Any, link: LinkFunction) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell(short_name(term.value), "uri", link(term.value), term.value)
    if isinstance(term, ox.BlankNode):
        return Cell(f"_:{term.value}", "bnode")
    if isinstance(term, ox.Literal):
        if term.language:
            return Cell(term.value, "literal", title=f"@{term.language}")
        datatype = term.datatype.value
        return Cell(term.value, "literal", title=None if datatype == XSD_STRING else short_name(datatype))
    return Cell(str(term), "triple")


def table_from_ntriples(body: bytes, *, link: LinkFunction = _no_link, truncated: bool = False) -> ResultTable:
    """A graph result (N-Triples) as a subject / predicate / object table.

    >>> table = table_from_ntriples(b'<http://example.org/a> <http://example.org/p> "x" .\\n')
    >>> [c.text for c in table.rows[0] if c]
    ['http://example.org/a', 'http://example.org/p', 'x']
    """
    rows: list[list[Cell | None]] = []
    for quad in ox.parse(body, ox.RdfFormat.N_TRIPLES):
        triple = quad.triple
        rows.append([_ox_cell(t, link) for t in (triple.subject, triple.predicate, triple.object)])
    return ResultTable("graph", list(GRAPH_COLUMNS), rows, truncated=truncated)


def solution_values(body: bytes) -> list[dict[str, str]]:
    """The rows of a SPARQL JSON SELECT result as plain strings (numbers stay text).

    >>> solution_values(b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"3"}}]}}')
    [{'n': '3'}]
    """
    data = json.loads(body)
    return [
        {name: str(term.get("value", "")) for name, term in binding.items()}
        for binding in data.get("results", {}).get("bindings", [])
    ]
