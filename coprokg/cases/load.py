"""Load a case from a file, a string or a dict, in JSON, JSON-LD, Turtle, N-Triples or RDF/XML.

Nothing here fetches anything, and no input can make the work explode:

* JSON-LD: every ``@context`` anywhere in the document — on a node, inside a term definition
  (scoped and type-scoped contexts), in arrays — may only be coprokg's own context IRI (read from
  ``data/context.jsonld``), ``null`` or an inline object; any other IRI, and every ``@import``, is
  refused with the path where it was found. The document is then parsed by Oxigraph, whose
  JSON-LD parser has no document loader at all: a remote context that slipped past the check
  would be a syntax error, never a request.
* RDF/XML: a document type declaration (``<!DOCTYPE``, where entities are declared) is refused
  outright, so no entity is expanded; Turtle and N-Triples have no such feature.
* Every input passes the size limits of ``coprokg.cases.limits`` (nesting depth, digits of a
  number, string length and Unicode, list sizes, number of triples) before it is converted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pydantic import ValidationError
from rdflib import Graph

from coprokg.cases.convert import case_ids, case_to_graph, graph_to_case, model_error, resolve_case
from coprokg.cases.forgiving import normalise_input
from coprokg.cases.jsonpos import locate, value_positions
from coprokg.cases.limits import DEFAULT_LIMITS, CaseLimits, check_value, decode_text, parse_json
from coprokg.cases.model import Case
from coprokg.errors import CaseFormatError, CoprokgError, InputError
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
CASE_FILE_SUFFIXES = frozenset(_SUFFIXES)
_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "rdf-xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
}


@dataclass
class LoadedCase:
    """A case read from some input: the resolved model, its RDF and what was rewritten.

    Validation and classification keep what they derive from ``graph`` in ``memo`` and share it;
    for other RDF, make a new ``LoadedCase`` (``dataclasses.replace`` gives it an empty memo)
    rather than change ``graph`` in place.
    """

    case: Case
    graph: Graph
    notes: list[str] = field(default_factory=list)
    source: str | None = None
    text: str | None = field(default=None, repr=False)  # the JSON input, where the positions come from
    # what the analyses derive from the case once and share (the shapes' index of the case, ...)
    memo: dict[object, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def positions(self) -> dict[str, tuple[int, int]]:
        """Line and column of each field of the JSON input (empty for RDF input), found when first asked."""
        found: dict[str, tuple[int, int]] | None = self.memo.get(_POSITIONS)
        if found is None:
            found = self.memo[_POSITIONS] = value_positions(self.text) if self.text is not None else {}
        return found

    def position(self, field_path: str) -> tuple[int | None, int | None]:
        """Line and column of a field of the JSON input (None for RDF input)."""
        return locate(self.positions, field_path) if self.positions else (None, None)

    def __getstate__(self) -> dict[str, Any]:
        """A copy or a pickle starts with an empty ``memo`` (it holds per-process objects)."""
        state = dict(self.__dict__)
        state["memo"] = {}
        return state


_POSITIONS = "positions"


def case_from_dict(
    data: Any,
    *,
    ontology: Ontology | None = None,
    source: str | None = None,
    text: str | None = None,
    limits: CaseLimits = DEFAULT_LIMITS,
) -> LoadedCase:
    """Validate a JSON-shaped case, resolve its vocabulary and build its RDF."""
    ontology = ontology or default_ontology()
    if not isinstance(data, dict):
        raise CaseFormatError("a case must be a JSON object", source=source, line=1, column=1)
    try:
        check_value(data, limits, source=source)
    except InputError as exc:
        if exc.field and text is not None:
            exc.line, exc.column = locate(value_positions(text), exc.field)
            exc.args = (str(exc),)
        raise
    try:
        data, typed_notes = normalise_input(data)
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise _located(model_error(exc, source=source), text) from None
    except CaseFormatError as exc:
        exc.source = exc.source or source
        raise _located(exc, text) from None
    try:
        # a model read from JSON text shares no object with the caller: resolve it in place
        resolved = resolve_case(case, ontology, source=source, copy=text is None)
    except CaseFormatError as exc:
        raise _located(exc, text) from None
    graph = case_to_graph(resolved.case, ontology)
    return LoadedCase(resolved.case, graph, typed_notes + resolved.notes, source, text)


def _located(error: CaseFormatError, text: str | None) -> CaseFormatError:
    """The error (and each of its problems) with the line and column of its field in the JSON text."""
    positions = value_positions(text) if text is not None else {}
    for problem in [error, *getattr(error, "problems", [])]:
        if problem.field and positions and problem.line is None:
            problem.line, problem.column = locate(positions, problem.field)
        problem.args = (str(problem),)
    return error


def case_from_json(
    text: str, *, ontology: Ontology | None = None, source: str | None = None, limits: CaseLimits = DEFAULT_LIMITS
) -> LoadedCase:
    """Parse case JSON; a syntax error names its line and column."""
    data = parse_json(text, limits, source=source)
    return case_from_dict(data, ontology=ontology, source=source, text=text, limits=limits)


def _refuse_doctype(text: str, source: str | None) -> None:
    """RDF/XML may not declare a document type: that is where entities (billion laughs) live."""
    for marker in ("<!DOCTYPE", "<!ENTITY"):
        at = text.find(marker)
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            column = at - (text.rfind("\n", 0, at) + 1) + 1
            raise CaseFormatError(
                f"RDF/XML with a document type declaration ({marker}) is refused: entities are not expanded",
                source=source,
                line=line,
                column=column,
            )


def parse_rdf(text: str | bytes, fmt: str, *, source: str | None = None, limits: CaseLimits = DEFAULT_LIMITS) -> Graph:
    """Parse Turtle, N-Triples, RDF/XML or JSON-LD with Oxigraph; errors carry line and column.

    Oxigraph fetches nothing: it has no document loader for JSON-LD and resolves no external
    XML entity; a DOCTYPE is refused here before parsing, so no internal entity is expanded.
    """
    graph = Graph()
    if fmt == "rdf-xml":
        _refuse_doctype(text if isinstance(text, str) else text.decode("utf-8", errors="replace"), source)
    data = text.encode("utf-8") if isinstance(text, str) else text
    count = 0
    try:
        for triple in ox.parse(data, _OX_FORMATS[fmt]):
            count += 1
            if count > limits.max_rdf_triples:
                raise limits.exceeded("max_rdf_triples", f"more than {limits.max_rdf_triples} triples", source=source)
            obj = triple.object
            if isinstance(obj, ox.Literal) and len(obj.value) > limits.max_string_chars:
                raise limits.exceeded("max_string_chars", f"a literal of {len(obj.value)} characters", source=source)
            graph.add((to_rdflib_term(triple.subject), to_rdflib_term(triple.predicate), to_rdflib_term(obj)))
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


def _local_context() -> Any:
    return json.loads((project_root() / "data" / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def _check_contexts(document: Any, source: str | None) -> Any:
    """A copy of a JSON-LD document in which nothing can point at a remote document.

    Every ``@context`` value at any depth — node contexts, scoped contexts in term definitions,
    type-scoped contexts, members of context arrays — must be coprokg's context IRI (replaced by
    the local file), ``null`` or an object; ``@import`` is refused wherever it appears. Iterative,
    so a deeply nested document costs no recursion.
    """
    root: dict[str, Any] = {"": document}
    stack: list[tuple[Any, str | int, str, bool]] = [(root, "", "", False)]
    while stack:
        parent, key, path, is_context = stack.pop()
        value = parent[key]
        if is_context:
            if isinstance(value, str):
                if value != CONTEXT_IRI:
                    raise CaseFormatError(
                        f"remote JSON-LD context {value!r} is not fetched; inline it or use {CONTEXT_IRI}",
                        field=path,
                        source=source,
                    )
                parent[key] = _local_context()
                continue
            if value is None:
                continue
            if not isinstance(value, list | dict):
                raise CaseFormatError("a JSON-LD @context must be an IRI, null, an object or a list", field=path)
        if isinstance(value, dict):
            value = dict(value)
            parent[key] = value
            for name in value:
                child = f"{path}.{name}" if path else str(name)
                if name == "@import":
                    raise CaseFormatError(
                        "JSON-LD @import is not fetched; inline the context", field=child, source=source
                    )
                stack.append((value, name, child, name == "@context"))
        elif isinstance(value, list):
            value = list(value)
            parent[key] = value
            for i in range(len(value)):
                stack.append((value, i, f"{path}[{i}]", is_context))
    return root[""]


def parse_jsonld(text: str, *, source: str | None = None, limits: CaseLimits = DEFAULT_LIMITS) -> Graph:
    """Parse a JSON-LD document with no remote context (see ``_check_contexts``) into a graph."""
    data = parse_json(text, limits, source=source)
    check_value(data, replace(limits, max_list_items=limits.max_rdf_triples), source=source)
    data = _check_contexts(data, source)
    return parse_rdf(json.dumps(data, ensure_ascii=False), "json-ld", source=source, limits=limits)


def case_from_graph(
    graph: Graph, *, ontology: Ontology | None = None, source: str | None = None, limits: CaseLimits = DEFAULT_LIMITS
) -> LoadedCase:
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
    check_value(case.model_dump(mode="json", exclude_none=True), limits, source=source)
    resolved = resolve_case(case, ontology, source=source)
    return LoadedCase(resolved.case, case_to_graph(resolved.case, ontology), resolved.notes, source)


def load_case_text(
    text: str,
    fmt: str,
    *,
    ontology: Ontology | None = None,
    source: str | None = None,
    limits: CaseLimits | None = None,
) -> LoadedCase:
    """Load a case given as text in ``fmt`` (json, json-ld, turtle, n-triples, rdf-xml).

    ``limits`` default to the configured ones (``COPROKG_MAX_*``, see ``coprokg.settings``).
    """
    limits = limits or configured_limits()
    try:
        if fmt == "json":
            return case_from_json(text, ontology=ontology, source=source, limits=limits)
        if fmt == "json-ld":
            # A plain case file is also JSON-LD; without an @context it is read as the case format.
            probe = parse_json(text, limits, source=source)
            if isinstance(probe, dict) and probe.get("@context", CONTEXT_IRI) == CONTEXT_IRI and "@graph" not in probe:
                probe.pop("@context", None)
                return case_from_dict(probe, ontology=ontology, source=source, text=text, limits=limits)
            graph = parse_jsonld(text, source=source, limits=limits)
            return case_from_graph(graph, ontology=ontology, source=source, limits=limits)
        if fmt in _OX_FORMATS:
            graph = parse_rdf(text, fmt, source=source, limits=limits)
            return case_from_graph(graph, ontology=ontology, source=source, limits=limits)
    except RecursionError:
        raise limits.exceeded("max_json_depth", "the input is nested too deeply", source=source) from None
    except (UnicodeError, ValueError) as exc:
        if isinstance(exc, CoprokgError):
            raise
        raise CaseFormatError(f"the input cannot be read: {exc}", source=source) from None
    raise CaseFormatError(f"unsupported case format {fmt!r}", allowed=sorted({*_SUFFIXES.values()}), source=source)


@lru_cache(maxsize=1)
def configured_limits() -> CaseLimits:
    """The case limits of the ``COPROKG_MAX_*`` settings (the defaults when none is set)."""
    from coprokg.settings import load_settings

    return load_settings().case_limits


def load_case(path: Path | str, *, ontology: Ontology | None = None, limits: CaseLimits | None = None) -> LoadedCase:
    """Load a case file; the format follows the suffix (.json, .jsonld, .ttl, .nt, .rdf)."""
    path = Path(path)
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise CaseFormatError(f"unknown file type {path.suffix!r}", source=str(path), allowed=sorted(_SUFFIXES))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CaseFormatError(f"cannot read file: {exc.strerror}", source=str(path)) from None
    text = decode_text(data, source=str(path))
    return load_case_text(text, fmt, ontology=ontology, source=str(path), limits=limits)
