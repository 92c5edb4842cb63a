"""What differs between SPARQL stores, in one place: the engine adapter of the remote backend.

``RemoteStore`` speaks the SPARQL 1.1 Protocol; the ``Engine`` given to it (``COPROKG_SPARQL_ENGINE``)
decides the few things stores do differently — which credentials go with which request, what a
request may contain, which result format to ask for, how results and errors are read, and how
triples are inserted. ``generic`` assumes a store that follows the standards (Fuseki, GraphDB …);
``oxigraph`` is ``oxigraph serve``, which does; ``virtuoso`` is OpenLink Virtuoso 7, which does
not in the ways listed on ``VirtuosoEngine``. api/README.md has the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import ClassVar

import httpx
import pyoxigraph as ox

from coprokg.errors import QueryError, QueryTimeout, StoreError, StoreUnavailable
from coprokg.namespaces import GRAPH_BASE
from coprokg.sparql.safety import check_standard
from coprokg.store.base import insert_data, iri, literal

SOLUTIONS_JSON = "application/sparql-results+json"
SOLUTIONS_XML = "application/sparql-results+xml"
N_TRIPLES = "application/n-triples"
ENGINE_NAMES = ("generic", "oxigraph", "virtuoso")


class Engine:
    """A store that follows SPARQL 1.1 Query, Update and Protocol (and the result formats) as written."""

    name: ClassVar[str] = "generic"
    #: the internal SELECTs' result format
    solutions_accept: ClassVar[str] = SOLUTIONS_JSON

    def credentials(
        self, username: str | None, password: str | None, bearer_token: str | None
    ) -> tuple[httpx.Auth | None, httpx.Auth | None, dict[str, str]]:
        """The auth of query requests and of update requests, and headers for both."""
        if bearer_token:
            return None, None, {"Authorization": f"Bearer {bearer_token}"}
        auth = httpx.BasicAuth(username, password) if username and password is not None else None
        return auth, auth, {}

    def check(self, text: str, *, update: bool) -> str | None:
        """Refuse what this store must not be sent (beyond SERVICE and LOAD); the query form when known."""
        return None

    def accept(self, form: str | None) -> str:
        """The ``Accept`` header of a user query of ``form`` (``select``, ``ask``, ``construct``, ``describe``)."""
        return f"{SOLUTIONS_JSON}, {N_TRIPLES};q=0.9"

    def query_parameters(self, timeout: float) -> dict[str, str]:
        """Extra protocol parameters of every query request."""
        return {}

    def incomplete(self, response: httpx.Response, timeout: float) -> bool:
        """Raise if a 200 answer is not the whole result; True if the store cut it at its own row limit."""
        return False

    def body(self, media: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
        """The result body as the standard parsers read it."""
        return chunks

    def error(self, status: int, text: str, what: str, field: str) -> Exception | None:
        """A better error than the HTTP status alone gives, read from the store's error text."""
        return None

    def insert_operations(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> list[str]:
        """The operations that add ``graphs``' triples."""
        data = insert_data(dict(graphs))
        return [data] if data else []

    def graph_query(self, graph: str) -> tuple[str, str]:
        """How one graph is read: the query and its ``Accept``."""
        return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}", N_TRIPLES

    def export_query(self) -> str:
        """The SELECT of every quad ``export`` writes."""
        return "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


class OxigraphEngine(Engine):
    """``oxigraph serve``: standard; run it with ``--union-default-graph`` for user queries to see the data."""

    name: ClassVar[str] = "oxigraph"


_VIRTUOSO_ERROR = re.compile(r"Virtuoso (?P<state>[0-9A-Z]{5}) Error (?P<code>[A-Z]{2}[0-9]{3})?")
_XML_BNODE = b"<bnode>nodeID://"


def _without_bnode_scheme(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``<bnode>nodeID://b1</bnode>`` → ``<bnode>b1</bnode>``, also when the text spans two chunks."""
    keep = len(_XML_BNODE) - 1
    tail = b""
    for chunk in chunks:
        data = (tail + chunk).replace(_XML_BNODE, b"<bnode>")
        if len(data) > keep:
            yield data[:-keep]
            tail = data[-keep:]
        else:
            tail = data
    if tail:
        yield tail


def _blank_nodes(triple: ox.Triple) -> list[ox.BlankNode]:
    return [t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]


def blank_node_groups(triples: Sequence[ox.Triple]) -> list[list[ox.Triple]]:
    """The triples with blank nodes, grouped so that triples sharing a blank node stay together.

    >>> a, b, c = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    >>> p, x = ox.NamedNode("http://p"), ox.NamedNode("http://x")
    >>> [len(g) for g in blank_node_groups([ox.Triple(a, p, b), ox.Triple(c, p, x), ox.Triple(b, p, x)])]
    [2, 1]
    """
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for triple in triples:
        nodes = _blank_nodes(triple)
        if len(nodes) == 2:
            parent[root(nodes[0])] = root(nodes[1])
    groups: dict[ox.BlankNode, list[ox.Triple]] = {}
    for triple in triples:
        nodes = _blank_nodes(triple)
        if nodes:
            groups.setdefault(root(nodes[0]), []).append(triple)
    return list(groups.values())


def _batches(groups: Sequence[Sequence[ox.Triple]], size: int) -> Iterator[list[ox.Triple]]:
    """Groups packed into lists of about ``size`` triples (a larger group stays whole)."""
    batch: list[ox.Triple] = []
    for group in groups:
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


class VirtuosoEngine(Engine):
    """OpenLink Virtuoso 7 (tested: Debian's virtuoso-opensource 7.2.5).

    * Writes go to ``/sparql-auth`` with HTTP digest auth; queries go to the anonymous ``/sparql``
      without credentials, because Virtuoso runs whatever the ``query`` parameter holds (an update,
      ``DEFINE`` pragmas, ``bif:``/``sql:`` functions) with the rights of the account that sent it.
    * Its ``/sparql`` runs SQL functions from SPARQL even for the anonymous account — ``bif:http_get``
      fetches any URL — so every query and update is parsed first and must be standard SPARQL 1.1
      with declared prefixes, no ``bif:``/``sql:`` IRI and no extension function but XSD casts.
    * JSON results give ``xsd:boolean`` values as ``1``/``0`` and blank nodes as ``nodeID://b1``
      (not a blank node label), and it ignores ``q`` in ``Accept`` (a CONSTRUCT asked for with JSON
      first comes back as a JSON table): results are asked for in one format by query form, SPARQL
      XML for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE, and ``nodeID://`` is dropped.
    * A result longer than ``ResultSetMaxRows`` is cut (SELECT: header ``X-SPARQL-MaxRows``;
      CONSTRUCT: silently), and a query past the ``timeout`` parameter answers 200 with part of the
      result and ``X-SQL-State: S1TAT``. Queries carry ``timeout`` (the time limit), so Virtuoso
      itself stops; a part result is a ``QueryTimeout``, a cut one is marked truncated (user queries)
      or refused (internal reads, which therefore use SELECT, also to read a graph).
    * ``INSERT DATA`` refuses blank nodes; ``INSERT { … } WHERE {}`` with one blank node in two
      ``GRAPH`` blocks writes the triples but answers 500, and a blank node label may not appear in
      two operations of a request; ``INSERT DATA`` stops near 5,000 triples, a template near 1,500.
      So each graph is inserted on its own: triples without blank nodes by ``INSERT DATA`` in
      batches, the others by ``INSERT { … } WHERE {}`` in batches that keep every triple of one
      blank node (an OWL restriction, an RDF list) together.
    * A request of several operations is not one transaction: the operations before a failing one
      stay done. (coprokg orders its writes so that this leaves a graph to be written again.)
    * The default graph of a query without ``FROM`` is the union of all graphs, Virtuoso's own
      (``virtrdf:`` …) included, so ``export`` writes only coprokg's graphs.
    """

    name: ClassVar[str] = "virtuoso"
    solutions_accept: ClassVar[str] = SOLUTIONS_XML
    #: triples per INSERT DATA (its parser gives up near 5,000) and per INSERT … WHERE {} (its SQL
    #: compiler stops at 10,000 lines of generated code, near 1,500 triples)
    DATA_BATCH: ClassVar[int] = 2000
    TEMPLATE_BATCH: ClassVar[int] = 500

    def credentials(
        self, username: str | None, password: str | None, bearer_token: str | None
    ) -> tuple[httpx.Auth | None, httpx.Auth | None, dict[str, str]]:
        if bearer_token:
            raise StoreError("Virtuoso takes a user name and password (digest auth), not a bearer token")
        update_auth = httpx.DigestAuth(username, password) if username and password is not None else None
        return None, update_auth, {}

    def check(self, text: str, *, update: bool) -> str | None:
        return check_standard(text, update=update).form

    def accept(self, form: str | None) -> str:
        return N_TRIPLES if form in ("construct", "describe") else SOLUTIONS_XML

    def query_parameters(self, timeout: float) -> dict[str, str]:
        return {"timeout": str(max(1, int(timeout * 1000)))}

    def incomplete(self, response: httpx.Response, timeout: float) -> bool:
        state = response.headers.get("x-sql-state")
        if state:
            if state.strip().upper() == "S1TAT":
                raise QueryTimeout(f"the remote store did not finish within the time limit of {timeout:g} s")
            message = " ".join(response.headers.get("x-sql-message", "").split())[:200]
            raise StoreError(f"the remote store answered with part of the result ({state}: {message})")
        return "x-sparql-maxrows" in response.headers

    def body(self, media: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
        return _without_bnode_scheme(chunks) if "xml" in media else chunks

    def error(self, status: int, text: str, what: str, field: str) -> Exception | None:
        match = _VIRTUOSO_ERROR.search(text)
        if match is None:
            return None
        state, code = match["state"], match["code"] or ""
        if state == "S1T00" or code == "SR171" or "estimated execution time" in text:
            return QueryTimeout(f"the remote store stopped the {what} at its time limit: {text}")
        if state == "HY008" or code == "SR203":  # cancelled: what a busy server does at the time limit
            return QueryTimeout(f"the remote store did not finish the {what} within its time limit: {text}")
        if "SECURITY" in text:
            return StoreError(f"the remote store does not let coprokg's account run the {what}: {text}")
        if state.startswith(("22", "37", "42")):
            return QueryError(f"the remote store refused the {what}: {text}", field=field)
        if state.startswith(("08", "40")) or status >= 500:
            return StoreUnavailable(f"the remote store failed on the {what}: {text}")
        return None

    def insert_operations(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> list[str]:
        ops = []
        for graph, triples in graphs.items():
            ground = [t for t in triples if not _blank_nodes(t)]
            for start in range(0, len(ground), self.DATA_BATCH):
                ops.append(insert_data({graph: ground[start : start + self.DATA_BATCH]}))
            for batch in _batches(blank_node_groups(triples), self.TEMPLATE_BATCH):
                body = " .\n".join(str(t) for t in batch)
                ops.append(f"INSERT {{ GRAPH {iri(graph)} {{\n{body} .\n}} }} WHERE {{}}")
        return ops

    def graph_query(self, graph: str) -> tuple[str, str]:
        return f"SELECT ?s ?p ?o WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}", SOLUTIONS_XML

    def export_query(self) -> str:
        return (
            f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {literal(GRAPH_BASE)})) }}"
        )


ENGINES: dict[str, type[Engine]] = {"generic": Engine, "oxigraph": OxigraphEngine, "virtuoso": VirtuosoEngine}


def engine_for(name: str | Engine) -> Engine:
    """The adapter for an engine name (``generic``, ``oxigraph``, ``virtuoso``).

    >>> engine_for("virtuoso").accept("construct")
    'application/n-triples'
    """
    if isinstance(name, Engine):
        return name
    try:
        return ENGINES[name]()
    except KeyError:
        raise StoreError(f"unknown SPARQL engine {name!r} (known: {', '.join(ENGINE_NAMES)})") from None


__all__ = ["ENGINES", "ENGINE_NAMES", "Engine", "OxigraphEngine", "VirtuosoEngine", "engine_for"]
