"""``/ontology`` and ``/shapes``: the ontology and the SHACL shapes, by content negotiation.

The ontology is also at fixed addresses, one per format, for download links and for clients that
cannot set ``Accept``: ``/ontology.ttl``, ``/ontology.rdf``, ``/ontology.jsonld``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep
from api.ui import ontology_page as ui_ontology
from coprokg.errors import NotAcceptable
from coprokg.paths import ontology_path, shapes_dir
from coprokg.sparql import formats, write_graph
from coprokg.turtle import turtle_triples

router = APIRouter(tags=["ontology"])
RDF_FORMATS = formats.GRAPH_FORMATS
HTML = formats.HTML
_DOC: dict[int | str, dict[str, Any]] = {
    200: {"content": {f.media_type: {} for f in RDF_FORMATS}},
    406: {"description": "No acceptable format"},
}


@lru_cache(maxsize=16)
def _serialise(paths: tuple[Path, ...], stamp: tuple[float, ...], format_key: str) -> bytes:
    del stamp  # part of the cache key: an edited file is read again
    if format_key == "turtle" and len(paths) == 1:
        return paths[0].read_bytes()
    triples: list[ox.Triple] = []
    for path in paths:
        triples.extend(turtle_triples(path))
    return write_graph(triples, format_key)


def _respond(request: Request, paths: list[Path], what: str) -> Response:
    fmt = formats.negotiate(request.headers.get("accept"), RDF_FORMATS)
    if fmt is None:
        raise NotAcceptable(
            f"the {what} is served as RDF, or as an HTML page for browsers where one exists",
            allowed=[f.media_type for f in RDF_FORMATS],
        )
    stamp = tuple(p.stat().st_mtime for p in paths)
    return Response(_serialise(tuple(paths), stamp, fmt.key), media_type=fmt.content_type, headers={"Vary": "Accept"})


@router.get("/ontology", name="get_ontology", responses=_DOC)
async def get_ontology(request: Request, store: StoreDep) -> Response:
    """The coprokg ontology (Turtle by default; N-Triples, RDF/XML, JSON-LD by `Accept`; HTML for browsers)."""
    if formats.negotiate(request.headers.get("accept"), (*RDF_FORMATS, HTML)) is HTML:
        return await run_in_threadpool(ui_ontology.ontology_page, store)
    return _respond(request, [ontology_path()], "ontology")


def _download_route(path: str, fmt: formats.MediaFormat, label: str) -> None:
    """``GET path``: the ontology as ``fmt`` whatever ``Accept`` says, documented with its media type."""
    filename = "coprokg-ontology" + path.removeprefix("/ontology")
    response_class = type(f"{fmt.key.title()}Response", (Response,), {"media_type": fmt.media_type})
    schema = {"type": "array", "items": {"type": "object"}} if fmt is formats.JSON_LD else {"type": "string"}

    async def ontology_file() -> Response:
        source = ontology_path()
        body = _serialise((source,), (source.stat().st_mtime,), fmt.key)
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        return Response(body, media_type=fmt.content_type, headers=headers)

    ontology_file.__doc__ = f"The coprokg ontology as {label} (`{fmt.media_type}`), whatever `Accept` says."
    router.add_api_route(
        path,
        ontology_file,
        methods=["GET"],
        name=f"get_ontology_{fmt.key}",
        summary=f"Ontology as {label}",
        response_class=response_class,
        responses={
            200: {
                "description": f"`ontology/coprod.ttl` as {label}, as an attachment ({filename})",
                "content": {fmt.media_type: {"schema": schema}},
            }
        },
    )


for _path, _format, _label in ui_ontology.ONTOLOGY_FILES:
    _download_route(_path, _format, _label)


@router.get("/shapes", name="get_shapes", responses=_DOC)
async def get_shapes(request: Request) -> Response:
    """The SHACL shapes: case, risk and ontology-hygiene shapes in one graph."""
    return _respond(request, sorted(shapes_dir().glob("*.ttl")), "shapes")
