"""The pages' own files: the stylesheet and scripts, the level colours from the ontology, the vendored
YASGUI, the /ui redirect."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import FileResponse, PlainTextResponse, RedirectResponse

from api.ui.plots import level_colours
from api.ui.render import SECURITY_HEADERS, STATIC_FILES
from api.ui.vendor import YASGUI

router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------- static files and the ontology
@router.get("/ui/static/levels.css", name="ui_levels_css")
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


@router.get("/ui/static/vendor/yasgui/{name}", name="ui_yasgui_file")
async def yasgui_file(name: str) -> Response:
    """YASGUI's vendored bundle and stylesheet (``make install`` copies them from npm)."""
    media_type = YASGUI.files.get(name)
    path = YASGUI.directory / name
    if media_type is None or not path.is_file():
        return PlainTextResponse("no such file", status_code=404)
    return FileResponse(
        path, media_type=media_type, headers={"Cache-Control": "public, max-age=300", **SECURITY_HEADERS}
    )


@router.get("/ui", name="ui_root")
async def ui_root() -> RedirectResponse:
    return RedirectResponse("/ui/cases", status_code=307)
