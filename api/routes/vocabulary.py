"""``/ontology`` and ``/shapes``: the ontology and the SHACL shapes, by content negotiation."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

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
async def get_ontology(request: Request) -> Response:
    """The coprokg ontology (Turtle by default; N-Triples, RDF/XML, JSON-LD by `Accept`; HTML for browsers)."""
    if formats.negotiate(request.headers.get("accept"), (*RDF_FORMATS, HTML)) is HTML:
        return await run_in_threadpool(ui_ontology.ontology_page)
    return _respond(request, [ontology_path()], "ontology")


@router.get("/shapes", name="get_shapes", responses=_DOC)
async def get_shapes(request: Request) -> Response:
    """The SHACL shapes: case, risk and ontology-hygiene shapes in one graph."""
    return _respond(request, sorted(shapes_dir().glob("*.ttl")), "shapes")
