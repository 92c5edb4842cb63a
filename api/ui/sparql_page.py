"""The SPARQL editor (``/ui/sparql``): a form, a results table and downloads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep
from api.errors import ApiError
from api.routes.sparql import run_query
from api.ui.render import page, term_href
from api.ui.result_tables import ResultTable, table_from_ntriples, table_from_sparql_json
from coprokg.errors import QueryError, QueryTimeout, StoreError
from coprokg.named_queries import named_queries
from coprokg.settings import Settings
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
DEFAULT_QUERY = """PREFIX cpk: <https://w3id.org/coprokg/ontology#>
PREFIX cpkr: <https://w3id.org/coprokg/record#>
PREFIX dcterms: <http://purl.org/dc/terms/>

# Cases with their power-transfer level
SELECT ?case ?title ?level WHERE {
  ?case a cpk:Case ;
        dcterms:title ?title ;
        cpkr:powerTransferLevel ?level .
}
ORDER BY ?title
LIMIT 25
"""


# ---------------------------------------------------------------- SPARQL
async def _query_table(store: GraphStore, settings: Settings, text: str) -> ResultTable:
    request = QueryRequest(text=text, solutions_format="json", graph_format="ntriples")
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
            table = await _query_table(store, settings, query)
        except QueryTimeout as exc:
            error, status = {"message": exc.message, "line": None, "column": None}, 503
        except QueryError as exc:
            error, status = {"message": exc.message, "line": exc.line, "column": exc.column}, 400
        except StoreError:
            error, status = {"message": "the graph store failed; try again later", "line": None, "column": None}, 503
    return page(
        request,
        "sparql.html",
        {
            "query": query or DEFAULT_QUERY,
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
    )


@router.get("/ui/sparql/results.{kind}", name="ui_sparql_download")
async def sparql_download(kind: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """A query's results as a file: the ``/sparql`` endpoint's answer to the matching ``Accept``."""
    if kind not in DOWNLOADS:
        raise ApiError(404, f"no download format {kind!r}", field="kind", allowed=sorted(DOWNLOADS))
    query = request.query_params.get("query") or ""
    if not query.strip():
        raise ApiError(400, "give the query to run as ?query=", field="query")
    accept, extension = DOWNLOADS[kind]
    response = await run_query(store, settings, accept, query)
    response.headers["Content-Disposition"] = f'attachment; filename="coprokg-results.{extension}"'
    return response
