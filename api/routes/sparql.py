"""``GET|POST /sparql``: the SPARQL 1.1 Protocol.

Three thin adapters (GET, POST form, POST direct) read the protocol parameters into one
``ProtocolRequest``; ``run_query`` and the store's ``update`` do the work. Duplicated parameters, a
query both in the URL and in the body, a query and an update together, or dataset parameters of
the other operation (``using-graph-uri`` with a query, ``default-graph-uri`` with an update) are
refused (400). Relative IRIs resolve against the endpoint's URL, as the protocol suggests; an
update's ``using-graph-uri`` and ``using-named-graph-uri`` become ``USING`` clauses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep, authorize_write, read_text_body
from api.errors import ApiError
from coprokg.errors import NotAcceptable
from coprokg.settings import Settings
from coprokg.sparql import GRAPH_FORMATS, SOLUTION_FORMATS, formats, negotiate, write_graph
from coprokg.store import GraphStore, QueryRequest, UpdateRequest

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
POST_TYPES = [FORM, QUERY_TYPE, UPDATE_TYPE]
SINGLE = ("query", "update")
SD_FORMATS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
}
PROTOCOL_DOC = {
    "description": "SPARQL 1.1 Protocol results by `Accept`: SPARQL JSON/XML/CSV/TSV for SELECT and ASK; "
    "Turtle, N-Triples, RDF/XML, JSON-LD for CONSTRUCT and DESCRIBE; the service description "
    "when there is no query.",
    "content": {f.media_type: {} for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS)},
}
ERRORS_DOC: dict[int | str, dict[str, object]] = {
    400: {"description": "Malformed query (message, line, column), SERVICE/LOAD, bad parameters"},
    401: {"description": "Update without bearer token"},
    403: {"description": "Update with a wrong token, or updates disabled"},
    406: {"description": "No acceptable result format"},
    413: {"description": "Body too large"},
    415: {"description": "Unsupported Content-Type"},
    503: {"description": "Query time limit reached"},
}


@dataclass
class ProtocolRequest:
    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    using_graphs: list[str] = field(default_factory=list)
    using_named_graphs: list[str] = field(default_factory=list)


def _collect(pairs: list[tuple[str, str]], into: ProtocolRequest) -> None:
    seen: set[str] = set()
    for name, value in pairs:
        if name in SINGLE:
            if name in seen:
                raise ApiError(400, f"the parameter {name!r} is given more than once", field=name)
            if getattr(into, name) is not None:
                raise ApiError(400, f"{name!r} is given both in the URL and in the request body", field=name)
            seen.add(name)
            setattr(into, name, value)
        elif name == "default-graph-uri":
            into.default_graphs.append(value)
        elif name == "named-graph-uri":
            into.named_graphs.append(value)
        elif name == "using-graph-uri":
            into.using_graphs.append(value)
        elif name == "using-named-graph-uri":
            into.using_named_graphs.append(value)


async def _read(request: Request) -> ProtocolRequest:
    proto = ProtocolRequest()
    url_pairs = list(parse_qsl(request.url.query, keep_blank_values=True))
    if request.method == "GET":
        _collect(url_pairs, proto)
        if proto.update is not None:
            raise ApiError(400, "a SPARQL update must be sent with POST", field="update")
        _check_dataset_parameters(proto)
        return proto
    content_type = request.headers.get("content-type")
    media = formats.media_type_of(content_type)
    charset = _charset(content_type)
    if charset not in (None, "utf-8", "utf8"):
        raise ApiError(
            415, f"the request body must be UTF-8, not {charset}", field="Content-Type", allowed=["charset=utf-8"]
        )
    if media == FORM:
        body = await read_text_body(request)
        _collect(url_pairs, proto)
        _collect(list(parse_qsl(body, keep_blank_values=True)), proto)
    elif media in (QUERY_TYPE, UPDATE_TYPE):
        _collect(url_pairs, proto)
        name = "query" if media == QUERY_TYPE else "update"
        if proto.query is not None or proto.update is not None:
            raise ApiError(400, f"{name!r} is given both in the URL and in the request body", field=name)
        setattr(proto, name, await read_text_body(request))
    else:
        raise ApiError(
            415,
            f"POST /sparql takes {', '.join(POST_TYPES)}, not {media or 'no Content-Type'!r}",
            field="Content-Type",
            allowed=POST_TYPES,
        )
    if proto.query is not None and proto.update is not None:
        raise ApiError(400, "give either a query or an update, not both", field="update")
    _check_dataset_parameters(proto)
    return proto


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _check_dataset_parameters(proto: ProtocolRequest) -> None:
    """Dataset parameters belong to one operation: the query's or the update's."""
    if proto.update is not None and (proto.default_graphs or proto.named_graphs):
        name = "default-graph-uri" if proto.default_graphs else "named-graph-uri"
        raise ApiError(
            400, f"{name} goes with a query; an update takes using-graph-uri and using-named-graph-uri", field=name
        )
    if proto.update is None and (proto.using_graphs or proto.using_named_graphs):
        name = "using-graph-uri" if proto.using_graphs else "using-named-graph-uri"
        raise ApiError(
            400, f"{name} goes with an update; a query takes default-graph-uri and named-graph-uri", field=name
        )


def endpoint_base(request: Request) -> str:
    """The base IRI of queries and updates sent to the endpoint: its URL."""
    return str(request.url_for("sparql_query_get"))


def _result_headers(truncated: bool, max_rows: int) -> dict[str, str]:
    headers = {"Vary": "Accept"}
    if truncated:
        headers["X-Coprokg-Truncated"] = "true"
        headers["X-Coprokg-Max-Rows"] = str(max_rows)
    return headers


async def run_query(
    store: GraphStore,
    settings: Settings,
    accept: str | None,
    text: str,
    *,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    base_iri: str | None = None,
    cached: bool = False,
) -> Response:
    """Run a query with the formats the client accepts (shared with ``/queries/{name}``, which asks for a
    result kept until the store changes: ``cached``)."""
    solutions = negotiate(accept, SOLUTION_FORMATS)
    graph = negotiate(accept, GRAPH_FORMATS)
    if solutions is None and graph is None:
        allowed = [f.media_type for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS)]
        raise NotAcceptable("no result format the request accepts", allowed=allowed)
    request = QueryRequest(
        text=text,
        default_graphs=tuple(default_graphs or ()),
        named_graphs=tuple(named_graphs or ()),
        solutions_format=solutions.key if solutions else None,
        graph_format=graph.key if graph else None,
        base_iri=base_iri,
    )
    if cached:  # a result kept until the store changes: a lookup, or one run in a thread
        result = await run_in_threadpool(
            lambda: store.query_cached(request, timeout=settings.query_timeout, max_rows=settings.max_rows)
        )
    else:
        result = await store.query_async(request, timeout=settings.query_timeout, max_rows=settings.max_rows)
    fmt = formats.ALL_FORMATS[result.format_key]
    return Response(
        result.body,
        media_type=fmt.content_type,
        headers=_result_headers(result.truncated, settings.max_rows),
    )


def service_description(request: Request, settings: Settings) -> Response:
    """The SPARQL service description (Turtle by default)."""
    fmt = negotiate(request.headers.get("accept"), GRAPH_FORMATS)
    if fmt is None:
        raise NotAcceptable("the service description is RDF", allowed=[f.media_type for f in GRAPH_FORMATS])
    endpoint = str(request.url.replace(query=""))
    languages = ["sd:SPARQL11Query"] + (["sd:SPARQL11Update"] if settings.api_token else [])
    result_formats = ", ".join(f"<{iri}>" for iri in SD_FORMATS.values())
    turtle = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{endpoint}#service> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage {", ".join(languages)} ;
  sd:resultFormat {result_formats} ;
  sd:feature sd:UnionDefaultGraph ;
  dcterms:title "coprokg: a knowledge graph of citizen coproduction of public services" ;
  sd:defaultDataset [ a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ] ;
    sd:namedGraph [ a sd:NamedGraph ; sd:name <https://w3id.org/coprokg/graph/ontology> ] ,
                  [ a sd:NamedGraph ; sd:name <https://w3id.org/coprokg/graph/shapes> ] ] .
"""
    triples = [q.triple for q in ox.parse(turtle.encode(), ox.RdfFormat.TURTLE)]
    body = turtle.encode() if fmt.key == "turtle" else write_graph(triples, fmt.key)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


async def _dispatch(request: Request, store: GraphStore, settings: Settings) -> Response:
    proto = await _read(request)
    if proto.update is not None:
        authorize_write(settings, request.headers.get("authorization"))
        update = UpdateRequest(
            proto.update,
            using_graphs=tuple(proto.using_graphs),
            using_named_graphs=tuple(proto.using_named_graphs),
            base_iri=endpoint_base(request),
        )
        await run_in_threadpool(store.update, update)
        return Response(status_code=204)
    if proto.query is None:
        if request.method == "POST":
            raise ApiError(400, "the request has neither a query nor an update", field="query")
        return service_description(request, settings)
    return await run_query(
        store,
        settings,
        request.headers.get("accept"),
        proto.query,
        default_graphs=proto.default_graphs,
        named_graphs=proto.named_graphs,
        base_iri=endpoint_base(request),
    )


@router.get("/sparql", name="sparql_query_get", responses={200: PROTOCOL_DOC, **ERRORS_DOC})
async def sparql_get(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Query by GET (`query=`, `default-graph-uri=`, `named-graph-uri=`); without a query, the service description.

    Relative IRIs in the query resolve against this endpoint's URL."""
    return await _dispatch(request, store, settings)


@router.post(
    "/sparql",
    name="sparql_post",
    responses={200: PROTOCOL_DOC, 204: {"description": "Update done"}, **ERRORS_DOC},
    openapi_extra={
        "requestBody": {
            "content": {
                FORM: {
                    "schema": {
                        "type": "object",
                        "properties": {"query": {"type": "string"}, "update": {"type": "string"}},
                    }
                },
                QUERY_TYPE: {"schema": {"type": "string"}},
                UPDATE_TYPE: {"schema": {"type": "string"}},
            }
        }
    },
)
async def sparql_post(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Query or update by POST: form-encoded, or directly as `application/sparql-query` / `-update`.

    Updates need `Authorization: Bearer <COPROKG_API_TOKEN>`; `using-graph-uri` and
    `using-named-graph-uri` give an update's dataset (400 if the update has its own `USING` or
    `WITH`). Relative IRIs resolve against this endpoint's URL.
    """
    return await _dispatch(request, store, settings)
