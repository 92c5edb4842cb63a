"""The SPARQL editor (``/ui/sparql``): YASGUI over the ``/sparql`` endpoint, and a form without
JavaScript.

With JavaScript, ``api/static/sparql-init.js`` starts YASGUI (vendored, ``api.ui.vendor``) with
what ``/ui/sparql/yasgui.json`` gives it: the endpoint, the prefixes coprokg knows (preloaded in
a new tab's query, offered when a prefix is typed, used to shorten IRIs in results), the
ontology's classes and properties for completion, and the named queries, which the page's
example links open in tabs of their own. Without JavaScript, or when YASGUI's files are not
installed, the page is a form whose query runs on the server: a results table and downloads.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from rdflib import OWL, RDF, RDFS, URIRef
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep
from api.errors import ApiError
from api.routes.sparql import endpoint_base, run_query
from api.ui.render import page, term_href
from api.ui.result_tables import ResultTable, table_from_ntriples, table_from_sparql_json
from api.ui.vendor import YASGUI, vendor_problem, with_csp
from coprokg.errors import QueryError, QueryTimeout, StoreError
from coprokg.named_queries import named_queries
from coprokg.namespaces import CASE_BASE, CPK
from coprokg.ontology import default_ontology
from coprokg.settings import Settings
from coprokg.sparql import known_prefixes
from coprokg.store import GraphStore, QueryRequest

router = APIRouter(include_in_schema=False)


PAGE_ROWS = 1000  # rows a results page shows; downloads go up to the service's cap
DOWNLOADS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv", "csv"),
    "tsv": ("text/tab-separated-values", "tsv"),
    "json": ("application/sparql-results+json", "srj"),
    "turtle": ("text/turtle", "ttl"),
    "jsonld": ("application/ld+json", "jsonld"),
}
DEFAULT_BODY = """
# Cases with their power-transfer level
SELECT ?case ?title ?level WHERE {
  ?case a cpk:Case ;
        dcterms:title ?title ;
        cpkr:powerTransferLevel ?level .
}
ORDER BY ?title
LIMIT 25
"""
CLASSES = (OWL.Class, RDFS.Class)
PROPERTIES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def default_query() -> str:
    """A new query: every prefix coprokg knows declared, then an example to start from."""
    prologue = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in known_prefixes().items())
    return prologue + DEFAULT_BODY


@lru_cache(maxsize=1)
def ontology_terms() -> dict[str, list[str]]:
    """The IRIs of the ontology's classes and properties, for the editor's completion."""
    graph = default_ontology().graph

    def of(kinds: tuple[URIRef, ...]) -> list[str]:
        return sorted({str(s) for kind in kinds for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)})

    return {"classes": of(CLASSES), "properties": of(PROPERTIES)}


# ---------------------------------------------------------------- SPARQL
async def _query_table(store: GraphStore, settings: Settings, text: str, base_iri: str) -> ResultTable:
    request = QueryRequest(text=text, solutions_format="json", graph_format="ntriples", base_iri=base_iri)
    limit = min(settings.max_rows, PAGE_ROWS)
    result = await run_in_threadpool(lambda: store.query(request, timeout=settings.query_timeout, max_rows=limit))
    if result.kind == "graph":
        return table_from_ntriples(result.body, link=term_href, truncated=result.truncated)
    return table_from_sparql_json(result.body, link=term_href, truncated=result.truncated)


@router.api_route("/ui/sparql", methods=["GET", "POST"], name="ui_sparql")
async def sparql_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """A SPARQL editor with the named queries as examples; results as a table, with downloads."""
    params: Mapping[str, Any] = await request.form() if request.method == "POST" else request.query_params
    query = str(params.get("query") or "")
    example = str(params.get("example") or "")
    error: dict[str, Any] | None = None
    status = 200
    queries = named_queries()
    if example:
        if example in queries:
            query = queries[example].text
        else:
            error = {"message": f"there is no example query {example!r}", "line": None, "column": None}
            status = 404
    table = None
    if query.strip() and error is None:
        try:
            table = await _query_table(store, settings, query, endpoint_base(request))
        except QueryTimeout as exc:
            error, status = {"message": exc.message, "line": None, "column": None}, 503
        except QueryError as exc:
            error, status = {"message": exc.message, "line": exc.line, "column": exc.column}, 400
        except StoreError:
            error, status = {"message": "the graph store failed; try again later", "line": None, "column": None}, 503
    yasgui = vendor_problem(YASGUI) is None
    nonce = secrets.token_urlsafe(18) if yasgui else None
    return page(
        request,
        "sparql.html",
        {
            "query": query or default_query(),
            "yasgui": yasgui,
            "nonce": nonce,
            "ran": bool(query.strip()) and error is None,
            "table": table,
            "error": error,
            "examples": list(queries.values()),
            "example": example,
            "downloads": ("csv", "json", "tsv") if table is None or table.kind != "graph" else ("turtle", "jsonld"),
            "page_rows": min(settings.max_rows, PAGE_ROWS),
        },
        status=status,
        section="/ui/sparql",
        headers=_yasgui_headers(nonce) if nonce else None,
    )


def _yasgui_headers(nonce: str) -> dict[str, str]:
    """The site's policy, plus what YASGUI needs: to send queries to this site (``connect-src``), and
    the stylesheet its table's column resizer writes, allowed by this response's nonce only (the
    start-up script gives it to every ``<style>`` element the page creates)."""
    return {**with_csp({"connect-src": "'self'", "style-src": f"'nonce-{nonce}'"}), "Cache-Control": "no-store"}


@router.get("/ui/sparql/yasgui.json", name="ui_sparql_config")
async def yasgui_config(request: Request) -> JSONResponse:
    """What the SPARQL page's YASGUI starts with: endpoint, prefixes, default query, terms, examples."""
    examples = [
        {"name": q.name, "title": q.title, "description": q.description, "query": q.text}
        for q in named_queries().values()
    ]
    body = {
        "endpoint": endpoint_base(request),
        "prefixes": known_prefixes(),
        "defaultQuery": default_query(),
        "terms": ontology_terms(),
        "examples": examples,
        "pages": {str(CPK): "/ui/ontology#", CASE_BASE: "/ui/cases/"},  # where an IRI's page is here
    }
    return JSONResponse(body, headers={"Cache-Control": "no-cache"})


@router.get("/ui/sparql/results.{kind}", name="ui_sparql_download")
async def sparql_download(kind: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """A query's results as a file: the ``/sparql`` endpoint's answer to the matching ``Accept``."""
    if kind not in DOWNLOADS:
        raise ApiError(404, f"no download format {kind!r}", field="kind", allowed=sorted(DOWNLOADS))
    query = request.query_params.get("query") or ""
    if not query.strip():
        raise ApiError(400, "give the query to run as ?query=", field="query")
    accept, extension = DOWNLOADS[kind]
    response = await run_query(store, settings, accept, query, base_iri=endpoint_base(request))
    response.headers["Content-Disposition"] = f'attachment; filename="coprokg-results.{extension}"'
    return response
