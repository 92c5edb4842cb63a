"""The web pages: browse the cases, read one, classify a described case, run SPARQL, read the
ontology's documentation and see overview plots.

Pages are rendered on the server (Jinja2 templates in ``api/templates``) and work without
JavaScript: filters and the SPARQL editor are GET forms, the classify form posts back to itself.
``/ui/static/ui.js`` only adds conveniences. Every handler parses, calls the library or the store
through the same functions as the JSON API, and renders; a save goes through the same permission
check and write path as ``PUT /cases/{id}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from rdflib import URIRef
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep, authorize_write, bounded, get_analysis
from api.errors import ApiError
from api.routes.sparql import run_query
from api.ui_forms import MIN_ROWS, CaseForm, field_title
from coprokg.case_filters import citizen_roles, find_cases
from coprokg.cases import graph_to_case
from coprokg.classify import Classification
from coprokg.errors import CaseNotConforming, InputError, QueryError, QueryTimeout, StoreError
from coprokg.named_queries import named_queries
from coprokg.namespaces import CASE_BASE, CPK
from coprokg.ontology import VocabularyValue, default_ontology
from coprokg.ontology_docs import STYLESHEET_PATH, local_name, ontology_html
from coprokg.plots import accountability_graph_svg, level_colours, level_labels, level_notations, overview
from coprokg.result_tables import ResultTable, table_from_ntriples, table_from_sparql_json
from coprokg.settings import Settings
from coprokg.sources import bibliography
from coprokg.store import GraphStore, QueryRequest
from coprokg.store.records import triples_to_graph
from coprokg.validate import Severity, ValidationReport
from coprokg.workers.analysis import AnalysisPool

router = APIRouter(include_in_schema=False)

API_DIR = Path(__file__).resolve().parents[1]
STATIC_DIR = API_DIR / "static"
STATIC_FILES: dict[str, tuple[Path, str]] = {
    "style.css": (STATIC_DIR / "style.css", "text/css"),
    "ui.js": (STATIC_DIR / "ui.js", "text/javascript"),
    "ontology.css": (STYLESHEET_PATH, "text/css"),
}
NAV: tuple[tuple[str, str], ...] = (
    ("Cases", "/ui/cases"),
    ("Classify", "/ui/classify"),
    ("SPARQL", "/ui/sparql"),
    ("Ontology", "/ui/ontology"),
    ("Plots", "/ui/plots"),
    ("API", "/docs"),
)
# Pages load nothing from elsewhere and run no inline script or style.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
CASE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
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


# ---------------------------------------------------------------- template helpers
def term_href(iri: str) -> str | None:
    """Where a reader looks an IRI up: the ontology page for terms, the case page for cases."""
    if iri.startswith(str(CPK)) and len(iri) > len(str(CPK)):
        return f"/ui/ontology#{local_name(iri)}"
    if iri.startswith(CASE_BASE) and CASE_ID.match(iri[len(CASE_BASE) :]):
        return f"/ui/cases/{iri[len(CASE_BASE) :]}"
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def vocabulary_values(field: str) -> list[VocabularyValue]:
    """The values of a case field, ordered scales by rank, the rest by label."""
    values = default_ontology().vocabularies[field].values.values()
    return sorted(values, key=lambda v: (v.rank if v.rank is not None else 0, v.label.casefold()))


def vocabulary_value(field: str, slug: str | None) -> VocabularyValue | None:
    if not slug:
        return None
    return default_ontology().vocabularies[field].values.get(slug)


def vocabulary_label(field: str, slug: str | None) -> str:
    value = vocabulary_value(field, slug)
    return value.label if value is not None else (slug or "")


def vocabulary_definition(field: str, slug: str | None) -> str:
    value = vocabulary_value(field, slug)
    return value.definition if value is not None else ""


def vocabulary_link(field: str, slug: str | None) -> Markup:
    """The value's label, linked to its entry in the ontology documentation."""
    value = vocabulary_value(field, slug)
    if value is None:
        return Markup("{}").format(slug or "—")
    return Markup('<a href="/ui/ontology#{}" title="{}">{}</a>').format(
        local_name(str(value.iri)), value.definition, value.label
    )


@lru_cache(maxsize=1)
def domain_groups() -> list[tuple[VocabularyValue, list[VocabularyValue]]]:
    """Policy domains as COFOG divisions, each with its groups, in COFOG order."""
    ontology = default_ontology()

    def code(value: VocabularyValue) -> str:
        return str(ontology.graph.value(value.iri, CPK.cofogCode) or "99")

    values = sorted(default_ontology().vocabularies["domain"].values.values(), key=code)
    divisions = [v for v in values if "." not in code(v)]
    return [(d, [v for v in values if code(v).startswith(code(d) + ".")]) for d in divisions]


def term_label(iri: str) -> str:
    return default_ontology().label(URIRef(iri))


def term_definition(iri: str) -> str:
    return default_ontology().definition(URIRef(iri))


def term_sources(iri: str) -> list[str]:
    return default_ontology().sources(URIRef(iri))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(API_DIR / "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        nav=NAV,
        term_href=term_href,
        term_label=term_label,
        term_definition=term_definition,
        term_sources=term_sources,
        vocabulary_values=vocabulary_values,
        vocabulary_label=vocabulary_label,
        vocabulary_definition=vocabulary_definition,
        vocabulary_link=vocabulary_link,
        domain_groups=domain_groups,
        level_labels=level_labels(),
        levels=level_notations(),
        min_rows=MIN_ROWS,
        field_title=field_title,
    )
    return env


templates = Jinja2Templates(env=_environment())


def page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
    section: str | None = None,
) -> HTMLResponse:
    """A rendered page with the site's security headers."""
    return templates.TemplateResponse(
        request, template, {"section": section, **context}, status_code=status, headers=SECURITY_HEADERS
    )


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return page(request, "error.html", {"title": title, "message": message}, status=status)


# ---------------------------------------------------------------- static files and the ontology
@router.get("/ui/levels.css", name="ui_levels_css")
async def levels_css() -> Response:
    """The colours of the power-transfer levels, one rule per level the ontology has (light to dark by rank)."""
    rules = [
        f".level-{notation} {{ background: {fill}; color: {text}; border-color: {fill}; }}"
        for notation, (fill, text) in level_colours().items()
    ]
    return PlainTextResponse(
        "\n".join(rules) + "\n",
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=300", **SECURITY_HEADERS},
    )


@router.get("/ui/static/{name}", name="ui_static")
async def static_file(name: str) -> Response:
    """The UI's own stylesheet and script (vendored, nothing is fetched from elsewhere)."""
    entry = STATIC_FILES.get(name)
    if entry is None:
        return PlainTextResponse("no such file", status_code=404)
    path, media_type = entry
    return FileResponse(
        path, media_type=media_type, headers={"Cache-Control": "public, max-age=300", **SECURITY_HEADERS}
    )


def ontology_page() -> HTMLResponse:
    """The ontology's documentation with the site's menu (also ``/ontology`` for browsers)."""
    html = ontology_html(stylesheets=("/ui/static/ontology.css", "/ui/static/style.css"), nav=NAV)
    return HTMLResponse(html, headers={**SECURITY_HEADERS, "Vary": "Accept"})


@router.get("/ui/ontology", name="ui_ontology")
async def ontology_documentation() -> HTMLResponse:
    return await run_in_threadpool(ontology_page)


@router.get("/ui", name="ui_root")
async def ui_root() -> RedirectResponse:
    return RedirectResponse("/ui/cases", status_code=307)


# ---------------------------------------------------------------- cases
def _filter_values(request: Request) -> dict[str, str | None]:
    params = request.query_params
    values: dict[str, str | None] = {
        k: (params.get(k) or "").strip() or None for k in ("domain", "country", "level", "role")
    }
    if values["country"]:
        values["country"] = values["country"].upper()
    return values


@router.get("/", name="ui_home")
@router.get("/ui/cases", name="ui_cases")
async def cases_page(request: Request, store: StoreDep) -> HTMLResponse:
    """The case base as a table, filtered by policy domain, country, level and citizen role."""
    filters = _filter_values(request)
    roles = await run_in_threadpool(citizen_roles)
    errors: dict[str, str] = {}
    status = 200
    try:
        cases = await run_in_threadpool(lambda: find_cases(store, roles=roles, **filters))
    except QueryError as exc:
        errors[exc.field or "domain"] = exc.message
        cases, status = [], 400
    everything = await run_in_threadpool(lambda: store.list_cases(limit=1_000_000))
    countries = sorted({c.country for c in everything.items if c.country})
    role_groups: dict[str, list[Any]] = {}
    for role in roles:
        role_groups.setdefault(role.typology, []).append(role)
    return page(
        request,
        "cases.html",
        {
            "cases": cases,
            "total": everything.total,
            "filters": filters,
            "errors": errors,
            "countries": countries,
            "role_groups": role_groups,
            "filtered": any(filters.values()),
        },
        status=status,
        section="/ui/cases",
    )


@router.get("/ui/cases/{case_id}", name="ui_case")
async def case_page(case_id: str, request: Request, store: StoreDep) -> HTMLResponse:
    """One case: what it is, who takes part how, its classification and why, risks, accountability, sources."""
    if not CASE_ID.match(case_id):
        return error_page(
            request, 404, "No such case", "Case ids are lower-case slugs, such as buurt-bestuurt-rotterdam."
        )
    triples = await run_in_threadpool(store.case_triples, case_id)
    if triples is None:
        return error_page(request, 404, "No such case", f"There is no case {case_id!r} in the case base.")
    case = await run_in_threadpool(graph_to_case, triples_to_graph(triples), case_id, default_ontology())
    stored = await run_in_threadpool(store.stored_report, case_id, "classification")
    classification = Classification.model_validate(stored) if stored else None
    stored_validation = await run_in_threadpool(store.stored_report, case_id, "validation")
    validation = ValidationReport.model_validate(stored_validation) if stored_validation else None
    notices = [r for r in validation.results if r.issue is None] if validation else []
    type_labels = {v.notation: v.label for v in vocabulary_values("type")}
    graph = accountability_graph_svg(case, type_labels=type_labels)
    bib = bibliography()
    references = [(s, bib.get(s.cite), bib.get(s.via) if s.via else None) for s in case.sources]
    return page(
        request,
        "case.html",
        {
            "case": case,
            "classification": classification,
            "references": references,
            "source_check": source_check(case, classification),
            "notices": notices,
            "accountability_svg": Markup(graph) if graph else None,  # built and escaped by coprokg.plots
            "actor_labels": {a.id: a.label for a in case.actors},
        },
        section="/ui/cases",
    )


def source_check(case: Any, classification: Classification | None) -> dict[str, Any] | None:
    """How the level a source states compares with coprokg's, under each reading (None when no level is stated)."""
    stated = case.source_classification
    if stated is None or stated.level is None or classification is None:
        return None
    readings = classification.readings
    default = next((r for r in readings if r.default), None)
    level_label = {lv.notation: lv.label for lv in default_ontology().power_levels()}.get(stated.level, stated.level)
    return {
        "stated": stated.level,
        "stated_label": level_label,
        "agrees": classification.power_transfer == stated.level,
        "agreeing_readings": [r for r in readings if not r.default and r.level == stated.level],
        "default": default,
    }


# ---------------------------------------------------------------- classify
def _format_error(exc: InputError) -> str:
    message = exc.message
    if exc.allowed and len(exc.allowed) <= 12:
        message += " (allowed: " + ", ".join(exc.allowed) + ")"
    return message


def _classify_page(
    request: Request,
    form: CaseForm,
    *,
    status: int = 200,
    classification: Classification | None = None,
    actor_labels: Mapping[str, str] | None = None,
    saved: dict[str, Any] | None = None,
    focus: str | None = None,
    token_error: str | None = None,
    writes_enabled: bool = True,
) -> HTMLResponse:
    return page(
        request,
        "classify.html",
        {
            "form": form,
            "classification": classification,
            "saved": saved,
            "focus": focus,
            "token_error": token_error,
            "writes_enabled": writes_enabled,
            "actor_labels": actor_labels or {},
        },
        status=status,
        section="/ui/classify",
    )


@router.get("/ui/classify", name="ui_classify")
async def classify_form(request: Request, settings: SettingsDep) -> HTMLResponse:
    """An empty form to describe a case."""
    return _classify_page(request, CaseForm.empty(), writes_enabled=settings.api_token is not None)


async def _save(
    request: Request,
    form: CaseForm,
    case: dict[str, Any],
    store: GraphStore,
    settings: Settings,
    token: str,
    report: ValidationReport,
) -> tuple[int, dict[str, Any] | None, str | None]:
    """Store the case as ``PUT /cases/{id}`` does; the status, what was saved, and a token error."""
    try:
        authorize_write(settings, f"Bearer {token}" if token else None)
    except ApiError as exc:
        if exc.status == 401:
            return 401, None, "Enter the write token (COPROKG_API_TOKEN) to save the case."
        return exc.status, None, exc.message
    if not report.conforms:
        return 422, None, None  # the violations are shown next to their fields
    case_id = str(case["id"])
    if not form.replace and await run_in_threadpool(store.has_case, case_id):
        form.errors["case_id"] = (
            f"a case {case_id!r} is already stored: choose another id, or tick “replace the stored case”"
        )
        return 409, None, None
    pool = get_analysis(request)
    body = AnalysisPool.body(data=case, source="the form")
    try:
        record = await bounded(
            request, lambda cancel: pool.record(body, timeout=settings.analysis_timeout, cancel=cancel)
        )
    except CaseNotConforming as exc:
        form.add_error(exc.field, exc.message)
        return 422, None, None
    created = await run_in_threadpool(store.put_case, record)
    return (201 if created else 200), {"id": case_id, "created": created, "level": record.power_transfer}, None


@router.post("/ui/classify", name="ui_classify_submit")
async def classify_submit(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Classify the described case and show why; add a row; or save the case with the token."""
    data = await request.form()
    form = CaseForm.from_form(data)
    action = str(data.get("action") or "classify")
    writes_enabled = settings.api_token is not None
    if action.startswith("add-"):
        focus = form.add_row(action.removeprefix("add-"))
        return _classify_page(request, form, focus=focus, writes_enabled=writes_enabled)
    case = form.to_case()
    if case is None:
        return _classify_page(request, form, status=422, writes_enabled=writes_enabled)
    pool = get_analysis(request)
    body = AnalysisPool.body(data=case, source="the form")
    try:
        report, classification = await bounded(
            request, lambda cancel: pool.analyse(body, timeout=settings.analysis_timeout, cancel=cancel)
        )
    except InputError as exc:
        form.add_error(exc.field, _format_error(exc))
        return _classify_page(request, form, status=422, writes_enabled=writes_enabled)
    for result in report.results:
        if result.issue is not None:
            continue  # risk warnings are part of the classification shown
        if result.severity is Severity.VIOLATION and action == "save":
            form.add_error(result.field, result.message)
        elif result.severity is Severity.VIOLATION:
            form.add_notice(result.field, result.message)
        else:
            form.add_error(result.field, result.message, warning=True)
    status, saved, token_error = 200, None, None
    if action == "save":
        token = str(data.get("token") or "")
        status, saved, token_error = await _save(request, form, case, store, settings, token, report)
    return _classify_page(
        request,
        form,
        status=status,
        classification=classification,
        actor_labels={str(a.get("id")): str(a.get("label")) for a in case.get("actors", []) if isinstance(a, dict)},
        saved=saved,
        token_error=token_error,
        writes_enabled=writes_enabled,
    )


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


# ---------------------------------------------------------------- plots
@router.get("/ui/plots", name="ui_plots")
async def plots_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Power-transfer level by policy domain and by country, from SPARQL over the store."""
    charts = await run_in_threadpool(
        lambda: overview(store, timeout=settings.query_timeout, max_rows=settings.max_rows)
    )
    return page(
        request,
        "plots.html",
        {
            "charts": charts,
            "by_domain_svg": Markup(charts.by_domain_svg),  # built and escaped by coprokg.plots
            "by_country_svg": Markup(charts.by_country_svg),
        },
        section="/ui/plots",
    )


@router.get("/ui/plots/{name}.svg", name="ui_plot_svg")
async def plot_svg(name: str, store: StoreDep, settings: SettingsDep) -> Response:
    """One overview chart as an SVG file."""
    if name not in ("level-by-domain", "level-by-country"):
        raise ApiError(404, f"no plot {name!r}", field="name", allowed=["level-by-country", "level-by-domain"])
    charts = await run_in_threadpool(
        lambda: overview(store, timeout=settings.query_timeout, max_rows=settings.max_rows)
    )
    svg = charts.by_domain_svg if name == "level-by-domain" else charts.by_country_svg
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})
