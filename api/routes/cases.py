"""``/cases``: list, read (JSON, Turtle, JSON-LD … by ``Accept``), replace and delete stored cases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import AnalysisDep, CaseBody, SettingsDep, StoreDep, WriteAccess, bounded
from api.errors import ApiError
from coprokg.cases import graph_to_case
from coprokg.errors import CaseNotFound, NotAcceptable, QueryError
from coprokg.ontology import default_ontology
from coprokg.sparql import formats, write_graph
from coprokg.store import CaseQuery, triples_to_graph

router = APIRouter(prefix="/cases", tags=["cases"])

CaseId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120, description="The case id (slug).")]
CASE_FORMATS = (formats.CASE_JSON, formats.JSON_LD, formats.TURTLE, formats.N_TRIPLES, formats.RDF_XML)
CASE_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": "A case as JSON (the case format), JSON-LD, Turtle, N-Triples or RDF/XML.",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Case"}},
            "application/ld+json": {"schema": {"type": "object"}},
            "text/turtle": {"schema": {"type": "string"}},
            "application/n-triples": {"schema": {"type": "string"}},
            "application/rdf+xml": {"schema": {"type": "string"}},
        },
    }
}


class CaseItem(BaseModel):
    """A case in the list."""

    id: str
    title: str | None
    domain: str | None
    country: str | None
    power_transfer: str | None = Field(description="Highest power-transfer level reached, or 'none'.")
    warnings: int = Field(description="Number of validation warnings stored with the case.")
    url: str


class CaseList(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[CaseItem]


class CaseStored(BaseModel):
    """What a write stored."""

    id: str
    created: bool
    power_transfer: str
    warnings: int
    url: str
    classification_url: str


@router.get("", name="list_cases", response_model=CaseList)
async def list_cases(
    store: StoreDep,
    request: Request,
    domain: Annotated[
        str | None, Query(description="Policy domain notation, e.g. public-safety (its narrower domains included).")
    ] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code.")] = None,
    level: Annotated[
        str | None, Query(description="Power-transfer level (a notation of the ontology's default reading, or 'none').")
    ] = None,
    role: Annotated[
        str | None, Query(description="A citizen role some actor of the case plays, e.g. CoproducerRole.")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Words that the id, title or description contain.")
    ] = None,
    sort: Annotated[str, Query(description="id, title, country, domain or level (by rank).")] = "id",
    order: Annotated[str, Query(pattern="^(asc|desc)$", description="asc or desc.")] = "asc",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> CaseList:
    """Stored cases matching every filter given, sorted and paged, with the total (the case list page asks the same)."""
    query = CaseQuery(
        domain=domain,
        country=country,
        level=level,
        role=role,
        text=q,
        sort=sort,
        descending=order == "desc",
        offset=offset,
        limit=limit,
    )
    try:
        page = await run_in_threadpool(store.find_cases, query)
    except QueryError as exc:  # a filter value the ontology does not know: the same 422 as a malformed one
        raise ApiError(422, exc.message, field=exc.field, allowed=exc.allowed) from None
    base = str(request.url_for("get_case", case_id="x"))[:-1]
    return CaseList(
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        items=[CaseItem(**item.__dict__, url=base + item.id) for item in page.items],
    )


@router.get(
    "/{case_id}",
    name="get_case",
    responses={
        200: {"content": {f.media_type: {} for f in CASE_FORMATS}, "description": "The case"},
        404: {"description": "No such case"},
        406: {"description": "No acceptable format"},
    },
)
async def get_case(case_id: CaseId, store: StoreDep, request: Request) -> Response:
    """A stored case: the case format (JSON) by default, or its RDF (Turtle, JSON-LD, N-Triples, RDF/XML)."""
    fmt = formats.negotiate(request.headers.get("accept"), (*CASE_FORMATS, formats.HTML))
    if fmt is formats.HTML:  # a browser: the case page
        return RedirectResponse(request.url_for("ui_case", case_id=case_id), status_code=303)
    if fmt is None:
        raise NotAcceptable("no format of a case the request accepts", allowed=[f.media_type for f in CASE_FORMATS])
    triples = await run_in_threadpool(store.case_triples, case_id)
    if triples is None:
        raise CaseNotFound(f"no case {case_id!r}", field="case_id")
    if fmt is formats.CASE_JSON:
        case = await run_in_threadpool(graph_to_case, triples_to_graph(triples), case_id, default_ontology())
        body = case.model_dump_json(exclude_none=True).encode("utf-8")
    else:
        body = write_graph(triples, fmt.key)
    links = f'<{request.url_for("get_case_classification", case_id=case_id)}>; rel="describedby"'
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept", "Link": links})


@router.put(
    "/{case_id}",
    name="put_case",
    response_model=CaseStored,
    status_code=200,
    responses={
        201: {"model": CaseStored, "description": "Created"},
        400: {"description": "Malformed case, or its id differs from the URL's"},
        401: {"description": "No token"},
        403: {"description": "Writes disabled, or a wrong token"},
        413: {"description": "Body or case over a size limit"},
        415: {"description": "Unsupported Content-Type"},
        422: {"description": "The case violates the case shapes"},
        503: {"description": "The store cannot be written, or the case's analysis ran out of time"},
    },
    openapi_extra=CASE_BODY_DOC,
)
async def put_case(
    case_id: CaseId,
    _auth: WriteAccess,
    body: CaseBody,
    store: StoreDep,
    pool: AnalysisDep,
    settings: SettingsDep,
    request: Request,
    response: Response,
) -> CaseStored:
    """Create or replace a case; it is validated and classified, and stored with its results in one write."""
    record = await bounded(
        request,
        lambda cancel: pool.record(body, timeout=settings.analysis_timeout, expected_id=case_id, cancel=cancel),
    )
    created = await run_in_threadpool(store.put_case, record)
    url = str(request.url_for("get_case", case_id=case_id))
    if created:
        response.status_code = 201
        response.headers["Location"] = url
    return CaseStored(
        id=case_id,
        created=created,
        power_transfer=record.power_transfer,
        warnings=record.warnings,
        url=url,
        classification_url=str(request.url_for("get_case_classification", case_id=case_id)),
    )


@router.delete(
    "/{case_id}",
    name="delete_case",
    status_code=204,
    responses={
        401: {"description": "No token"},
        403: {"description": "Writes disabled, or a wrong token"},
        404: {"description": "No such case"},
    },
)
async def delete_case(case_id: CaseId, _auth: WriteAccess, store: StoreDep) -> Response:
    """Delete a case and what was derived from it."""
    if not await run_in_threadpool(store.delete_case, case_id):
        raise CaseNotFound(f"no case {case_id!r}", field="case_id")
    return Response(status_code=204)


async def _report(store: StoreDep, case_id: str, which: str) -> dict[str, Any]:
    data = await run_in_threadpool(store.stored_report, case_id, which)
    if data is None:
        raise CaseNotFound(f"no case {case_id!r}", field="case_id")
    return data


@router.get("/{case_id}/classification", name="get_case_classification", responses={404: {}})
async def get_case_classification(case_id: CaseId, store: StoreDep) -> dict[str, Any]:
    """The classification stored with the case (as `POST /classify` gives it)."""
    return await _report(store, case_id, "classification")


@router.get("/{case_id}/validation", name="get_case_validation", responses={404: {}})
async def get_case_validation(case_id: CaseId, store: StoreDep) -> dict[str, Any]:
    """The validation report stored with the case (its warnings)."""
    return await _report(store, case_id, "validation")
