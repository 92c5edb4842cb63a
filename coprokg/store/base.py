"""The store interface shared by the embedded (pyoxigraph) and remote (SPARQL Protocol) backends.

A backend provides a handful of primitives — run a user query with limits, run an update, run a
trusted internal SELECT, read one graph, apply a list of update operations atomically, export —
and everything about cases (put, get, list, delete) is written once here on top of them, as
SPARQL that any SPARQL 1.1 store understands. Internal queries name their graphs explicitly
(``GRAPH ?g``), so they work whether or not a remote store exposes the union as default graph.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, BinaryIO, TypeGuard

import pyoxigraph as ox

from coprokg.errors import NotAcceptable, QueryError, QueryRefused, StoreError
from coprokg.namespaces import CASE_GRAPH_PREFIX, CPK, META_GRAPH, case_iri, parse_case_node
from coprokg.ontology import default_ontology
from coprokg.sparql.prefixes import known_prefixes
from coprokg.sparql.results import RenderedResult
from coprokg.sparql.safety import check_update
from coprokg.sparql.syntax import Rewritten, explain_syntax_error, located, with_dataset
from coprokg.store.catalogue import CaseCatalogue, CatalogueRow, role_name, search_text
from coprokg.store.finding import CaseQuery, case_query_sparql, citizen_roles
from coprokg.store.records import RDF_TYPE, RECORD, CaseRecord, case_graph_iri, classification_graph
from coprokg.store.usage import TermUsage, UsageKind, UsedCase, usage_sparql


def solution_rows(result: ox.QuerySolutions) -> list[dict[str, Any]]:
    """SELECT solutions as dicts of variable name to term, unbound variables left out."""
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        rows.append({name: solution[i] for i, name in enumerate(names) if solution[i] is not None})
    return rows


PREFIXES = f"PREFIX cpk: <{CPK}>\nPREFIX dcterms: <http://purl.org/dc/terms/>\nPREFIX cpkr: <{RECORD}>\n"


@dataclass(frozen=True)
class QueryRequest:
    """A user's SPARQL query with its protocol dataset and the formats the client accepts."""

    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    solutions_format: str | None = "json"
    graph_format: str | None = "turtle"
    base_iri: str | None = None  # relative IRIs in the query resolve against it (the endpoint's URL)


@dataclass(frozen=True)
class UpdateRequest:
    """A user's SPARQL update with the protocol's ``using-graph-uri`` / ``using-named-graph-uri``."""

    text: str
    using_graphs: tuple[str, ...] = ()
    using_named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list."""

    id: str
    title: str | None
    domain: str | None
    country: str | None
    power_transfer: str | None
    warnings: int


@dataclass(frozen=True)
class CasePage:
    total: int
    offset: int
    limit: int
    items: list[CaseSummary]


def iri(value: str) -> str:
    """An IRI in SPARQL syntax; refuses characters that would end it early.

    >>> iri("https://w3id.org/coprokg/case/x")
    '<https://w3id.org/coprokg/case/x>'
    """
    return str(ox.NamedNode(value))


def literal(value: str) -> str:
    """A plain string literal in SPARQL syntax, escaped.

    >>> literal('say "hi"')
    '"say \\\\"hi\\\\""'
    """
    return str(ox.Literal(value))


def insert_data(graphs: dict[str, Sequence[ox.Triple]]) -> str:
    """``INSERT DATA`` for triples in named graphs (empty graphs are skipped)."""
    parts = []
    for graph, triples in graphs.items():
        if triples:
            body = " .\n".join(str(t) for t in triples)
            parts.append(f"GRAPH {iri(graph)} {{\n{body} .\n}}")
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}" if parts else ""


def replace_graphs(
    graphs: dict[str, Sequence[ox.Triple]],
    insert: Callable[[dict[str, Sequence[ox.Triple]]], list[str]] | None = None,
) -> list[str]:
    """Update operations that drop ``graphs`` and insert their new content (``insert`` writes the inserts)."""
    ops = [f"DROP SILENT GRAPH {iri(g)}" for g in graphs]
    if insert is not None:
        ops.extend(insert(graphs))
    else:
        data = insert_data(graphs)
        if data:
            ops.append(data)
    return ops


class GraphStore(ABC):
    """A graph store holding the ontology, the shapes and one pair of named graphs per case."""

    backend: str = "abstract"

    #: Seconds a catalogue is trusted on a store that does not count its writes (``revision`` None):
    #: writes that bypass coprokg and keep the number of cases are seen after this long at most.
    catalogue_max_age: float = 60.0

    def __init__(self, *, query_timeout: float = 5.0, max_rows: int = 10_000) -> None:
        self.query_timeout = query_timeout
        self.max_rows = max_rows
        self._usage: tuple[int, TermUsage] | None = None
        self._catalogue: CaseCatalogue | None = None
        self._catalogue_lock = threading.Lock()
        self._results: dict[tuple[QueryRequest, float | None, int | None], tuple[Hashable, float, RenderedResult]] = {}
        self._results_lock = threading.Lock()

    # ------------------------------------------------------------------ backend primitives
    def insert_operations(self, graphs: dict[str, Sequence[ox.Triple]]) -> list[str]:
        """The update operations that add ``graphs``' triples (one ``INSERT DATA``; a backend may differ)."""
        data = insert_data(graphs)
        return [data] if data else []

    @abstractmethod
    def query(
        self, request: QueryRequest, *, timeout: float | None = None, max_rows: int | None = None
    ) -> RenderedResult:
        """Run a user's query: SERVICE refused, union default graph, time limit, row cap."""

    async def query_async(
        self, request: QueryRequest, *, timeout: float | None = None, max_rows: int | None = None
    ) -> RenderedResult:
        """``query`` for an event loop (the service): here in a thread; a backend may do better."""
        return await asyncio.to_thread(self.query, request, timeout=timeout, max_rows=max_rows)

    def update(self, request: UpdateRequest | str) -> None:
        """Run a user's SPARQL update: LOAD and SERVICE refused, the protocol's dataset written into
        it as ``USING`` clauses (``syntax.with_dataset``), relative IRIs resolved against the base."""
        if isinstance(request, str):
            request = UpdateRequest(request)
        check_update(request.text)
        rewritten = with_dataset(request.text, request.using_graphs, request.using_named_graphs)
        try:
            self._run_update(rewritten, request.base_iri)
        except QueryError:  # refused, or not run by the store: nothing written
            raise
        except BaseException:
            self._count_change()  # it may have written part of it
            raise
        self._count_change()

    def _count_change(self) -> None:
        """On a store shared with other processes, add one to its change count (after a user's update)."""
        counter = self._counter_operations()
        if counter:
            self.apply(counter)

    #: How many results ``query_cached`` keeps (each at most ``max_rows`` rows).
    cached_results: int = 16

    def query_cached(
        self, request: QueryRequest, *, timeout: float | None = None, max_rows: int | None = None
    ) -> RenderedResult:
        """``query``, answered from the result of the same request while the store has not changed
        (``change_token``; on a store that does not count its writes, for ``catalogue_max_age`` at
        most): for the service's own queries (the named queries, the plots), whose text is fixed and
        whose cost grows with the number of cases. The first request after a write pays it."""
        key = (request, timeout, max_rows)
        token = self.change_token()  # read before the query: a write during it makes the next call ask again
        now = time.monotonic()
        with self._results_lock:
            hit = self._results.get(key)
        young = hit is not None and (self.revision() is not None or now - hit[1] < self.catalogue_max_age)
        if hit is not None and young and hit[0] == token:
            return hit[2]
        result = self.query(request, timeout=timeout, max_rows=max_rows)
        with self._results_lock:
            self._results.pop(key, None)
            while len(self._results) >= self.cached_results:
                del self._results[next(iter(self._results))]  # the oldest entry
            self._results[key] = (token, now, result)
        return result

    @abstractmethod
    def _run_update(self, update: Rewritten, base_iri: str | None) -> None:
        """Run a checked user update (``update.text``; errors name positions in ``update.original``)."""

    @abstractmethod
    def select(self, text: str) -> list[dict[str, Any]]:
        """Run a trusted internal SELECT; rows map variable names to pyoxigraph terms."""

    @abstractmethod
    def graph_triples(self, graph: str) -> list[ox.Triple]:
        """All triples of one named graph."""

    @abstractmethod
    def apply(self, operations: Sequence[str]) -> None:
        """Apply SPARQL update operations as one atomic write."""

    @abstractmethod
    def export(self, out: BinaryIO, format_key: str = "nquads") -> None:
        """Write every named graph as N-Quads (``nquads``), TriG (``trig``) or JSON-LD (``jsonld``)."""

    @abstractmethod
    def ping(self) -> None:
        """Raise ``StoreError`` unless the store answers."""

    def revision(self) -> int | None:
        """A number that changes with every write, when the backend knows every write (else None)."""
        return None

    def start(self) -> None:  # noqa: B027 - optional hook
        """Get ready to answer queries (start workers, open connections)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store."""

    def flush(self) -> None:  # noqa: B027 - optional hook
        """Move what the store holds in memory for recent writes to disk (a long load calls it so that
        its memory does not grow with the number of cases); nothing to do for a remote store."""

    # ------------------------------------------------------------------ cases
    def put_case(self, record: CaseRecord) -> bool:
        """Store a case with its classification, replacing any old one; True when it is new."""
        created = not self.has_case(record.case_id)
        operations = replace_graphs(
            {
                case_graph_iri(record.case_id): record.case_triples,
                classification_graph(record.case_id): record.derived_triples,
            },
            self.insert_operations,
        )
        self._write_cases(
            lambda counter: self.apply([*counter, *operations, *counter]),
            [(record.case_id, lambda catalogue: self._record_row(record, catalogue))],
            1 if created else 0,
        )
        return created

    def put_cases(self, records: Sequence[CaseRecord]) -> list[bool]:
        """Store many cases (each as ``put_case`` would); True for each that is new.

        Cases not yet in the store are written together by ``add_new_cases`` (one atomic write on
        the embedded store and on Oxigraph); a case that is there is replaced on its own. Two
        records with the same id are refused: the caller decides which one wins.
        """
        ids = [r.case_id for r in records]
        if len(set(ids)) != len(ids):
            raise StoreError("put_cases: two records of the same case in one batch")
        stored = self.stored_case_ids(ids)
        fresh = [r for r in records if r.case_id not in stored]
        if fresh:
            rows: list[tuple[str, Callable[[CaseCatalogue], CatalogueRow | None] | None]] = [
                (r.case_id, partial(self._record_row, r)) for r in fresh
            ]
            self._write_cases(lambda counter: self.add_new_cases(fresh, counter), rows, len(fresh))
        for record in records:
            if record.case_id in stored:
                self.put_case(record)
        return [r.case_id not in stored for r in records]

    def add_new_cases(self, records: Sequence[CaseRecord], counter: Sequence[str] = ()) -> None:
        """Write cases that are not in the store, in one update (``counter``: operations to run
        first and last in it, see ``_write_cases``)."""
        graphs: dict[str, Sequence[ox.Triple]] = {}
        for record in records:
            graphs[case_graph_iri(record.case_id)] = record.case_triples
            graphs[classification_graph(record.case_id)] = record.derived_triples
        self.apply([*counter, *replace_graphs(graphs, self.insert_operations), *counter])

    def stored_case_ids(self, case_ids: Sequence[str]) -> set[str]:
        """Which of ``case_ids`` are stored (one query)."""
        if not case_ids:
            return set()
        values = " ".join(literal(c) for c in case_ids)
        rows = self.select(
            PREFIXES + f"SELECT ?id WHERE {{ VALUES ?id {{ {values} }} "
            "GRAPH ?g { ?case a cpk:Case ; dcterms:identifier ?id } "
            f"FILTER(STRSTARTS(STR(?g), {literal(CASE_GRAPH_PREFIX)})) }}"
        )
        return {str(r["id"].value) for r in rows}

    def stored_digests(self) -> dict[str, str]:
        """The source digest of every stored case, by case id (one query)."""
        rows = self.select(
            PREFIXES + "SELECT ?id ?d WHERE { GRAPH ?g { ?case a cpk:Case ; dcterms:identifier ?id } "
            f"FILTER(STRSTARTS(STR(?g), {literal(CASE_GRAPH_PREFIX)})) "
            f"GRAPH ?cg {{ ?case {iri(RECORD + 'sourceDigest')} ?d }} }}"
        )
        return {str(r["id"].value): str(r["d"].value) for r in rows}

    def delete_case(self, case_id: str) -> bool:
        """Remove a case and what was derived from it; False when there was none."""
        if not self.has_case(case_id):
            return False
        operations = [
            f"DROP SILENT GRAPH {iri(case_graph_iri(case_id))}",
            f"DROP SILENT GRAPH {iri(classification_graph(case_id))}",
        ]
        self._write_cases(lambda counter: self.apply([*counter, *operations, *counter]), [(case_id, None)], -1)
        return True

    def has_case(self, case_id: str) -> bool:
        case = iri(str(case_iri(case_id)))
        rows = self.select(f"SELECT ?t WHERE {{ GRAPH {iri(case_graph_iri(case_id))} {{ {case} ?p ?t }} }} LIMIT 1")
        return bool(rows)

    def case_triples(self, case_id: str) -> list[ox.Triple] | None:
        """The triples of a stored case, or None when there is no such case."""
        triples = self.graph_triples(case_graph_iri(case_id))
        return triples or None

    def _record_value(self, case_id: str, prop: str) -> Any | None:
        rows = self.select(
            f"SELECT ?v WHERE {{ GRAPH {iri(classification_graph(case_id))} "
            f"{{ {iri(str(case_iri(case_id)))} {iri(RECORD + prop)} ?v }} }} LIMIT 1"
        )
        return rows[0]["v"] if rows else None

    def stored_report(self, case_id: str, which: str) -> dict[str, Any] | None:
        """The stored ``classification`` or ``validation`` report of a case, as JSON."""
        value = self._record_value(case_id, which)
        if value is None:
            return None
        data: dict[str, Any] = json.loads(value.value)
        return data

    def stored_digest(self, case_id: str) -> str | None:
        value = self._record_value(case_id, "sourceDigest")
        return None if value is None else str(value.value)

    def case_ids(self) -> list[str]:
        rows = self.select(
            PREFIXES + "SELECT DISTINCT ?id WHERE { GRAPH ?g { ?case a cpk:Case ; dcterms:identifier ?id } "
            f"FILTER(STRSTARTS(STR(?g), {literal(CASE_GRAPH_PREFIX)})) }} ORDER BY ?id"
        )
        return [str(r["id"].value) for r in rows]

    def list_cases(
        self,
        *,
        domain_iri: str | None = None,
        country: str | None = None,
        level: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> CasePage:
        """Cases ordered by id, filtered by policy domain (IRI), country code and power-transfer level."""
        filters = []
        if domain_iri is not None:
            filters.append(f"FILTER(?domain = {iri(domain_iri)})")
        if country is not None:
            filters.append(f"FILTER(?country = {literal(country)})")
        if level is not None:
            levels = default_ontology().level_notations()
            if level not in levels:
                raise QueryError(f"unknown power-transfer level {level!r}", field="level", allowed=levels)
            filters.append(f"FILTER(?level = {literal(level)})")
        text = (
            PREFIXES
            + "SELECT ?id ?title ?domain ?country ?level ?warnings WHERE {\n"
            + "  GRAPH ?g { ?case a cpk:Case ; dcterms:identifier ?id .\n"
            + "    OPTIONAL { ?case dcterms:title ?title } OPTIONAL { ?case cpk:policyDomain ?domain }\n"
            + "    OPTIONAL { ?case cpk:country ?country } }\n"
            + f"  FILTER(STRSTARTS(STR(?g), {literal(CASE_GRAPH_PREFIX)}))\n"
            + "  OPTIONAL { GRAPH ?cg { ?case cpkr:powerTransferLevel ?level .\n"
            + "    OPTIONAL { ?case cpkr:warningCount ?warnings } } }\n"
            + "  "
            + " ".join(filters)
            + "\n} ORDER BY ?id"
        )
        rows = self.select(text)
        seen: dict[str, CaseSummary] = {}
        vocab = None
        for row in rows:
            case_id = str(row["id"].value)
            if case_id in seen:
                continue
            domain = None
            if "domain" in row:
                if vocab is None:
                    vocab = default_ontology().vocabularies["domain"]
                from rdflib import URIRef

                value = vocab.by_iri(URIRef(row["domain"].value))
                domain = value.notation if value is not None else row["domain"].value
            seen[case_id] = CaseSummary(
                id=case_id,
                title=str(row["title"].value) if "title" in row else None,
                domain=domain,
                country=str(row["country"].value) if "country" in row else None,
                power_transfer=str(row["level"].value) if "level" in row else None,
                warnings=int(row["warnings"].value) if "warnings" in row else 0,
            )
        items = list(seen.values())
        return CasePage(total=len(items), offset=offset, limit=limit, items=items[offset : offset + limit])

    def find_cases(self, query: CaseQuery) -> CasePage:
        """One page of the cases matching ``query``, with the total, from the case catalogue
        (``coprokg.store.catalogue``): the same page as ``find_cases_sparql``, at a cost that does not
        grow with the number of stored cases when unfiltered."""
        ontology = default_ontology()
        query = query.checked(ontology)
        catalogue = self.case_catalogue()
        with catalogue.lock:
            total, rows = catalogue.find(query, ontology)
            items = [
                CaseSummary(
                    id=r.id,
                    title=r.title,
                    domain=r.domain,
                    country=r.country,
                    power_transfer=r.level,
                    warnings=r.warnings,
                )
                for r in rows
            ]
        return CasePage(total=total, offset=query.offset, limit=query.limit, items=items)

    def find_cases_sparql(self, query: CaseQuery) -> CasePage:
        """``find_cases`` filtered, sorted and paged by the store in SPARQL (its cost grows with the
        number of stored cases): the reference the catalogue is tested against."""
        select, count = case_query_sparql(query, prefixes=PREFIXES, case_graph_prefix=CASE_GRAPH_PREFIX)
        total_rows = self.select(count)
        total = int(total_rows[0]["n"].value) if total_rows and "n" in total_rows[0] else 0
        items: dict[str, CaseSummary] = {}
        for row in self.select(select):
            case_id = str(row["id"].value)
            if case_id in items:
                continue
            items[case_id] = CaseSummary(
                id=case_id,
                title=str(row["title"].value) if "title" in row else None,
                domain=str(row["domain"].value) if "domain" in row else None,
                country=str(row["country"].value) if "country" in row else None,
                power_transfer=str(row["level"].value) if "level" in row else None,
                warnings=int(row["warnings"].value) if "warnings" in row else 0,
            )
        return CasePage(total=total, offset=query.offset, limit=query.limit, items=list(items.values()))

    def case_facets(self) -> dict[str, dict[str, int]]:
        """How many stored cases have each country, policy domain and power-transfer level (values in use only),
        kept by the case catalogue (equal to ``case_facets_sparql``)."""
        catalogue = self.case_catalogue()
        with catalogue.lock:
            return catalogue.facets()

    def level_counts(self) -> dict[tuple[str, str, str], int]:
        """Stored cases per (policy domain notation, country, power-transfer level), ``"unknown"`` for a
        missing domain or country: the rows of the ``level-by-domain-and-country`` named query (tested
        equal), counted from the case catalogue instead of by a GROUP BY over every case."""
        catalogue = self.case_catalogue()
        counts: dict[tuple[str, str, str], int] = {}
        with catalogue.lock:
            for row in catalogue.rows.values():
                if row.level is not None:
                    key = (row.domain or "unknown", row.country or "unknown", row.level)
                    counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))

    def case_facets_sparql(self) -> dict[str, dict[str, int]]:
        """``case_facets`` counted by the store in SPARQL."""
        facets: dict[str, dict[str, int]] = {"country": {}, "domain": {}, "level": {}}
        patterns = {
            "country": "GRAPH ?g { ?case a cpk:Case ; cpk:country ?value }",
            "domain": "GRAPH ?g { ?case a cpk:Case ; cpk:policyDomain ?d } GRAPH ?og { ?d skos:notation ?value }",
            "level": "GRAPH ?g { ?case a cpk:Case } GRAPH ?cg { ?case cpkr:powerTransferLevel ?value }",
        }
        for name, pattern in patterns.items():
            rows = self.select(
                f"{PREFIXES}PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                f"SELECT ?value (COUNT(DISTINCT ?case) AS ?n) WHERE {{ {pattern} "
                f"FILTER(STRSTARTS(STR(?g), {literal(CASE_GRAPH_PREFIX)})) }} GROUP BY ?value"
            )
            facets[name] = {str(r["value"].value): int(r["n"].value) for r in rows if "value" in r}
        return facets

    # ------------------------------------------------------------------ the case catalogue
    def _counter_operations(self) -> list[str]:
        """The update operation that adds one to the store's change count (only where ``revision`` is
        None: the store is shared with other processes). A case write carries it first and last: first
        so that a write that breaks off half-way on a store without transactions (Virtuoso) is still
        counted, last so that a reader who built its catalogue in the middle of such a write sees one
        more change after it."""
        if self.revision() is not None:
            return []
        meta, prop = iri(META_GRAPH), iri(RECORD + "changeCount")
        return [
            f"DELETE {{ GRAPH {meta} {{ {meta} {prop} ?n }} }} INSERT {{ GRAPH {meta} {{ {meta} {prop} ?next }} }} "
            # (an aggregate, not OPTIONAL: Virtuoso 7 matches nothing with OPTIONAL + BIND in an update)
            f"WHERE {{ {{ SELECT (MAX(?k) AS ?n) WHERE {{ GRAPH {meta} {{ {meta} {prop} ?k }} }} }} "
            "BIND(COALESCE(?n, 0) + 1 AS ?next) }"
        ]

    def change_token(self) -> Hashable:
        """What changes with every write: ``revision`` when the backend counts its writes; else the
        store's change count (every write through coprokg adds one) with the number of stored cases
        (which a write that bypasses coprokg may change)."""
        revision = self.revision()
        if revision is not None:
            return revision
        meta = iri(META_GRAPH)
        rows = self.select(
            PREFIXES
            + "SELECT ?count ?cases WHERE { { SELECT (COUNT(?c) AS ?cases) WHERE { GRAPH ?g { ?c a cpk:Case } } } "
            f"OPTIONAL {{ GRAPH {meta} {{ {meta} cpkr:changeCount ?count }} }} }}"
        )
        row = rows[0] if rows else {}
        count = int(row["count"].value) if "count" in row else 0
        return (count, int(row["cases"].value) if "cases" in row else 0)

    def _expected_token(self, before: Hashable, added: int) -> Hashable:
        """The token after one case write of ours (``added``: cases it added, -1 when it removed one):
        one more write counted by the backend, or two more in the store's change count."""
        if isinstance(before, int):
            return before + 1
        assert isinstance(before, tuple)
        count, cases = before
        return (count + 2, cases + added)

    def case_catalogue(self) -> CaseCatalogue:
        """The case catalogue at the store's current state (built, or rebuilt after a write it did not see)."""
        catalogue = self._catalogue
        if catalogue is not None and self._fresh(catalogue, self.change_token()):
            return catalogue
        with self._catalogue_lock:
            token = self.change_token()  # read under the lock: a write of ours has finished
            catalogue = self._catalogue
            if catalogue is None or not self._fresh(catalogue, token):
                catalogue = self._build_catalogue(token)
                self._catalogue = catalogue
            return catalogue

    def _fresh(self, catalogue: CaseCatalogue, token: Hashable) -> bool:
        if catalogue.token != token:
            return False
        return self.revision() is not None or time.monotonic() - catalogue.built_at < self.catalogue_max_age

    def _domain_notations(self) -> dict[str, str]:
        rows = self.select(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "SELECT ?d ?n WHERE { GRAPH ?og { ?d skos:notation ?n } FILTER(isIRI(?d)) }"
        )
        notations: dict[str, str] = {}
        for row in rows:
            notations.setdefault(str(row["d"].value), str(row["n"].value))
        return notations

    def scan(self, predicate: str, obj: str | None = None) -> Iterator[tuple[Any, Any, Any]]:
        """Every (graph, subject, object) of the triples with ``predicate`` (and ``obj``, an IRI) in a
        named graph: one index scan, no join. A backend may read its index directly."""
        pattern = f"?s {iri(predicate)} {iri(obj) if obj is not None else '?o'}"
        for row in self.select(f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ {pattern} }} }}"):
            yield row["g"], row["s"], row["o"] if obj is None else ox.NamedNode(obj)

    def _build_catalogue(self, token: Hashable) -> CaseCatalogue:
        """Every stored case's summary row (``coprokg.store.catalogue``), from one-pattern SELECTs joined here.

        The same rows as the SPARQL path's joins: a case is a ``cpk:Case`` with a ``dcterms:identifier``
        in a case graph, with its title, description, domain and country from that graph; its level
        and warning count from a graph that holds its ``cpkr:powerTransferLevel``, and its roles from the
        types of that graph. Each scan reads one predicate's index, so the build costs a few
        microseconds a triple instead of an index lookup per case and field.
        """
        built_at = time.monotonic()
        notations = self._domain_notations()
        ranks = {lv.notation: lv.rank for lv in default_ontology().power_levels()}
        prefix = str(CASE_GRAPH_PREFIX)
        cases: dict[tuple[str, str], dict[str, str]] = {}
        for graph, subject, _ in self.scan(RDF_TYPE.value, str(CPK.Case)):
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(prefix) and _is_named(subject):
                cases[(graph.value, subject.value)] = {}
        for predicate, name in _CASE_FIELDS.items():
            for graph, subject, value in self.scan(predicate):
                if _is_named(graph) and _is_named(subject) and isinstance(value, ox.NamedNode | ox.Literal):
                    fields = cases.get((graph.value, subject.value))
                    if fields is not None:
                        fields.setdefault(name, value.value)
        levels: dict[str, tuple[str, str]] = {}  # case IRI: (graph, level)
        for graph, subject, value in self.scan(RECORD + "powerTransferLevel"):
            if _is_named(graph) and _is_named(subject) and isinstance(value, ox.Literal):
                levels.setdefault(subject.value, (graph.value, value.value))
        warnings: dict[tuple[str, str], int] = {}
        for graph, subject, value in self.scan(RECORD + "warningCount"):
            if _is_named(graph) and _is_named(subject) and isinstance(value, ox.Literal):
                warnings.setdefault((graph.value, subject.value), int(value.value))
        graph_roles: dict[str, set[str]] = {}
        for role in citizen_roles():
            role_key = role_name(role.iri)
            for graph, _, _ in self.scan(RDF_TYPE.value, role.iri):
                if role_key is not None and _is_named(graph):
                    graph_roles.setdefault(graph.value, set()).add(role_key)
        shared: dict[frozenset[str], frozenset[str]] = {}
        rows = []
        for (_graph, subject), fields in cases.items():
            if "id" not in fields:
                continue
            level_graph, level = levels.get(subject) or (None, None)
            roles = frozenset(graph_roles.get(level_graph, ())) if level_graph is not None else frozenset()
            rows.append(
                _row(
                    fields["id"],
                    fields.get("title"),
                    fields.get("description"),
                    fields.get("domain"),
                    fields.get("country"),
                    level,
                    warnings.get((level_graph, subject), 0) if level_graph is not None else 0,
                    shared.setdefault(roles, roles),
                    notations,
                    ranks,
                )
            )
        catalogue = CaseCatalogue.of(rows, token=token, built_at=built_at)
        catalogue.notations = notations
        catalogue.ranks = ranks
        return catalogue

    def _record_row(self, record: CaseRecord, catalogue: CaseCatalogue) -> CatalogueRow | None:
        """The catalogue row of a case about to be written (None when it would have none)."""
        case = ox.NamedNode(str(case_iri(record.case_id)))
        values: dict[str, str] = {}
        is_case = False
        for t in record.case_triples:
            if t.subject != case or not isinstance(t.object, ox.NamedNode | ox.Literal):
                continue
            predicate = t.predicate.value
            if predicate == RDF_TYPE.value and t.object.value == str(CPK.Case):
                is_case = True
            elif predicate in _CASE_FIELDS:
                values.setdefault(_CASE_FIELDS[predicate], t.object.value)
        if not is_case or "id" not in values:
            return None
        level: str | None = None
        warnings, types = 0, set()
        for t in record.derived_triples:
            if not isinstance(t.object, ox.NamedNode | ox.Literal):
                continue
            predicate = t.predicate.value
            if predicate == RDF_TYPE.value:
                types.add(t.object.value)
            elif t.subject == case and predicate == RECORD + "powerTransferLevel" and level is None:
                level = t.object.value
            elif t.subject == case and predicate == RECORD + "warningCount":
                warnings = int(t.object.value)
        roles = {r.iri for r in citizen_roles()}
        names = frozenset(n for n in (role_name(x) for x in types & roles) if n is not None) if level else frozenset()
        return _row(
            values["id"],
            values.get("title"),
            values.get("description"),
            values.get("domain"),
            values.get("country"),
            level,
            warnings if level is not None else 0,
            names,
            catalogue.notations,
            catalogue.ranks,
        )

    def _write_cases(
        self,
        write: Callable[[list[str]], None],
        rows: Sequence[tuple[str, Callable[[CaseCatalogue], CatalogueRow | None] | None]],
        added: int,
    ) -> None:
        """Make a case write and bring the catalogue along (row by row when it saw every earlier
        write and no other write came between; else it is dropped and rebuilt on its next use).

        ``write`` gets the change-count operations to run first and last in the same update (none
        when the backend counts its writes); ``rows`` gives each written case's new catalogue row
        (None: removed); ``added`` is how many cases the write adds (-1: removes one).
        """
        counter = self._counter_operations()
        with self._catalogue_lock:
            catalogue = self._catalogue
            before = self.change_token() if catalogue is not None else None
            try:
                write(counter)
            except BaseException:
                self._catalogue = None
                raise
            if catalogue is None:
                return
            if before != catalogue.token or not self._fresh(catalogue, before):
                self._catalogue = None
                return
            after = self.change_token()
            if after != self._expected_token(before, added):
                self._catalogue = None
                return
            with catalogue.lock:
                for case_id, row in rows:
                    new = row(catalogue) if row is not None else None
                    if new is None:
                        catalogue.remove(case_id)
                    else:
                        catalogue.add(new)
                catalogue.token = after

    def term_usage(self) -> TermUsage:
        """Which stored cases use each ontology term (``coprokg.store.usage``): two queries for all terms.

        Kept until the next write when the backend counts its writes (``revision``).
        """
        revision = self.revision()  # read before the queries: a write during them makes the next call ask again
        cached = self._usage
        if revision is not None and cached is not None and cached[0] == revision:
            return cached[1]
        by_term, listing = usage_sparql(prefixes=PREFIXES, case_graph_prefix=CASE_GRAPH_PREFIX)
        terms: dict[str, frozenset[str]] = {}
        kinds: dict[str, UsageKind] = {}
        for row in self.select(by_term):
            if "term" not in row or "cases" not in row:
                continue
            term = str(row["term"].value)
            nodes = (parse_case_node(c) for c in str(row["cases"].value).split())
            ids = frozenset(n.case_id for n in nodes if n is not None)
            terms[term] = terms.get(term, frozenset()) | ids
            kinds.setdefault(term, UsageKind(str(row["kind"].value)))
        cases: dict[str, UsedCase] = {}
        for row in self.select(listing):
            case_id = str(row["id"].value)
            title = str(row["title"].value) if "title" in row else None
            level = str(row["level"].value) if "level" in row else None
            cases[case_id] = UsedCase(case_id, title, level)
        usage = TermUsage(terms=terms, kinds=kinds, cases=cases)
        if revision is not None:
            self._usage = (revision, usage)
        return usage

    # ------------------------------------------------------------------ ontology, shapes, metadata
    def replace_graph(self, graph: str, triples: Sequence[ox.Triple], *, digest: str | None = None) -> None:
        """Replace a whole named graph (ontology, shapes), recording the digest of its source.

        The old digest goes first and the new one last, so on a store that does not run the request
        as one transaction (Virtuoso) a write that fails half-way leaves no digest and the next load
        writes the graph again.
        """
        subject, prop, meta = iri(graph), iri(RECORD + "sourceDigest"), iri(META_GRAPH)
        counter = self._counter_operations()
        ops = [*counter, f"DELETE WHERE {{ GRAPH {meta} {{ {subject} {prop} ?d }} }}"]
        ops.extend(replace_graphs({graph: triples}, self.insert_operations))
        if digest is not None:
            ops.append(f"INSERT DATA {{ GRAPH {meta} {{ {subject} {prop} {literal(digest)} }} }}")
        self.apply([*ops, *counter])

    def graph_digest(self, graph: str) -> str | None:
        rows = self.select(
            f"SELECT ?d WHERE {{ GRAPH {iri(META_GRAPH)} {{ {iri(graph)} {iri(RECORD + 'sourceDigest')} ?d }} }}"
        )
        return str(rows[0]["d"].value) if rows else None

    def count_cases(self) -> int:
        """The number of stored cases (kept by the case catalogue; equal to ``count_cases_sparql``)."""
        catalogue = self.case_catalogue()
        with catalogue.lock:
            return len(catalogue)

    def count_cases_sparql(self) -> int:
        rows = self.select(
            PREFIXES + "SELECT (COUNT(DISTINCT ?case) AS ?n) WHERE { GRAPH ?g { ?case a cpk:Case } "
            f"FILTER(STRSTARTS(STR(?g), {literal(CASE_GRAPH_PREFIX)})) }}"
        )
        return int(rows[0]["n"].value) if rows else 0


def _is_named(term: object) -> TypeGuard[ox.NamedNode]:
    return isinstance(term, ox.NamedNode)


_CASE_FIELDS = {
    "http://purl.org/dc/terms/identifier": "id",
    "http://purl.org/dc/terms/title": "title",
    "http://purl.org/dc/terms/description": "description",
    str(CPK.policyDomain): "domain",
    str(CPK.country): "country",
}


def _row(
    case_id: str,
    title: str | None,
    description: str | None,
    domain_iri: str | None,
    country: str | None,
    level: str | None,
    warnings: int,
    roles: frozenset[str],
    notations: dict[str, str],
    ranks: dict[str, int],
) -> CatalogueRow:
    return CatalogueRow(
        id=case_id,
        title=title,
        domain_iri=domain_iri,
        domain=notations.get(domain_iri) if domain_iri is not None else None,
        country=country,
        level=level,
        rank=ranks.get(level) if level is not None else None,
        warnings=warnings,
        roles=roles,
        search=search_text(case_id, title, description),
    )


def syntax_error(text: str, message: str, line: int | None, column: int | None, *, field: str = "query") -> QueryError:
    """A syntax error in the user's ``text`` as one sentence that leads with its line and column;
    a prefix used without a declaration is named, with the declaration when coprokg knows it."""
    message, line, column = explain_syntax_error(text, message, line, column, known_prefixes())
    return QueryError(located(message, line, column), line=line, column=column, field=field)


def reply_error(reply: dict[str, Any], *, text: str = "", field: str = "query") -> Exception:
    """The exception for a failed reply from a query worker about the user's ``text``."""
    kind = reply.get("error")
    message = str(reply.get("message", "the query failed"))
    if kind == "syntax":
        return syntax_error(text, message, reply.get("line"), reply.get("column"), field=field)
    if kind == "not_acceptable":
        return NotAcceptable(message, allowed=reply.get("allowed") or [])
    if kind == "refused":
        return QueryRefused(message, field=field)
    if kind == "evaluation":
        return QueryError(message, field=field)
    return StoreError(message)
