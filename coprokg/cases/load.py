"""Load a case from a file, a string or a dict, in JSON, JSON-LD or Turtle.

Nothing here fetches anything: a JSON-LD ``@context`` may only be coprokg's own context (by its
IRI, served from ``data/context.jsonld``) or an inline object; RDF/XML and Turtle are parsed by
Oxigraph, which resolves no external entity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pydantic import ValidationError
from rdflib import Graph

from coprokg.cases.convert import case_ids, case_to_graph, graph_to_case, resolve_case
from coprokg.cases.jsonpos import locate, value_positions
from coprokg.cases.model import Case
from coprokg.errors import CaseFormatError
from coprokg.ontology import Ontology, default_ontology
from coprokg.paths import project_root
from coprokg.rdfterms import to_rdflib_term

CONTEXT_IRI = "https://w3id.org/coprokg/context.jsonld"
MEDIA_TYPES = {
    "application/json": "json",
    "application/ld+json": "json-ld",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "n-triples",
    "application/rdf+xml": "rdf-xml",
}
_SUFFIXES = {".json": "json", ".jsonld": "json-ld", ".ttl": "turtle", ".nt": "n-triples", ".rdf": "rdf-xml"}
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "n-triples": ox.RdfFormat.N_TRIPLES, "rdf-xml": ox.RdfFormat.RDF_XML}


@dataclass
class LoadedCase:
    """A case read from some input: the resolved model, its RDF and what was rewritten."""

    case: Case
    graph: Graph
    notes: list[str] = field(default_factory=list)
    source: str | None = None
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    def position(self, field_path: str) -> tuple[int | None, int | None]:
        """Line and column of a field of the JSON input (None for RDF input)."""
        return locate(self.positions, field_path) if self.positions else (None, None)


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + part
    return path


def case_from_dict(
    data: Any, *, ontology: Ontology | None = None, source: str | None = None, text: str | None = None
) -> LoadedCase:
    """Validate a JSON-shaped case, resolve its vocabulary and build its RDF."""
    ontology = ontology or default_ontology()
    positions = value_positions(text) if text is not None else {}
    if not isinstance(data, dict):
        raise CaseFormatError("a case must be a JSON object", source=source, line=1, column=1)
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = _field_path(tuple(first["loc"]))
        line, column = locate(positions, path)
        allowed = None
        if first["type"] == "literal_error":
            expected = first.get("ctx", {}).get("expected", "")
            allowed = [x.strip(" '") for x in str(expected).replace(" or ", ",").split(",") if x.strip(" '")]
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            message = "unknown field"
        more = len(exc.errors()) - 1
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise CaseFormatError(
            message, field=path or None, source=source, line=line, column=column, allowed=allowed
        ) from None
    try:
        resolved = resolve_case(case, ontology, source=source)
    except CaseFormatError as exc:
        if exc.field and positions:
            exc.line, exc.column = locate(positions, exc.field)
            exc.args = (str(exc),)
        raise
    graph = case_to_graph(resolved.case, ontology)
    return LoadedCase(resolved.case, graph, resolved.notes, source, positions)


def case_from_json(text: str, *, ontology: Ontology | None = None, source: str | None = None) -> LoadedCase:
    """Parse case JSON; a syntax error names its line and column."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseFormatError(f"invalid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno) from None
    return case_from_dict(data, ontology=ontology, source=source, text=text)


def parse_rdf(text: str | bytes, fmt: str, *, source: str | None = None) -> Graph:
    """Parse Turtle, N-Triples or RDF/XML with Oxigraph; errors carry line and column."""
    graph = Graph()
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        for triple in ox.parse(data, _OX_FORMATS[fmt]):
            graph.add((to_rdflib_term(triple.subject), to_rdflib_term(triple.predicate), to_rdflib_term(triple.object)))
    except SyntaxError as exc:
        line = column = None
        location = getattr(exc, "location", None)
        if location is not None:
            line, column = location[0].line + 1, location[0].column + 1
        else:
            line, column = getattr(exc, "lineno", None), getattr(exc, "offset", None)
        raise CaseFormatError(
            f"invalid {fmt}: {exc.msg if hasattr(exc, 'msg') else exc}", source=source, line=line, column=column
        ) from None
    return graph


def _check_contexts(node: Any, path: str, source: str | None) -> Any:
    """Replace coprokg's context IRI by the local file; refuse any other remote context."""
    if isinstance(node, list):
        return [_check_contexts(x, f"{path}[{i}]", source) for i, x in enumerate(node)]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "@context":
            out[key] = _inline_context(value, f"{path}.@context" if path else "@context", source)
        else:
            out[key] = _check_contexts(value, f"{path}.{key}" if path else key, source)
    return out


def _inline_context(value: Any, path: str, source: str | None) -> Any:
    if isinstance(value, list):
        return [_inline_context(v, f"{path}[{i}]", source) for i, v in enumerate(value)]
    if isinstance(value, str):
        if value == CONTEXT_IRI:
            local = json.loads((project_root() / "data" / "context.jsonld").read_text(encoding="utf-8"))
            return local["@context"]
        raise CaseFormatError(
            f"remote JSON-LD context {value!r} is not fetched; inline it or use {CONTEXT_IRI}",
            field=path,
            source=source,
        )
    if isinstance(value, dict):
        if "@import" in value:
            raise CaseFormatError("JSON-LD @import is not fetched", field=path, source=source)
        return value
    return value


def parse_jsonld(text: str, *, source: str | None = None) -> Graph:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseFormatError(f"invalid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno) from None
    data = _check_contexts(data, "", source)
    graph = Graph()
    try:
        graph.parse(data=json.dumps(data), format="json-ld")
    except Exception as exc:  # rdflib's JSON-LD parser raises various types
        raise CaseFormatError(f"invalid JSON-LD: {exc}", source=source) from None
    return graph


def case_from_graph(graph: Graph, *, ontology: Ontology | None = None, source: str | None = None) -> LoadedCase:
    """Read the one case described in an RDF graph."""
    ontology = ontology or default_ontology()
    ids = case_ids(graph)
    if len(ids) != 1:
        raise CaseFormatError(
            f"expected exactly one cpk:Case in the RDF input, found {len(ids)}"
            + (f": {', '.join(ids)}" if ids else ""),
            source=source,
        )
    case = graph_to_case(graph, ids[0], ontology, source=source)
    resolved = resolve_case(case, ontology, source=source)
    return LoadedCase(resolved.case, case_to_graph(resolved.case, ontology), resolved.notes, source)


def load_case_text(text: str, fmt: str, *, ontology: Ontology | None = None, source: str | None = None) -> LoadedCase:
    """Load a case given as text in ``fmt`` (json, json-ld, turtle, n-triples, rdf-xml)."""
    if fmt == "json":
        return case_from_json(text, ontology=ontology, source=source)
    if fmt == "json-ld":
        # A plain case file is also JSON-LD; without an @context it is read as the case format.
        try:
            probe = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CaseFormatError(
                f"invalid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno
            ) from None
        if isinstance(probe, dict) and probe.get("@context", CONTEXT_IRI) == CONTEXT_IRI and "@graph" not in probe:
            probe.pop("@context", None)
            return case_from_dict(probe, ontology=ontology, source=source, text=text)
        return case_from_graph(parse_jsonld(text, source=source), ontology=ontology, source=source)
    if fmt in _OX_FORMATS:
        return case_from_graph(parse_rdf(text, fmt, source=source), ontology=ontology, source=source)
    raise CaseFormatError(f"unsupported case format {fmt!r}", allowed=sorted({*_SUFFIXES.values()}), source=source)


def load_case(path: Path | str, *, ontology: Ontology | None = None) -> LoadedCase:
    """Load a case file; the format follows the suffix (.json, .jsonld, .ttl, .nt, .rdf)."""
    path = Path(path)
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise CaseFormatError(f"unknown file type {path.suffix!r}", source=str(path), allowed=sorted(_SUFFIXES))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseFormatError(f"cannot read file: {exc.strerror}", source=str(path)) from None
    return load_case_text(text, fmt, ontology=ontology, source=str(path))
