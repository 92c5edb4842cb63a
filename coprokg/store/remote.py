"""The remote backend: any SPARQL 1.1 Protocol endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB …).

Queries are POSTed form-encoded to the query URL, updates as ``application/sparql-update`` to
the update URL; a case write is one update request (``DROP SILENT GRAPH`` + inserts), which
Oxigraph, Fuseki and GraphDB run as one transaction (Virtuoso does not). SERVICE and LOAD are
refused here before anything is sent, since the remote store might run them. The store should
present the union of its named graphs as the default graph (``oxigraph serve
--union-default-graph``, Fuseki's ``tdb2:unionDefaultGraph``; Virtuoso does by default) for user
queries to see the data without ``GRAPH``; the case API names its graphs and does not need it.

What differs between stores is decided by the engine adapter (``coprokg.store.engines``,
``COPROKG_SPARQL_ENGINE``): credentials per request, what may be sent, result formats, errors and
inserts. Results are read as a stream and re-serialised by the same capped writers as the
embedded store, so the row cap, formats and errors are identical; the time limit covers the
whole exchange.
"""

from __future__ import annotations

import dataclasses
import io
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

import httpx
import pyoxigraph as ox

from coprokg.errors import NotAcceptable, QueryError, QueryTimeout, StoreError, StoreUnavailable
from coprokg.sparql.results import PREFIXES, NotAcceptableResult, RenderedResult, render
from coprokg.sparql.safety import check_query, check_update
from coprokg.sparql.syntax import Rewritten, select_star_order
from coprokg.store.base import GraphStore, QueryRequest, iri, solution_rows, syntax_error
from coprokg.store.engines import N_TRIPLES, Engine, engine_for

_MAX_ERROR_TEXT = 300


def _with_base(text: str, base_iri: str | None) -> str:
    """The text with the protocol's base IRI declared first (a ``BASE`` in the text resolves against it)."""
    return f"BASE {iri(base_iri)}\n{text}" if base_iri else text


def _explained(exc: QueryError, text: str) -> QueryError:
    """The remote store's refusal, or what coprokg can say better: a prefix used without declaration."""
    if exc.field not in ("query", "update"):
        return exc
    better = syntax_error(text, exc.message, None, None, field=exc.field)
    return better if better.line is not None else exc


class _Deadline(io.RawIOBase):
    """A readable stream over an HTTP response body that gives up at a deadline."""

    def __init__(self, chunks: Iterator[bytes], deadline: float, timeout: float) -> None:
        self._chunks = chunks
        self._buffer = b""
        self._deadline = deadline
        self._timeout = timeout

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buffer:
            if time.monotonic() > self._deadline:
                raise QueryTimeout(f"the remote store did not answer within the time limit of {self._timeout:g} s")
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(b), len(self._buffer))
        b[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


class RemoteStore(GraphStore):
    """A SPARQL 1.1 Protocol endpoint at ``query_url`` (and ``update_url`` for writes) of an ``engine``."""

    backend = "remote"

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        bearer_token: str | None = None,
        query_timeout: float = 5.0,
        max_rows: int = 10_000,
        engine: str | Engine = "generic",
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(query_timeout=query_timeout, max_rows=max_rows)
        self.query_url = query_url
        self.update_url = update_url
        self.engine = engine_for(engine)
        query_auth, update_auth, headers = self.engine.credentials(username, password, bearer_token)
        self._query_auth = query_auth or httpx.Auth()  # the base class sends no credentials
        self._update_auth = update_auth or httpx.Auth()
        self._update_lock = threading.Lock()  # one write at a time (digest auth counts its requests)
        self._client = httpx.Client(
            headers={"User-Agent": "coprokg", **headers},
            timeout=httpx.Timeout(query_timeout, connect=min(5.0, query_timeout)),
            trust_env=False,
            follow_redirects=False,
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ HTTP
    def _fail(self, response: httpx.Response, what: str, field: str) -> Exception:
        try:
            text = response.read().decode("utf-8", "replace")
        except httpx.HTTPError:
            text = ""
        text = " ".join(text.split())[:_MAX_ERROR_TEXT]
        special = self.engine.error(response.status_code, text, what, field)
        if special is not None:
            return special
        if response.status_code == 400:
            return QueryError(f"the remote store refused the {what}: {text}", field=field)
        if response.status_code in (401, 403):
            return StoreError(f"the remote store refused coprokg's credentials ({response.status_code})")
        if response.status_code >= 500:
            return StoreUnavailable(f"the remote store failed on the {what} (HTTP {response.status_code})")
        return StoreError(f"the remote store failed on the {what} (HTTP {response.status_code})")

    def _post_query(self, data: dict[str, Any], timeout: float, *, accept: str) -> tuple[httpx.Response, float]:
        deadline = time.monotonic() + timeout
        request = self._client.build_request(
            "POST",
            self.query_url,
            data={**data, **self.engine.query_parameters(timeout)},
            headers={"Accept": accept},
            timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
        )
        try:
            response = self._client.send(request, stream=True, auth=self._query_auth)
        except httpx.TimeoutException:
            raise QueryTimeout(f"the remote store did not answer within the time limit of {timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"cannot reach the remote store: {type(exc).__name__}") from None
        return response, deadline

    def _result(self, response: httpx.Response, deadline: float, timeout: float) -> Any:
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        chunks = self.engine.body(media, response.iter_bytes())
        stream = io.BufferedReader(_Deadline(chunks, deadline, timeout))
        if media in ("application/sparql-results+json", "application/json"):
            return ox.parse_query_results(stream, ox.QueryResultsFormat.JSON)
        if media in ("application/sparql-results+xml", "application/xml"):
            return ox.parse_query_results(stream, ox.QueryResultsFormat.XML)
        if media in ("application/n-triples", "text/plain"):
            return (q.triple for q in ox.parse(stream, ox.RdfFormat.N_TRIPLES))
        if media == "text/turtle":
            return (q.triple for q in ox.parse(stream, ox.RdfFormat.TURTLE))
        raise StoreError(f"the remote store answered in an unexpected format {media!r}")

    def _run_query(
        self, data: dict[str, Any], timeout: float, accept: str, render_options: dict[str, Any]
    ) -> RenderedResult:
        response, deadline = self._post_query(data, timeout, accept=accept)
        try:
            if response.status_code != 200:
                raise self._fail(response, "query", "query")
            cut = self.engine.incomplete(response, timeout)
            try:
                rendered = render(self._result(response, deadline, timeout), **render_options)
                return dataclasses.replace(rendered, truncated=True) if cut else rendered
            except SyntaxError as exc:
                raise StoreError(f"the remote store sent a malformed result: {exc}") from None
            except httpx.TimeoutException:
                raise QueryTimeout(f"the remote store did not answer within the time limit of {timeout:g} s") from None
            except (httpx.HTTPError, OSError) as exc:
                if time.monotonic() > deadline:
                    raise QueryTimeout(
                        f"the remote store did not answer within the time limit of {timeout:g} s"
                    ) from None
                raise StoreError(f"the remote store broke off the answer: {type(exc).__name__}") from None
        finally:
            response.close()

    # ------------------------------------------------------------------ user operations
    def query(
        self, request: QueryRequest, *, timeout: float | None = None, max_rows: int | None = None
    ) -> RenderedResult:
        check_query(request.text)
        form = self.engine.check(request.text, update=False)
        data: dict[str, Any] = {"query": _with_base(request.text, request.base_iri)}
        if request.default_graphs:
            data["default-graph-uri"] = list(request.default_graphs)
        if request.named_graphs:
            data["named-graph-uri"] = list(request.named_graphs)
        options = {
            "solutions_format": request.solutions_format,
            "graph_format": request.graph_format,
            "max_rows": max_rows or self.max_rows,
            "variable_order": select_star_order(request.text),
        }
        try:
            return self._run_query(data, timeout or self.query_timeout, self.engine.accept(form), options)
        except NotAcceptableResult as exc:
            raise NotAcceptable(str(exc), allowed=exc.allowed) from None
        except QueryError as exc:
            raise _explained(exc, request.text) from None

    def _run_update(self, update: Rewritten, base_iri: str | None) -> None:
        check_update(update.text)
        self.engine.check(update.text, update=True)
        try:
            self._post_update(_with_base(update.text, base_iri), field="update")
        except QueryError as exc:
            raise _explained(exc, update.original) from None

    def _post_update(self, text: str, *, field: str) -> None:
        if not self.update_url:
            raise StoreError("no update URL is configured for the remote store (COPROKG_SPARQL_UPDATE_URL)")
        try:
            with self._update_lock:
                response = self._client.post(
                    self.update_url,
                    content=text.encode("utf-8"),
                    headers={"Content-Type": "application/sparql-update; charset=utf-8"},
                    auth=self._update_auth,
                )
        except httpx.TimeoutException:
            raise StoreError("the remote store did not confirm the write in time; it may or may not be done") from None
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"cannot reach the remote store: {type(exc).__name__}") from None
        if response.status_code not in (200, 204):
            raise self._fail(response, "update", field)

    # ------------------------------------------------------------------ internal operations
    def select(self, text: str) -> list[dict[str, Any]]:
        response, deadline = self._post_query({"query": text}, self.query_timeout, accept=self.engine.solutions_accept)
        try:
            if response.status_code != 200:
                raise self._fail(response, "query", "query")
            if self.engine.incomplete(response, self.query_timeout):
                raise StoreError(
                    "the remote store cut a result coprokg needs whole at its own row limit "
                    "(Virtuoso: raise ResultSetMaxRows in virtuoso.ini)"
                )
            result = self._result(response, deadline, self.query_timeout)
            if not isinstance(result, ox.QuerySolutions):
                raise StoreError("the remote store did not answer a SELECT with solutions")
            return solution_rows(result)
        except httpx.HTTPError as exc:
            raise StoreError(f"the remote store broke off the answer: {type(exc).__name__}") from None
        finally:
            response.close()

    def graph_triples(self, graph: str) -> list[ox.Triple]:
        text, accept = self.engine.graph_query(graph)
        if accept != N_TRIPLES:
            return [ox.Triple(r["s"], r["p"], r["o"]) for r in self.select(text)]
        response, deadline = self._post_query({"query": text}, self.query_timeout, accept=accept)
        try:
            if response.status_code != 200:
                raise self._fail(response, "query", "query")
            return list(self._result(response, deadline, self.query_timeout))
        except httpx.HTTPError as exc:
            raise StoreError(f"the remote store broke off the answer: {type(exc).__name__}") from None
        finally:
            response.close()

    def insert_operations(self, graphs: dict[str, Sequence[ox.Triple]]) -> list[str]:
        return self.engine.insert_operations(graphs)

    def apply(self, operations: Sequence[str]) -> None:
        text = " ;\n".join(op for op in operations if op)
        if text:
            self._post_update(text, field="update")

    def export(self, out: BinaryIO, format_key: str = "nquads") -> None:
        formats = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
        if format_key not in formats:
            raise QueryError("unknown export format", field="format", allowed=sorted(formats))
        rows = self.select(self.engine.export_query())
        quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
        prefixes = PREFIXES if format_key == "trig" else None
        data = ox.serialize(quads, format=formats[format_key], prefixes=prefixes)
        assert data is not None
        out.write(data)

    def ping(self) -> None:
        response, _ = self._post_query(
            {"query": "ASK {}"}, min(self.query_timeout, 5.0), accept=self.engine.accept("ask")
        )
        try:
            if response.status_code != 200:
                raise self._fail(response, "query", "query")
        finally:
            response.close()
