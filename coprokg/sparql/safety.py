"""What the service refuses to run: SERVICE (federated query) and LOAD (fetch a document).

Oxigraph would send a ``SERVICE <http://…>`` clause out over HTTP and offers no switch to stop
it, and ``LOAD`` fetches any URL; the service must never make an outbound request on a user's
behalf. The decision is taken on a parse tree, not on the text:

1. SPARQL processes ``\\uXXXX`` escapes before parsing, so the text is unescaped first.
2. A keyword can only be present if its letters are: text that does not contain ``service``,
   ``load`` or ``from`` (case-folded) needs no parse at all (the common case, free).
3. Otherwise rdflib's SPARQL grammar parses the text and the parse tree is searched for
   ``ServiceGraphPattern`` and ``Load`` nodes, and for a dataset clause (``FROM``), which decides
   whether the union default graph applies. Text rdflib cannot parse is refused when it
   mentions those words: the check would otherwise be guessing.

The embedded store's query workers also run with outbound sockets blocked by the kernel
(``coprokg.sparql.sandbox``), so even a parser disagreement cannot reach the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from coprokg.errors import QueryError, QueryRefused

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TRIGGERS = ("service", "load", "from")


@dataclass(frozen=True)
class OperationInfo:
    """What the check learnt about a query or update."""

    has_dataset_clause: bool = False


def unescape_codepoints(text: str) -> str:
    r"""Replace SPARQL codepoint escapes, as the grammar does before tokenising.

    >>> unescape_codepoints(r"SERV\u0049CE")
    'SERVICE'
    """

    def repl(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        try:
            return chr(code)
        except (ValueError, OverflowError):
            return match.group(0)

    return _ESCAPE.sub(repl, text)


def _position(text: str, word: str) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the first occurrence of ``word``, to point the user at it."""
    index = text.casefold().find(word)
    if index < 0:
        return None, None
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _walk(node: Any, found: set[str]) -> None:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        found.add(node.name)
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, ParseResults | list | tuple):
        for value in node:
            _walk(value, found)
    elif isinstance(node, dict):
        for value in node.values():
            _walk(value, found)


def _parse_error(exc: Exception) -> tuple[str, int | None, int | None]:
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "col", None)
    message = getattr(exc, "msg", None) or str(exc)
    return str(message), line if isinstance(line, int) else None, column if isinstance(column, int) else None


@lru_cache(maxsize=2048)
def _check(text: str, update: bool) -> OperationInfo:
    plain = unescape_codepoints(text)
    folded = plain.casefold()
    if not any(word in folded for word in _TRIGGERS):
        return OperationInfo()
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    from coprokg.threadsafe import RDFLIB_LOCK

    try:
        with RDFLIB_LOCK:  # pyparsing grammars are not thread-safe
            tree = parseUpdate(plain) if update else parseQuery(plain)
    except Exception as exc:  # pyparsing raises ParseException and friends
        message, line, column = _parse_error(exc)
        mentioned = [w.upper() for w in ("service", "load") if w in folded]
        if not mentioned:
            # only "from" appeared: let the store's own parser report the syntax error
            return OperationInfo(has_dataset_clause=True)
        raise QueryError(
            f"the {'update' if update else 'query'} mentions {' and '.join(mentioned)}, which are never run, "
            f"and could not be parsed to check it: {message}",
            line=line,
            column=column,
            field="update" if update else "query",
        ) from None
    names: set[str] = set()
    _walk(tree, names)
    for node_name, keyword in (("ServiceGraphPattern", "SERVICE"), ("Load", "LOAD")):
        if node_name in names:
            line, column = _position(plain, keyword.casefold())
            raise QueryRefused(
                f"{keyword} is not allowed: this service never fetches remote data",
                line=line,
                column=column,
                field="update" if update else "query",
            )
    return OperationInfo(has_dataset_clause="DatasetClause" in names)


def check_query(text: str) -> OperationInfo:
    """Refuse a query that uses SERVICE; tell whether it names its own dataset (FROM).

    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    OperationInfo(has_dataset_clause=False)
    >>> check_query('SELECT * FROM <http://example.org/g> WHERE { ?s ?p "service" }').has_dataset_clause
    True
    >>> check_query("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    coprokg.errors.QueryRefused: 1:12: query: SERVICE is not allowed: this service never fetches remote data
    """
    return _check(text, False)


def checked_without_parse(text: str) -> OperationInfo | None:
    """``check_query``'s answer when it needs no parse (no SERVICE, LOAD or FROM letters); else None.

    For callers on an event loop, which run the parse (tens of milliseconds) in a thread.

    >>> checked_without_parse("SELECT * WHERE { ?s ?p ?o }")
    OperationInfo(has_dataset_clause=False)
    >>> checked_without_parse("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }") is None
    True
    """
    folded = unescape_codepoints(text).casefold()
    return None if any(word in folded for word in _TRIGGERS) else _NO_CLAUSE


_NO_CLAUSE = OperationInfo()


def check_update(text: str) -> OperationInfo:
    """Refuse an update that uses LOAD or SERVICE.

    >>> check_update("LOAD <http://127.0.0.1:9/data.ttl>")
    Traceback (most recent call last):
    ...
    coprokg.errors.QueryRefused: 1:1: update: LOAD is not allowed: this service never fetches remote data
    """
    return _check(text, True)


# ---------------------------------------------------------------- standard SPARQL only
XSD = "http://www.w3.org/2001/XMLSchema#"
# IRI schemes an engine maps to its own code: Virtuoso's ``bif:`` (built-in SQL functions, among
# them ``http_get``) and ``sql:`` (stored procedures)
ENGINE_SCHEMES = ("bif:", "sql:")
_FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "describe"}


@dataclass(frozen=True)
class StandardInfo:
    """What the strict check learnt: the query form (``select``, ``ask``, ``construct``, ``describe``)."""

    form: str | None = None


def _iris(node: Any, prefixes: dict[str, set[str]], bases: set[str]) -> Iterator[tuple[str, bool]]:
    """Every IRI in a parse tree as written (prefixed names expanded), with whether it is called as a function."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    if isinstance(node, CompValue):
        if node.name == "pname":
            local = str(node.get("localname") or "")
            for namespace in prefixes.get(str(node.get("prefix") or ""), set()):
                yield namespace + local, False
            return
        if node.name == "Function":
            for value, _ in _iris(node.get("iri"), prefixes, bases):
                yield value, True
            yield from _iris(node.get("expr"), prefixes, bases)
            return
        for value in node.values():
            yield from _iris(value, prefixes, bases)
    elif isinstance(node, URIRef):
        yield str(node), False
        for base in bases:
            yield urljoin(base, str(node)), False
    elif isinstance(node, ParseResults | list | tuple):
        for value in node:
            yield from _iris(value, prefixes, bases)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _iris(value, prefixes, bases)


def _declarations(node: Any, prefixes: dict[str, set[str]], bases: set[str]) -> None:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "PrefixDecl":
            prefixes.setdefault(str(node.get("prefix") or ""), set()).add(str(node["iri"]))
        elif node.name == "Base":
            bases.add(str(node["iri"]))
        for value in node.values():
            _declarations(value, prefixes, bases)
    elif isinstance(node, ParseResults | list | tuple):
        for value in node:
            _declarations(value, prefixes, bases)
    elif isinstance(node, dict):
        for value in node.values():
            _declarations(value, prefixes, bases)


def _undeclared(node: Any, prefixes: dict[str, set[str]]) -> str | None:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "pname":
            prefix = str(node.get("prefix") or "")
            return None if prefix in prefixes else prefix
        values: Any = node.values()
    elif isinstance(node, ParseResults | list | tuple):
        values = node
    elif isinstance(node, dict):
        values = node.values()
    else:
        return None
    for value in values:
        found = _undeclared(value, prefixes)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=2048)
def _check_standard(text: str, update: bool) -> StandardInfo:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    from coprokg.threadsafe import RDFLIB_LOCK

    field = "update" if update else "query"
    what = "update" if update else "query"
    plain = unescape_codepoints(text)
    try:
        with RDFLIB_LOCK:  # pyparsing grammars are not thread-safe
            tree = parseUpdate(plain) if update else parseQuery(plain)
    except Exception as exc:  # pyparsing raises ParseException and friends
        message, line, column = _parse_error(exc)
        raise QueryError(
            f"the {what} is not standard SPARQL 1.1 {'Update' if update else 'Query'}, the only language "
            f"this store is sent: {message}",
            line=line,
            column=column,
            field=field,
        ) from None
    prefixes: dict[str, set[str]] = {}
    bases: set[str] = set()
    _declarations(tree, prefixes, bases)
    missing = _undeclared(tree, prefixes)
    if missing is not None:
        from coprokg.sparql.prefixes import known_prefixes
        from coprokg.sparql.syntax import explain_syntax_error, located

        line, column = _position(plain, f"{missing}:".casefold())
        # the same sentence as a syntax error from the store itself (coprokg.store.base.syntax_error)
        message, line, column = explain_syntax_error(text, "undeclared prefix", line, column, known_prefixes())
        raise QueryError(located(message, line, column), line=line, column=column, field=field)
    for value, called in _iris(tree, prefixes, bases):
        folded = value.casefold()
        if folded.startswith(ENGINE_SCHEMES):
            raise QueryRefused(
                f"<{value}> is in a namespace of the store's own engine (bif:, sql:); only standard SPARQL is run",
                field=field,
            )
        if called and not value.startswith(XSD):
            raise QueryRefused(
                f"the extension function <{value}> is not allowed; use SPARQL's built-in functions and XSD casts",
                field=field,
            )
    form = None if update else _FORMS.get(getattr(tree[-1], "name", ""))
    return StandardInfo(form=form)


def check_standard(text: str, *, update: bool = False) -> StandardInfo:
    """Refuse what is not plain SPARQL 1.1: engine extensions, undeclared prefixes, extension functions.

    For stores whose SPARQL is a door to more than SPARQL (Virtuoso runs ``DEFINE`` pragmas, an
    update sent as a query, and ``bif:``/``sql:`` functions such as ``bif:http_get``). The text is
    always parsed; every IRI, with prefixed names expanded and relative IRIs resolved against each
    ``BASE``, is checked. Call ``check_query``/``check_update`` as well (SERVICE, LOAD).

    >>> check_standard("PREFIX cpk: <https://w3id.org/coprokg/ontology#> SELECT * { ?c a cpk:Case }").form
    'select'
    >>> check_standard('SELECT (<bif:http_get>("http://127.0.0.1:9/") AS ?x) {}')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coprokg.errors.QueryRefused: query: <bif:http_get> is in a namespace of the store's own engine (bif:, sql:); ...
    >>> check_standard('DEFINE input:grab-all "yes" SELECT * { ?s ?p ?o }')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coprokg.errors.QueryError: 1:1: query: the query is not standard SPARQL 1.1 Query, the only language ...
    """
    return _check_standard(text, update)
